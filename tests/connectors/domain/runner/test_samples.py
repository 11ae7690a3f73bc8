"""A received notification offered as a sample: found in the stored steps, previewed on a design."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design
from connectors.domain.runner.samples import (
    SampleTargetError,
    history_message,
    received_payload,
    received_payloads,
    sample_preview,
)
from connectors.domain.schema.inference import MAX_SAMPLES


def kept(number: int, body: str | None, *, is_json: bool = True) -> dict[str, Any]:
    return {
        "number": number,
        "received_at": "2026-01-01T00:00:00+00:00",
        "bytes": 1,
        "json": is_json,
        "body": body,
    }


STEPS: list[dict[str, Any]] = [
    {"key": "static:check", "title": "Check", "received": [kept(1, "{}")]},
    {
        "key": "webhook:OrderCreated:notify",
        "title": "Receive a notification",
        "received": [
            kept(1, '{"id": 1, "channel": "web"}'),
            kept(2, "id=1", is_json=False),
            kept(3, None),
        ],
    },
    {"key": "webhook:OrderCreated:register", "title": "Register", "received": []},
]


def test_a_payload_is_found_by_step_and_number() -> None:
    found = received_payload(STEPS, 1, 1)
    assert (found.operation_id, found.number, found.value) == (
        "OrderCreated",
        1,
        {"id": 1, "channel": "web"},
    )
    assert found.step_title == "Receive a notification"


@pytest.mark.parametrize(
    ("steps", "index", "number"),
    [
        (STEPS, 1, 2),  # not JSON
        (STEPS, 1, 3),  # too large to be kept
        (STEPS, 1, 9),  # no such notification
        (STEPS, 0, 1),  # not a webhook's notify step
        (STEPS, 2, 1),  # a step that received nothing
        (STEPS, 7, 1),  # no such step
        (STEPS, -1, 1),
        ("not steps", 0, 1),
        ([{"key": "webhook:X:notify", "received": [kept(1, "{broken")]}], 0, 1),
        ([{"key": "webhook:X:notify", "received": [kept(1, "[" * 5000 + "]" * 5000)]}], 0, 1),
        ([{"key": "webhook:X:notify", "received": [kept(1, '{"a": NaN}')]}], 0, 1),
        ([{"key": "webhook::notify", "received": [kept(1, "{}")]}], 0, 1),
    ],
)
def test_anything_else_is_no_payload(steps: Any, index: int, number: int) -> None:
    with pytest.raises(LookupError):
        received_payload(steps, index, number)


def test_only_usable_payloads_are_offered() -> None:
    assert [item["number"] for item in received_payloads(STEPS[1])] == [1]
    assert received_payloads(STEPS[0]) == [] and received_payloads("x") == []


def design(samples: list[Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    doc = new_design("Orders")
    doc["triggers"].append(
        new_webhook_trigger(
            summary="When an order is created",
            operation_id="OrderCreated",
            path="/hooks",
            notification_samples=[{"id": 1}] if samples is None else samples,
            **kwargs,
        )
    )
    return doc


def test_the_preview_adds_the_sample_and_says_what_the_schema_gains() -> None:
    before = design()
    kept_before = copy.deepcopy(before)
    preview = sample_preview(before, "OrderCreated", {"id": 2, "channel": "web"})
    assert before == kept_before  # the preview edits a copy
    notification = preview.design["triggers"][0]["notification"]
    assert notification["samples"] == [{"id": 1}, {"id": 2, "channel": "web"}]
    assert "channel" in notification["schema"]["properties"]
    assert [(c.kind, c.pointer, c.after) for c in preview.changes] == [
        ("added", "/channel", "string")
    ]
    assert (preview.index, preview.summary, preview.replaces_edits) == (
        0,
        "When an order is created",
        False,
    )


def test_a_retyped_property_is_named_with_both_types() -> None:
    preview = sample_preview(design(), "OrderCreated", {"id": "A-1"})
    assert [(c.kind, c.path, c.before, c.after) for c in preview.changes] == [
        ("retyped", "id", "integer (int32)", "string")
    ]


def test_a_schema_edited_by_hand_is_said_to_be_replaced() -> None:
    edited = design()
    edited["triggers"][0]["notification"]["schema"]["properties"]["id"]["description"] = "Mine"
    assert sample_preview(edited, "OrderCreated", {"id": 2}).replaces_edits is True
    imported = design(samples=[])
    imported["triggers"][0]["notification"]["schema"] = {"type": "object", "properties": {}}
    assert sample_preview(imported, "OrderCreated", {"id": 2}).replaces_edits is True
    assert sample_preview(design(samples=[]), "OrderCreated", {"id": 2}).replaces_edits is False


def with_polling() -> dict[str, Any]:
    doc = new_design("Orders")
    doc["triggers"].append(
        new_polling_trigger(
            summary="Updated",
            operation_id="OrderCreated",
            path="/items",
            state_parameter="since",
            item_samples=[{"id": 1}],
        )
    )
    return doc


@pytest.mark.parametrize(
    ("doc", "operation_id", "payload", "says"),
    [
        (design(), "Gone", {"id": 2}, "no longer has a trigger with the operation ID 'Gone'"),
        (with_polling(), "OrderCreated", {"id": 2}, "is now a polling trigger"),
        (design(), "OrderCreated", {"id": 1}, "already a notification sample"),
        (
            design(samples=[{"n": n} for n in range(MAX_SAMPLES)]),
            "OrderCreated",
            {"id": 2},
            f"already has {MAX_SAMPLES} notification samples",
        ),
        (design(), "OrderCreated", json.loads("[" * 40 + "]" * 40), "No schema can be inferred"),
    ],
)
def test_a_design_that_cannot_take_the_sample_says_why(
    doc: dict[str, Any], operation_id: str, payload: Any, says: str
) -> None:
    with pytest.raises(SampleTargetError, match=says):
        sample_preview(doc, operation_id, payload)


@pytest.mark.parametrize(
    ("payload", "effect"),
    [
        ({"id": 2, "channel": "web", "at": "x"}, "properties 2 added"),
        ({"id": "A", "channel": "web"}, "properties 1 added, 1 retyped"),
        ({"id": 3}, "no property changed"),
    ],
)
def test_the_history_message_says_where_from_and_what_changed(payload: Any, effect: str) -> None:
    preview = sample_preview(design(), "OrderCreated", payload)
    assert history_message(12, 2, preview) == (
        "Added notification 2 of report #12 as a sample of trigger 'When an order is created'; "
        f"schema inferred again ({effect})"
    )
