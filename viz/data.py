"""Load a user's labelled 2D points from a CSV file for the `classifier` scene."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["DataError", "Dataset", "MAX_POINTS", "load_csv"]

# The default "steps" frames mode draws one frame per sample visit, so 1000 points
# times the default 100 epochs is already up to 100,000 frames when training does not
# converge: about 83 minutes of animation at the classifier scene's 20 fps.
MAX_POINTS = 1000

FIELD_COUNT = 3
DEFAULT_FEATURE_NAMES = ("x1", "x2")
EXPECTED_ROWS = "rows of x1,x2,label"


class DataError(ValueError):
    """An invalid or unreadable dataset file.

    The message is one line that names the file, the line and column where they
    apply, and the fix.
    """


@dataclass(frozen=True)
class Dataset:
    """Labelled 2D points read from a file.

    `targets` contains -1.0 for the class `class_names[0]` and +1.0 for the class
    `class_names[1]`. `path` is the path as the caller gave it.
    """

    samples: tuple[tuple[float, float], ...]
    targets: tuple[float, ...]
    class_names: tuple[str, str]
    feature_names: tuple[str, str]
    path: str


def load_csv(path: str | os.PathLike[str], max_points: int = MAX_POINTS) -> Dataset:
    """Read labelled 2D points from a comma-separated UTF-8 file.

    Parameters
    ----------
    path
        A file with three columns: two numeric features, then a label.
    max_points
        The maximum number of data rows.

    Returns
    -------
    Dataset
        The points in file order, with labels mapped to -1.0 and +1.0.

    Raises
    ------
    DataError
        For a missing or unreadable file, or invalid content. The message is one
        line that names the file, and the line and column where they apply.

    Notes
    -----
    The first non-blank row is a header when its first or second field is
    non-empty and not a number. Its first two fields become the feature names,
    and an empty one falls back to "x1" or "x2". Fields are stripped of spaces.
    Blank lines, and rows whose fields are all empty, are skipped but still count
    in line numbers.

    The file must contain exactly two distinct labels. Labels that both parse as
    finite numbers are compared as numbers, so "1" and "1.0" are the same class and
    the larger number is the positive (+1) class. Otherwise labels are compared as
    text, and the one that sorts second in Python string order is positive: "dog"
    over "cat", "yes" over "no". The class names keep the text of each label as it
    first appears in the file.
    """
    whole = isinstance(max_points, int) and not isinstance(max_points, bool)
    if not whole or max_points < 1:
        raise ValueError(f"max_points must be a whole number >= 1, got {max_points!r}")
    name = os.fspath(path)
    if not name.strip():
        raise DataError(f"data path {name!r} is empty; give the path of a CSV file")

    samples: list[tuple[float, float]] = []
    keys: list[float | str] = []
    first_seen: dict[tuple[float, float], tuple[int, float | str, str]] = {}
    classes: dict[float | str, str] = {}
    feature_names = DEFAULT_FEATURE_NAMES
    header_line = 0
    for line, fields in _read_rows(name):
        if not samples and not header_line and _is_header(fields):
            feature_names = _feature_names(fields)
            header_line = line
            continue

        point = (_feature(name, line, 1, fields[0]), _feature(name, line, 2, fields[1]))
        key = _label_key(name, line, fields[2])
        if key not in classes:
            if len(classes) == 2:
                raise DataError(_third_class_message(name, line, classes, fields[2]))
            classes[key] = fields[2]

        earlier, earlier_key, earlier_label = first_seen.setdefault(
            point, (line, key, fields[2]))
        if earlier_key != key:
            raise DataError(_conflict_message(name, point, (earlier, earlier_label),
                                              (line, fields[2])))

        samples.append(point)
        keys.append(key)
        if len(samples) > max_points:
            raise DataError(_limit_message(name, line, max_points))

    if not samples:
        if header_line:
            raise DataError(f"{name}: the header on line {header_line} is followed by "
                            f"no data rows; add {EXPECTED_ROWS}")
        raise DataError(f"{name}: the file is empty or blank; add {EXPECTED_ROWS}")
    if len(classes) == 1:
        (label,) = classes.values()
        raise DataError(f"{name}: every point has the label {label!r}, but a "
                        "classifier needs two classes; add points of a second class")

    negative, positive = _order_classes(classes)
    targets = tuple(1.0 if key == positive else -1.0 for key in keys)
    return Dataset(
        samples=tuple(samples),
        targets=targets,
        class_names=(classes[negative], classes[positive]),
        feature_names=feature_names,
        path=name,
    )


def _read_rows(name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, stripped fields) for each non-blank row of the file.

    The line number of a row is the line where it starts, because a quoted field
    may span lines.
    """
    try:
        with open(name, "rb") as file:
            reader = csv.reader(_decode_lines(name, file), delimiter=",")
            end = 0
            for row in reader:
                start, end = end + 1, reader.line_num
                fields = [field.strip() for field in row]
                if not any(fields):
                    continue
                if len(fields) != FIELD_COUNT:
                    raise DataError(_field_count_message(name, start, end, row))
                yield start, fields
    except FileNotFoundError:
        raise DataError(f"{name}: file not found; check the path") from None
    except IsADirectoryError:
        raise DataError(f"{name}: is a directory, not a file; give the path of "
                        "a CSV file") from None
    except PermissionError:
        raise DataError(f"{name}: permission denied; make the file readable or "
                        "copy it somewhere you can read") from None
    except csv.Error as error:
        raise DataError(f"{name}, line {reader.line_num}: invalid CSV ({error}); "
                        "fix or remove the line") from None
    except OSError as error:
        raise DataError(f"{name}: cannot be read ({error.strerror}); check the "
                        "path and the disk") from None


