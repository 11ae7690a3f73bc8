"""The notify step keeps what its callback URL received (scrubbed, bounded) and says, in one
finding per payload, which property breaks the schema and why."""

from __future__ import annotations

import json
from typing import Any

from connectors.domain.runner.callbacks import (
    KEPT_BODY_BYTES,
    KEPT_NOTIFICATIONS,
    Received,
    kept_notifications,
)
from tests.connectors.domain.runner.runner_fakes import API_KEY, FakeApi, webhook_design
from tests.connectors.domain.runner.test_runner_lifecycle import run


class PayloadApi(FakeApi):
    """Delivers ``payloads`` (all of them, once per event) to every live subscription."""

    def __init__(self, payloads: list[Any]) -> None:
        super().__init__()
        self.payloads = payloads

    def deliver(self, callback_url: str) -> list[Any]:
        live = [
            h for h in self.hooks.values() if h["callback"] == callback_url and not h["deleted"]
        ]
        return list(self.payloads) if live else []


def notify_step(payloads: list[Any]) -> Any:
    with PayloadApi(payloads) as api:
        result, _ = run(api, webhook_design())
    return next(step for step in result.steps if step.key.endswith(":notify"))


def test_the_notify_step_keeps_each_payload_with_its_number() -> None:
    step = notify_step([{"orderId": 7, "status": "new", "channel": "web"}])
    assert [(kept["number"], kept["json"]) for kept in step.received] == [(1, True)]
    assert json.loads(step.received[0]["body"]) == {"orderId": 7, "status": "new", "channel": "web"}
    assert step.as_dict()["received"] == step.received  # stored with the step


def test_a_payload_that_breaks_the_schema_gets_one_finding_naming_each_property() -> None:
    bad = {"orderId": "seven", "status": 3}
    step = notify_step([bad, {"orderId": 8, "status": "new"}])
    found = [f for f in step.findings if f.code == "NotificationSchemaMismatch"]
    assert len(found) == 1  # the second payload fits
    assert found[0].pointer == "/orderId"
    assert found[0].message.startswith(
        "Notification 1 does not fit the notification schema (/orderId: expected integer, got "
        'string "seven"; /status: expected string, got integer 3).'
    )


def test_the_run_s_secret_is_scrubbed_from_a_kept_payload() -> None:
    step = notify_step([{"orderId": 7, "status": "new", "echo": f"key={API_KEY}"}])
    body = step.received[0]["body"]
    assert API_KEY not in body
    assert json.loads(body)["echo"] == "key=[redacted]"


def test_what_a_step_keeps_is_bounded() -> None:
    many = [Received(json.dumps({"n": n}), received_at=f"t{n}") for n in range(9)]
    huge = Received("[" + "1," * KEPT_BODY_BYTES + "1]")
    kept = kept_notifications([huge, *many], ["s3cret"])
    assert len(kept) == KEPT_NOTIFICATIONS
    assert kept[0]["body"] is None and kept[0]["bytes"] > KEPT_BODY_BYTES
    assert kept[1] == {
        "number": 2,
        "received_at": "t0",
        "bytes": 8,
        "json": True,
        "body": '{"n": 0}',
    }


def test_a_body_that_is_not_json_is_kept_and_marked() -> None:
    (kept,) = kept_notifications([Received(b"event=created")], [])
    assert kept["json"] is False and kept["body"] == "event=created"
