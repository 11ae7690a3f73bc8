"""Batches end to end: a polling trigger and a batch webhook with a batch size and an external
id pass against the simulator, and fail with the right finding under each batch fault mode."""

from __future__ import annotations

from typing import Any

import pytest

from connectors import services
from connectors.models import Report, SimulatorSession
from tests.connectors.conftest import report_design
from tests.factories import make_team, make_user

Fault = SimulatorSession.Fault
pytestmark = pytest.mark.django_db(transaction=True)


def batched_design(*, webhook: bool) -> dict[str, Any]:
    design = report_design(webhook=webhook, polling=not webhook, batch=webhook)
    trigger = design["triggers"][0]
    trigger["externalId"] = "/id"
    trigger["batchSize"] = 2
    if webhook:  # a batch trigger's notification is an array of items
        notification = trigger["notification"]
        notification["schema"] = {"type": "array", "items": notification["schema"]}
    else:
        trigger["request"]["parameters"].append(
            {"name": "top", "in": "query", "required": False, "type": "integer", "default": 2}
        )
        trigger["polling"]["pageSizeParameter"] = "top"
    return design


def run(fault: str, *, webhook: bool) -> Report:
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner),
        user=owner,
        title="Orders",
        design=batched_design(webhook=webhook),
    )
    report = services.report_start(
        draft=draft, user=None, trigger_ids=[], target="simulator", fault=fault, enqueue=False
    )
    services.report_execute(report_id=report.pk)
    report.refresh_from_db()
    return report


def findings(report: Report) -> dict[str, str]:
    return {f["code"]: f["severity"] for step in report.steps for f in step["findings"]}


@pytest.mark.parametrize("webhook", [False, True])
def test_a_correct_simulator_passes_within_the_batch(site: str, webhook: bool) -> None:
    report = run(Fault.NONE, webhook=webhook)
    assert report.status == Report.Status.PASSED, findings(report)
    assert findings(report) == {}


def test_the_polls_ask_for_the_page_size_and_get_one_page_each(site: str) -> None:
    report = run(Fault.NONE, webhook=False)
    polls = next(step for step in report.steps if step["key"].endswith(":polls"))
    urls = [exchange["url"] for exchange in polls["exchanges"]]
    assert urls and all("top=2" in url for url in urls)
    assert "since=s2" in urls[1]  # the first page was 2 of the 3 new items; the next poll goes on


@pytest.mark.parametrize("webhook", [False, True])
@pytest.mark.parametrize(
    ("fault", "code"),
    [(Fault.IGNORES_BATCH_SIZE, "BatchSizeExceeded"), (Fault.REPEATS_ITEMS, "DuplicateExternalId")],
)
def test_each_batch_fault_gives_its_finding(
    site: str, webhook: bool, fault: str, code: str
) -> None:
    report = run(fault, webhook=webhook)
    assert report.status == Report.Status.FAILED
    found = findings(report)
    assert found.get(code) == "error", found
    other = {"BatchSizeExceeded", "DuplicateExternalId"} - {code}
    assert not other & set(found)
