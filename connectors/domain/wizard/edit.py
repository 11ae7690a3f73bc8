"""Small, pure edits and views of a design that the wizard's forms need.

Purpose: the pieces between a submitted form and the design that are not Django (the schema
editor's are in ``schema.tree`` and ``schema.edit``): path parameters kept in step with a path
template, duplicating and moving triggers, the field-by-field difference of two designs (the
conflict page) and where in the wizard a design pointer (``Finding.field``) is edited.

Input: designs, triggers and JSON schemas as plain dicts. Output: plain data; edits change the
given dict in place, as ``authoring``'s ``set_*`` functions do.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

# The callback guess lives with the builders (``authoring`` guesses a callback URL too); the
# wizard's forms import it from here.
from connectors.domain.authoring.shapes import guess_callback_pointer as guess_callback_pointer
from connectors.domain.authoring.shapes import path_parameters_from_template
from connectors.domain.documents import escape_pointer


def sync_path_parameters(parameters: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    """``parameters`` with one path parameter per ``{name}`` of ``path`` (kept ones unchanged)."""
    wanted = path_parameters_from_template(path)
    names = {p["name"] for p in wanted}
    kept = {p["name"]: p for p in parameters if p.get("in") == "path" and p["name"] in names}
    others = [p for p in parameters if p.get("in") != "path" or "ref" in p]
    return [kept.get(p["name"], p) for p in wanted] + others


def taken_operation_ids(
    triggers: list[dict[str, Any]], *, besides: dict[str, Any] | None = None
) -> set[str]:
    """The operation IDs the triggers and their DELETE actions use (empty ones left out),
    but for the ID of trigger ``besides`` itself (its DELETE action's stays taken)."""
    taken = {t.get("operationId") for t in triggers if t is not besides}
    taken |= {(t.get("deleteAction") or {}).get("operationId") for t in triggers}
    return {operation_id for operation_id in taken if operation_id}


def unique_operation_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}{number}", number + 1
    return candidate


def duplicate_trigger(design: dict[str, Any], index: int) -> None:
    """Insert a copy of trigger ``index`` after it, with unique operation IDs, in place."""
    taken = taken_operation_ids(design["triggers"])
    copied = copy.deepcopy(design["triggers"][index])
    copied["operationId"] = unique_operation_id(copied["operationId"] or "Trigger", taken)
    copied["summary"] = f"{copied['summary']} (copy)"
    design["triggers"].insert(index + 1, copied)


def move_trigger(design: dict[str, Any], index: int, offset: int) -> None:
    triggers = design["triggers"]
    target = index + offset
    if 0 <= target < len(triggers):
        triggers[index], triggers[target] = triggers[target], triggers[index]


def set_retry_interval(trigger: dict[str, Any], seconds: int) -> None:
    """Keep the Retry-After defaults (where the importer reads it back) in step."""
    trigger["polling"]["retryInterval"] = seconds
    for answer in (trigger.get("responses") or {}).values():
        header = ((answer or {}).get("headers") or {}).get("Retry-After")
        if isinstance(header, dict):
            header["default"] = seconds


def flatten(value: Any, pointer: str = "") -> dict[str, Any]:
    """Pointer -> leaf value (empty dicts and lists count as leaves)."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{pointer}/{escape_pointer(str(key))}"))
        return out
    if isinstance(value, list) and value:
        out = {}
        for number, item in enumerate(value):
            out.update(flatten(item, f"{pointer}/{number}"))
        return out
    return {pointer or "/": value}


_MISSING = object()


@dataclass(frozen=True)
class Change:
    pointer: str
    before: Any
    after: Any

    @property
    def added(self) -> bool:
        return self.before is _MISSING

    @property
    def removed(self) -> bool:
        return self.after is _MISSING


def design_changes(before: Any, after: Any, *, limit: int = 200) -> list[Change]:
    """Leaf-by-leaf differences, in ``after``'s order then removed leaves; at most ``limit``."""
    old, new = flatten(before), flatten(after)
    changes = [
        Change(pointer, old.get(pointer, _MISSING), value)
        for pointer, value in new.items()
        if old.get(pointer, _MISSING) != value
    ]
    changes += [
        Change(pointer, value, _MISSING) for pointer, value in old.items() if pointer not in new
    ]
    return changes[:limit]


def is_missing(value: Any) -> bool:
    return value is _MISSING


_GENERAL_KEYS = {
    "summary",
    "description",
    "operationId",
    "visibility",
    "triggerHint",
    "cardinality",
    "kind",
}


def field_location(pointer: str | None) -> tuple[str, int | None, str]:
    """Where the wizard edits a design field: (step, trigger index or None, element id)."""
    tokens = (pointer or "").split("/")[1:]
    if not tokens:
        return "review", None, "swagger"
    head = tokens[0]
    if head in ("general", "security"):
        name = tokens[1] if len(tokens) > 1 else ""
        if name == "metadata" and len(tokens) > 2:
            name = tokens[2]
        elif head == "security" and len(tokens) > 2:
            name = f"{name}_{tokens[2]}"  # /security/apiKey/name -> the apiKey_name field
        return head, None, f"id_{name}" if name else head
    if head != "triggers" or len(tokens) < 2 or not tokens[1].isdigit():
        return "review", None, "swagger"
    index, rest = int(tokens[1]), tokens[2:]
    return "definition", index, _trigger_anchor(rest)


def _trigger_anchor(rest: list[str]) -> str:
    if not rest or rest[0] in _GENERAL_KEYS:
        return f"id_general-{rest[0]}" if rest else "general"
    if rest[:2] == ["request", "callbackPointer"]:
        return "callback"
    if rest[:2] == ["request", "parameters"] and len(rest) > 2 and rest[2].isdigit():
        if rest[3:4] == ["extras"] and rest[4:5] in (
            ["x-ms-dynamic-values"],
            ["x-ms-dynamic-list"],
        ):
            return f"dynamic-{rest[2]}"  # the parameter's Values, under its row
        field = rest[3] if len(rest) > 3 else "summary"
        return f"id_params-{rest[2]}-{field}"
    section = {"request": "request", "responses": "request", "notification": "notification"}
    return {"deleteAction": "delete", "polling": "polling"}.get(
        rest[0], section.get(rest[0], "general")
    )
