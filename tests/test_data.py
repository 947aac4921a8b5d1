import pytest

from viz.data import MAX_POINTS, DataError, Dataset, load_csv

NAME = "points.csv"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run the test inside tmp_path, so that files load by a relative name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder, content, name=NAME):
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_message(**kwargs):
    """Load points.csv from the current folder and return the DataError message."""
    with pytest.raises(DataError) as caught:
        load_csv(NAME, **kwargs)
    return str(caught.value)


def load_text(folder, content):
    return load_csv(write(folder, content))


BAD_FILES = [
    pytest.param(b"", None, ["empty"], id="empty"),
    pytest.param("\n  \n\n", None, ["empty or blank"], id="blank-lines-only"),
    pytest.param("x,y,label\n", None, ["line 1", "no data rows"], id="header-only"),
    pytest.param("\nx,y,label\n\n", None, ["line 2", "no data rows"],
                 id="header-only-after-blank"),
    pytest.param("1,2,0\n3,abc,1\n", "line 2, column 2",
                 ["'abc' is not a number", "numeric"], id="text-feature"),
    pytest.param("x,y,label\n1,2,0\nabc,4,1\n", "line 3, column 1",
                 ["'abc' is not a number"], id="text-feature-after-header"),
    pytest.param("1,2,0\n,4,1\n", "line 2, column 1", ["empty", "two numbers"],
                 id="empty-feature"),
    pytest.param(",2,0\n3,4,1\n", "line 1, column 1", ["empty"],
                 id="empty-feature-first-row"),
    pytest.param("1,2,0\nnan,4,1\n", "line 2, column 1", ["'nan'", "not a finite"],
                 id="nan"),
    pytest.param("1,2,0\n3,inf,1\n", "line 2, column 2", ["'inf'", "not a finite"],
                 id="inf"),
    pytest.param("1,2,0\n-inf,4,1\n", "line 2, column 1", ["'-inf'", "not a finite"],
                 id="minus-inf"),
    pytest.param("1,2,0\n3,1e999,1\n", "line 2, column 2", ["'1e999'", "not a finite"],
                 id="overflow"),
    pytest.param("1,2,0\n3,4\n", "line 2", ["found 2 fields", "expected 3"],
                 id="two-fields"),
    pytest.param("1,2,0\n\n3,4,1,5\n", "line 3", ["found 4 fields", "expected 3"],
                 id="four-fields"),
    pytest.param("x,y\n1,2\n", "line 1", ["found 2 fields", "expected 3"],
                 id="two-field-header"),
    pytest.param("1;2;0\n", "line 1", ["found 1 field,", "expected 3", "commas"],
                 id="semicolons"),
    pytest.param('1,2,0\n"3,4,1\n5,6,0\n', "line 2",
                 ["found 1 field,", "runs on to line 3", "close the quote"],
                 id="unclosed-quote"),
    pytest.param('1,2,"cat\nx"\n3,4,dog\n5,abc,dog\n', "line 4, column 2",
                 ["'abc'"], id="line-after-quoted-newline"),
    pytest.param(b"1,2,0\r3,abc,1\r", "line 2, column 2", ["'abc'"],
                 id="cr-line-endings"),
    pytest.param("1,2,\n3,4,1\n", "line 1, column 3", ["label is empty"],
                 id="empty-label"),
    pytest.param("1,2,cat\n3,4,cat\n", None, ["'cat'", "two classes"], id="one-class"),
    pytest.param("1,2,a\n3,4,b\n\n5,6,a\n7,8,c\n", "line 5, column 3",
                 ["third", "'a'", "'b'", "'c'", "two classes"], id="three-classes"),
    pytest.param("x,y,label\n1,2,0\n3,4,1\n1.0,2,1\n", "lines 2 and 4",
                 ["(1.0, 2.0)", "'0'", "'1'", "no line can separate"],
                 id="same-point-two-labels"),
    pytest.param(b"1,2,0\n3,\xff4,1\n", "line 2", ["0xff", "position 3", "UTF-8"],
                 id="invalid-utf8"),
]


@pytest.mark.parametrize(("content", "location", "words"), BAD_FILES)
def test_load_csv_bad_file(in_tmp, content, location, words):
    write(in_tmp, content)
    message = error_message()

    assert message.startswith(f"{NAME}:") or message.startswith(f"{NAME},")
    assert "\n" not in message
    if location is not None:
        assert location in message
    for word in words:
        assert word in message


def test_load_csv_missing_file(in_tmp):
    with pytest.raises(DataError, match=r"^missing\.csv: file not found"):
        load_csv("missing.csv")


@pytest.mark.parametrize("path", ["", "  "])
def test_load_csv_empty_path(path):
    with pytest.raises(DataError, match=r"^data path '\s*' is empty; give the path"):
        load_csv(path)


def test_load_csv_directory(in_tmp):
    (in_tmp / "folder.csv").mkdir()

    with pytest.raises(DataError, match=r"^folder\.csv: is a directory"):
        load_csv("folder.csv")


def rows(count):
    """Return `count` distinct points, labelled 0 and 1 in turn."""
    return "".join(f"{i},0,{i % 2}\n" for i in range(count))


def test_max_points_exact_limit_loads(tmp_path):
    dataset = load_text(tmp_path, rows(MAX_POINTS))

    assert len(dataset.samples) == MAX_POINTS


