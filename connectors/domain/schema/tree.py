"""The schema editor's view of a webhook trigger: one flat row per property, refs resolved.

Purpose: one editor serves both schemas of a webhook trigger, the registration body (``root``
"body": the trigger's request body schema, or the schema of the shared body parameter it refers
to) and the notification (``root`` "notification"). Properties that come through a ``$ref`` to
``#/definitions/...`` (kept verbatim in ``passthrough.swagger.definitions``) are listed like
the others, with where their schema really lives, so that an edit lands in the definition and
the editor can say which other operations share it. Where the roots are and how refs resolve:
``schema.roots``; who shares a definition: ``schema.usage``; the edits: ``schema.edit``.

Pointers: ``SchemaRow.pointer`` is an RFC 6901 pointer into the *payload*, as the design's
``callbackPointer`` is ("/config/url"). The items of an array are written as its first item,
"/events/0/name": a pointer that resolves in a sample payload, and never ambiguous, since the
schema says whether a "0" is an item or a property named "0". ``SchemaRow.location`` is a
pointer into the *design* ("/triggers/0/request/body/schema/properties/name",
"/passthrough/swagger/definitions/Subscription/properties/url").

Input: a design, a trigger index and a root. Output: ``schema_rows`` (``SchemaRow`` list, depth
first, in document order, at most ``MAX_ROWS``) and ``callback_candidates``. A ``$ref`` cycle or
nesting deeper than ``MAX_DEPTH`` ends the walk at that row (``recursive``); nothing recurses
past them. Errors are ``SchemaEditError`` (the one error of the schema editor, edits included:
``schema.edit``), naming the field and the pointer they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from connectors.domain.documents import escape_pointer, lookup_pointer
from connectors.domain.refs import is_flag
from connectors.domain.schema.roots import ROOTS, SchemaEditError, resolve, schema_root, swagger_of
from connectors.domain.schema.usage import SchemaUsage, piece_name, shared_piece

MAX_DEPTH = 32  # nested properties (and array items) before the walk stops
MAX_ROWS = 2000  # definitions used twice at every level would list 2**depth rows
_MAX_MEMBERS = 32  # allOf schemas combined into one object

__all__ = [
    "MAX_DEPTH",
    "MAX_ROWS",
    "ROOTS",
    "CallbackCandidate",
    "SchemaEditError",
    "SchemaRow",
    "callback_candidates",
    "object_at",
    "schema_rows",
    "type_of",
    "walk_rows",
]


@dataclass(frozen=True)
class SchemaRow:
    pointer: str  # into the payload ("/config/url", "/events/0/name")
    location: str  # into the design: where this property's schema node lives
    parent_location: str  # the object schema whose ``properties`` and ``required`` hold it
    name: str
    depth: int  # 0 for the root's own properties
    type: str | None
    format: str | None
    title: str | None  # x-ms-summary
    description: str | None
    required: bool  # listed in the parent object's ``required``
    visibility: str  # x-ms-visibility; "none" when absent
    default: Any  # None when there is none
    definition: str | None  # the definition the node lives in, if it lives in one
    shared_with: tuple[str, ...] = ()  # other users of the shared piece it lives in
    ref: str | None = None  # the $ref the property's schema came through
    recursive: bool = False  # the walk stopped here: a $ref cycle, or too deep
    items_type: str | None = None  # an array's item type
    in_array: bool = False  # under the items of an array (not a callback candidate)
    callback: bool = False  # receives the callback URL
    test_value: Any = None  # x-ms-test-value: what a test run sends; None when there is none


@dataclass(frozen=True)
class CallbackCandidate:
    pointer: str
    name: str
    depth: int
    location: str
    definition: str | None


def schema_rows(design: dict[str, Any], index: int, root: str) -> list[SchemaRow]:
    """Every property of the ``root`` schema of trigger ``index`` (see the module docstring)."""
    rows = walk_rows(design, index, root)
    usage: SchemaUsage | None = None
    holder = ("trigger", index, "request" if root == "body" else "notification")
    shared: list[SchemaRow] = []
    for row in rows:
        piece = shared_piece(row.location)
        if piece is not None:
            usage = usage or SchemaUsage(design)
            row = replace(row, shared_with=usage.users_of(piece, besides=holder))
        shared.append(row)
    return shared


def callback_candidates(design: dict[str, Any], index: int) -> list[CallbackCandidate]:
    """The body properties that can receive the callback URL: strings (or untyped ones, which
    the export makes strings), refs resolved, none inside an array."""
    return [
        CallbackCandidate(row.pointer, row.name, row.depth, row.location, row.definition)
        for row in walk_rows(design, index, "body")
        if not row.in_array and (row.type == "string" or (row.type is None and row.ref is None))
    ]


def walk_rows(design: dict[str, Any], index: int, root: str) -> list[SchemaRow]:
    """``schema_rows`` without ``shared_with`` (the edits need only where things live)."""
    found = schema_root(design, index, root)
    if found is None or not isinstance(found.node, dict):
        return []
    walk = _Walk(swagger_of(design), found.callback)
    walk.children(found.node, _At(found.location, "", 0, found.refs))
    return walk.rows


def object_at(design: dict[str, Any], index: int, root: str, pointer: str) -> tuple[Any, str, str]:
    """The schema whose properties a property added under row ``pointer`` ("" for the root)
    joins, with its design location and payload pointer: an array's items (nested ones too)
    stand for the array. ``SchemaEditError`` (field "parent") when there is no such row."""
    if pointer == "":
        found = schema_root(design, index, root)
        if found is None or not isinstance(found.node, dict):
            what = "request body" if root == "body" else "notification schema"
            raise SchemaEditError(f"This trigger has no {what} to add to.", field="root")
        node, at = found.node, _At(found.location, "", 0, found.refs)
    else:
        row = next((r for r in walk_rows(design, index, root) if r.pointer == pointer), None)
        if row is None:
            raise SchemaEditError("There is no property here.", field="parent", pointer=pointer)
        node = lookup_pointer(design, row.location)[1]
        at = _At(row.location, row.pointer, row.depth + 1, ())
    node, at, _ = _Walk(swagger_of(design), None).items(node, at)
    return node, at.location, at.pointer


def type_of(node: Any) -> str | None:
    """The schema's type; an untyped schema with properties is an object, with items a list."""
    if not isinstance(node, dict):
        return None
    if isinstance(node.get("type"), str):
        return str(node["type"])
    if "properties" in node:
        return "object"
    return "array" if "items" in node else None


