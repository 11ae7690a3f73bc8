"""load_document / check_tree: JSON or YAML in, a dict of JSON values out, or a DocumentError
that names the file, the line and column (or the pointer) and what to change."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.domain.documents import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    DocumentError,
    check_tree,
    load_document,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"swagger": "2.0"}', {"swagger": "2.0"}),
        ('  \n {"a": [1, 2.5, true, null]}', {"a": [1, 2.5, True, None]}),
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),
        ('\ufeff{"a": 1}', {"a": 1}),
        ('{"a": 1}'.encode("utf-16"), {"a": 1}),
        ('{"text": "tab\there"}', {"text": "tab\there"}),
        ("swagger: '2.0'\ninfo:\n  title: T\n", {"swagger": "2.0", "info": {"title": "T"}}),
        (b"\xef\xbb\xbfa: 1\n", {"a": 1}),
        ("# comment first\n{a: 1}\n", {"a": 1}),
        # YAML 1.2 reading: on/yes/no stay text, dates stay text, numeric keys become text.
        ("on: yes\nno: off\n", {"on": "yes", "no": "off"}),
        ("version: 2024-01-01\n", {"version": "2024-01-01"}),
        ("responses:\n  200: ok\n  true: t\n", {"responses": {"200": "ok", "true": "t"}}),
        ("flag: true\nother: False\n", {"flag": True, "other": False}),
        ("version: 1.0\n", {"version": 1.0}),
        ("d: !!timestamp 2024-01-02\n", {"d": "2024-01-02"}),
    ],
)
def test_reads_json_and_yaml(data: bytes | str, expected: dict[str, Any]) -> None:
    assert load_document(data) == expected


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        ('{\n  "a": 1,\n}', 2, 9, "trailing comma is not allowed in JSON"),
        ('{"a": [1, 2, ]}', 1, 12, "trailing comma"),
        ('{\n  "a": 1 // note\n}', 2, 10, "comments are not allowed"),
        ("{'a': 1}", 1, 2, "double quotes"),
        ('{"a": 1\n "b": 2}', 2, 2, "expecting ','"),
        ('{"a": 1} {"b": 2}', 1, 10, "after the end of the JSON document"),
        ('{"a": NaN}', 1, 7, "NaN is not a JSON value"),
        ('{"a": -Infinity}', 1, 7, "-Infinity is not a JSON value"),
        ('{"a": "unterminated}', 1, 21, "the file ends inside a string opened at line 1, column 7"),
        ('{"a": 1,\n "b": {"c": [1', 2, 15, "the file ends inside an array opened at line 2, col"),
        ('{"a": 1,\n "b": 2', 2, 8, "the file ends inside an object opened at line 1, column 1"),
        ('{"a":\u2003 1}', 1, 6, "unexpected character U+2003 (EM SPACE): JSON allows only"),
        ('{"a": 1,\u00a0"b": 2}', 1, 9, "unexpected character U+00A0 (NO-BREAK SPACE)"),
        ('{"a": \u00a71}', 1, 7, "unexpected character U+00A7 (SECTION SIGN); remove it"),
        ("a: b\x01c\n", 1, 5, "unexpected character U+0001: YAML allows no control characters"),
        ('a:\n  b: "x\x02"\n', 2, 8, "unexpected character U+0002"),
        ("a: 1\nb: [1, 2\n", 3, 1, "not valid YAML"),
        ("a: 1\n  b: 2\n", 2, 4, "not valid YAML"),
        ("x: &anchor [1]\ny: *anchor\n", 2, 4, "aliases (*anchor) are not supported"),
        ("a: 1\n---\nb: 2\n", 2, 1, "not valid YAML"),
        ("k: !!python/object:os.system x\n", 1, 4, "could not determine a constructor"),
        (b'{"a":\n  "caf\xe9"}', 2, 7, "byte 0xE9 is not UTF-8"),
    ],
)
def test_syntax_errors_name_line_and_column(
    data: bytes | str, line: int, column: int, words: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(data, name="apiDefinition.swagger.json")
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert words in error.reason
    assert str(error).startswith(f"apiDefinition.swagger.json line {line}, column {column}: ")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("", "the file is empty"),
        (" \n\t", "the file is empty"),
        ("[1, 2]", "the top level must be an object {...}, found a list"),
        ("- 1\n- 2\n", "found a list"),
        ("just text\n", "found a string"),
        ("~\n", "found nothing"),
        ("42\n", "found a number"),
    ],
)
def test_top_level_must_be_an_object(data: str, words: str) -> None:
    with pytest.raises(DocumentError, match=words):
        load_document(data)


@pytest.mark.parametrize(
    ("data", "pointer", "words"),
    [
        ("x: .nan\n", "/x", "not a JSON number"),
        ("a:\n  b: .inf\n", "/a/b", "not a JSON number"),
        ("k: !!binary aGVsbG8=\n", "/k", "bytes value is not JSON"),
        ("s: !!set {a, b}\n", "/s", "set value is not JSON"),
    ],
)
def test_yaml_values_that_are_not_json_name_their_pointer(
    data: str, pointer: str, words: str
) -> None:
    with pytest.raises(DocumentError, match=words) as caught:
        load_document(data)
    assert caught.value.pointer == pointer


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 200)),
        "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    ],
    ids=["json-arrays", "json-objects", "yaml-blocks", "yaml-flow"],
)
def test_deep_nesting_is_refused_without_recursion(data: str) -> None:
    with pytest.raises(DocumentError, match=f"deeper than {MAX_DEPTH} levels") as caught:
        load_document(data)
    assert caught.value.line is not None


def test_nesting_at_the_limit_is_fine() -> None:
    text = '{"a":' * (MAX_DEPTH - 1) + "{}" + "}" * (MAX_DEPTH - 1)
    assert isinstance(load_document(text), dict)


@pytest.mark.parametrize("as_bytes", [True, False])
def test_size_limit(as_bytes: bool) -> None:
    text = '{"a": "' + "x" * MAX_BYTES + '"}'
    with pytest.raises(DocumentError, match="the limit is 5 MB") as caught:
        load_document(text.encode() if as_bytes else text, name="big.json")
    assert "holds 5.0 MB (measured as compact JSON, without indentation)" in str(caught.value)


def test_the_content_is_measured_without_its_layout() -> None:
    """Indentation is not content: 3.6 MB of data indented to 9.7 MB reads."""
    doc = {
        f"key{i}": {"values": [{"a": n, "b": "x" * 20} for n in range(4)]} for i in range(22_000)
    }
    compact = json.dumps(doc, separators=(",", ":"))
    indented = json.dumps(doc, indent=4)
    assert len(compact) < MAX_BYTES < len(indented) < MAX_FILE_BYTES
    assert load_document(indented) == doc


def test_a_file_larger_than_the_file_limit_is_not_read() -> None:
    text = "{" + " " * MAX_FILE_BYTES + "}"
    with pytest.raises(DocumentError, match="files are read up to 11 MB"):
        load_document(text)


def test_broken_utf16_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="is not UTF-16 text"):
        load_document(b"\xff\xfe{\x00\x00\xd8")


def test_error_without_position_names_the_file() -> None:
    with pytest.raises(DocumentError) as caught:
        load_document("", name="apiProperties.json")
    assert str(caught.value) == "apiProperties.json: the file is empty"
    assert (caught.value.line, caught.value.column, caught.value.pointer) == (None, None, None)


def _shared_tree(levels: int) -> list[Any]:
    node: list[Any] = [0]
    for _ in range(levels):
        node = [node, node]  # one object, referenced twice: 2**levels paths
    return node


def _cycle() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    return loop


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"a": float("nan")}, "not a JSON number"),
        ({"a": {1, 2}}, "set value is not JSON"),
        ({"a": object()}, "object value is not JSON"),
        ({(1, 2): "tuple key"}, "is not text"),
        (_cycle(), "deeper than"),
        ({"a": _shared_tree(24)}, "too large"),
    ],
    ids=["nan", "set", "object", "tuple-key", "cycle", "shared-subtrees"],
)
def test_check_tree_refuses_what_is_not_json(value: Any, words: str) -> None:
    with pytest.raises(DocumentError, match=words):
        check_tree(value, name="design")


def test_check_tree_copies_and_normalises() -> None:
    original: dict[Any, Any] = {"a": (1, 2), 200: {"b": None}, False: 1.5}
    copy = check_tree(original)
    assert copy == {"a": [1, 2], "200": {"b": None}, "false": 1.5}
    assert copy["200"] is not original[200]


LONG_INT = "1" * 5000


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        ('{"a": [1,\n  ' + LONG_INT + "]}", 2, 3, "more than 4300 digits"),
        ('{"text": "' + LONG_INT + '",\n "n": -' + LONG_INT + "}", 2, 7, "more than 4300 digits"),
        ('{"a":\n  1e999}', 2, 3, "the number 1e999 is too large for JSON"),
        ('{"a": -1E+400}', 1, 7, "the number -1E+400 is too large"),
        ('{"a":\n "x\\ud800"}', 2, 4, "lone surrogate"),
        ('{"a": "\\udc00\\ud83d\\ude00"}', 1, 8, "lone surrogate"),
        ('{"a": "\\ud83d \\ude00"}', 1, 8, "lone surrogate"),
        ('{"\\ud800": 1}', 1, 3, "lone surrogate"),
        ('{"a": "\ud800"}', 1, 8, "lone surrogate"),
        ("a: \ud800\n", 1, 4, "lone surrogate"),
        ("a:\n  b: " + LONG_INT + "\n", 2, 6, "more than 4300 digits"),
        ("a: !!int abc\n", 1, 4, "cannot read 'abc' as int"),
        ("a:\n  - !!timestamp 2020-13-45\n", 2, 5, "cannot read '2020-13-45' as timestamp"),
        ("a: !!float abc\n", 1, 4, "cannot read 'abc' as float"),
    ],
    ids=[
        "json-long-int",
        "json-long-int-after-string",
        "json-inf",
        "json-negative-inf",
        "json-lone-high",
        "json-lone-low",
        "json-split-pair",
        "json-key",
        "raw-surrogate-json",
        "raw-surrogate-yaml",
        "yaml-long-int",
        "yaml-int-tag",
        "yaml-timestamp-tag",
        "yaml-float-tag",
    ],
)
def test_values_json_cannot_hold_name_line_and_column(
    data: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(data, name="apiDefinition.swagger.json")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in caught.value.reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"a": "\\ud83d\\ude00"}', {"a": "\U0001f600"}),
        ('{"a": "\\\\ud800"}', {"a": "\\ud800"}),
        ('{"a": 1e308, "b": -0.5e-400}', {"a": 1e308, "b": -0.0}),
        ('{"a": ' + "9" * 4300 + "}", {"a": int("9" * 4300)}),
    ],
    ids=["surrogate-pair", "escaped-backslash", "large-finite", "4300-digits"],
)
def test_json_values_at_the_edges_are_read(data: str, expected: dict[str, Any]) -> None:
    assert load_document(data) == expected


@pytest.mark.parametrize(
    ("value", "pointer", "words"),
    [
        ({"a": ["x", "\udc00"]}, "/a/1", "lone surrogate"),
        ({"a": {"\ud800": 1}}, "/a", "lone surrogate"),
        ({"a": 1 << 20_000}, "/a", "more than 4300 digits"),
    ],
    ids=["surrogate-value", "surrogate-key", "huge-int"],
)
def test_check_tree_refuses_text_and_numbers_json_text_cannot_hold(
    value: Any, pointer: str, words: str
) -> None:
    with pytest.raises(DocumentError, match=words) as caught:
        check_tree(value)
    assert caught.value.pointer == pointer


def test_yaml_binary_int_too_long_to_write_names_its_pointer() -> None:
    with pytest.raises(DocumentError, match="more than 4300 digits") as caught:
        load_document("a: 0b" + "1" * 15_000 + "\n")
    assert caught.value.pointer == "/a"


def test_bad_utf8_message_names_the_encoding() -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(b'{"a": "\xff"}')
    assert "is not UTF-8 text" in caught.value.reason


@pytest.mark.parametrize(
    "data",
    [
        "a: " + "{b: " * 2_000 + "1" + "}" * 2_000 + "\n",
        "- " + "[" * 1_500 + "]" * 1_500 + "\n",
        "a:\n  b: " + "[{c: " * 800 + "1" + "}]" * 800 + "\n",
    ],
    ids=["flow-mappings", "flow-in-block-list", "mixed-flow"],
)
def test_deep_yaml_gets_our_message_whichever_parser_notices_first(data: str) -> None:
    with pytest.raises(DocumentError, match=f"deeper than {MAX_DEPTH} levels") as caught:
        load_document(data)
    assert (caught.value.line, caught.value.column) != (None, None)


def test_a_swagger_that_imports_exports_to_a_file_that_imports_again() -> None:
    """A compact 2.9 MB swagger: its indented export is over twice as large, yet the same
    content, so it imports again (it did not when the limit measured the file's bytes)."""
    from connectors.domain.swagger.exporting.definition import dump_json, export_swagger
    from connectors.domain.swagger.importing.connector import import_connector

    definitions = {
        f"Thing{i}": {
            "type": "object",
            "properties": {
                f"field{n}": {"type": "object", "properties": {"v": {"type": "string"}}}
                for n in range(12)
            },
        }
        for i in range(3_600)
    }
    swagger = {"swagger": "2.0", "info": {"title": "Big", "version": "1.0"}, "paths": {}}
    compact = json.dumps({**swagger, "definitions": definitions}, separators=(",", ":"))
    assert 2_800_000 < len(compact) < MAX_BYTES
    design = import_connector(compact).design
    exported = dump_json(export_swagger(design))
    assert len(exported) > 2 * len(compact) and len(exported) > MAX_BYTES
    assert import_connector(exported).design == design
