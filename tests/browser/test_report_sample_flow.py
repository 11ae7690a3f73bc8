"""From a report against a real (loopback) API, a received notification becomes a sample.

A tiny threaded HTTP server plays "My API": it accepts the registration POST, answers 201 with
a Location, POSTs a notification (with a property the trigger's schema does not have yet) to
the callback URL it found in the registration body, and accepts the DELETEs. A real Celery
worker runs the report from the wizard's Test step; two clicks later the trigger's schema has
the new property. The preview page passes axe and has no sideways scroll at 390 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from tests.browser.conftest import log_in
from tests.browser.test_pages import DESKTOP, PHONE, SCREENSHOTS, axe_violations, sideways_overflow
from tests.browser.test_report_flow import REPORT_LIMIT_MS
from tests.connectors.conftest import a_report, report_design
from tests.connectors.loopback_api import LoopbackApi
from tests.connectors.views.test_report_samples import NOTIFY, kept, steps
from tests.factories import make_team, make_user
from tests.worker_process import running_worker

pytestmark = pytest.mark.browser
NOTIFICATION = {"id": "o-2", "total": 20.5, "channel": "web"}


@pytest.fixture
def api(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[LoopbackApi]:
    settings.SITE_URL = live_server.url
    settings.RUNNER_ALLOW_LOOPBACK = True
    with LoopbackApi(NOTIFICATION) as fake, running_worker(live_server.url, tmp_path):
        yield fake


def look_at(page: Any, name: str) -> None:
    """Screenshots at both widths; axe finds nothing, and nothing scrolls sideways on a phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
        assert axe_violations(page) == []
        if size is PHONE:
            assert sideways_overflow(page) == []
    page.set_viewport_size(DESKTOP)


def test_a_received_notification_becomes_a_sample_in_two_clicks(
    page: Any, api: LoopbackApi
) -> None:
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Orders", design=report_design(polling=False)
    )
    log_in(page, owner.username)
    page.goto(f"/drafts/{draft.pk}/wizard/test/")
    page.get_by_label("My API").check()
    page.get_by_label("API base URL").fill(api.base_url)
    page.get_by_label("API key").fill("key-for-the-run")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the report").click()
    progress = page.locator("#report-progress")
    progress.locator(".report-status:not(.status-queued):not(.status-running)").wait_for(
        timeout=REPORT_LIMIT_MS
    )
    assert api.delivered and api.delivered[0] == 202
    look_at(page, "report-sample-button")

    # Click 1: the button sits in the step that received the notification.
    step = progress.locator("li.step", has_text="Receive a notification")
    with page.expect_navigation():
        step.get_by_role("link", name="Use as a notification sample").first.click()
    added = page.locator(".schema-change.change-added")
    assert added.count() == 1
    assert "channel" in added.inner_text() and "/channel" in added.inner_text()
    assert '"channel": "web"' in page.locator(".sample-json").first.inner_text()
    look_at(page, "report-sample")

    # Click 2: saved; the trigger page's schema has the new property.
    with page.expect_navigation():
        page.get_by_role("button", name="Add sample and update schema").click()
    assert f"/drafts/{draft.pk}/wizard/triggers/0/?tab=response" in page.url
    names = page.locator(".schema-tree .schema-name").all_inner_texts()
    assert "channel" in names
    draft.refresh_from_db()
    samples = draft.design["triggers"][0]["notification"]["samples"]
    assert samples[-1] == NOTIFICATION


def test_a_trigger_removed_since_the_report_gets_a_clear_page(page: Any, live_server: Any) -> None:
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Orders", design=report_design()
    )
    report = a_report(draft, status="passed", steps=steps(kept(1, NOTIFICATION)))
    design = services.draft_design(draft=draft)
    design["triggers"] = design["triggers"][1:]  # the webhook goes, the polling trigger stays
    services.draft_save(draft=draft, user=owner, design=design, based_on_version=draft.version)
    log_in(page, owner.username)
    page.goto(f"/drafts/{draft.pk}/reports/{report.pk}/")
    look_at(page, "report-sample-report")
    with page.expect_navigation():
        page.get_by_role("link", name="Use as a notification sample").click()
    assert page.locator("h1").inner_text() == "This notification cannot become a sample"
    assert "no longer has a trigger with the operation ID" in page.locator(".alert").inner_text()
    assert f"/steps/{NOTIFY}/notifications/1/sample/" in page.url
    look_at(page, "report-sample-unavailable")