@dataclass(frozen=True)
class _At:
    """Where the walk is: the node's design location, payload pointer and nesting."""

    location: str
    pointer: str
    depth: int
    chain: tuple[str, ...]  # the refs followed from the root down to here
    in_array: bool = False


class _Walk:
    """One depth-first pass over a root schema, collecting rows."""

    def __init__(self, swagger: Any, callback: str | None) -> None:
        self.design = {"passthrough": {"swagger": swagger}}  # what ``resolve`` reads
        self.callback = callback
        self.rows: list[SchemaRow] = []

    def children(self, node: Any, at: _At) -> None:
        """The rows of the properties under ``node`` (through array items and allOf)."""
        node, at, looped = self.items(node, at)
        if looped or not isinstance(node, dict) or at.depth > MAX_DEPTH:
            return
        for member, member_at in self.members(node, at):
            properties = member.get("properties")
            listed = member.get("required")
            required: list[Any] = listed if isinstance(listed, list) else []
            for name, child in properties.items() if isinstance(properties, dict) else ():
                if len(self.rows) >= MAX_ROWS:
                    return
                self.property(str(name), child, member_at, name in required)

    def property(self, name: str, raw: Any, parent: _At, required: bool) -> None:
        token = escape_pointer(name)
        found = resolve(self.design, raw, f"{parent.location}/properties/{token}")
        chain = parent.chain + found.refs
        at = replace(parent, location=found.location, pointer=f"{parent.pointer}/{token}")
        at = replace(at, chain=chain)
        stop = found.status == "loop" or len(set(chain)) < len(chain) or at.depth >= MAX_DEPTH
        stop = stop or (found.status == "ok" and self.items(found.node, at)[2])
        node = found.node if isinstance(found.node, dict) else {}
        self.rows.append(
            SchemaRow(
                pointer=at.pointer,
                location=found.location,
                parent_location=parent.location,
                name=name,
                depth=at.depth,
                type=type_of(node),
                format=_text(node.get("format")),
                title=_text(node.get("x-ms-summary")),
                description=_text(node.get("description")),
                required=required,
                visibility=_text(node.get("x-ms-visibility")) or "none",
                default=node.get("default"),
                definition=_definition(found.location),
                ref=found.refs[0] if found.refs else None,
                recursive=stop,
                items_type=type_of(self.items_of(node)),
                in_array=at.in_array,
                callback=at.pointer == self.callback or is_flag(node.get("x-ms-notification-url")),
                test_value=node.get("x-ms-test-value"),
            )
        )
        if not stop and found.status == "ok":
            self.children(found.node, replace(at, depth=at.depth + 1))

    def items(self, node: Any, at: _At) -> tuple[Any, _At, bool]:
        """Down through (nested) array items to what they hold: (node, where, looped)."""
        for _ in range(MAX_DEPTH):
            if type_of(node) != "array" or not isinstance(node.get("items"), dict):
                return node, at, False
            found = resolve(self.design, node["items"], f"{at.location}/items")
            chain = at.chain + found.refs
            if found.status == "loop" or len(set(chain)) < len(chain):
                return None, at, True
            node = found.node
            at = _At(found.location, f"{at.pointer}/0", at.depth, chain, in_array=True)
        return None, at, True  # arrays of arrays of ... past any sensible depth

    def items_of(self, node: dict[str, Any]) -> Any:
        if type_of(node) != "array":
            return None
        return resolve(self.design, node.get("items"), "").node

    def members(self, node: dict[str, Any], at: _At) -> list[tuple[dict[str, Any], _At]]:
        """``node`` and the schemas its ``allOf`` combines (refs resolved), each with where it
        lives: their properties all describe the same object."""
        found: list[tuple[dict[str, Any], _At]] = [(node, at)]
        todo = [(node, at)]
        while todo and len(found) < _MAX_MEMBERS:
            current, where = todo.pop(0)
            parts = current.get("allOf")
            for number, part in enumerate(parts if isinstance(parts, list) else []):
                target = resolve(self.design, part, f"{where.location}/allOf/{number}")
                chain = where.chain + target.refs
                fine = target.status == "ok" and len(set(chain)) == len(chain)
                if fine and isinstance(target.node, dict):
                    member = (target.node, replace(where, location=target.location, chain=chain))
                    found.append(member)
                    todo.append(member)
        return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _definition(location: str) -> str | None:
    piece = shared_piece(location)
    return piece_name(piece) if piece and piece.startswith("#/definitions/") else None
