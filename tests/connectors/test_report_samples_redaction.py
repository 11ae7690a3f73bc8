"""End to end: a notification that echoes the run's API key is offered, shown and saved as a
sample with the key redacted, as the report stores it; no form of the key reaches the draft."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.urls import reverse

from connectors import services, services_reports
from connectors.domain.runner.credentials import Credentials
from connectors.models import Report
from tests.connectors.conftest import report_design
from tests.connectors.loopback_api import LoopbackApi
from tests.factories import client_for, make_team, make_user
from tests.leaks import leaked, strings

pytestmark = pytest.mark.django_db
SECRET = 'AK-echo"9\\z'


def deliver_an_echo_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The event happens when the runner waits for it: the API sends the key back in it."""

    def fire(endpoint: services_reports.DbCallbackEndpoint) -> bool:
        if not endpoint.count():
            payload = {"id": "o-9", "channel": "web", "echo": f"key={SECRET}"}
            body = json.dumps(payload).encode()
            services.hook_receive(token=endpoint.hook.token, headers={}, body=body)
        return False  # a real API: a person makes the event happen

    monkeypatch.setattr(services_reports.DbCallbackEndpoint, "fire", fire)


def test_the_sample_keeps_the_report_s_redaction(settings: Any, monkeypatch: Any) -> None:
    settings.RUNNER_CALLBACK_WAIT_SECONDS = 1
    deliver_an_echo_once(monkeypatch)
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Orders", design=report_design(polling=False)
    )
    with LoopbackApi() as api:
        report = services.report_start(
            draft=draft,
            user=owner,
            trigger_ids=[],
            target=api.base_url,
            credentials=Credentials("apiKey", api_key=SECRET),
            enqueue=False,
        )
        services.report_execute(report_id=report.pk, allow_loopback=True)
    report.refresh_from_db()
    index, notify = next(
        (n, step) for n, step in enumerate(report.steps) if step["key"].endswith(":notify")
    )
    assert json.loads(notify["received"][0]["body"])["echo"] == "key=[redacted]"
    stored = Report.objects.filter(pk=report.pk).values_list("steps", flat=True).get()
    assert leaked(strings(stored), [SECRET]) == []

    client = client_for(owner)
    url = reverse("connectors:report_sample", args=[draft.pk, report.pk, index, 1])
    page = client.get(url).content.decode()
    assert "key=[redacted]" in html.unescape(page)
    assert leaked([page, html.unescape(page)], [SECRET]) == []
    assert client.post(url, {"based_on_version": draft.version}).status_code == 302

    draft.refresh_from_db()
    sample = draft.design["triggers"][0]["notification"]["samples"][-1]
    assert sample == {"id": "o-9", "channel": "web", "echo": "key=[redacted]"}
    assert leaked(strings(draft.design), [SECRET]) == []
