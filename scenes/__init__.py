"""The built-in scenes. Importing this package registers each of them."""

from scenes import gates, classifier  # noqa: I001 (gates first: list order)

__all__ = ["gates", "classifier"]
