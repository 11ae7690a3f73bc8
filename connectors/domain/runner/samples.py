"""A notification a test report received, offered as a notification sample of its trigger.

Purpose: a report's webhook step keeps the payloads its callback URL received (``received`` of
the stored step, scrubbed of the run's secrets by the runner and again by the report's writer).
``received_payload`` finds one of them in the stored steps: the payload always comes from the
report, never from a form. ``sample_preview`` adds it to the samples of the design's trigger
with the same operationId, infers the notification schema again from every sample (as the
trigger page does when its samples change) and says what that changes (``schema.diff``).

Input: a report's stored steps (JSON), a step index and a notification number; a design.
Output: a ``ReceivedPayload``; a ``SamplePreview`` holding the edited copy of the design.
``LookupError``: the report has no such notification (or none usable as a sample).
``SampleTargetError``: the design cannot take it (no such trigger any more, not a webhook,
already a sample, too many samples); its message says so for the maker.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from connectors.domain.authoring.triggers import set_notification_samples
from connectors.domain.documents import DocumentError, load_json_text
from connectors.domain.schema.diff import SchemaChange, schema_diff
from connectors.domain.schema.inference import MAX_SAMPLES, SchemaInferenceError, infer_schema
from connectors.domain.schema.roots import swagger_of

_PREFIX, _SUFFIX = "webhook:", ":notify"  # the key of a webhook's notify step


class SampleTargetError(ValueError):
    """The design cannot take the payload as a sample; the message says why."""


@dataclass(frozen=True)
class ReceivedPayload:
    operation_id: str  # of the trigger the report's step tested
    step_title: str
    number: int  # 1-based, as the step counts its notifications
    received_at: str
    value: Any  # the parsed JSON payload


@dataclass(frozen=True)
class SamplePreview:
    index: int  # of the trigger in the design
    summary: str
    design: dict[str, Any]  # a copy of the design, the sample added and the schema inferred
    changes: list[SchemaChange]
    warnings: list[str] = field(default_factory=list)  # the inference's guesses
    replaces_edits: bool = False  # the current schema is not what its samples infer


def received_payloads(step: Any) -> list[dict[str, Any]]:
    """The kept notifications of a stored step usable as samples (JSON, kept in full)."""
    if not isinstance(step, dict) or not _operation_id(step.get("key")):
        return []
    kept = step.get("received")
    return [
        item
        for item in (kept if isinstance(kept, list) else [])
        if isinstance(item, dict) and item.get("json") is True and isinstance(item.get("body"), str)
    ]


def received_payload(steps: Any, step_index: int, number: int) -> ReceivedPayload:
    """Notification ``number`` of stored step ``step_index``; LookupError when there is none."""
    if not isinstance(steps, list) or not 0 <= step_index < len(steps):
        raise LookupError("The report has no such step.")
    step = steps[step_index]
    found = next((i for i in received_payloads(step) if i.get("number") == number), None)
    if found is None:
        raise LookupError("This step of the report received no such notification.")
    try:  # the app's own loader: bounded nesting, and no NaN a design could not export
        value = load_json_text(found["body"] or "", name="notification")
    except (DocumentError, TypeError):
        raise LookupError("This notification is not JSON a sample can hold.") from None
    return ReceivedPayload(
        operation_id=_operation_id(step["key"]) or "",
        step_title=str(step.get("title") or ""),
        number=number,
        received_at=str(found.get("received_at") or ""),
        value=value,
    )


def _operation_id(key: Any) -> str | None:
    if isinstance(key, str) and key.startswith(_PREFIX) and key.endswith(_SUFFIX):
        return key[len(_PREFIX) : -len(_SUFFIX)] or None
    return None


def sample_preview(design: dict[str, Any], operation_id: str, payload: Any) -> SamplePreview:
    """``payload`` added to the samples of trigger ``operation_id`` and the schema inferred."""
    index, trigger = _webhook(design, operation_id)
    notification = trigger.get("notification") or {}
    samples = list(notification.get("samples") or [])
    name = trigger.get("summary") or operation_id
    if payload in samples:
        raise SampleTargetError(f"This payload is already a notification sample of {name!r}.")
    if len(samples) >= MAX_SAMPLES:
        raise SampleTargetError(
            f"{name!r} already has {len(samples)} notification samples, the most a schema is "
            "inferred from: remove one on the trigger page first."
        )
    edited = copy.deepcopy(design)
    target = edited["triggers"][index]
    try:
        warnings = set_notification_samples(target, [*samples, payload])
    except SchemaInferenceError as error:
        raise SampleTargetError(f"No schema can be inferred with this payload: {error}") from None
    definitions = swagger_of(design).get("definitions") or {}
    old = notification.get("schema") or {}
    return SamplePreview(
        index=index,
        summary=str(name),
        design=edited,
        changes=schema_diff(old, target["notification"]["schema"], definitions),
        warnings=warnings,
        replaces_edits=_edited_by_hand(samples, old),
    )


def _webhook(design: dict[str, Any], operation_id: str) -> tuple[int, dict[str, Any]]:
    for index, trigger in enumerate(design.get("triggers") or []):
        if trigger.get("operationId") != operation_id:
            continue
        if trigger.get("kind") != "webhook":
            raise SampleTargetError(
                f"The trigger {operation_id!r} is now a {trigger.get('kind')} trigger: only a "
                "webhook trigger has notification samples."
            )
        return index, trigger
    raise SampleTargetError(
        f"The draft no longer has a trigger with the operation ID {operation_id!r} (it was "
        "removed or renamed since the report ran), so there is nothing to add the sample to."
    )


def _edited_by_hand(samples: list[Any], schema: Any) -> bool:
    """Whether ``schema`` differs from what ``samples`` infer (it was edited or imported):
    inferring it again replaces what the maker wrote. Without samples, anything more than a
    bare object schema (the placeholder) was written by someone."""
    if not samples:
        bare = schema in ({}, {"type": "object"}, {"type": "array", "items": {"type": "object"}})
        return not bare
    try:
        return bool(infer_schema(samples).schema != schema)
    except SchemaInferenceError:
        return True


def history_message(report_id: int, number: int, preview: SamplePreview) -> str:
    """The revision's message: where the sample came from and what the schema gained."""
    counts = [
        f"{sum(c.kind == kind for c in preview.changes)} {kind}"
        for kind in ("added", "removed", "retyped")
        if any(c.kind == kind for c in preview.changes)
    ]
    effect = f"properties {', '.join(counts)}" if counts else "no property changed"
    summary = " ".join(preview.summary.split())
    summary = summary if len(summary) <= 120 else summary[:119] + "…"
    return (
        f"Added notification {number} of report #{report_id} as a sample of trigger "
        f"'{summary}'; schema inferred again ({effect})"
    )
