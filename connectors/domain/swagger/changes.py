"""Breaking changes between two exported swaggers: what breaks flows already built on a trigger.

Purpose: the history page flags, between two revisions, the changes that break Power Automate
flows using the connector's triggers: a trigger whose operationId was renamed (flows refer to
it by operationId), a trigger that was removed, a new required parameter (existing flows do not
set it), and a trigger whose path or method changed (flows call the old one).

Input: two Swagger 2.0 documents as plain dicts (the output of ``export_swagger``), old first.
Output: a list of ``BreakingChange`` (kind, operationId, message), in a stable order. Anything
of an unexpected shape is skipped, never raised on: this is a report, not a validator.
``diff_lines`` gives the unified diff of two texts (the ``dump_json`` of two swaggers) as
typed lines, for display.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.documents import lookup_pointer

RENAMED = "renamed-operation-id"
REMOVED = "removed-trigger"
NEW_REQUIRED = "new-required-parameter"
PATH_CHANGED = "changed-path"


@dataclass(frozen=True)
class BreakingChange:
    kind: str
    operation_id: str
    message: str


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "hunk", "header" or "context"
    text: str


def diff_lines(
    old: str, new: str, *, old_name: str = "old", new_name: str = "new", context: int = 3
) -> list[DiffLine]:
    """The unified diff of ``old`` and ``new``; empty when they are the same."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_name, new_name, n=context, lineterm=""
    )
    return [DiffLine(_line_kind(index, line), line) for index, line in enumerate(lines)]


def _line_kind(index: int, line: str) -> str:
    if index < 2:  # the "--- old" / "+++ new" file header
        return "header"
    if line.startswith("@@"):
        return "hunk"
    return {"+": "added", "-": "removed"}.get(line[:1], "context")


@dataclass(frozen=True)
class _Trigger:
    path: str
    method: str
    operation_id: str
    required: frozenset[str]


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[BreakingChange]:
    """The breaking changes from ``old`` to ``new`` (see the module docstring)."""
    before, after = _triggers(old), _triggers(new)
    after_by_id = {t.operation_id: t for t in after if t.operation_id}
    after_by_place = {(t.path, t.method): t for t in after}
    changes: list[BreakingChange] = []
    for trigger in before:
        match = after_by_id.get(trigger.operation_id) if trigger.operation_id else None
        if match is not None:
            changes.extend(_moved(trigger, match))
        else:
            match = after_by_place.get((trigger.path, trigger.method))
            if match is None:
                changes.append(
                    BreakingChange(
                        REMOVED,
                        trigger.operation_id,
                        f"Trigger {_name(trigger)} ({_place(trigger)}) was removed.",
                    )
                )
                continue
            changes.append(
                BreakingChange(
                    RENAMED,
                    trigger.operation_id,
                    f"operationId {_name(trigger)} was renamed to {_name(match)}.",
                )
            )
        changes.extend(_new_required(trigger, match))
    return changes


def _moved(old: _Trigger, new: _Trigger) -> list[BreakingChange]:
    if (old.path, old.method) == (new.path, new.method):
        return []
    return [
        BreakingChange(
            PATH_CHANGED,
            old.operation_id,
            f"Trigger {_name(old)} moved from {_place(old)} to {_place(new)}.",
        )
    ]


def _new_required(old: _Trigger, new: _Trigger) -> list[BreakingChange]:
    return [
        BreakingChange(
            NEW_REQUIRED,
            new.operation_id,
            f"Trigger {_name(new)} has a new required parameter {name}.",
        )
        for name in sorted(new.required - old.required)
    ]


def _name(trigger: _Trigger) -> str:
    return trigger.operation_id or "(no operationId)"


def _place(trigger: _Trigger) -> str:
    return f"{trigger.method.upper()} {trigger.path}"


def _triggers(doc: Any) -> list[_Trigger]:
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return []
    found: list[_Trigger] = []
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        shared: list[Any] = item["parameters"] if isinstance(item.get("parameters"), list) else []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict) or "x-ms-trigger" not in op:
                continue
            own: list[Any] = op["parameters"] if isinstance(op.get("parameters"), list) else []
            operation_id = op.get("operationId")
            found.append(
                _Trigger(
                    path=str(path),
                    method=method,
                    operation_id=operation_id if isinstance(operation_id, str) else "",
                    required=frozenset(_required_names(doc, [*shared, *own])),
                )
            )
    return found


def _required_names(doc: dict[str, Any], parameters: list[Any]) -> set[str]:
    """Required parameters as "in:name", plus the body's required top-level properties."""
    names: set[str] = set()
    for parameter in parameters:
        parameter = _resolve(doc, parameter)
        if not isinstance(parameter, dict):
            continue
        where, name = parameter.get("in"), parameter.get("name")
        if where == "body":
            schema = _resolve(doc, parameter.get("schema"))
            required = schema.get("required") if isinstance(schema, dict) else None
            if isinstance(required, list):
                names.update(f"body:{p}" for p in required if isinstance(p, str))
            if parameter.get("required") is True:
                names.add("body")
        elif parameter.get("required") is True and isinstance(name, str):
            names.add(f"{where}:{name}")
    return names


def _resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow one local ``$ref`` (``#/parameters/x``, ``#/definitions/x``); else the node."""
    if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
        return node
    ref: str = node["$ref"]
    if not ref.startswith("#/"):
        return node
    found, target = lookup_pointer(doc, ref[1:])
    return target if found else None
