"""Review fixes of the report: SSRF guard of the simulator, time limits, the reaper, odd input."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from connectors import services, services_reports, services_simulator
from connectors.forms_reports import ReportStartForm
from connectors.models import ReceivedNotification, Report, SimulatorSession
from connectors.views.reports import progress_context
from tests.connectors.conftest import a_report, make_report_draft, own_callback, report_design
from tests.factories import client_for

pytestmark = pytest.mark.django_db
Fault = SimulatorSession.Fault


def session(fault: str = Fault.NONE, design: dict[str, Any] | None = None) -> SimulatorSession:
    """The simulator of a queued report (a simulator answers only while its report is live)."""
    draft = make_report_draft()
    if design is not None:
        draft = services.draft_create(team=draft.team, user=None, title="Refs", design=design)
    simulator = a_report(draft, fault=fault).simulator
    assert simulator is not None
    return simulator


def post_json(url: str, body: Any) -> Any:
    return Client().post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def no_http(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every POST the simulator would send; none goes out."""
    sent: list[str] = []

    def post(self: Any, url: str, **kwargs: Any) -> Any:
        sent.append(url)
        return httpx.Response(202)

    monkeypatch.setattr(httpx.Client, "post", post)
    return sent


# 1. SSRF


def test_delivers_after_delete_never_calls_a_foreign_stored_callback(
    no_http: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Now:  # the Timer, run at once
        def __init__(self, delay: float, function: Any, args: Any) -> None:
            self.call = lambda: function(*args)

        def start(self) -> None:
            self.call()

    monkeypatch.setattr(services_simulator.threading, "Timer", Now)
    sim = session(Fault.DELIVERS_AFTER_DELETE)
    trigger = sim.design["triggers"][0]["operationId"]
    foreign = "http://169.254.169.254/latest/meta-data/"
    sim.hooks = {"hook1": {"trigger": trigger, "callback": foreign, "deleted": False, "seq": 1}}
    sim.save(update_fields=["hooks"])
    response = Client().delete(f"/sim/{sim.token}/hooks/hook1")
    assert response.status_code == 204
    assert no_http == []


def test_registration_refuses_a_callback_that_is_not_this_apps_receiver() -> None:
    sim = session()
    url = f"/sim/{sim.token}/hooks"
    for foreign in ("http://169.254.169.254/latest/", "http://testserver/admin/"):
        response = post_json(url, {"callbackUrl": foreign})
        assert response.status_code == 400
        assert "own callback receiver" in response.json()["errors"][0]["message"]
    sim.refresh_from_db()
    assert sim.hooks == {}


# 2. Celery's soft time limit stops the run


def test_a_soft_time_limit_inside_a_step_ends_the_report_as_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def too_slow(design: Any) -> Any:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("connectors.domain.runner.run.export_swagger", too_slow)
    report = a_report(make_report_draft(), status="queued")
    with pytest.raises(SoftTimeLimitExceeded):
        services.report_execute(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "error" and "time limit" in report.error
    assert report.steps[0]["key"] == "setup" and report.steps[0]["status"] == "error"
    assert report.credentials_sealed == ""


# 3. The reaper runs on its own schedule, not inside a run


def test_report_run_does_not_reap_other_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    from connectors.tasks import report_run

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("the reaper broke")

    monkeypatch.setattr(services, "report_reap_stuck", broken)
    report = a_report(make_report_draft(), status="passed")
    assert report_run(report.pk) == "passed"


def test_the_reaper_is_scheduled_every_minute(settings: Any) -> None:
    schedule = list(settings.CELERY_BEAT_SCHEDULE.values())
    assert {"task": "connectors.tasks.report_reap", "schedule": 60.0} in schedule


# 4. Leftovers: never raise, one report does not stop the others


def test_a_lost_run_with_malformed_stored_steps_still_ends_error() -> None:
    odd = [
        {"key": "webhook:On:register", "exchanges": [{"method": "POST", "odd": 1}, "x", None]},
        {
            "key": "webhook:On:reregister",
            "exchanges": [{"method": "POST", "url": "u", "status": "2"}],
        },
        "not a step",
    ]
    report = a_report(make_report_draft(), status="running", started_at=timezone.now(), steps=odd)
    lost = services.report_execute(report_id=report.pk)
    assert lost is not None and lost.status == "error"


def test_one_report_the_reaper_cannot_handle_does_not_stop_the_others(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    draft = make_report_draft()
    first = a_report(draft, status="running", started_at=long_ago)
    second = a_report(draft, status="running", started_at=long_ago)
    real = services_reports._delete_leftovers

    def broken_for_first(report: Report, **kwargs: Any) -> None:
        if report.pk == first.pk:
            raise RuntimeError("boom")
        real(report, **kwargs)

    monkeypatch.setattr(services_reports, "_delete_leftovers", broken_for_first)
    assert services.report_reap_stuck() == 1
    second.refresh_from_db()
    assert second.status == "error"


# 5. Superscript digits are not numbers


def test_a_superscript_report_number_is_not_a_500(people: dict[str, Any]) -> None:
    url = reverse("connectors:wizard_step", args=[people["draft"].pk, "test"])
    response = client_for(people["owner"]).get(url + "?report=²")
    assert response.status_code == 200


def test_a_superscript_polling_state_is_not_a_500() -> None:
    sim = session()
    response = Client().get(f"/sim/{sim.token}/orders/updates?since=s²")
    assert response.status_code in (200, 202)


# 6. Designs with $ref schemas (definitions kept from an import)


def ref_design() -> dict[str, Any]:
    design = report_design(polling=False)
    design["passthrough"]["swagger"]["definitions"] = {
        "Subscription": {
            "type": "object",
            "properties": {"callbackUrl": {"type": "string"}, "event": {"type": "string"}},
            "required": ["callbackUrl"],
        },
        "Order": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "total": {"type": "number"}},
            "required": ["id", "total"],
        },
    }
    trigger = design["triggers"][0]
    trigger["request"]["body"]["schema"] = {"$ref": "#/definitions/Subscription"}
    trigger["notification"]["schema"] = {"$ref": "#/definitions/Order"}
    trigger["notification"]["samples"] = []
    return design


def test_a_ref_body_schema_is_checked_not_a_500() -> None:
    sim = session(design=ref_design())
    url = f"/sim/{sim.token}/hooks"
    good = post_json(url, {"callbackUrl": own_callback(sim.reports.get())})
    assert good.status_code == 201
    bad = post_json(url, {"event": 5})
    assert bad.status_code == 400
    messages = [e["message"] for e in bad.json()["errors"]]
    assert any("callbackUrl" in m for m in messages), messages


def test_the_example_notification_of_a_ref_schema_fits_it() -> None:
    from connectors.domain.runner.schemas import notification_schema, schema_errors
    from connectors.domain.swagger.exporting.definition import export_swagger

    sim = session(design=ref_design())
    trigger = sim.design["triggers"][0]
    [payload] = services_simulator._payloads(sim, trigger)
    swagger = export_swagger(sim.design)
    schema = notification_schema(trigger, swagger)
    assert schema is not None and schema_errors(schema, payload) == []
    assert set(payload) == {"id", "total"}


# 7. Waits count rows instead of loading them


def test_the_database_endpoint_counts_without_loading_bodies(
    django_assert_num_queries: Any,
) -> None:
    report = a_report(make_report_draft())
    endpoint = services_reports.DbCallbackFactory(report).new()
    ReceivedNotification.objects.create(hook=endpoint.hook, headers={}, body="{}")
    with django_assert_num_queries(1) as captured:
        assert endpoint.count() == 1
    assert "COUNT(" in captured.captured_queries[0]["sql"].upper()


# 8. "Trigger the event now" only while a step waits for it


def test_waiting_only_while_a_running_step_has_a_deadline() -> None:
    draft = make_report_draft()
    step = {"key": "polling:T:polls", "title": "t", "status": "running", "wait_until": None}
    report = a_report(draft, status="running", target_kind="api", steps=[step])
    report.refresh_from_db()
    assert progress_context(report)["waiting_for_event"] is False
    waiting = {**step, "key": "webhook:T:notify", "wait_until": time.time() + 30}
    Report.objects.filter(pk=report.pk).update(steps=[waiting])
    report.refresh_from_db()
    context = progress_context(report)
    assert context["waiting_for_event"] is True and 0 < context["seconds_left"] <= 30


# 13. One error for a bad base URL


def test_a_bad_api_base_url_gets_one_error() -> None:
    form = ReportStartForm({"target": "api", "base_url": "not a url"}, design=report_design())
    assert not form.is_valid()
    assert len(form.errors["base_url"]) == 1
