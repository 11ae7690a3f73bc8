"""The wizard's Test step: start a report, come back to its live progress, the countdown."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Report
from tests.connectors.conftest import a_report, report_design
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def step_url(draft: Any) -> str:
    return reverse("connectors:wizard_step", args=[draft.pk, "test"])


def start_url(draft: Any) -> str:
    return reverse("connectors:wizard_test_start", args=[draft.pk])


def test_start_from_the_wizard_queues_and_comes_back_to_the_step(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr("connectors.tasks.report_run.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["owner"]).post(
            start_url(people["draft"]), {"target": "simulator", "fault": "no_location"}
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{step_url(people['draft'])}?report={report.pk}"
    assert queued == [report.pk]
    assert report.simulator is not None and report.simulator.fault == "no_location"


def test_the_step_shows_the_chosen_report_polling_its_progress(people) -> None:
    older = a_report(people["draft"], status="passed")
    running = a_report(people["draft"], status="running")
    client = client_for(people["viewer"])
    newest = client.get(step_url(people["draft"]))
    assert newest.status_code == 200
    detail = reverse("connectors:report_detail", args=[people["draft"].pk, running.pk])
    assert f'hx-get="{detail}?in_wizard=1"'.encode() in newest.content
    # The polled fragment also refreshes the report's status in the recent list.
    fragment = client.get(detail, {"in_wizard": "1"}, HTTP_HX_REQUEST="true")
    assert f'id="recent-status-{running.pk}"'.encode() in fragment.content
    assert b'hx-swap-oob="true"' in fragment.content
    plain = client.get(detail, HTTP_HX_REQUEST="true")
    assert b"hx-swap-oob" not in plain.content
    chosen = client.get(step_url(people["draft"]), {"report": older.pk})
    older_url = reverse("connectors:report_detail", args=[people["draft"].pk, older.pk])
    assert f'Report <a href="{older_url}">#{older.pk}</a>'.encode() in chosen.content
    assert b'hx-trigger="every 1s"' not in chosen.content  # it has ended: no polling


def test_viewer_sees_reports_but_no_start_form_and_cannot_start(people) -> None:
    a_report(people["draft"], status="failed")
    client = client_for(people["viewer"])
    page = client.get(step_url(people["draft"]))
    assert page.status_code == 200 and b"Run the report" not in page.content
    assert b"Failed" in page.content
    assert client.post(start_url(people["draft"]), {"target": "simulator"}).status_code == 403
    assert Report.objects.count() == 1


def test_another_teams_report_or_draft_is_a_404(people) -> None:
    report = a_report(people["draft"])
    stranger = client_for(people["stranger"])
    assert stranger.get(step_url(people["draft"])).status_code == 404
    assert stranger.post(start_url(people["draft"]), {"target": "simulator"}).status_code == 404
    other = services.draft_create(
        team=people["stranger"].memberships.get().team,
        user=people["stranger"],
        title="Theirs",
        design=report_design(),
    )
    theirs = a_report(other)
    owner = client_for(people["owner"])
    assert owner.get(step_url(people["draft"]), {"report": theirs.pk}).status_code == 404
    assert owner.get(step_url(people["draft"]), {"report": report.pk}).status_code == 200


def test_a_bad_start_renders_the_step_with_the_error_beside_the_field(people) -> None:
    response = client_for(people["owner"]).post(
        start_url(people["draft"]), {"target": "api", "base_url": "not a url"}
    )
    assert response.status_code == 400
    assert response.context["step"] == "test"  # the Test step again, not another page
    errors = response.context["report_form"].errors
    assert "Enter a valid URL" in errors["base_url"][0]
    assert b"Enter a valid URL" in response.content
    assert not Report.objects.exists()


def test_countdown_while_waiting_for_an_event_from_a_real_api(people) -> None:
    report = a_report(people["draft"], status="running")
    waiting = {
        "key": "webhook:x:notify",
        "title": "Receive a notification",
        "status": "running",
        "wait_until": time.time() + 45,
    }
    Report.objects.filter(pk=report.pk).update(
        target_kind=Report.Target.API, base_url="https://api.example.com", steps=[waiting]
    )
    url = reverse("connectors:report_detail", args=[people["draft"].pk, report.pk])
    fragment = client_for(people["viewer"]).get(url, HTTP_HX_REQUEST="true")
    assert (
        fragment.status_code == 200 and b"Trigger the event in your service now" in fragment.content
    )
    seconds = int(fragment.content.split(b'class="seconds-left">')[1].split(b"<")[0])
    assert 40 <= seconds <= 45
    waiting["wait_until"] = time.time() - 5  # past: never a negative count
    Report.objects.filter(pk=report.pk).update(steps=[waiting])
    late = client_for(people["viewer"]).get(url, HTTP_HX_REQUEST="true")
    assert b'class="seconds-left">0<' in late.content
