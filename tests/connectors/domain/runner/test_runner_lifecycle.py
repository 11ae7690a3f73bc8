"""The whole report against a fake API on loopback: happy paths and each fault's finding."""

from __future__ import annotations

import json
import logging
from typing import Any
from xml.etree import ElementTree

import pytest

from connectors.domain.runner import (
    AddressPolicy,
    Credentials,
    OutboundClient,
    Plan,
    ReportResult,
    Step,
    run_report,
    to_junit,
)
from tests.connectors.domain.runner.runner_fakes import (
    API_KEY,
    FakeApi,
    FakeCallbacks,
    polling_design,
    webhook_design,
)

CREDENTIALS = Credentials("apiKey", api_key=API_KEY)


def run(api: FakeApi, design: dict[str, Any], **overrides: Any) -> tuple[ReportResult, list[Step]]:
    announced: list[Step] = []
    plan = Plan(
        design,
        [],
        api.base_url,
        overrides.pop("credentials", CREDENTIALS),
        callback_wait_seconds=1.0,
        max_polls=3,
        max_sleep_seconds=0,
        after_delete_wait_seconds=0.05,
        **overrides,
    )
    with OutboundClient(AddressPolicy(allow_loopback=True), read_timeout=0.3) as client:
        result = run_report(
            plan, client=client, callbacks=FakeCallbacks(api), on_step=announced.append
        )
    return result, announced


def codes(result: ReportResult, severity: str | None = None) -> set[str]:
    return {f.code for f in result.findings() if severity in (None, f.severity)}


def test_webhook_happy_path() -> None:
    with FakeApi() as api:
        result, _ = run(api, webhook_design())
    assert result.status == "passed", result.as_dict()
    assert [step.key.rsplit(":", 1)[-1] for step in result.steps] == [
        "setup",
        "lint",
        "swagger",
        "samples",
        "register",
        "notify",
        "reregister",
        "delete-old",
        "deliver-once",
        "delete",
        "delete-again",
        "silence",
    ]
    assert [hook["deleted"] for hook in api.hooks.values()] == [True, True]
    assert [hook["body"] for hook in api.hooks.values()] == [
        {"event": "order.created", "notificationUrl": f"https://designer.example.com/hooks/{t}/"}
        for t in ("token1", "token2")
    ]
    assert codes(result) == set()


@pytest.mark.parametrize(
    ("fault", "code", "severity", "step"),
    [
        ("no_location", "RegistrationMissingLocation", "error", "register"),
        ("relative_location", "RegistrationRelativeLocation", "error", "register"),
        ("status_200", "RegistrationNot201", "warning", "register"),
        ("bad_payload", "NotificationSchemaMismatch", "error", "notify"),
        ("delete_needs_header", "DeleteNeedsOperationHeader", "error", "delete"),
        ("deliver_after_delete", "DeliveredAfterDelete", "error", "silence"),
        ("delete_500", "DeleteFailed", "error", "delete"),
        ("location_metadata", "LocationOtherHost", "error", "register"),
    ],
)
def test_each_webhook_fault_gives_its_finding(
    fault: str, code: str, severity: str, step: str
) -> None:
    with FakeApi(fault) as api:
        result, _ = run(api, webhook_design(operation_header=fault == "delete_needs_header"))
    where = next(s for s in result.steps if s.key.endswith(":" + step))
    assert (code, severity) in {(f.code, f.severity) for f in where.findings}
    assert result.status == ("passed" if severity == "warning" else "failed")


def test_schema_mismatch_carries_the_pointer() -> None:
    with FakeApi("bad_payload") as api:
        result, _ = run(api, webhook_design())
    found = [f for f in result.findings() if f.code == "NotificationSchemaMismatch"]
    assert [f.pointer for f in found] == ["/orderId"]


def test_delete_sends_only_the_connection_authentication() -> None:
    with FakeApi("delete_needs_header") as api:
        result, _ = run(api, webhook_design(operation_header=True))
    sent = {method: headers for method, _path, headers in api.requests}
    assert sent["POST"].get("X-Tenant") == "acme"
    assert "X-Tenant" not in sent["DELETE"]
    assert sent["DELETE"]["X-Api-Key"] == API_KEY
    assert "X-Tenant (header)" in next(
        f.message for f in result.findings() if f.code == "DeleteNeedsOperationHeader"
    )


def test_missing_location_skips_the_delete_but_still_waits_for_the_notification() -> None:
    with FakeApi("no_location") as api:
        result, _ = run(api, webhook_design())
    status = {step.key.rsplit(":", 1)[-1]: step.status for step in result.steps}
    assert (status["notify"], status["delete"], status["silence"]) == (
        "passed",
        "skipped",
        "skipped",
    )


