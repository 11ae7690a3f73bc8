"""Report model: statuses, JSON round trip, JUnit, credentials and redaction."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from connectors.domain.runner import (
    Credentials,
    Exchange,
    Finding,
    ReportResult,
    Step,
    apply,
    redact,
    to_junit,
)
from connectors.domain.runner.model import overall_status


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["passed", "passed"], "passed"),
        (["passed", "failed"], "failed"),
        (["failed", "error"], "error"),
        (["passed", "skipped"], "passed"),
        (["skipped"], "skipped"),
    ],
)
def test_overall_status(statuses: list[str], expected: str) -> None:
    assert (
        overall_status([Step(str(i), "t", status) for i, status in enumerate(statuses)]) == expected
    )


def sample_result() -> ReportResult:
    exchange = Exchange(
        "POST", "https://api.example.com/hooks", {"A": "b"}, "{}", 201, {"Location": "x"}, "", 12
    )
    step = Step(
        "webhook:X:register",
        "Register",
        "failed",
        12,
        [exchange],
        [Finding("RegistrationRelativeLocation", "error", 'relative <&> "quoted"', "/x")],
        "d",
    )
    return ReportResult.from_steps(
        [Step("setup", "Setup", "passed"), step, Step("s", "S", "skipped", detail="why")]
    )


def test_round_trip() -> None:
    result = sample_result()
    assert ReportResult.from_dict(json.loads(json.dumps(result.as_dict()))) == result


def test_wait_until_round_trips_and_old_stored_steps_have_none() -> None:
    counting = Step("webhook:X:notify", "Receive", wait_until=1_790_000_000.25)
    stored = json.loads(json.dumps(counting.as_dict()))
    assert stored["wait_until"] == 1_790_000_000.25
    assert Step.from_dict(stored) == counting
    old = {"key": "webhook:X:notify", "title": "Receive", "status": "passed"}
    assert Step.from_dict(old).wait_until is None
    assert Step("k", "t").as_dict()["wait_until"] is None


def test_junit_parses_and_marks_failures_errors_and_skips() -> None:
    result = sample_result()
    result.steps.append(
        Step("boom", "Boom", "error", findings=[Finding("RunnerError", "error", "bug")])
    )
    suite = ElementTree.fromstring(to_junit(result, "My connector"))
    assert suite.get("name") == "My connector"
    assert (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
        suite.get("skipped"),
    ) == ("4", "1", "1", "1")
    failure = suite.find("testcase[@name='webhook:X:register']/failure")
    assert failure is not None and failure.get("type") == "RegistrationRelativeLocation"
    assert "relative <&>" in (failure.text or "")
    assert suite.find("testcase[@name='boom']/error") is not None
    assert suite.find("testcase[@name='s']/skipped") is not None


@pytest.mark.parametrize(
    ("security", "credentials", "headers", "params"),
    [
        ({"type": "none"}, Credentials(token="t0k3n"), {}, {}),
        (
            {"type": "basic"},
            Credentials("basic", "ann", "pw"),
            {"Authorization": "Basic YW5uOnB3"},
            {},
        ),
        (
            {"type": "apiKey", "apiKey": {"name": "X-Key", "in": "header"}},
            Credentials("apiKey", api_key="k"),
            {"X-Key": "k"},
            {},
        ),
        (
            {"type": "apiKey", "apiKey": {"name": "code", "in": "query"}},
            Credentials("apiKey", api_key="k"),
            {},
            {"code": "k"},
        ),
        (
            {"type": "oauth2"},
            Credentials("oauth2", token="t0k3n"),
            {"Authorization": "Bearer t0k3n"},
            {},
        ),
    ],
)
def test_apply_adds_the_connection_authentication(
    security: dict, credentials: Credentials, headers: dict, params: dict
) -> None:
    got_headers: dict[str, str] = {}
    got_params: dict[str, str] = {}
    apply(credentials, security, got_headers, got_params)
    assert (got_headers, got_params) == (headers, params)


def test_redact_hides_secrets_everywhere_in_an_exchange() -> None:
    credentials = Credentials("basic", "ann", "pa ss/word!")
    exchange = Exchange(
        "GET",
        "https://api.example.com/x?key=pa%20ss%2Fword%21",
        {"Authorization": "Basic YW5uOnBhIHNzL3dvcmQh", "X-Other": "pa ss/word!"},
        "body pa ss/word!",
        200,
        {"Set-Cookie": "session=1"},
        '{"echo": "pa ss/word!"}',
        1,
        "failed near pa ss/word!",
    )
    text = json.dumps(redact(exchange, credentials.secrets()).as_dict())
    assert "pa ss" not in text and "pa%20ss" not in text and "YW5uOnBhIHNzL3dvcmQh" not in text
    assert "session=1" not in text
    assert text.count("[redacted]") == 7
    assert "pa ss" not in repr(credentials)
