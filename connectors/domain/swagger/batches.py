"""Batches of a trigger: a batch size and an external id, as Power Platform can carry them.

Purpose: a flow author on an event platform such as Wevo sets how many records one run receives
(the batch size) and which field identifies a record (the external id). Swagger has no key for
either, so the export writes what Power Platform does have (the page-size query parameter's
default; ``x-ms-trigger: batch`` for a webhook, written from the trigger's cardinality) and one
last paragraph of the operation's description that says the rest; the import reads that
paragraph back, so importing our own export gives back the same design.

Input: a design trigger (``batchSize``, ``externalId``, ``polling.pageSizeParameter``), or an
operation's description text; for the pointer check, the trigger and the exported swagger.
Output: the description to export, ``(description, facts)`` on import, the item schema and the
reason an external id does not point into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from connectors.domain.refs import Resolver

_SIZE = re.compile(
    r"Each run receives at most (?P<size>[1-9][0-9]{0,8}) items?"
    r"(?: \(page size: query parameter (?P<parameter>[^()\s]+)\))?\."
)
_ID = re.compile(r"Items are identified by (?P<pointer>/.*)\.")
_PARAGRAPH = re.compile(
    rf"(?:^|\n\n)(?P<text>(?:{_SIZE.pattern})?(?: ?{_ID.pattern})?)\Z",
)


@dataclass(frozen=True)
class BatchFacts:
    """What a description's batches paragraph says (None: not said)."""

    size: int | None = None
    parameter: str | None = None
    pointer: str | None = None


def batches_paragraph(trigger: dict[str, Any]) -> str:
    """The sentence(s) that document the trigger's batches ("" when it has none)."""
    size, pointer = trigger.get("batchSize"), trigger.get("externalId")
    parameter = (trigger.get("polling") or {}).get("pageSizeParameter")
    parts = []
    if size:
        where = f" (page size: query parameter {parameter})" if parameter else ""
        parts.append(f"Each run receives at most {size} item{'s' if size != 1 else ''}{where}.")
    if pointer:
        parts.append(f"Items are identified by {pointer}.")
    return " ".join(parts)


def describe(trigger: dict[str, Any]) -> str:
    """The trigger's description with its batches paragraph last."""
    paragraph = batches_paragraph(trigger)
    description = str(trigger.get("description") or "")
    if not paragraph:
        return description
    return f"{description}\n\n{paragraph}" if description else paragraph


def read_batches(description: str) -> tuple[str, BatchFacts]:
    """Take the batches paragraph off the end of ``description``: (the rest, what it said)."""
    found = _PARAGRAPH.search(description)
    if found is None or not found["text"]:
        return description, BatchFacts()
    size = found["size"]
    facts = BatchFacts(
        size=int(size) if size else None,
        parameter=found["parameter"],
        pointer=found["pointer"],
    )
    return description[: found.start()], facts


def item_schema(trigger: dict[str, Any], swagger: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of one item: a polling answer's collection item (or the array's item, or the
    answer itself), a webhook notification's array item (or the notification)."""
    if trigger.get("kind") == "polling":
        collection = (trigger.get("polling") or {}).get("valueCollection")
        response = (trigger.get("responses") or {}).get("200") or {}
        schema = _resolved(response.get("schema") if isinstance(response, dict) else None, swagger)
        if collection and schema is not None:
            schema = _resolved((schema.get("properties") or {}).get(collection), swagger)
    else:
        schema = _resolved((trigger.get("notification") or {}).get("schema"), swagger)
    if schema is not None and schema.get("type") == "array":
        schema = _resolved(schema.get("items"), swagger)
    return schema


def pointer_problem(pointer: str, schema: dict[str, Any] | None, swagger: dict[str, Any]) -> str:
    """Why ``pointer`` does not lead to a property of the item ``schema`` ("" when it does; a
    schema that declares no properties at that depth cannot say, so it is accepted)."""
    if not pointer.startswith("/") or pointer == "/":
        return "an external id is a JSON pointer to one property of an item, such as /id"
    node = schema
    walked = ""
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        properties = (node or {}).get("properties")
        if not isinstance(properties, dict) or not properties:
            return ""
        if token not in properties:
            names = ", ".join(sorted(properties)[:8])
            return f"{walked or 'an item'} has no property {token!r} (it has {names})"
        walked += "/" + token
        node = _resolved(properties[token], swagger)
    if node is not None and node.get("type") in ("object", "array"):
        return f"{walked} is an {node['type']}; point at a text or number that identifies an item"
    return ""


def _resolved(node: Any, swagger: dict[str, Any]) -> dict[str, Any] | None:
    target, _ = Resolver(swagger).resolve(node, "")
    return target if isinstance(target, dict) else None
