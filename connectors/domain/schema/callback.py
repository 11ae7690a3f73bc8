"""Choose the body property that receives the callback URL, through ``$ref``s too.

Purpose: the callback picker of the schema editor offers ``schema.tree.callback_candidates``,
which include properties that live in a shared definition (Pushcut's ``Subscription.url``).
``authoring.set_callback`` marks only an inline body and refuses a pointer through a ``$ref``
(the export leaves definitions as they are); this marks the property where it lives, as an edit
of the schema editor does: ``x-ms-notification-url``, ``type: string``, internal, and required
along its whole chain (every object on the way lists the next name), which is what the
platform's validator demands (NotificationUrlNotInternal / NotRequired / NotString). The
property chosen before loses its flag (and the internal visibility the flag had put on it).

Input: a design, a trigger index and the payload pointer of a candidate. Output: the design,
changed in place; ``SchemaEditError`` (field "pointer") for a pointer that is no candidate.
"""

from __future__ import annotations

from typing import Any

from connectors.domain.documents import lookup_pointer
from connectors.domain.schema.tree import SchemaEditError, SchemaRow, callback_candidates, walk_rows

_TEXTS = {
    "x-ms-summary": "Callback URL",
    "description": "The URL the service calls when the event happens; the platform fills it in.",
}


def schema_set_callback(design: dict[str, Any], index: int, pointer: str) -> None:
    """Make the body property at ``pointer`` the trigger's callback URL (see the docstring)."""
    if pointer not in {c.pointer for c in callback_candidates(design, index)}:
        message = "Choose a text property of the body, outside any list, for the callback URL."
        raise SchemaEditError(message, field="pointer", pointer=pointer)
    rows = {row.pointer: row for row in walk_rows(design, index, "body")}
    request = design["triggers"][index]["request"]
    previous = request.get("callbackPointer")
    if previous in rows and previous != pointer:
        _unmark(_node(design, rows[previous]))
    for row in _chain(rows, pointer):
        parent = _node(design, row, parent=True)
        listed = parent.get("required")
        if not isinstance(listed, list):
            listed = parent["required"] = []
        if row.name not in listed:
            listed.append(row.name)
    leaf = _node(design, rows[pointer])
    leaf.update({"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"})
    for key, text in _TEXTS.items():
        leaf.setdefault(key, text)
    if isinstance(request.get("body"), dict) and "ref" not in request["body"]:
        request["body"]["required"] = True
    request["callbackPointer"] = pointer


def _chain(rows: dict[str, SchemaRow], pointer: str) -> list[SchemaRow]:
    """The rows from the root's property down to ``pointer`` (candidates are outside arrays,
    so each ancestor pointer is a row)."""
    tokens = pointer.split("/")[1:]
    return [rows["/" + "/".join(tokens[: n + 1])] for n in range(len(tokens))]


def _node(design: dict[str, Any], row: SchemaRow, *, parent: bool = False) -> dict[str, Any]:
    node = lookup_pointer(design, row.parent_location if parent else row.location)[1]
    assert isinstance(node, dict)  # rows point at schema objects
    return node


def _unmark(node: dict[str, Any]) -> None:
    # A hidden required field nobody fills would block flows: show the old one again.
    if node.pop("x-ms-notification-url", None) and node.get("x-ms-visibility") == "internal":
        node.pop("x-ms-visibility")
