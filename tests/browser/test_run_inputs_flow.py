"""The GitHub-style trigger from "Import from sample" runs its report with values typed in.

Its path has {owner} and {repo} without defaults, as a real connector's should: the Test step
asks for both, refuses to run without them (at the fields), and with them a real Celery worker
runs the report against the simulator, which passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from connectors.models import Report
from tests.browser.conftest import log_in
from tests.connectors.conftest import github_design
from tests.factories import make_team, make_user
from tests.worker_process import running_worker

pytestmark = pytest.mark.browser
REPORT_LIMIT_MS = 90_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def worker(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.SITE_URL = live_server.url
    settings.RUNNER_ALLOW_LOOPBACK = True
    with running_worker(live_server.url, tmp_path):
        yield


def test_the_values_typed_in_the_test_step_make_the_report_pass(page: Any, worker: None) -> None:
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="GitHub", design=github_design()
    )
    log_in(page, owner.username)
    page.goto(f"/drafts/{draft.pk}/wizard/test/")
    values = page.get_by_role("group", name="Values for the run")
    assert values.is_visible()
    owner_field, repo_field = values.get_by_label("Owner"), values.get_by_label("Repo")

    owner_field.fill("octocat")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the report").click()
    assert not Report.objects.exists()
    form = page.get_by_role("form", name="Run a test report")
    error = form.locator(".invalid-feedback, .errorlist", has_text="the path needs {repo}")
    assert error.count() == 1 and error.first.is_visible()
    assert values.get_by_label("Owner").input_value() == "octocat"  # kept as typed
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"test-values-error-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    values.get_by_label("Repo").fill("hello")
    with page.expect_navigation():
        page.get_by_role("button", name="Run the report").click()
    progress = page.locator("#report-progress")
    progress.locator(".report-status:not(.status-queued):not(.status-running)").wait_for(
        timeout=REPORT_LIMIT_MS
    )
    report = Report.objects.get()
    assert report.status == Report.Status.PASSED, report.steps
    assert report.inputs["parameters"] == {"owner": "octocat", "repo": "hello"}
    posted = [
        exchange["url"]
        for step in report.steps
        for exchange in step.get("exchanges") or []
        if exchange.get("method") == "POST"
    ]
    assert any(url.endswith("/repos/octocat/hello/hooks") for url in posted), posted
    # The next run starts from the values of the report shown.
    assert page.get_by_label("Owner").input_value() == "octocat"
    assert repo_field.input_value() == "hello"
    assert owner_field.is_visible()
