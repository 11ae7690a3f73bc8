"""The schema editor's edits: a property's fields set, a property added or removed.

Purpose: what the maker changes in the rows of ``schema.tree``. Every edit is written where the
property's schema lives (``SchemaRow.location``): an edit of a property that comes through a
``$ref`` changes the definition in the passthrough swagger, which the editor announces with
``SchemaRow.shared_with``. The callback URL property keeps what the platform demands (a string,
internal, required along its chain) and cannot be removed while it is the callback.

Input: a design, a trigger index, a root ("body" or "notification") and ``SchemaEdit``s (or a
parent pointer, name and type; or a pointer). A field left ``None`` stays as it is; an empty
text removes the key. Defaults may be given as JSON values or as the text a form field holds
("50", "true", '["push"]'); they must fit the property's type. Output: the design, changed in
place. All edits of one ``schema_apply`` are checked before any is written, so a bad value
leaves the design as it was; errors are ``SchemaEditError`` naming the field and the pointer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from connectors.domain.design import VISIBILITIES
from connectors.domain.documents import escape_pointer, lookup_pointer
from connectors.domain.schema.inference import title_case
from connectors.domain.schema.tree import (
    SchemaEditError,
    SchemaRow,
    object_at,
    type_of,
    walk_rows,
)
from connectors.domain.schema.values import (
    TYPES,
    ValueProblem,
    choose,
    fits,
    format_problem,
    read_default,
)

_TEXTS = (("title", "x-ms-summary"), ("description", "description"))

Write = Callable[[], None]


@dataclass(frozen=True)
class SchemaEdit:
    """New values for the row at ``pointer``: ``None`` keeps a field, "" removes it."""

    pointer: str
    title: str | None = None
    description: str | None = None
    type: str | None = None
    format: str | None = None
    required: bool | None = None
    visibility: str | None = None
    default: Any = None
    test_value: Any = None  # x-ms-test-value, typed as the default is


def schema_apply(
    design: dict[str, Any], index: int, root: str, edits: Sequence[SchemaEdit]
) -> None:
    """Apply ``edits`` to the ``root`` schema of trigger ``index``: all of them or none."""
    rows = {row.pointer: row for row in walk_rows(design, index, root)}
    callback = _callback(design, index, root)
    writes = [write for edit in edits for write in _plan(design, rows, edit, callback)]
    for write in writes:
        write()


def schema_add_property(
    design: dict[str, Any], index: int, root: str, parent_pointer: str, name: str, type: str
) -> SchemaRow:
    """Add property ``name`` of ``type`` to the object at ``parent_pointer`` ("" for the root;
    an array stands for its items) and return its row. It is titled after its name."""
    if type not in TYPES:
        raise SchemaEditError(choose("type", TYPES), field="type", pointer=parent_pointer)
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise SchemaEditError("Enter the property's name.", field="name", pointer=parent_pointer)
    node, _, pointer = object_at(design, index, root, parent_pointer)
    if not isinstance(node, dict) or "$ref" in node or type_of(node) not in ("object", None):
        what = type_of(node) or "reference that points to nothing"
        message = f"A {what} has no properties: choose an object."
        raise SchemaEditError(message, field="parent", pointer=parent_pointer)
    here = f"{pointer}/{escape_pointer(name)}"
    if any(row.pointer == here for row in walk_rows(design, index, root)):
        message = f"There is already a property named {name!r} here."
        raise SchemaEditError(message, field="name", pointer=parent_pointer)
    if not isinstance(node.get("properties", {}), dict):
        raise SchemaEditError("Its properties are not an object.", field="parent", pointer=here)
    node.setdefault("type", "object")
    added: dict[str, Any] = {"type": type, "x-ms-summary": title_case(name)}
    if type == "array":
        added["items"] = {"type": "string"}
    node.setdefault("properties", {})[name] = added
    return next(row for row in walk_rows(design, index, root) if row.pointer == here)


def schema_remove_property(design: dict[str, Any], index: int, root: str, pointer: str) -> None:
    """Remove the property at ``pointer`` (and its name from its parent's ``required``)."""
    row = _row({r.pointer: r for r in walk_rows(design, index, root)}, pointer)
    callback = _callback(design, index, root)
    if row.callback or (callback and (callback + "/").startswith(pointer + "/")):
        message = (
            f"This property receives the callback URL (at {callback or pointer}): choose "
            "another property for the callback URL before removing it."
        )
        raise SchemaEditError(message, field="pointer", pointer=pointer)
    parent = lookup_pointer(design, row.parent_location)[1]
    del parent["properties"][row.name]
    if not parent["properties"]:
        del parent["properties"]
    _set_required(parent, row.name, False)


def _plan(
    design: dict[str, Any], rows: dict[str, SchemaRow], edit: SchemaEdit, callback: str | None
) -> list[Write]:
    """The writes of one edit, every value checked first (nothing is written here)."""
    row = _row(rows, edit.pointer)
    node = lookup_pointer(design, row.location)[1]
    if not isinstance(node, dict) or "$ref" in node:
        message = f"This property is a $ref to {row.ref}, which points to nothing: fix it first."
        raise SchemaEditError(message, field="pointer", pointer=row.pointer)
    writes = _texts(node, edit)
    kind = _new_type(node, row, edit, writes)
    writes += _format(node, row, edit, kind)
    writes += _visibility(node, row, edit)
    writes += _default(node, row, edit, kind)
    writes += _test_value(node, row, edit, kind)
    if edit.required is not None:
        if not isinstance(edit.required, bool):
            raise SchemaEditError("Required is yes or no.", field="required", pointer=row.pointer)
        on_chain = callback is not None and (callback + "/").startswith(row.pointer + "/")
        if not edit.required and (row.callback or on_chain):
            message = "The callback URL must be required, and so must every object holding it."
            raise SchemaEditError(message, field="required", pointer=row.pointer)
        parent = lookup_pointer(design, row.parent_location)[1]
        writes.append(lambda: _set_required(parent, row.name, bool(edit.required)))
    return writes


def _texts(node: dict[str, Any], edit: SchemaEdit) -> list[Write]:
    writes: list[Write] = []
    for field, key in _TEXTS:
        value = getattr(edit, field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SchemaEditError("Enter text.", field=field, pointer=edit.pointer)
        writes.append(_setter(node, key, value.strip()))
    return writes


def _new_type(
    node: dict[str, Any], row: SchemaRow, edit: SchemaEdit, writes: list[Write]
) -> str | None:
    """The type the property ends with; a change is checked and its writes added."""
    if edit.type is None or edit.type == row.type:
        return row.type
    if edit.type not in TYPES:
        raise SchemaEditError(choose("type", TYPES), field="type", pointer=row.pointer)
    if row.callback and edit.type != "string":
        message = "The callback URL is text: its type stays string."
        raise SchemaEditError(message, field="type", pointer=row.pointer)
    if node.get("properties") or (row.type == "array" and _holds(node.get("items"))):
        # The maker sees what would go and removes it: a type change never drops it unseen.
        message = f"Remove what this {row.type} holds first, then change its type."
        raise SchemaEditError(message, field="type", pointer=row.pointer)
    writes.append(_setter(node, "type", edit.type))
    if edit.type == "array":
        writes.append(_setter(node, "items", {"type": "string"}))
    elif "items" in node:
        writes.append(_setter(node, "items", ""))
    return edit.type


def _holds(items: Any) -> bool:
    """Whether an array's items are more than a scalar type that a type change may drop."""
    if not isinstance(items, dict):
        return False
    return "$ref" in items or bool(items.get("properties")) or "items" in items


def _format(
    node: dict[str, Any], row: SchemaRow, edit: SchemaEdit, kind: str | None
) -> list[Write]:
    value = edit.format
    if value is None:
        kept = node.get("format")  # a type change drops a format the new type cannot have
        stays = kept is None or format_problem(kept, kind) is None
        return [] if stays else [_setter(node, "format", "")]
    if not isinstance(value, str):
        raise SchemaEditError("Enter a format name.", field="format", pointer=row.pointer)
    problem = format_problem(value.strip(), kind) if value.strip() else None
    if problem:
        raise SchemaEditError(problem, field="format", pointer=row.pointer)
    return [_setter(node, "format", value.strip())]


def _visibility(node: dict[str, Any], row: SchemaRow, edit: SchemaEdit) -> list[Write]:
    value = edit.visibility
    if value is None:
        return []
    if value not in ("", *VISIBILITIES):
        message = choose("visibility", VISIBILITIES)
        raise SchemaEditError(message, field="visibility", pointer=row.pointer)
    if row.callback and value != "internal":
        message = "The callback URL stays internal: the platform fills it in, not the user."
        raise SchemaEditError(message, field="visibility", pointer=row.pointer)
    # No x-ms-visibility is what "none" means; writing it would only add noise.
    return [_setter(node, "x-ms-visibility", "" if value == "none" else value)]


def _default(
    node: dict[str, Any], row: SchemaRow, edit: SchemaEdit, kind: str | None
) -> list[Write]:
    raw = edit.default
    if raw is None:
        kept = node.get("default")  # a type change drops a default of the old type
        return [] if kept is None or fits(kept, kind) else [_setter(node, "default", "")]
    if raw == "":
        return [_setter(node, "default", "")]
    items = row.items_type if edit.type in (None, row.type) else "string"
    fmt = edit.format if edit.format is not None else node.get("format")
    try:
        value = read_default(raw, kind, items=items, fmt=fmt)
    except ValueProblem as problem:
        raise SchemaEditError(str(problem), field="default", pointer=row.pointer) from None
    return [_setter(node, "default", value)]


def _test_value(
    node: dict[str, Any], row: SchemaRow, edit: SchemaEdit, kind: str | None
) -> list[Write]:
    """The property's test value (``x-ms-test-value``): never on the callback URL, which the
    platform fills in, nor on a secret; typed like a default."""
    raw = edit.test_value
    if raw is None or raw == "":
        return [] if raw is None else [_setter(node, "x-ms-test-value", "")]
    if row.callback:
        message = "The platform fills in the callback URL: it takes no test value."
        raise SchemaEditError(message, field="test_value", pointer=row.pointer)
    fmt = edit.format if edit.format is not None else node.get("format")
    if fmt == "password":
        message = "A secret takes no test value: everyone who reads the file would see it."
        raise SchemaEditError(message, field="test_value", pointer=row.pointer)
    items = row.items_type if edit.type in (None, row.type) else "string"
    try:
        value = read_default(raw, kind, items=items, fmt=fmt)
    except ValueProblem as problem:
        raise SchemaEditError(str(problem), field="test_value", pointer=row.pointer) from None
    return [_setter(node, "x-ms-test-value", value)]


def _setter(node: dict[str, Any], key: str, value: Any) -> Write:
    """A write of ``node[key]``; the empty text removes the key."""

    def write() -> None:
        if value == "":
            node.pop(key, None)
        else:
            node[key] = value

    return write


def _set_required(parent: dict[str, Any], name: str, on: bool) -> None:
    """``name`` in or out of ``parent``'s ``required``, kept in the order of the properties."""
    listed = parent.get("required")
    names = [n for n in listed if n != name] if isinstance(listed, list) else []
    names += [name] if on else []
    order = list(parent.get("properties") or {})
    ordered = [n for n in order if n in names] + [n for n in names if n not in order]
    if ordered:
        parent["required"] = ordered
    else:
        parent.pop("required", None)


def _row(rows: dict[str, SchemaRow], pointer: str) -> SchemaRow:
    if pointer not in rows:
        raise SchemaEditError("There is no property here.", field="pointer", pointer=pointer)
    return rows[pointer]


def _callback(design: dict[str, Any], index: int, root: str) -> str | None:
    if root != "body":
        return None
    pointer = design["triggers"][index]["request"].get("callbackPointer")
    return pointer if isinstance(pointer, str) else None
