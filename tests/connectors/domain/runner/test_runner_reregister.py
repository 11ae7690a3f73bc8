"""Re-registration and the second DELETE (USERS.md A4, D4) against a fake API on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.runner import (
    AddressPolicy,
    Credentials,
    OutboundClient,
    Plan,
    ReportResult,
    Step,
    run_report,
)
from tests.connectors.domain.runner.runner_fakes import (
    API_KEY,
    FakeApi,
    FakeCallbacks,
    FakeEndpoint,
    webhook_design,
)

CREDENTIALS = Credentials("apiKey", api_key=API_KEY)


def run(api: FakeApi, callbacks: FakeCallbacks | None = None) -> tuple[ReportResult, list[Step]]:
    announced: list[Step] = []
    plan = Plan(
        webhook_design(),
        [],
        api.base_url,
        CREDENTIALS,
        callback_wait_seconds=1.0,
        after_delete_wait_seconds=0.05,
    )
    with OutboundClient(AddressPolicy(allow_loopback=True), read_timeout=1.0) as client:
        result = run_report(
            plan,
            client=client,
            callbacks=callbacks or FakeCallbacks(api),
            on_step=announced.append,
        )
    return result, announced


def step(result: ReportResult, name: str) -> Step:
    return next(s for s in result.steps if s.key.endswith(":" + name))


def deletes(api: FakeApi) -> list[str]:
    return [path for method, path, _headers in api.requests if method == "DELETE"]


def test_the_platforms_replacement_passes_against_a_correct_api() -> None:
    with FakeApi() as api:
        result, _ = run(api)
    assert result.status == "passed", result.as_dict()
    assert deletes(api) == ["/hooks/1", "/hooks/2", "/hooks/2"]  # A, B, B again
    assert "1 notification(s) at the new callback URL" in step(result, "deliver-once").detail
    assert "404" in step(result, "delete-again").detail


@pytest.mark.parametrize(
    ("fault", "name", "code"),
    [
        ("keeps_old_hook", "deliver-once", "DuplicateDelivery"),
        ("deliver_after_delete", "deliver-once", "DuplicateDelivery"),
        ("reregister_twice", "deliver-once", "DuplicateDelivery"),
        ("old_callback", "deliver-once", "DeliveredToOldCallback"),
        ("delete_drops_all", "deliver-once", "NoNotificationAfterReregister"),
        ("same_location", "reregister", "ReregisterSameLocation"),
    ],
)
def test_each_replacement_fault_gives_its_finding(fault: str, name: str, code: str) -> None:
    with FakeApi(fault) as api:
        result, _ = run(api)
    where = step(result, name)
    assert where.status == "failed"
    assert code in {f.code for f in where.findings if f.severity == "error"}
    assert result.status == "failed"


def test_a_hook_kept_after_its_delete_also_breaks_the_silence() -> None:
    with FakeApi("keeps_old_hook") as api:
        result, _ = run(api)
    assert [h["deleted"] for h in api.hooks.values()] == [False, True]
    assert [f.code for f in step(result, "silence").findings] == ["DeliveredAfterDelete"]


def test_the_same_location_is_deleted_once_and_the_old_one_is_not_deleted_first() -> None:
    with FakeApi("same_location") as api:
        result, _ = run(api)
    assert step(result, "delete-old").status == "skipped"
    assert step(result, "deliver-once").status == "skipped"
    assert step(result, "delete").status == step(result, "delete-again").status == "passed"
    assert deletes(api) == ["/hooks/1", "/hooks/1"]  # the DELETE, then its repetition


@pytest.mark.parametrize(
    ("again", "status"),
    [
        (204, "passed"),
        (200, "passed"),
        (404, "passed"),
        (410, "passed"),
        (500, "failed"),
        (405, "failed"),
        (409, "failed"),
        (401, "failed"),
    ],
)
def test_the_second_delete_must_be_idempotent(again: int, status: str) -> None:
    with FakeApi(again_status=again) as api:
        result, _ = run(api)
    where = step(result, "delete-again")
    assert where.status == status
    assert {f.code for f in where.findings} == (
        {"DeleteNotIdempotent"} if status == "failed" else set()
    )
    assert step(result, "silence").status == "passed"


def test_a_failed_delete_of_the_old_hook_skips_the_delivery_check_and_still_deletes_the_new() -> (
    None
):
    with FakeApi("delete_500") as api:
        result, _ = run(api)
    statuses = {s.key.rsplit(":", 1)[-1]: s.status for s in result.steps}
    assert statuses["delete-old"] == statuses["delete"] == "failed"
    assert statuses["deliver-once"] == statuses["delete-again"] == statuses["silence"] == "skipped"
    assert deletes(api) == ["/hooks/1", "/hooks/2"]


def test_against_a_real_api_the_delivery_is_not_checked_but_both_are_deleted_twice_safe() -> None:
    with FakeApi() as api:
        callbacks = FakeCallbacks(api, can_fire=False)
        result, _ = run(api, callbacks)
    once = step(result, "deliver-once")
    assert once.status == "skipped" and "Only the simulator" in once.detail
    assert step(result, "delete-again").status == "passed"
    assert step(result, "silence").status == "skipped"
    assert [h["deleted"] for h in api.hooks.values()] == [True, True]
    assert result.status == "passed"


class BrokenCallbacks(FakeCallbacks):
    """Breaks the runner at one point: the second ``new()``, or the first endpoint's
    ``received()`` (called between the steps, so the exception leaves ``run_report``)."""

    def __init__(self, api: FakeApi, where: str) -> None:
        super().__init__(api)
        self.where = where

    def new(self) -> FakeEndpoint:
        if self.where == "new" and self.endpoints:
            raise RuntimeError("no second callback")
        endpoint = super().new()
        if self.where == "received":
            endpoint.received = self._boom  # type: ignore[method-assign]
            endpoint.count = self._boom  # type: ignore[method-assign]
        return endpoint

    def _boom(self) -> Any:
        raise RuntimeError("the callback store is gone")


def test_a_broken_step_still_deletes_the_registered_hook() -> None:
    with FakeApi() as api:
        result, _ = run(api, BrokenCallbacks(api, "new"))
    assert step(result, "reregister").status == "error"
    assert step(result, "delete").status == "passed"
    assert [h["deleted"] for h in api.hooks.values()] == [True]


def test_an_exception_between_steps_still_deletes_the_hook_in_the_finally() -> None:
    with FakeApi() as api, pytest.raises(RuntimeError, match="callback store"):
        run(api, BrokenCallbacks(api, "received"))
    assert deletes(api) == ["/hooks/1"]
    assert [h["deleted"] for h in api.hooks.values()] == [True]


def test_every_new_step_is_announced_running_then_done() -> None:
    with FakeApi() as api:
        result, announced = run(api)
    running = [s.key.rsplit(":", 1)[-1] for s in announced if s.status == "running"]
    assert running[-6:] == [
        "reregister",
        "delete-old",
        "deliver-once",
        "delete",
        "delete-again",
        "silence",
    ]
    assert len(announced) == 2 * len(result.steps)
