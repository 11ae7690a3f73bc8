"""Batch size and external id in a report, against the fake API on loopback: a run within its
batch passes; an API that ignores the page size, or sends items again, fails with the finding."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.runner.batches import Seen, check_batch_size, check_repeats
from connectors.domain.runner.model import Step
from tests.connectors.domain.runner.runner_fakes import FakeApi, polling_design, webhook_design
from tests.connectors.domain.runner.test_runner_lifecycle import codes, run


def batched_polling(size: int = 1, external_id: str | None = "/id") -> dict[str, Any]:
    design = polling_design()
    trigger = design["triggers"][0]
    trigger["request"]["parameters"].append(
        {"name": "top", "in": "query", "required": False, "type": "integer", "default": size}
    )
    trigger["batchSize"] = size
    trigger["polling"]["pageSizeParameter"] = "top"
    if external_id:
        trigger["externalId"] = external_id
    return design


def batched_webhook() -> dict[str, Any]:
    design = webhook_design()
    trigger = design["triggers"][0]
    trigger["cardinality"] = "batch"
    trigger["notification"]["schema"] = {
        "type": "array",
        "items": trigger["notification"]["schema"],
    }
    trigger["batchSize"] = 10
    trigger["externalId"] = "/orderId"
    return design


def test_polling_within_its_batch_passes_and_asks_for_the_page_size() -> None:
    with FakeApi() as api:
        result, _ = run(api, batched_polling())
    assert result.status == "passed", result.as_dict()
    assert codes(result) == set()
    polls = result.steps[-1]
    assert all("top=1" in exchange.url for exchange in polls.exchanges)
    assert [len(e.json_body()[1]["value"]) for e in polls.exchanges] == [1, 1, 1]


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("ignores_batch_size", {"BatchSizeExceeded"}),
        ("repeats_items", {"DuplicateExternalId"}),
    ],
)
def test_each_polling_batch_fault_gives_its_finding(fault: str, expected: set[str]) -> None:
    with FakeApi(fault) as api:
        result, _ = run(api, batched_polling(size=1 if fault == "ignores_batch_size" else 5))
    assert result.status == "failed"
    assert codes(result, "error") == expected
    finding = next(f for f in result.findings() if f.code in expected)
    assert (
        ("top" in finding.message) if fault == "ignores_batch_size" else ("/id" in finding.message)
    )


def test_without_an_external_id_a_repeat_is_a_duplicate_item() -> None:
    with FakeApi("repeats_items") as api:
        result, _ = run(api, batched_polling(size=5, external_id=None))
    assert codes(result, "error") == {"DuplicateItem"}


def test_an_external_id_the_items_lack_is_a_warning() -> None:
    with FakeApi() as api:
        result, _ = run(api, batched_polling(external_id="/sku"))
    assert codes(result) == {"ExternalIdMissing"}
    assert result.status == "passed"


def test_a_batch_webhook_within_its_size_passes() -> None:
    with FakeApi(batch=True) as api:
        result, _ = run(api, batched_webhook())
    assert result.status == "passed", result.as_dict()
    assert codes(result) == set()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("ignores_batch_size", {"BatchSizeExceeded"}),
        # The same event delivered twice: the ids repeat (the lifecycle counts it as well).
        ("repeats_items", {"DuplicateExternalId"}),
    ],
)
def test_each_webhook_batch_fault_gives_its_finding(fault: str, expected: set[str]) -> None:
    with FakeApi(fault, batch=True) as api:
        result, _ = run(api, batched_webhook())
    notify = next(step for step in result.steps if step.key.endswith(":notify"))
    assert {f.code for f in notify.findings} == expected
    fix = "into notifications of at most" if fault == "ignores_batch_size" else "one notification"
    assert fix in notify.findings[0].message


@pytest.mark.parametrize(
    ("trigger", "count", "found"),
    [
        ({"batchSize": 3}, 3, False),
        ({"batchSize": 3}, 4, True),
        ({}, 400, False),
    ],
)
def test_check_batch_size(trigger: dict[str, Any], count: int, found: bool) -> None:
    step = Step("k", "t")
    check_batch_size({"kind": "polling", **trigger}, step, count, "Poll 1")
    assert [f.code for f in step.findings] == (["BatchSizeExceeded"] if found else [])


def test_check_repeats_counts_new_ids_and_names_where_each_came_first() -> None:
    step = Step("k", "t")
    seen = Seen()
    trigger = {"externalId": "/ref/id"}
    assert (
        check_repeats(trigger, step, [{"ref": {"id": 1}}, {"ref": {"id": 2}}], seen, "poll 1") == 2
    )
    assert (
        check_repeats(trigger, step, [{"ref": {"id": 2}}, {"ref": {"id": 3}}], seen, "poll 2") == 1
    )
    assert [f.code for f in step.findings] == ["DuplicateExternalId"]
    assert "first in poll 1" in step.findings[0].message
