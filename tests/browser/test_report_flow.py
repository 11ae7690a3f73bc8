"""From the wizard's Test step, a real Celery worker runs the report against the simulator.

The simulator and the callback receiver are served by the live server; the worker is a real
subprocess on the test's broker. A correct publisher passes; with the "no Location" fault mode
switched on, the same trigger fails with the finding that names the problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from tests.browser.conftest import console_errors, log_in
from tests.connectors.conftest import report_design
from tests.factories import make_team, make_user
from tests.worker_process import running_worker

pytestmark = pytest.mark.browser
REPORT_LIMIT_MS = 90_000


@pytest.fixture
def worker(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SITE_URL = live_server.url
    settings.RUNNER_ALLOW_LOOPBACK = True
    with running_worker(live_server.url, tmp_path):
        yield


def run_report(page: Any, fault_label: str) -> Any:
    page.get_by_label("The built-in simulator").check()
    page.get_by_label("Simulator fault mode").select_option(label=fault_label)
    page.get_by_label("API key").fill("key-for-the-run")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the report").click()
    progress = page.locator("#report-progress")
    # htmx polls the fragment every second until the report ends (and then stops polling).
    progress.locator(".report-status:not(.status-queued):not(.status-running)").wait_for(
        timeout=REPORT_LIMIT_MS
    )
    return progress


def test_run_from_the_wizard_passes_then_a_fault_mode_fails_with_its_finding(
    page: Any, worker: None
) -> None:
    owner = make_user()
    team = make_team(owner=owner)
    draft = services.draft_create(
        team=team, user=owner, title="Orders", design=report_design(polling=False)
    )
    console = console_errors(page)
    log_in(page, owner.username)
    page.goto(f"/drafts/{draft.pk}/wizard/test/")

    passed = run_report(page, "No fault: a correct publisher")
    assert passed.locator(".report-status").inner_text() == "Status: Passed"
    assert passed.locator("li.step.status-passed").count() >= 4
    assert passed.locator("svg.sequence:visible").count() == 1  # one of its two drawings
    assert "key-for-the-run" not in page.content()

    failed = run_report(page, "Registration answers without Location")
    assert failed.locator(".report-status").inner_text() == "Status: Failed"
    finding = failed.locator(
        "li.step.status-failed .findings li", has_text="RegistrationMissingLocation"
    )
    assert finding.count() == 1
    assert "no Location header" in finding.inner_text()
    # Both reports stay in the draft's history, newest first.
    recent = page.locator(".recent-reports li")
    assert recent.count() == 2
    assert "Failed" in recent.nth(0).inner_text() and "Passed" in recent.nth(1).inner_text()
    # The polled fragment refreshed the badge in the list in place: no stray copy, no htmx
    # error (an out-of-band swap without its target) on the console.
    assert page.locator(f"#recent-status-{draft.reports.latest('pk').pk}").count() == 1
    assert page.locator("[hx-swap-oob]").count() == 0
    assert console == [], console
