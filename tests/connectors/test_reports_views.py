"""Report pages: team scoped, viewers cannot start, CSRF enforced, polling stops at the end."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import Report
from tests.connectors.conftest import a_report
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def start_url(draft: Any) -> str:
    return reverse("connectors:report_list", args=[draft.pk])


def test_owner_starts_a_report_queued_on_commit(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr("connectors.tasks.report_run.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["owner"]).post(
            start_url(people["draft"]),
            {"target": "simulator", "fault": "none", "api_key": "k-123456"},
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "connectors:report_detail", args=[people["draft"].pk, report.pk]
    )
    assert queued == [report.pk] and report.status == "queued"
    assert "k-123456" not in report.credentials_sealed
    assert services.credentials_open(report.credentials_sealed).api_key == "k-123456"


def test_viewer_cannot_start_403_and_sees_no_form(people) -> None:
    client = client_for(people["viewer"])
    assert client.post(start_url(people["draft"]), {"target": "simulator"}).status_code == 403
    page = client.get(start_url(people["draft"]))
    assert page.status_code == 200 and b"Run the report" not in page.content
    assert not Report.objects.exists()


def test_other_team_gets_404_everywhere(people) -> None:
    report = a_report(people["draft"])
    client = client_for(people["stranger"])
    draft_id = people["draft"].pk
    for name, args in [
        ("report_list", [draft_id]),
        ("report_detail", [draft_id, report.pk]),
        ("report_json", [draft_id, report.pk]),
        ("report_junit", [draft_id, report.pk]),
    ]:
        assert client.get(reverse(f"connectors:{name}", args=args)).status_code == 404, name
    assert client.post(start_url(people["draft"]), {"target": "simulator"}).status_code == 404


def test_start_needs_the_csrf_token(people) -> None:
    client = client_for(people["owner"], csrf=True)
    assert client.post(start_url(people["draft"]), {"target": "simulator"}).status_code == 403
    page = client.get(start_url(people["draft"]))
    token = page.cookies["csrftoken"].value
    with_token = client.post(
        start_url(people["draft"]), {"target": "simulator", "csrfmiddlewaretoken": token}
    )
    assert with_token.status_code == 302


def test_api_target_needs_a_url(people) -> None:
    response = client_for(people["owner"]).post(
        start_url(people["draft"]), {"target": "api", "base_url": ""}
    )
    assert response.status_code == 400 and b"base URL" in response.content


def test_progress_polls_while_running_and_stops_with_286_when_ended(people) -> None:
    report = a_report(people["draft"], status="running")
    url = reverse("connectors:report_detail", args=[people["draft"].pk, report.pk])
    client = client_for(people["viewer"])
    running = client.get(url, HTTP_HX_REQUEST="true")
    assert running.status_code == 200 and b'hx-trigger="every 1s"' in running.content
    assert b"<html" not in running.content  # only the fragment
    Report.objects.filter(pk=report.pk).update(status="passed")
    ended = client.get(url, HTTP_HX_REQUEST="true")
    assert ended.status_code == 286 and b"hx-trigger" not in ended.content


STEP = {
    "key": "webhook:register",
    "title": "Register <script>alert(1)</script>",
    "status": "failed",
    "duration_ms": 12,
    "exchanges": [
        {
            "method": "POST",
            "url": "http://api.example.com/<script>x</script>",
            "request_headers": {},
            "request_body": None,
            "status": 500,
            "response_headers": {},
            "response_body": "<b>boom</b>",
            "duration_ms": 12,
            "error": None,
        }
    ],
    "findings": [
        {
            "code": "RegistrationFailed",
            "severity": "error",
            "message": "It failed.",
            "pointer": None,
        }
    ],
    "detail": "",
}


def test_page_shows_steps_exchanges_and_an_escaped_svg_diagram(people) -> None:
    report = a_report(people["draft"], status="failed", steps=[STEP])
    page = client_for(people["viewer"]).get(
        reverse("connectors:report_detail", args=[people["draft"].pk, report.pk])
    )
    html = page.content.decode()
    assert "<svg" in html and "<details" in html and "RegistrationFailed" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_downloads_json_and_junit(people) -> None:
    report = a_report(people["draft"], status="failed", steps=[STEP])
    client = client_for(people["viewer"])
    args = [people["draft"].pk, report.pk]
    document = json.loads(client.get(reverse("connectors:report_json", args=args)).content)
    assert document["status"] == "failed" and document["steps"][0]["key"] == "webhook:register"
    xml = client.get(reverse("connectors:report_junit", args=args)).content.decode()
    assert "<testsuite" in xml and 'type="RegistrationFailed"' in xml


def test_history_lists_the_drafts_reports(people) -> None:
    first, second = a_report(people["draft"]), a_report(people["draft"], status="passed")
    page = client_for(people["viewer"]).get(start_url(people["draft"])).content.decode()
    assert page.index(f"#{second.pk}") < page.index(f"#{first.pk}")


def test_the_wizard_page_shows_the_recent_status_once(people) -> None:
    """The out-of-band status is for htmx's polled fragment; in the whole Test step it would
    be a second badge (and a second element with the recent list's id)."""
    report = a_report(people["draft"], status="failed")
    page = client_for(people["viewer"]).get(
        reverse("connectors:wizard_step", args=[people["draft"].pk, "test"])
    )
    html = page.content.decode()
    assert html.count(f'id="recent-status-{report.pk}"') == 1
    assert "hx-swap-oob" not in html


def test_report_summary_counts_the_steps_by_status(people) -> None:
    steps = [
        {"key": "a", "title": "A", "status": "passed"},
        {"key": "b", "title": "B", "status": "passed"},
        {"key": "c", "title": "C", "status": "failed"},
        {"key": "d", "title": "D", "status": "skipped"},
    ]
    report = a_report(people["draft"], status="failed", steps=steps)
    html = (
        client_for(people["viewer"])
        .get(reverse("connectors:report_detail", args=[people["draft"].pk, report.pk]))
        .content.decode()
    )
    summary = html[
        html.index('class="step-counts"') : html.index("</p>", html.index("step-counts"))
    ]
    assert ">2 passed<" in summary and ">1 failed<" in summary and ">1 skipped<" in summary
    assert "error" not in summary and "running" not in summary
