"""Report pages: team scoped, viewers cannot start, CSRF enforced, polling stops at the end."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

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
        html.index('class="step-counts"') : html.index("</ul>", html.index("step-counts"))
    ]
    assert ">2 passed<" in summary and ">1 failed<" in summary and ">1 skipped<" in summary
    assert "error" not in summary and "running" not in summary


def detail_html(people: Any, report: Report, **params: str) -> str:
    url = reverse("connectors:report_detail", args=[people["draft"].pk, report.pk])
    return client_for(people["viewer"]).get(url, params).content.decode()


def step_fold(html: str, number: int, report: Report) -> str:
    """The opening <details> tag of step ``number``."""
    start = html.index(f'id="report-{report.pk}-step-{number}"')
    return html[html.index("<details", start) : html.index(">", html.index("<details", start))]


def test_the_failing_steps_are_open_and_the_passing_ones_folded(people) -> None:
    warned = {
        "key": "w",
        "title": "W",
        "status": "passed",
        "findings": [{"code": "W1", "severity": "warning", "message": "Mind it.", "pointer": None}],
    }
    steps = [
        {"key": "a", "title": "A", "status": "passed", "detail": "fine"},
        STEP,
        {"key": "c", "title": "C", "status": "skipped"},
        warned,
        {"key": "e", "title": "E", "status": "error"},
    ]
    report = a_report(people["draft"], status="failed", steps=steps)
    html = detail_html(people, report)
    opened = [" open" in step_fold(html, number, report) for number in range(1, 6)]
    assert opened == [False, True, False, True, True]
    # The summary links to the steps that went wrong (failed or error), not to the others.
    facts = html[html.index('class="report-facts"') : html.index("</dl>")]
    links = [int(n) for n in re.findall(rf'href="#report-{report.pk}-step-(\d+)"', facts)]
    assert links == [2, 5]
    # The failing step shows its exchange (request and response) open, and the finding's text.
    failing = html[
        html.index(f'id="report-{report.pk}-step-2"') : html.index(
            f'id="report-{report.pk}-step-3"'
        )
    ]
    assert '<details class="exchange" open>' in failing
    assert "It failed." in failing and "&lt;b&gt;boom&lt;/b&gt;" in failing


def test_the_summary_names_target_triggers_time_and_duration(people) -> None:
    started = timezone.now() - timedelta(seconds=75)
    report = a_report(
        people["draft"],
        status="passed",
        trigger_ids=["OnOrderCreated"],
        started_at=started,
        finished_at=started + timedelta(seconds=6.25),
    )
    html = detail_html(people, report)
    facts = html[html.index('class="report-facts"') : html.index("</dl>")]
    assert "The built-in simulator, fault mode: No fault" in facts
    assert "When an order is created" in facts and "When an order is updated" not in facts
    assert "<dd>6.2 s</dd>" in facts
    assert f"by system, version {report.design_version}" in facts


def test_a_full_page_never_prints_the_out_of_band_badge(people) -> None:
    report = a_report(people["draft"], status="passed")
    html = detail_html(people, report, in_wizard="1")
    assert "hx-swap-oob" not in html and f'id="recent-status-{report.pk}"' not in html


def test_the_wizard_step_fetched_by_htmx_has_no_out_of_band_badge(people) -> None:
    """The stepper fetches the Test step with htmx: its fragment holds the recent list itself;
    an out-of-band copy of a badge would print as stray text or find no target."""
    report = a_report(people["draft"], status="failed")
    page = client_for(people["viewer"]).get(
        reverse("connectors:wizard_step", args=[people["draft"].pk, "test"]),
        HTTP_HX_REQUEST="true",
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'id="report-progress"' in html
    assert html.count(f'id="recent-status-{report.pk}"') == 1
    assert "hx-swap-oob" not in html


def test_the_polled_badge_only_for_a_report_in_the_recent_list(people) -> None:
    old = a_report(people["draft"], status="running")
    for _ in range(5):
        a_report(people["draft"], status="passed")
    url = reverse("connectors:report_detail", args=[people["draft"].pk, old.pk])
    client = client_for(people["viewer"])
    fragment = client.get(url, {"in_wizard": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="report-progress"' in fragment and "hx-swap-oob" not in fragment
    newest = Report.objects.order_by("-pk").first()
    assert newest is not None
    url = reverse("connectors:report_detail", args=[people["draft"].pk, newest.pk])
    fragment = client.get(url, {"in_wizard": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'<span id="recent-status-{newest.pk}"' in fragment and "hx-swap-oob" in fragment


def test_a_passing_step_that_lists_choices_stays_open(people) -> None:
    listed = {
        "key": "dynamic:p",
        "title": "List the values",
        "status": "passed",
        "data": {
            "parameter": "p",
            "operation": "ListP",
            "total": 1,
            "choices": [{"title": "One", "value": "1"}],
        },
    }
    plain = {"key": "a", "title": "A", "status": "passed", "data": {"choices": []}}
    report = a_report(people["draft"], status="passed", steps=[listed, plain])
    html = detail_html(people, report)
    assert " open" in step_fold(html, 1, report) and " open" not in step_fold(html, 2, report)
    assert 'class="choice-title">One</span>' in html


def test_a_passing_step_that_received_a_notification_stays_open(people) -> None:
    """Its "Use as a notification sample" is the step's point: shown, not folded."""
    received = {"number": 1, "json": True, "body": '{"id": 1}'}
    steps = [
        {"key": "webhook:OnOrderCreated:notify", "title": "Receive", "status": "passed",
         "received": [received]},
        {"key": "webhook:OnOrderCreated:deliver-once", "title": "Once", "status": "passed",
         "received": [{**received, "json": False}]},
    ]  # fmt: skip
    report = a_report(people["draft"], status="passed", steps=steps)
    html = detail_html(people, report)
    assert " open" in step_fold(html, 1, report) and " open" not in step_fold(html, 2, report)
    assert html.count("Use as a notification sample") == 1
