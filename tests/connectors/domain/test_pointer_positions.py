"""Pointers to lines: JSON and YAML, nested members, list items, ~0 ~1 tokens, missing nodes."""

from __future__ import annotations

import pytest

from connectors.domain.pointer_positions import TextSpan, pointer_span, pointer_spans
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml

JSON_TEXT = """{
  "swagger": "2.0",
  "schemes": [
    "https",
    "http"
  ],
  "paths": {
    "/hooks/{id}": {
      "post": {
        "summary": "When \\"it\\" happens",
        "parameters": [
          {"name": "a~b", "in": "query"},
          {"name": "c", "in": "path"}
        ]
      }
    },
    "a~b": {"x": [1, {"deep": true}]}
  },
  "empty": {},
  "none": []
}
"""

YAML_TEXT = """swagger: '2.0'
schemes:
- https
- http
paths:
  /hooks/{id}:
    post:
      summary: When "it" happens
      parameters:
      - name: a~b
        in: query
      - {name: c, in: path}
  a~b:
    x: [1, {deep: true}]
empty: {}
"200": quoted
"""


def where(text: str, span: TextSpan | None) -> tuple[int, int, str] | None:
    """(line, column, the spanned text): what the tests compare."""
    return None if span is None else (span.line, span.column, text[span.start : span.end])


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1, "{")),
        ("/swagger", (2, 3, '"swagger"')),
        ("/schemes", (3, 3, '"schemes"')),
        ("/schemes/0", (4, 5, '"https"')),
        ("/schemes/1", (5, 5, '"http"')),
        ("/paths/~1hooks~1{id}", (8, 5, '"/hooks/{id}"')),
        ("/paths/~1hooks~1{id}/post/summary", (10, 9, '"summary"')),
        ("/paths/~1hooks~1{id}/post/parameters/1", (13, 11, "{")),
        ("/paths/~1hooks~1{id}/post/parameters/1/in", (13, 25, '"in"')),
        ("/paths/a~0b/x/1/deep", (17, 23, '"deep"')),
        ("/empty", (19, 3, '"empty"')),
        ("/none", (20, 3, '"none"')),
    ],
)
def test_json_pointer_lands_on_its_key_or_item(
    pointer: str, expected: tuple[int, int, str]
) -> None:
    assert where(JSON_TEXT, pointer_span(JSON_TEXT, pointer)) == expected


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1, "swagger: '2.0'")),
        ("/swagger", (1, 1, "swagger")),
        ("/schemes/1", (4, 3, "http")),
        ("/paths/~1hooks~1{id}", (6, 3, "/hooks/{id}")),
        ("/paths/~1hooks~1{id}/post/summary", (8, 7, "summary")),
        ("/paths/~1hooks~1{id}/post/parameters/0", (10, 9, "name: a~b")),
        ("/paths/~1hooks~1{id}/post/parameters/1/in", (12, 19, "in")),
        ("/paths/a~0b/x/1/deep", (14, 13, "deep")),
        ("/empty", (15, 1, "empty")),
        ("/200", (16, 1, '"200"')),
    ],
)
def test_yaml_pointer_lands_on_its_key_or_item(
    pointer: str, expected: tuple[int, int, str]
) -> None:
    assert where(YAML_TEXT, pointer_span(YAML_TEXT, pointer)) == expected


@pytest.mark.parametrize("text", [JSON_TEXT, YAML_TEXT], ids=["json", "yaml"])
@pytest.mark.parametrize(
    "pointer",
    [
        "/info",
        "/schemes/2",
        "/schemes/-",
        "/paths/~1hooks",  # the unescaped form of another key
        "/paths/a~b",  # "~b" is no escape: not the key "a~b"
        "/swagger/0",  # below a scalar
        "swagger",  # not a pointer
    ],
)
def test_a_missing_pointer_has_no_span(text: str, pointer: str) -> None:
    assert pointer_span(text, pointer) is None


@pytest.mark.parametrize(
    ("text", "expected_line"), [(JSON_TEXT, 10), (YAML_TEXT, 8)], ids=["json", "yaml"]
)
def test_a_missing_pointer_falls_back_to_its_nearest_ancestor(
    text: str, expected_line: int
) -> None:
    spans = pointer_spans(
        text,
        [
            "/paths/~1hooks~1{id}/post/summary/nothing/here",
            "/info/description",
            "apiProperties:/properties",
        ],
    )
    assert spans["/paths/~1hooks~1{id}/post/summary/nothing/here"].line == expected_line
    assert spans["/info/description"].line == 1  # only the document itself holds it
    assert "apiProperties:/properties" not in spans  # not a pointer into this text


@pytest.mark.parametrize(
    "text",
    ['{"a": [1, 2}', '{"a": 1', "a: [1, 2\nb: 3", "", "   "],
    ids=["json-bracket", "json-unclosed", "yaml", "empty", "blank"],
)
def test_unreadable_text_locates_nothing(text: str) -> None:
    assert pointer_span(text, "/a") is None
    assert pointer_spans(text, ["/a", ""]) == {}


def test_crlf_line_breaks_count_as_one() -> None:
    text = '{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}\r\n'
    assert where(text, pointer_span(text, "/a/b")) == (3, 5, '"b"')
    yaml_text = "a:\r\n  b: 1\r\n"
    assert where(yaml_text, pointer_span(yaml_text, "/a/b")) == (2, 3, "b")


def test_every_node_of_an_exported_swagger_is_found_in_both_formats() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "Items", "x-ms-keywords": ["a/b", "c~d"]},
        "paths": {"/a/{b}": {"get": {"responses": {"200": {"description": "OK"}}}}},
        "definitions": {"x~y/z": {"type": "object", "properties": {"": {"type": "string"}}}},
    }
    pointers = [
        "/info/x-ms-keywords/1",
        "/paths/~1a~1{b}/get/responses/200/description",
        "/definitions/x~0y~1z/properties/",
    ]
    for text in (dump_json(doc), dump_yaml(doc)):
        for pointer in pointers:
            span = pointer_span(text, pointer)
            assert span is not None, (pointer, text)
            assert text.splitlines()[span.line - 1][span.column - 1 :].startswith(
                text[span.start : span.end]
            )
