"""In Chromium: a trigger parameter gets dynamic values on the trigger page (an imported action
lists them), the export carries both extensions, and a report against a loopback API shows the
listed choices under their step. Both pages pass axe-core and fit 390 px (screenshots in
``var/screenshots/``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors import services
from connectors.domain.runner.credentials import Credentials
from tests.browser.conftest import log_in
from tests.browser.test_pages import check_at_both_widths
from tests.connectors.domain.runner.runner_fakes import API_KEY
from tests.connectors.dynamic_fakes import PROJECT_VALUES, ListApi, dynamic_design
from tests.factories import make_team, make_user

pytestmark = pytest.mark.browser


def test_dynamic_values_from_the_trigger_page_to_the_report(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.RUNNER_ALLOW_LOOPBACK = True
    settings.RUNNER_MAX_POLLS = 1
    settings.RUNNER_MAX_SLEEP_SECONDS = 0
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner),
        user=owner,
        title="Projects",
        design=dynamic_design(with_values=False),
    )
    log_in(page, owner.username)
    page.goto(f"/drafts/{draft.pk}/wizard/triggers/0/?tab=request")

    values = page.locator("#dynamic-2")  # the third row: `project`
    assert values.locator("legend").inner_text() == "Values of project"
    operation = values.get_by_label("Operation that lists the values")
    assert not operation.is_visible()  # Static: the dynamic fields wait
    values.get_by_label("Values of project").select_option("dynamic")
    assert operation.is_visible()
    assert operation.locator("option").all_inner_texts() == [
        "Choose an operation",
        "ListProjects: List projects",
    ]
    operation.select_option("ListProjects")
    values.get_by_label("project: operation parameter 1").select_option("team")
    values.get_by_label("project: value from 1").select_option("parameter:team")
    values.get_by_label("project: operation parameter 2").select_option("active")
    values.get_by_label("project: fixed value 2").fill("true")
    values.get_by_label("Value collection").fill("value")
    values.get_by_label("Value path").fill("id")
    values.get_by_label("Title path").fill("name")
    with page.expect_navigation():
        page.locator("button[data-save]").click()
    assert "tab=request" in page.url

    # The saved page shows the values chosen; the editor is clean at both widths.
    saved = page.locator("#dynamic-2")
    assert saved.get_by_label("Operation that lists the values").input_value() == "ListProjects"
    assert check_at_both_widths(page, "wizard-trigger-dynamic-values") == []

    download = page.request.get(f"/drafts/{draft.pk}/download/apiDefinition.swagger.json")
    exported = json.loads(download.text())
    project = exported["paths"]["/items"]["get"]["parameters"][-1]
    assert project["name"] == "project"
    assert project["x-ms-dynamic-values"] == PROJECT_VALUES["x-ms-dynamic-values"]
    assert project["x-ms-dynamic-list"] == PROJECT_VALUES["x-ms-dynamic-list"]

    draft.refresh_from_db()  # the version the page saved
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
    page.goto(f"/drafts/{draft.pk}/reports/{report.pk}/")
    step = page.locator("li.step", has_text="List the values of project")
    assert "passed" in step.locator(".status").first.inner_text()
    choices = step.locator(".choice-list li")
    assert choices.count() == 50
    assert choices.first.inner_text() == "Project 1 1"
    assert "the first 50 of 60" in step.locator(".choices summary").inner_text()
    assert check_at_both_widths(page, "report-dynamic-values") == []
