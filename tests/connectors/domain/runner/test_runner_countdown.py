"""The countdown of a wait for a person: ``Step.wait_until``, ``Recorder.publish``, notify."""

from __future__ import annotations

import json
import time

import pytest

from connectors.domain.runner import (
    AddressPolicy,
    OutboundClient,
    Plan,
    Received,
    Step,
    run_report,
)
from connectors.domain.runner.steps import Recorder
from connectors.domain.runner.webhook_calls import check_notifications
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.domain.runner.runner_fakes import (
    SAMPLE,
    FakeApi,
    FakeCallbacks,
    webhook_design,
)
from tests.connectors.domain.runner.test_runner_lifecycle import CREDENTIALS, run

WAIT = 90.0


class PersonEndpoint:
    """A real API's callback: ``fire`` cannot make the event happen; ``wait`` notes what
    ``on_step`` had been given when the wait began (what the report page shows meanwhile)."""

    url = "https://designer.example.com/hooks/t/"

    def __init__(self, published: list[Step], got: list[Received]) -> None:
        self.published = published
        self.got = got
        self.seen_while_waiting: list[Step] | None = None
        self.fires = 0

    def fire(self) -> bool:
        self.fires += 1
        return False

    def wait(self, seconds: float) -> list[Received]:
        assert seconds == WAIT
        self.seen_while_waiting = list(self.published)
        return self.got

    def received(self) -> list[Received]:
        return self.got

    def count(self) -> int:
        return len(self.got)


def notify(got: list[Received]) -> tuple[list[Step], PersonEndpoint, Step, float, float]:
    """Run the notify check in a step; the step's countdown must be over once the wait is."""
    published: list[Step] = []
    endpoint = PersonEndpoint(published, got)
    design = webhook_design()
    plan = Plan(design, [], "https://api.example.com", callback_wait_seconds=WAIT)
    recorder = Recorder(published.append, client=None, secrets=[])  # type: ignore[arg-type]
    before = time.time()
    with recorder.step("webhook:x:notify", "Receive a notification") as step:
        check_notifications(
            plan, design["triggers"][0], export_swagger(design), endpoint, step, recorder
        )
        assert step.wait_until is None and step.status == "running"
    after = time.time()
    return published, endpoint, step, before, after


@pytest.mark.parametrize("got", [[Received(json.dumps(SAMPLE))], []])
def test_notify_publishes_a_countdown_before_waiting_for_a_person(got: list[Received]) -> None:
    published, endpoint, step, before, after = notify(got)
    assert endpoint.seen_while_waiting is not None
    waiting = endpoint.seen_while_waiting[-1]
    assert waiting.key == "webhook:x:notify" and waiting.status == "running"
    assert waiting.wait_until is not None
    assert before + WAIT <= waiting.wait_until <= after + WAIT
    assert "Trigger the event now" in waiting.detail
    assert [s.status for s in published] == ["running", "running", step.status]
    assert published[-1] is step and step.wait_until is None  # cleared when the step ends
    assert step.status == ("passed" if got else "failed")


def test_the_published_snapshot_does_not_change_with_the_step() -> None:
    published: list[Step] = []
    recorder = Recorder(published.append, client=None, secrets=[])  # type: ignore[arg-type]
    with recorder.step("k", "Title") as step:
        step.wait_until = 123.5
        recorder.publish(step)
        step.add("Later", "error", "found after the snapshot")
    snapshot = published[1]
    assert snapshot is not step
    assert (snapshot.wait_until, snapshot.findings, snapshot.status) == (123.5, [], "running")
    assert (step.wait_until, step.status) == (None, "failed")


def test_a_step_that_breaks_while_waiting_ends_without_a_countdown() -> None:
    published: list[Step] = []
    recorder = Recorder(published.append, client=None, secrets=[])  # type: ignore[arg-type]
    with recorder.step("k", "Title") as step:
        step.wait_until = time.time() + 60
        raise RuntimeError("broken wait")
    assert (step.status, step.wait_until) == ("error", None)
    assert published[-1].as_dict()["wait_until"] is None


def test_the_simulator_fires_so_nothing_waits_for_a_person() -> None:
    with FakeApi() as api:
        _result, announced = run(api, webhook_design())
    assert all(s.wait_until is None for s in announced)
    notify_steps = [s for s in announced if s.key.endswith(":notify")]
    assert len(notify_steps) == 2  # start and end, no countdown published


def test_against_a_real_api_the_run_publishes_the_notify_countdown() -> None:
    announced: list[Step] = []
    with FakeApi() as api:
        plan = Plan(webhook_design(), [], api.base_url, CREDENTIALS, callback_wait_seconds=WAIT)
        with OutboundClient(AddressPolicy(allow_loopback=True)) as client:
            run_report(
                plan,
                client=client,
                callbacks=FakeCallbacks(api, can_fire=False),  # delivers at once, as a person
                on_step=announced.append,
            )
    counting = [s for s in announced if s.wait_until is not None]
    assert [s.key.rsplit(":", 1)[-1] for s in counting] == ["notify"]
    assert counting[0].status == "running"
    final = [s for s in announced if s.key.endswith(":notify")][-1]
    assert final.status == "passed" and final.wait_until is None
