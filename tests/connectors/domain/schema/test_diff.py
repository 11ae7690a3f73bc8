"""The schema diff: properties added, removed and retyped, by payload pointer and dotted path."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.schema.diff import MAX_DEPTH, SchemaChange, schema_diff, type_label


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


STR = {"type": "string"}
INT = {"type": "integer", "format": "int32"}
WHEN = {"type": "string", "format": "date-time"}


def changes(old: Any, new: Any, definitions: dict[str, Any] | None = None) -> list[tuple]:
    return [
        (c.kind, c.pointer, c.path, c.before, c.after) for c in schema_diff(old, new, definitions)
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(obj(id=INT), obj(id=INT), [], id="same"),
        pytest.param(
            obj(id=INT),
            obj(id=INT, channel=STR),
            [("added", "/channel", "channel", None, "string")],
            id="added",
        ),
        pytest.param(
            obj(id=INT, note=STR),
            obj(id=INT),
            [("removed", "/note", "note", "string", None)],
            id="removed",
        ),
        pytest.param(
            obj(id=INT),
            obj(id=STR),
            [("retyped", "/id", "id", "integer (int32)", "string")],
            id="retyped",
        ),
        pytest.param(
            obj(at=STR),
            obj(at=WHEN),
            [("retyped", "/at", "at", "string", "string (date-time)")],
            id="format-is-part-of-the-type",
        ),
        pytest.param(
            obj(note=STR),
            obj(note={**STR, "x-nullable": True}),
            [("retyped", "/note", "note", "string", "string or null")],
            id="nullable",
        ),
        pytest.param(
            obj(customer=obj(name=STR)),
            obj(customer=obj(name=STR, email={"type": "string", "format": "email"})),
            [("added", "/customer/email", "customer.email", None, "string (email)")],
            id="nested",
        ),
        pytest.param(
            obj(lines={"type": "array", "items": obj(sku=STR)}),
            obj(lines={"type": "array", "items": obj(sku=STR, qty=INT)}),
            [("added", "/lines/0/qty", "lines[].qty", None, "integer (int32)")],
            id="array-items",
        ),
        pytest.param(
            obj(tags={"type": "array", "items": STR}),
            obj(tags={"type": "array", "items": INT}),
            [("retyped", "/tags", "tags", "array of string", "array of integer (int32)")],
            id="array-item-type",
        ),
        pytest.param(
            obj(customer=obj(name=STR)),
            obj(customer=STR),
            [
                ("retyped", "/customer", "customer", "object", "string"),
                ("removed", "/customer/name", "customer.name", "string", None),
            ],
            id="object-becomes-string",
        ),
        pytest.param(
            obj(**{"a/b": STR}),
            obj(**{"a/b": STR, "c~d": INT}),
            [("added", "/c~0d", "c~d", None, "integer (int32)")],
            id="pointer-escapes",
        ),
        pytest.param(
            {"type": "array", "items": obj(id=INT)},
            {"type": "array", "items": obj(id=INT, kind=STR)},
            [("added", "/0/kind", "[].kind", None, "string")],
            id="batch-root-array",
        ),
        pytest.param(
            obj(id=INT),
            {"type": "array", "items": obj(id=INT)},
            [
                ("retyped", "", "", "object", "array of object"),
                ("added", "/0/id", "[].id", None, "integer (int32)"),
                ("removed", "/id", "id", "integer (int32)", None),
            ],
            id="root-retyped",
        ),
        pytest.param(
            {},
            obj(id=INT),
            [("retyped", "", "", "any", "object"), ("added", "/id", "id", None, "integer (int32)")],
            id="from-an-empty-schema",
        ),
    ],
)
def test_schema_diff(old: Any, new: Any, expected: list[tuple]) -> None:
    assert changes(old, new) == expected


def test_refs_resolve_against_the_definitions() -> None:
    definitions = {"Customer": obj(name=STR), "Order": {"$ref": "#/definitions/Customer"}}
    old = obj(customer={"$ref": "#/definitions/Order"})
    new = obj(customer=obj(name=STR, email=STR))
    assert changes(old, new, definitions) == [
        ("added", "/customer/email", "customer.email", None, "string")
    ]


def test_all_of_members_count_as_properties() -> None:
    definitions = {"Base": obj(id=INT)}
    old = {"allOf": [{"$ref": "#/definitions/Base"}, obj(name=STR)]}
    assert changes(old, obj(id=INT, name=STR), definitions) == []


def test_a_ref_cycle_and_a_dangling_ref_end_the_walk() -> None:
    definitions = {"Node": obj(next={"$ref": "#/definitions/Node"})}
    old = obj(tree={"$ref": "#/definitions/Node"}, lost={"$ref": "#/definitions/Missing"})
    found = changes(old, obj(tree=obj(next=obj())), definitions)
    assert ("removed", "/lost", "lost", "any", None) in found
    assert not any(pointer.startswith("/tree/next/next") for _, pointer, *_ in found)


def test_deep_nesting_is_bounded() -> None:
    deep: dict[str, Any] = STR
    for _ in range(MAX_DEPTH + 10):
        deep = obj(x=deep)
    found = schema_diff({}, deep)
    assert found and all(c.kind in ("added", "retyped") for c in found)
    assert max(c.pointer.count("/") for c in found) == MAX_DEPTH


@pytest.mark.parametrize(
    ("node", "label"),
    [
        (None, "any"),
        ({}, "any"),
        ({"properties": {}}, "object"),
        ({"items": STR}, "array of string"),
        ({"type": "array"}, "array of any"),
        ({"type": "array", "items": {"type": "array", "items": STR}}, "array of array"),
        ({"type": ["string", "null"]}, "string or null"),
        ({"type": "integer", "format": "int64", "x-nullable": True}, "integer (int64) or null"),
    ],
)
def test_type_label(node: Any, label: str) -> None:
    assert type_label(node) == label


def test_a_change_is_plain_data() -> None:
    (change,) = schema_diff(obj(), obj(id=STR))
    assert change == SchemaChange("added", "/id", "id", None, "string")
