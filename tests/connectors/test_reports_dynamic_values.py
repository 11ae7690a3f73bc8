"""End to end: a report against a loopback API lists a trigger parameter's dynamic values (the
step stores its choices) and the report page shows them under that step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from connectors import services
from connectors.domain.runner.credentials import Credentials
from tests.connectors.domain.runner.runner_fakes import API_KEY
from tests.connectors.dynamic_fakes import ListApi, dynamic_design
from tests.factories import client_for, make_team, make_user

pytestmark = pytest.mark.django_db


def test_the_report_page_lists_the_choices_under_their_step(settings: Any) -> None:
    settings.RUNNER_MAX_POLLS = 1
    settings.RUNNER_MAX_SLEEP_SECONDS = 0
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Projects", design=dynamic_design()
    )
    with ListApi() as api:
        report = services.report_start(
            draft=draft,
            user=owner,
            trigger_ids=[],
            target=api.base_url,
            credentials=Credentials("apiKey", api_key=API_KEY),
            enqueue=False,
        )
        services.report_execute(report_id=report.pk, allow_loopback=True)
    report.refresh_from_db()
    step = next(s for s in report.steps if s["key"].startswith("dynamic:"))
    assert step["status"] == "passed"
    assert step["data"]["choices"][:2] == [
        {"value": 1, "title": "Project 1"},
        {"value": 2, "title": "Project 2"},
    ]

    client = client_for(owner)
    page = client.get(reverse("connectors:report_detail", args=[draft.pk, report.pk]))
    html = page.content.decode()
    assert "List the values of project" in html
    assert "listed by <code>ListProjects</code>: the first 50 of 60" in html
    assert (
        '<span class="choice-title">Project 50</span> <code class="choice-value">50</code>' in html
    )
    assert 'choice-title">Project 51<' not in html  # (the answer in the exchange has it)
    # Under its own step in the list of steps (the diagram above names the steps too): after
    # its title, before the next step's.
    steps = html[html.index('class="steps timeline"') :]
    start = steps.index("List the values of project")
    assert start < steps.index('choice-title">Project 1<') < steps.index("First call (baseline)")
    assert API_KEY not in html

    # The Test step offers the listed values for the next run's "project" value.
    test_step = reverse("connectors:wizard_step", args=[draft.pk, "test"])
    form = client.get(f"{test_step}?report={report.pk}").content.decode()
    field = form.split('name="value:project"')[1].split(">")[0]
    assert 'list="report_choices_' in field
    datalist = form.split('<datalist id="report_choices_')[1].split("</datalist>")[0]
    assert '<option value="1">Project 1</option>' in datalist
    assert datalist.count("<option") == 50
    assert "Pick one of the 50 values the last report listed, or type one." in form
