"""A simulator lives as long as its report (and a short grace), caps its hooks and bounds a fire.

The audit found a simulator of a long-passed report still accepting 300 registrations, and one
unauthenticated fire then making 300 POSTs inside one web request.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from connectors import services, services_simulator
from connectors.models import Report, SimulatorSession
from tests.connectors.conftest import a_report, make_report_draft, own_callback

pytestmark = pytest.mark.django_db


def live_report() -> Report:
    report = a_report(make_report_draft(), status=Report.Status.RUNNING, started_at=timezone.now())
    assert report.simulator is not None
    return report


def register(report: Report) -> Any:
    assert report.simulator is not None
    return Client().post(
        f"/sim/{report.simulator.token}/hooks",
        data=json.dumps({"callbackUrl": own_callback(report)}),
        content_type="application/json",
    )


def end(report: Report, seconds_ago: float) -> None:
    finished = timezone.now() - timedelta(seconds=seconds_ago)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PASSED, finished_at=finished)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every POST the simulator sends (url and timeout); none goes out, each is accepted."""
    calls: list[dict[str, Any]] = []

    def post(self: Any, url: str, **kwargs: Any) -> httpx.Response:
        calls.append({"url": url, "timeout": kwargs.get("timeout")})
        return httpx.Response(202)

    monkeypatch.setattr(httpx.Client, "post", post)
    return calls


def call(name: str, report: Report, location: str) -> Any:
    """One of the simulator's calls, on the simulator of ``report`` (with a hook at
    ``location``)."""
    assert report.simulator is not None
    sim = f"/sim/{report.simulator.token}"
    if name == "register":
        return register(report)
    if name == "delete":
        return Client().delete(location)
    if name == "poll":
        return Client().get(f"{sim}/orders/updates?since=0")
    if name == "fire":
        return Client().post(f"{sim}/_control/fire")
    return Client().get(f"{sim}/_control/hooks")


CALLS = ["register", "delete", "poll", "fire", "hooks"]


@pytest.mark.parametrize("name", CALLS)
def test_every_call_is_gone_once_the_report_ended_and_the_grace_passed(
    name: str, settings: Any, sent: list[dict[str, Any]]
) -> None:
    settings.SIMULATOR_GRACE_SECONDS = 60
    report = live_report()
    location = register(report)["Location"]
    end(report, seconds_ago=61)
    response = call(name, report, location)
    assert response.status_code == 410
    assert "closed" in response.json()["error"]
    assert sent == []


@pytest.mark.parametrize("name", CALLS)
def test_every_call_is_answered_within_the_grace_after_the_report_ended(
    name: str, settings: Any, sent: list[dict[str, Any]]
) -> None:
    """A late DELETE of the run (or its cleanup) still reaches the simulator."""
    settings.SIMULATOR_GRACE_SECONDS = 60
    report = live_report()
    location = register(report)["Location"]
    end(report, seconds_ago=30)
    assert call(name, report, location).status_code in (200, 201, 202, 204)


def test_a_simulator_without_a_report_answers_nothing() -> None:
    draft = make_report_draft()
    orphan = services.simulator_session_create(draft=draft, design=draft.design)
    assert Client().get(f"/sim/{orphan.token}/_control/hooks").status_code == 410
    assert Client().post(f"/sim/{orphan.token}/_control/fire").status_code == 410


def test_registrations_beyond_the_live_hook_cap_are_429(settings: Any) -> None:
    settings.SIMULATOR_MAX_HOOKS = 3
    report = live_report()
    locations = [register(report)["Location"] for _ in range(3)]
    refused = register(report)
    assert refused.status_code == 429
    assert "3 live subscriptions" in refused.json()["error"]
    assert Client().delete(locations[0]).status_code == 204  # a DELETE frees a place
    assert register(report).status_code == 201
    assert register(report).status_code == 429
    assert report.simulator is not None
    report.simulator.refresh_from_db()
    assert sum(not hook["deleted"] for hook in report.simulator.hooks.values()) == 3


def test_a_register_and_delete_loop_cannot_grow_the_session_without_bound(settings: Any) -> None:
    settings.SIMULATOR_MAX_HOOKS = 2
    report = live_report()
    stored = settings.SIMULATOR_MAX_HOOKS * services_simulator.STORED_HOOKS_PER_LIVE
    for _ in range(stored):
        assert Client().delete(register(report)["Location"]).status_code == 204
    refused = register(report)
    assert refused.status_code == 429
    assert report.simulator is not None
    report.simulator.refresh_from_db()
    assert len(report.simulator.hooks) == stored


def test_one_fire_sends_at_most_the_delivery_cap_and_reports_what_it_skipped(
    settings: Any, sent: list[dict[str, Any]]
) -> None:
    settings.SIMULATOR_FIRE_MAX_DELIVERIES = 2
    report = live_report()
    for _ in range(3):
        assert register(report).status_code == 201
    assert report.simulator is not None
    answer = Client().post(f"/sim/{report.simulator.token}/_control/fire").json()
    assert len(sent) == 2
    assert (answer["hooks"], answer["delivered"], answer["skipped"]) == (3, 2, 1)
    assert "at most 2" in answer["limit"]


def test_one_fire_stops_at_its_deadline_and_reports_what_it_skipped(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each delivery takes 2 s of a 5 s budget, and its timeout never outlasts the deadline."""
    settings.SIMULATOR_FIRE_SECONDS = 5
    now = [1000.0]
    timeouts: list[float] = []

    def slow_post(self: Any, url: str, **kwargs: Any) -> httpx.Response:
        timeouts.append(kwargs["timeout"])
        now[0] += 2
        return httpx.Response(202)

    monkeypatch.setattr(services_simulator, "_clock", lambda: now[0])
    monkeypatch.setattr(httpx.Client, "post", slow_post)
    report = live_report()
    for _ in range(5):
        assert register(report).status_code == 201
    assert report.simulator is not None
    answer = Client().post(f"/sim/{report.simulator.token}/_control/fire").json()
    assert (answer["delivered"], answer["skipped"]) == (3, 2)
    assert timeouts == [5.0, 3.0, 1.0]
    assert "within 5" in answer["limit"]


def test_repeated_deletes_of_a_hook_that_keeps_delivering_send_once(
    sent: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``delivers_after_delete`` ignores each DELETE and delivers after it: after the first
    only, or a DELETE loop would start a delivery thread per request."""

    class Now:  # the delivery timer, run at once
        def __init__(self, delay: float, function: Any, args: Any) -> None:
            self.call = lambda: function(*args)

        def start(self) -> None:
            self.call()

    monkeypatch.setattr(services_simulator.threading, "Timer", Now)
    report = a_report(
        make_report_draft(polling=False),
        fault=SimulatorSession.Fault.DELIVERS_AFTER_DELETE,
        status=Report.Status.RUNNING,
    )
    location = register(report)["Location"]
    assert [Client().delete(location).status_code for _ in range(5)] == [204] * 5
    assert len(sent) == 1
