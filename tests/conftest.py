import pytest

import viz


@pytest.fixture(scope="session")
def classifier_history():
    return viz.history("classifier", seed=0)


@pytest.fixture(scope="session")
def or_history():
    return viz.history("or_gate", seed=0)