def test_max_points_one_more_fails(in_tmp):
    write(in_tmp, "x,y,label\n" + rows(MAX_POINTS + 1))
    message = error_message()

    assert f"line {MAX_POINTS + 2}:" in message
    assert f"more than {MAX_POINTS} points" in message
    assert "frame" in message
    assert "keep at most" in message


def test_max_points_argument_limit(tmp_path):
    path = write(tmp_path, rows(4))

    assert len(load_csv(path, max_points=4).samples) == 4
    with pytest.raises(DataError, match="more than 3 points"):
        load_csv(path, max_points=3)


@pytest.mark.parametrize("max_points", [0, -1, 2.5, True], ids=str)
def test_max_points_invalid_argument(tmp_path, max_points):
    path = write(tmp_path, rows(2))

    with pytest.raises(ValueError, match="max_points"):
        load_csv(path, max_points=max_points)


def test_load_csv_returns_dataset(tmp_path):
    dataset = load_text(tmp_path, "1.5,-2,0\n3,4e1,1\n")

    assert dataset == Dataset(
        samples=((1.5, -2.0), (3.0, 40.0)),
        targets=(-1.0, 1.0),
        class_names=("0", "1"),
        feature_names=("x1", "x2"),
        path=str(tmp_path / NAME),
    )


def test_header_sets_feature_names(tmp_path):
    dataset = load_text(tmp_path, "height,weight,species\n1,2,0\n3,4,1\n")

    assert dataset.feature_names == ("height", "weight")
    assert dataset.samples == ((1.0, 2.0), (3.0, 4.0))


def test_header_one_text_field(tmp_path):
    dataset = load_text(tmp_path, "2020,weight,species\n1,2,0\n3,4,1\n")

    assert dataset.feature_names == ("2020", "weight")
    assert len(dataset.samples) == 2


def test_header_empty_name_defaults(tmp_path):
    dataset = load_text(tmp_path, ",weight,\n1,2,0\n3,4,1\n")

    assert dataset.feature_names == ("x1", "weight")


def test_no_header_first_row_data(tmp_path):
    dataset = load_text(tmp_path, "1,2,0\n3,4,1\n")

    assert dataset.feature_names == ("x1", "x2")
    assert dataset.samples[0] == (1.0, 2.0)


def test_header_after_byte_order_mark(tmp_path):
    dataset = load_text(tmp_path, "\ufeffx,y,label\n1,2,0\n3,4,1\n")

    assert dataset.feature_names == ("x", "y")


@pytest.mark.parametrize(("labels", "class_names", "targets"), [
    (["0", "1", "1"], ("0", "1"), (-1.0, 1.0, 1.0)),
    (["1", "-1", "1"], ("-1", "1"), (1.0, -1.0, 1.0)),
    (["+1", "-1", "-1"], ("-1", "+1"), (1.0, -1.0, -1.0)),
    (["dog", "cat", "dog"], ("cat", "dog"), (1.0, -1.0, 1.0)),
    (["yes", "no", "no"], ("no", "yes"), (1.0, -1.0, -1.0)),
    (["10", "9", "9"], ("9", "10"), (1.0, -1.0, -1.0)),
    (["1", "0", "1.0"], ("0", "1"), (1.0, -1.0, 1.0)),
    (["yes", "0", "0"], ("0", "yes"), (1.0, -1.0, -1.0)),
    (["cat", "Cat", "cat"], ("Cat", "cat"), (1.0, -1.0, 1.0)),
], ids=["0/1", "-1/1", "+1/-1", "cat/dog", "yes/no", "9/10-numeric",
        "1-and-1.0-one-class", "number/text", "case-sensitive"])
def test_labels_map_to_classes(tmp_path, labels, class_names, targets):
    text = "".join(f"{i},{i},{label}\n" for i, label in enumerate(labels))
    dataset = load_text(tmp_path, text)

    assert dataset.class_names == class_names
    assert dataset.targets == targets


def test_spaces_around_fields_stripped(tmp_path):
    dataset = load_text(tmp_path, " x , y , label \n 1 , 2 , cat \n3,\t4\t,dog\n")

    assert dataset.feature_names == ("x", "y")
    assert dataset.samples == ((1.0, 2.0), (3.0, 4.0))
    assert dataset.class_names == ("cat", "dog")


def test_blank_lines_skipped(tmp_path):
    dataset = load_text(tmp_path, "\n\nx,y,label\n\n1,2,0\n   \n,,\n3,4,1\n\n")

    assert dataset.samples == ((1.0, 2.0), (3.0, 4.0))
    assert dataset.feature_names == ("x", "y")


def test_duplicate_point_same_label_kept(tmp_path):
    dataset = load_text(tmp_path, "1,2,0\n1,2,0\n3,4,1\n")

    assert dataset.samples == ((1.0, 2.0), (1.0, 2.0), (3.0, 4.0))


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_line_endings_all_load(tmp_path, ending):
    content = ending.join([b"x,y,label", b"1,2,0", b"3,4,1", b""])
    dataset = load_text(tmp_path, content)

    assert dataset.feature_names == ("x", "y")
    assert dataset.samples == ((1.0, 2.0), (3.0, 4.0))


def test_path_kept_as_given(in_tmp):
    write(in_tmp, "1,2,0\n3,4,1\n")

    assert load_csv(NAME).path == NAME
