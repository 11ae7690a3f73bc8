"""The one ``$ref`` resolver in its two modes: strict for the importer, tolerant for the linter."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.refs import Resolver, SwaggerImportError, resolve

DOC: dict[str, Any] = {
    "definitions": {
        "A": {"$ref": "#/definitions/B"},
        "B": {"type": "string"},
        "Loop1": {"$ref": "#/definitions/Loop2"},
        "Loop2": {"$ref": "#/definitions/Loop1"},
        "Dangling": {"$ref": "#/definitions/Nope"},
        "Odd": {"$ref": 7},
    }
}


@pytest.mark.parametrize(
    ("node", "target", "pointer"),
    [
        ({"$ref": "#/definitions/A"}, {"type": "string"}, "/definitions/B"),
        ({"type": "integer"}, {"type": "integer"}, "/here"),
        ({"$ref": "#/definitions/Loop1"}, None, "/definitions/Loop2"),
        ({"$ref": "#/definitions/Dangling"}, None, "/definitions/Dangling"),
        ({"$ref": "other.json#/x"}, None, "/here"),
        ({"$ref": "#/definitions/Odd"}, None, "/definitions/Odd"),
    ],
)
def test_tolerant_mode_carries_on_with_none_where_a_chain_breaks(
    node: dict[str, Any], target: Any, pointer: str
) -> None:
    assert Resolver(DOC).resolve(node, "/here") == (target, pointer)


@pytest.mark.parametrize(
    ("node", "words", "pointer"),
    [
        ({"$ref": "#/definitions/Loop1"}, "$ref loop: #/definitions/Loop1 -> ", "/here/$ref"),
        ({"$ref": "#/definitions/Dangling"}, "points to nothing", "/definitions/Dangling/$ref"),
        ({"$ref": "other.json#/x"}, "only references inside the same file", "/here/$ref"),
    ],
)
def test_strict_mode_names_the_ref_at_fault(node: dict[str, Any], words: str, pointer: str) -> None:
    with pytest.raises(SwaggerImportError) as caught:
        Resolver(DOC, strict=True).resolve(node, "/here")
    assert words in str(caught.value)
    assert caught.value.pointer == pointer


def test_strict_mode_follows_to_the_end_and_a_non_text_ref_is_no_reference() -> None:
    strict = Resolver(DOC, strict=True)
    assert strict.resolve({"$ref": "#/definitions/A"}, "/x") == (
        {"type": "string"},
        "/definitions/B",
    )
    assert resolve(DOC, {"$ref": "#/definitions/A"}, "/x") == (
        {"type": "string"},
        "#/definitions/A",
    )
    assert strict.resolve({"$ref": 7}, "/x") == ({"$ref": 7}, "/x")


def test_a_chain_is_read_without_looping() -> None:
    resolver = Resolver(DOC)
    assert resolver.chain("#/definitions/A") == ("ok", ["#/definitions/B"])
    assert resolver.chain("#/definitions/Loop1")[0] == "loop"
    assert resolver.chain("#/definitions/Nope") == ("not-found", [])
