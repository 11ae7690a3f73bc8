"""The batch checks a polling or webhook step makes when the trigger names a batch size or an
external id (what a Wevo-style flow author sets: how many records one run receives, and the
field that identifies a record).

Purpose: one answer (a poll's items, one notification's array) must hold at most ``batchSize``
items; no external id may come twice across the polls of a run, or across the notifications of
one event. ``Seen`` remembers the ids already delivered and where.

Input: a design trigger, a ``Step`` to add findings to, the items of one answer.
Output: findings on the step (``BatchSizeExceeded``, ``DuplicateExternalId``,
``ExternalIdMissing``), each added once per step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from connectors.domain.documents import lookup_pointer
from connectors.domain.runner.model import Step


@dataclass
class Seen:
    """External ids already delivered: id (as JSON) -> where ("poll 2", "notification 1")."""

    where: dict[str, str] = field(default_factory=dict)


def check_batch_size(trigger: dict[str, Any], step: Step, count: int, what: str) -> None:
    """``what`` ("Poll 2", "Notification 1") delivered ``count`` items in one run."""
    size = trigger.get("batchSize")
    if not size or count <= size:
        return
    parameter = (trigger.get("polling") or {}).get("pageSizeParameter")
    if trigger.get("kind") == "polling":
        fix = (
            f"Honour the {parameter!r} query parameter (it asks for {size})"
            if parameter
            else "Return at most that many items per answer and the rest on the next poll"
        )
    else:
        fix = "Split the event's records into notifications of at most that many items"
    add_once(
        step,
        "BatchSizeExceeded",
        f"{what} delivered {count} items; the trigger's batch size is {size}, so one run "
        f"receives at most {size}. {fix}.",
    )


def external_key(trigger: dict[str, Any], step: Step, item: Any) -> str | None:
    """The item's external id as JSON, or None when the trigger names none (or the item has
    none: a warning)."""
    pointer = trigger.get("externalId")
    if not pointer:
        return None
    found, value = lookup_pointer(item, pointer)
    if not found or value is None or isinstance(value, dict | list):
        add_once(
            step,
            "ExternalIdMissing",
            f"An item has no text or number at the external id {pointer}, so duplicates "
            "cannot be told apart: send it in every item, or point the external id at the "
            "property that identifies an item.",
            "warning",
        )
        return None
    return json.dumps(value)


def check_repeats(
    trigger: dict[str, Any], step: Step, items: list[Any], seen: Seen, where: str
) -> int:
    """Remember the external ids of ``items`` delivered at ``where``; a repeat is a finding.
    Returns how many items are new (an item without an id cannot be told apart: it is new)."""
    new = 0
    for item in items:
        key = external_key(trigger, step, item)
        if key is None:
            new += 1
            continue
        if key in seen.where:
            fix = (
                "move the state in Location past the items already sent"
                if trigger.get("kind") == "polling"
                else "send each record in one notification only"
            )
            add_once(
                step,
                "DuplicateExternalId",
                f"The item with {trigger.get('externalId')} = {key} came again ({where}; first "
                f"in {seen.where[key]}): flows would run twice for it. Deliver each record "
                f"once: {fix}.",
            )
        else:
            seen.where[key] = where
            new += 1
    return new


def check_notification_batches(trigger: dict[str, Any], step: Step, payloads: list[Any]) -> None:
    """The JSON notifications of one event: each array within the batch size, no external id
    twice across them."""
    seen = Seen()
    for number, payload in enumerate(payloads, 1):
        items = payload if isinstance(payload, list) else [payload]
        check_batch_size(trigger, step, len(items), f"Notification {number}")
        check_repeats(trigger, step, items, seen, f"notification {number}")


def add_once(step: Step, code: str, message: str, severity: str = "error") -> None:
    if all(finding.code != code for finding in step.findings):
        step.add(code, severity, message)