def _decode_lines(name: str, file) -> Iterator[str]:
    """Yield the lines of a binary file decoded as UTF-8, without a leading BOM.

    Lines end at LF, CRLF or a lone CR, and keep their line ending for the csv
    module.
    """
    number = 0
    for chunk in file:
        # Iterating a binary file splits only at LF, so split again at a lone CR.
        for raw in chunk.splitlines(keepends=True):
            number += 1
            encoding = "utf-8-sig" if number == 1 else "utf-8"
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise DataError(
                    f"{name}, line {number}: byte 0x{raw[error.start]:02x} at "
                    f"position {error.start + 1} of the line is not valid UTF-8; "
                    "save the file as UTF-8 text"
                ) from None


def _field_count_message(name: str, start: int, end: int, row: list[str]) -> str:
    found = len(row)
    noun = "field" if found == 1 else "fields"
    message = (f"{name}, line {start}: found {found} {noun}, expected {FIELD_COUNT} "
               "(x1, x2, label)")
    if end > start:
        return message + (f"; a quoted field runs on to line {end}, so close the "
                          f"quote on line {start}")
    if found < FIELD_COUNT and any(";" in field or "\t" in field for field in row):
        return message + "; separate the fields with commas"
    return message + "; fix or remove the line"


def _is_header(fields: list[str]) -> bool:
    return any(field and not _is_number(field) for field in fields[:2])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _feature_names(fields: list[str]) -> tuple[str, str]:
    first = fields[0] or DEFAULT_FEATURE_NAMES[0]
    second = fields[1] or DEFAULT_FEATURE_NAMES[1]
    return first, second


def _feature(name: str, line: int, column: int, text: str) -> float:
    """Parse one feature, or raise DataError naming its line and column."""
    where = f"{name}, line {line}, column {column}"
    if not text:
        raise DataError(f"{where}: the value is empty; give every point two numbers")
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{where}: {text!r} is not a number; features must be "
                        "numeric") from None
    if not math.isfinite(value):
        raise DataError(f"{where}: {text!r} is not a finite number; replace it or "
                        "remove the point")
    return value


def _label_key(name: str, line: int, text: str) -> float | str:
    """Return the value that identifies a label's class: its number, or its text."""
    if not text:
        raise DataError(f"{name}, line {line}, column 3: the label is empty; give "
                        "every point a label")
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


def _order_classes(classes: dict[float | str, str]) -> tuple[float | str, float | str]:
    """Return the two class keys as (negative, positive), by the rule in load_csv."""
    first, second = classes
    if isinstance(first, float) and isinstance(second, float):
        return (first, second) if first < second else (second, first)
    return (first, second) if classes[first] < classes[second] else (second, first)


def _third_class_message(name: str, line: int, classes: dict, label: str) -> str:
    first, second = classes.values()
    return (f"{name}, line {line}, column 3: a third label {label!r} after {first!r} "
            f"and {second!r}, but the classifier separates exactly two classes; "
            "remove or relabel the points of the other classes")


def _conflict_message(name: str, point: tuple[float, float], first: tuple[int, str],
                      second: tuple[int, str]) -> str:
    """Build the error for one point with two labels, each given as (line, label)."""
    (first_line, first_label), (second_line, second_label) = first, second
    return (f"{name}, lines {first_line} and {second_line}: the point {point} has the "
            f"label {first_label!r} on line {first_line} and {second_label!r} on line "
            f"{second_line}, and no line can separate them; remove or relabel one of "
            "the two")


def _limit_message(name: str, line: int, max_points: int) -> str:
    return (f"{name}, line {line}: more than {max_points} points; every point adds "
            f"one frame to each epoch of the animation, so keep at most {max_points}, "
            "for example a random sample of the rows")
