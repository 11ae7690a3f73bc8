"""Review fixes of the runner: fatal exceptions, cheap waits, shared helpers, odd headers."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.runner import AddressPolicy, OutboundClient, Plan, Step
from connectors.domain.runner.diagram import sequence_svg
from connectors.domain.runner.model import Exchange
from connectors.domain.runner.polling import _check_retry_after, collection_and_value
from connectors.domain.runner.run import run_report
from connectors.domain.runner.steps import Recorder
from connectors.domain.runner.webhook_calls import check_silence
from connectors.domain.simulation import simulator as simulation
from tests.connectors.domain.runner.runner_fakes import FakeApi, FakeCallbacks, webhook_design
from tests.connectors.domain.runner.test_runner_lifecycle import CREDENTIALS


class TimeUp(Exception):
    """Plays Celery's SoftTimeLimitExceeded (an Exception subclass, too)."""


def test_a_fatal_exception_is_not_swallowed_by_a_step() -> None:
    seen: list[Step] = []
    recorder = Recorder(seen.append, None, [], fatal=(TimeUp,))  # type: ignore[arg-type]
    with pytest.raises(TimeUp), recorder.step("s", "S"):
        raise TimeUp("time is up")
    assert seen[-1].status == "error" and "stopped" in seen[-1].detail
    with recorder.step("t", "T"):
        raise ValueError("an ordinary bug")
    assert seen[-1].status == "error" and seen[-1].findings[0].code == "RunnerError"


def test_a_fatal_exception_while_waiting_still_deletes_the_hook() -> None:
    class SlowCallbacks(FakeCallbacks):
        def new(self) -> Any:
            endpoint = super().new()

            def wait(seconds: float) -> Any:
                raise TimeUp("soft time limit")

            endpoint.wait = wait  # type: ignore[method-assign]
            return endpoint

    with FakeApi() as api:
        plan = Plan(webhook_design(), [], api.base_url, CREDENTIALS, callback_wait_seconds=1.0)
        steps: list[Step] = []
        with (
            OutboundClient(AddressPolicy(allow_loopback=True), read_timeout=1.0) as client,
            pytest.raises(TimeUp),
        ):
            run_report(
                plan,
                client=client,
                callbacks=SlowCallbacks(api),
                on_step=steps.append,
                fatal=(TimeUp,),
            )
        assert [hook["deleted"] for hook in api.hooks.values()] == [True]
    ended = {step.key.rsplit(":", 1)[-1]: step.status for step in steps if step.status != "running"}
    assert ended["notify"] == "error" and ended["delete"] == "passed"


def test_silence_counts_and_never_loads_the_notifications() -> None:
    class Counting:
        url = "https://designer.example.com/hooks/token1/"
        counted = 0

        def fire(self) -> bool:
            return True

        def count(self) -> int:
            self.counted += 1
            return 0

        def received(self) -> Any:
            raise AssertionError("a wait must not load every notification")

        def wait(self, seconds: float) -> Any:
            raise AssertionError("not used")

    endpoint = Counting()
    plan = Plan({}, [], "https://api.example.com", after_delete_wait_seconds=0.1)
    step = Step("webhook:T:silence", "Silence")
    check_silence(plan, [endpoint], step)
    assert endpoint.counted >= 2 and not step.findings


@pytest.mark.parametrize("raw", ["²", "١٢", "1.5", "-3"])
def test_retry_after_that_is_not_ascii_digits_is_a_finding_not_a_crash(raw: str) -> None:
    step = Step("polling:T:baseline", "Baseline")
    exchange = Exchange("GET", "https://api.example.com/x", status=202)
    exchange.response_headers = {"Retry-After": raw}
    plan = Plan({}, [], "https://api.example.com", max_sleep_seconds=0)
    _check_retry_after(plan, step, exchange)
    assert [f.code for f in step.findings] == ["RetryAfterNotValid"]


def test_the_simulator_reads_the_polling_layout_as_the_runner_does() -> None:
    trigger = {
        "kind": "polling",
        "polling": {
            "valueCollection": "items",
            "valuePath": "number",
            "policy": {
                "triggerDataPath": "@triggerBody().value",
                "triggerConfig": {"since": "@{triggerBody().value[0].id}"},
            },
        },
        "responses": {
            "200": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}}
                    },
                }
            }
        },
    }
    swagger = {
        "definitions": {"Item": {"type": "object", "properties": {"number": {"type": "integer"}}}}
    }
    collection, value_path, _items = simulation.polling_layout(trigger, swagger)
    assert (
        (collection, value_path) == collection_and_value(trigger["polling"]) == ("items", "number")
    )
    body = simulation.polling_items(trigger, swagger, 1, 2, newest_first=True)
    assert body == {"items": [{"number": 2}, {"number": 1}]}


def test_the_diagram_matches_callback_steps_by_their_name_not_the_operation_id() -> None:
    steps = [
        {"key": "webhook:notifyOnDelivery:register", "title": "Register", "status": "passed"},
        {"key": "webhook:notifyOnDelivery:notify", "title": "Receive", "status": "passed"},
    ]
    svg = sequence_svg(steps)
    assert "Receive: passed" in svg and "Register: passed" not in svg
