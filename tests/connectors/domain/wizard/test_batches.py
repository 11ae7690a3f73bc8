"""The Batches section's edit of a trigger: keys set or taken away, the page size's default,
a webhook with a batch size fires with a list."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.wizard.batches import set_batches


def polling() -> dict[str, Any]:
    trigger = new_polling_trigger(
        summary="When an item is added", path="/items", state_parameter="since"
    )
    trigger["request"]["parameters"].append({"name": "top", "in": "query", "required": False})
    return trigger


@pytest.mark.parametrize(
    ("size", "pointer", "parameter", "keys", "page_size", "top_default"),
    [
        (20, "/id", "top", {"batchSize": 20, "externalId": "/id"}, "top", 20),
        (20, None, None, {"batchSize": 20}, None, None),
        (None, "/id", "top", {"externalId": "/id"}, None, None),  # no size: nothing to ask for
        (None, None, None, {}, None, None),
    ],
)
def test_set_batches_on_a_polling_trigger(
    size: int | None,
    pointer: str | None,
    parameter: str | None,
    keys: dict[str, Any],
    page_size: str | None,
    top_default: int | None,
) -> None:
    trigger = polling()
    trigger.update(batchSize=99, externalId="/old")
    trigger["polling"]["pageSizeParameter"] = "top"
    set_batches(trigger, size=size, pointer=pointer, parameter=parameter)
    assert {k: trigger[k] for k in ("batchSize", "externalId") if k in trigger} == keys
    assert trigger["polling"].get("pageSizeParameter") == page_size
    top = next(p for p in trigger["request"]["parameters"] if p["name"] == "top")
    assert top.get("default") == top_default


@pytest.mark.parametrize(("size", "cardinality"), [(5, "batch"), (None, "single")])
def test_a_webhook_with_a_batch_size_fires_with_a_list(size: int | None, cardinality: str) -> None:
    trigger = new_webhook_trigger(
        summary="When an order is created", path="/hooks", notification_samples=[{"orderId": 7}]
    )
    item = trigger["notification"]["schema"]
    set_batches(trigger, size=size, pointer="/orderId", parameter=None)
    assert trigger["cardinality"] == cardinality
    assert trigger["externalId"] == "/orderId"
    # A batch notification is an array of the items (lint: BatchTriggerSchemaNotArray).
    wrapped = {"type": "array", "items": item}
    assert trigger["notification"]["schema"] == (wrapped if size else item)
    set_batches(trigger, size=size, pointer="/orderId", parameter=None)
    assert trigger["notification"]["schema"] == (wrapped if size else item)  # not wrapped twice
