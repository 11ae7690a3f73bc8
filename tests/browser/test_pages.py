"""Every kind of page, opened in Chromium: each loads under the Content-Security-Policy with no
violation (the ``new_page`` fixture fails a test on any), and the policy forbids inline script,
eval and inline style."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from connectors.models import Report
from tests.browser.conftest import log_in
from tests.factories import make_team, make_user

pytestmark = pytest.mark.browser
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev"


@dataclass
class World:
    team_id: int
    draft_id: int
    report_id: int


@pytest.fixture
def world(transactional_db: None) -> World:
    owner = make_user("olivia", is_staff=True)
    team = make_team("Integrations", owner=owner)
    swagger = (CORPUS / "Pushcut" / "apiDefinition.swagger.json").read_bytes()
    draft = services.draft_import(team=team, user=owner, swagger=swagger).draft
    design = draft.design
    design["general"]["description"] = "Push notifications to iOS devices, edited."
    services.draft_save(
        draft=draft, user=owner, design=design, based_on_version=draft.version, message="Edit"
    )
    report = services.report_start(
        draft=draft, user=owner, trigger_ids=[], target="simulator", enqueue=False
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PASSED)
    return World(team_id=team.pk, draft_id=draft.pk, report_id=report.pk)


def page_paths(world: World) -> list[str]:
    draft = f"/drafts/{world.draft_id}"
    return [
        "/drafts/",
        "/drafts/new/",
        "/drafts/import/",
        "/drafts/trash/",
        "/teams/new/",
        f"/teams/{world.team_id}/members/",
        *(f"{draft}/wizard/{step}/" for step in ("general", "security", "definition")),
        f"{draft}/wizard/triggers/0/",
        f"{draft}/wizard/test/",
        f"{draft}/wizard/review/",
        f"{draft}/history/",
        f"{draft}/history/diff/?old=1&new=2",
        f"{draft}/reports/",
        f"{draft}/reports/{world.report_id}/",
        "/accounts/password_change/",
        "/admin/",
    ]


def test_every_page_kind_loads_under_the_policy(page: Any, world: World) -> None:
    page.goto("/accounts/login/")
    assert _policy(page.goto("/accounts/login/"))
    log_in(page, "olivia")
    for path in page_paths(world):
        response = page.goto(path)
        assert response.status == 200, path
        policy = _policy(response)
        assert "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        page.wait_for_load_state("networkidle")


def test_the_violation_check_notices_an_inline_script(
    page: Any, world: World, csp_violations: list[str]
) -> None:
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'document.title = \"ran\"'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.title() != "ran"
    assert any("Content Security Policy" in seen for seen in csp_violations)
    csp_violations.clear()  # seen on purpose: the fixture must not fail this test for it


def _policy(response: Any) -> str:
    return str(response.headers.get("content-security-policy", ""))