def test_wrong_credentials_fail_the_registration_with_a_hint() -> None:
    with FakeApi() as api:
        result, _ = run(
            api, webhook_design(), credentials=Credentials("apiKey", api_key="wrong-key-123")
        )
    found = next(f for f in result.findings() if f.code == "RegistrationFailed")
    assert "401" in found.message and "credentials" in found.message
    assert api.hooks == {}


def test_polling_happy_path() -> None:
    with FakeApi() as api:
        result, _ = run(api, polling_design())
    assert result.status == "passed", result.as_dict()
    polls = result.steps[-1]
    assert [e.url.rsplit("?", 1)[1] for e in polls.exchanges] == ["since=1", "since=3", "since=5"]
    assert codes(result) == set()


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("oldest_first", {"ItemsNotNewestFirst"}),
        ("state_stuck", {"StateDidNotAdvance", "DuplicateItem"}),
        ("slow", {"SlowResponse"}),
        ("retry_big", {"RetryAfterCapped"}),
        ("location_private", {"LocationOtherHost"}),
    ],
)
def test_each_polling_fault_gives_its_finding(fault: str, expected: set[str]) -> None:
    with FakeApi(fault) as api:
        result, _ = run(api, polling_design())
    assert expected <= codes(result)


def test_polls_are_bounded_by_the_plan() -> None:
    with FakeApi() as api:
        result, _ = run(api, polling_design(), retry_cap_seconds=10)
    gets = [r for r in api.requests if r[0] == "GET"]
    assert len(gets) == 1 + 3  # the baseline and max_polls
    assert result.steps[-1].status == "passed"


def test_on_step_announces_each_step_running_then_done() -> None:
    with FakeApi() as api:
        result, announced = run(api, webhook_design())
    running = [s.key for s in announced if s.status == "running"]
    assert running == [s.key for s in result.steps if s.status != "skipped"]
    assert len(announced) == 2 * len(running)


@pytest.mark.parametrize("fault", [None, "delete_needs_header", "no_location"])
def test_secrets_never_appear_in_the_report(fault: str | None) -> None:
    with FakeApi(fault) as api:
        result, _ = run(api, webhook_design())
    text = json.dumps(result.as_dict())
    assert API_KEY not in text
    assert "[redacted]" in text  # the key was sent, and hidden


def test_secret_in_the_query_and_echoed_back_is_redacted() -> None:
    design = polling_design()
    design["security"]["apiKey"]["in"] = "query"
    with FakeApi() as api:
        result, _ = run(api, design)
    assert result.status == "passed"  # every poll carried the key
    assert all(API_KEY in path for _method, path, _headers in api.requests)
    assert API_KEY not in json.dumps(result.as_dict())


def test_junit_output_has_the_failing_finding_as_a_failure() -> None:
    with FakeApi("relative_location") as api:
        result, _ = run(api, webhook_design())
    suite = ElementTree.fromstring(to_junit(result, "Orders"))
    failures = suite.findall("testcase/failure")
    assert [f.get("type") for f in failures] == ["RegistrationRelativeLocation"]
    assert suite.get("failures") == "1"
    assert int(suite.get("tests") or 0) == len(result.steps)


def test_round_trip_through_json() -> None:
    with FakeApi("status_200") as api:
        result, _ = run(api, webhook_design())
    stored = json.loads(json.dumps(result.as_dict()))
    assert ReportResult.from_dict(stored) == result


def test_unknown_trigger_is_a_finding() -> None:
    with FakeApi() as api:
        plan_design = webhook_design()
        announced: list[Step] = []
        with OutboundClient(AddressPolicy(allow_loopback=True)) as client:
            result = run_report(
                Plan(plan_design, ["Nope"], api.base_url, CREDENTIALS),
                client=client,
                callbacks=FakeCallbacks(api),
                on_step=announced.append,
            )
    assert result.status == "failed"
    assert codes(result) == {"TriggerNotFound"}


def test_a_refused_base_url_is_a_finding_and_sends_nothing() -> None:
    with FakeApi() as api:
        plan = Plan(webhook_design(), [], api.base_url, CREDENTIALS, callback_wait_seconds=0.1)
        with OutboundClient(AddressPolicy()) as client:  # production policy: no loopback
            result = run_report(plan, client=client, callbacks=FakeCallbacks(api))
    assert "AddressRefused" in codes(result, "error")
    assert api.requests == []


def test_secrets_never_appear_in_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    design = polling_design()
    design["security"]["apiKey"]["in"] = "query"  # the key travels in URLs, which get logged
    # LOGGING keeps httpx and httpcore at WARNING: turned up here, as an operator might.
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    with caplog.at_level(logging.DEBUG), FakeApi() as api:
        run(api, design)
    assert caplog.records
    assert API_KEY not in caplog.text
