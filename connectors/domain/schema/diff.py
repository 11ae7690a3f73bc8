"""What changes between two versions of a schema: properties added, removed and retyped.

Purpose: before a received payload becomes a notification sample, the maker sees what the
schema inferred again will change for the flows built on the trigger: which properties appear,
which disappear, and which change type (a flow that read a number now gets a string).

Input: the old and the new schema (Swagger 2.0 schema objects) and the ``definitions`` that
their "#/definitions/Name" references resolve against (the design's passthrough swagger).
Output: ``SchemaChange``s, one per property that changed: the properties of the new schema in
its document order (added and retyped), then the removed ones in the old schema's order. A
property is named by its JSON pointer into the *payload* (array items as their first item,
"/lines/0/sku", as the schema editor writes them) and by a dotted path ("lines[].sku"); a type
is said as the maker reads it: "string (date-time)", "array of integer", "number or null".
A ``$ref`` cycle, or nesting deeper than ``MAX_DEPTH``, ends the walk at that property.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from connectors.domain.documents import escape_pointer

MAX_DEPTH = 32
_DEFINITION = "#/definitions/"


@dataclass(frozen=True)
class SchemaChange:
    kind: str  # "added", "removed" or "retyped"
    pointer: str  # into the payload; "" is the payload itself
    path: str  # dotted, for reading: "customer.email", "lines[].sku", "" for the payload
    before: str | None  # the type label in the old schema (None when added)
    after: str | None  # the type label in the new schema (None when removed)


@dataclass(frozen=True)
class _Property:
    pointer: str
    path: str
    label: str


def schema_diff(
    old: Any, new: Any, definitions: dict[str, Any] | None = None
) -> list[SchemaChange]:
    """The properties ``new`` adds, removes and retypes against ``old``."""
    definitions = definitions or {}
    before = {p.pointer: p for p in _properties(old, definitions)}
    after = {p.pointer: p for p in _properties(new, definitions)}
    changes: list[SchemaChange] = []
    for pointer, now in after.items():
        was = before.get(pointer)
        if was is None:
            changes.append(SchemaChange("added", pointer, now.path, None, now.label))
        elif was.label != now.label:
            changes.append(SchemaChange("retyped", pointer, now.path, was.label, now.label))
    changes += [
        SchemaChange("removed", pointer, was.path, was.label, None)
        for pointer, was in before.items()
        if pointer not in after
    ]
    return changes


def _properties(schema: Any, definitions: dict[str, Any]) -> Iterator[_Property]:
    """The payload itself, then every property depth first, in document order."""
    yield from _walk(schema, definitions, "", "", 0, ())


def _walk(
    node: Any,
    definitions: dict[str, Any],
    pointer: str,
    path: str,
    depth: int,
    refs: tuple[str, ...],
    *,
    items_of_array: bool = False,
) -> Iterator[_Property]:
    node, refs, looped = _resolved(node, definitions, refs)
    if not items_of_array:  # an array's items are no property: its label says their type
        yield _Property(pointer, path, type_label(node, definitions))
    if looped or depth >= MAX_DEPTH:
        return
    for name, child in _members(node, definitions).items():
        child_path = f"{path}.{name}" if path else str(name)
        yield from _walk(
            child, definitions, f"{pointer}/{escape_pointer(name)}", child_path, depth + 1, refs
        )
    items = node.get("items") if isinstance(node, dict) else None
    if isinstance(items, dict):
        yield from _walk(
            items, definitions, f"{pointer}/0", f"{path}[]", depth + 1, refs, items_of_array=True
        )


def _resolved(
    node: Any, definitions: dict[str, Any], refs: tuple[str, ...]
) -> tuple[Any, tuple[str, ...], bool]:
    """(the schema a ``$ref`` chain ends at, the refs followed so far, whether it loops)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in refs:
            return {}, refs, True
        refs = (*refs, ref)
        name = ref.removeprefix(_DEFINITION)
        node = definitions.get(name) if ref.startswith(_DEFINITION) else None
        if not isinstance(node, dict):
            return {}, refs, True  # a dangling ref: nothing to walk (the linter reports it)
    return node, refs, False


def _members(node: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    """An object schema's properties, those of its ``allOf`` members included."""
    if not isinstance(node, dict):
        return {}
    members: dict[str, Any] = {}
    for part in node.get("allOf") or []:
        part, _, looped = _resolved(part, definitions, ())
        if not looped and isinstance(part, dict):
            members.update(_members(part, definitions))
    properties = node.get("properties")
    if isinstance(properties, dict):
        members.update(properties)
    return members


def type_label(node: Any, definitions: dict[str, Any] | None = None) -> str:
    """The type as the maker reads it: "integer (int64)", "array of string", "string or null"."""
    if not isinstance(node, dict):
        return "any"
    kind = _type_of(node)
    if kind == "array":
        items, _, looped = _resolved(node.get("items"), definitions or {}, ())
        inner = "any" if looped or not isinstance(items, dict) else _scalar_label(items)
        label = f"array of {inner}"
    else:
        label = _scalar_label(node)
    return f"{label} or null" if node.get("x-nullable") is True else label


def _scalar_label(node: dict[str, Any]) -> str:
    kind = _type_of(node)
    label = kind or "any"
    if kind == "array":
        return "array"
    fmt = node.get("format")
    return f"{label} ({fmt})" if isinstance(fmt, str) and fmt else label


def _type_of(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if "properties" in node or "allOf" in node:
        return "object"
    return "array" if "items" in node else None
