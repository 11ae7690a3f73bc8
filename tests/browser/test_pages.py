"""Every kind of page, opened in Chromium: the page-kind suite.

Each page kind is its own test. It opens the page the way a person gets there (a link, a form
sent, two saves of one version), then, at 1280 and at 390 px wide:

- writes a full-page screenshot to ``var/screenshots/<kind>-<width>.png`` (on every run, also
  when the checks fail: that is when it is needed most);
- runs axe-core (WCAG 2.1 A and AA, and axe's best practices) and wants zero violations;
- at 390 px, wants no sideways scrolling of the document.

Every page loads under the strict Content-Security-Policy with no violation (the ``new_page``
fixture fails a test on any) and the policy header forbids inline script, eval and inline style.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from connectors import selectors, services
from connectors.invitation_links import invitation_url
from connectors.models import ConnectorDraft, Invitation, Membership, Report
from tests.browser.conftest import PASSWORD, log_in
from tests.connectors.conftest import github_design, report_design
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus" / "dev"
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
TRIGGER_TABS = ("general", "request", "response", "config", "validation")
BROKEN_JSON = b'{\n  "swagger": "2.0",\n  "paths": {,}\n}'


class World:
    """The data a page kind needs, made when first asked for (each test has an empty database)."""

    def __init__(self, live_server_url: str) -> None:
        self.url = live_server_url

    @functools.cached_property
    def owner(self) -> Any:
        return make_user("olivia", is_staff=True)

    @functools.cached_property
    def team(self) -> Any:
        return make_team("Integrations", owner=self.owner)

    @functools.cached_property
    def pushcut(self) -> ConnectorDraft:
        """An imported connector with lint findings and a second revision that renames its
        trigger (a breaking change), by another member of the team."""
        editor = make_user("eddie")
        add_member(self.team, editor)
        swagger = (CORPUS / "Pushcut" / "apiDefinition.swagger.json").read_bytes()
        draft = services.draft_import(team=self.team, user=self.owner, swagger=swagger).draft
        design = draft.design
        design["triggers"][0]["operationId"] = "OnActionExecuted"
        return services.draft_save(
            draft=draft,
            user=editor,
            design=design,
            based_on_version=draft.version,
            message="Renamed the trigger",
        )

    @functools.cached_property
    def empty_draft(self) -> ConnectorDraft:
        return make_draft(self.team, self.owner, "Invoices")

    def trashed(self) -> ConnectorDraft:
        draft = make_draft(self.team, self.owner, "Old invoices")
        services.draft_trash(draft=draft, user=self.owner)
        return draft

    def invitation(self, email: str = "newbie@example.com") -> Invitation:
        return services.invitation_send(
            team=self.team, email=email, role=Membership.Role.EDITOR, invited_by=self.owner
        )

    def link_path(self, invitation: Invitation) -> str:
        return urlsplit(invitation_url(invitation)).path

    @functools.cached_property
    def orders(self) -> ConnectorDraft:
        """A webhook trigger the simulator can serve (and pass, with no fault)."""
        return services.draft_create(
            team=self.team, user=self.owner, title="Orders", design=report_design(polling=False)
        )

    @functools.cached_property
    def github(self) -> ConnectorDraft:
        """The GitHub-style webhook: path parameters {owner} and {repo} without defaults."""
        return services.draft_create(
            team=self.team, user=self.owner, title="GitHub", design=github_design()
        )

    def report(self, fault: str) -> Report:
        """A simulator report of ``orders``, run here and now against the live server."""
        started = services.report_start(
            draft=self.orders,
            user=self.owner,
            trigger_ids=[],
            target="simulator",
            fault=fault,
            enqueue=False,
        )
        services.report_execute(report_id=started.pk, allow_loopback=True)
        started.refresh_from_db()
        return started

    def log_in(self, page: Any, user: Any = None) -> None:
        log_in(page, (user or self.owner).get_username())


# -- How a person gets to each kind of page: each returns the page's HTTP response ------------


def submit(page: Any, button: Any) -> Any:
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def login_page(page: Any, world: World) -> Any:
    return page.goto("/accounts/login/")


def login_error(page: Any, world: World) -> Any:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", world.owner.get_username())
    page.fill("input[name=password]", "wrong-password")
    return submit(page, page.get_by_role("button", name="Log in"))


def locked_out(page: Any, world: World) -> Any:
    """Wrong passwords until the log-in is paused (the last answer is the locked-out page)."""
    user = world.owner
    page.goto("/accounts/login/")
    response = None
    for _ in range(django_settings.AXES_FAILURE_LIMIT + 1):
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", "wrong-password")
        response = submit(page, page.get_by_role("button", name="Log in"))
        if response.status == 429:
            break
    return response


def password_change(page: Any, world: World) -> Any:
    world.log_in(page)
    return page.goto("/accounts/password_change/")


def password_changed(page: Any, world: World) -> Any:
    world.log_in(page)
    page.goto("/accounts/password_change/")
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("plum-orchard-sails-42")
    page.get_by_label("New password confirmation").fill("plum-orchard-sails-42")
    return submit(page, page.get_by_role("button", name="Change password"))


def drafts(page: Any, world: World) -> Any:
    world.pushcut, world.empty_draft  # noqa: B018 (made for the list)
    world.log_in(page)
    return page.goto("/drafts/")


def drafts_toast(page: Any, world: World) -> Any:
    """The draft list after duplicating a draft: its confirmation is a toast."""
    drafts(page, world)
    return submit(page, page.get_by_role("button", name="Duplicate Invoices"))


def drafts_empty(page: Any, world: World) -> Any:
    world.team  # noqa: B018 (a team without drafts)
    world.log_in(page)
    return page.goto("/drafts/")


def drafts_no_team(page: Any, world: World) -> Any:
    world.log_in(page, make_user("nora"))
    return page.goto("/drafts/")


def trash_empty(page: Any, world: World) -> Any:
    world.empty_draft  # noqa: B018 (a draft that is not in the trash)
    world.log_in(page)
    return page.goto("/drafts/trash/")


def trash(page: Any, world: World) -> Any:
    world.trashed()
    world.log_in(page)
    return page.goto("/drafts/trash/")


def new_draft(page: Any, world: World) -> Any:
    world.team  # noqa: B018
    world.log_in(page)
    return page.goto("/drafts/new/")


def new_draft_error(page: Any, world: World) -> Any:
    new_draft(page, world)
    page.fill("input[name=title]", "   ")
    return submit(page, page.get_by_role("button", name="Create draft"))


def import_page(page: Any, world: World) -> Any:
    world.team  # noqa: B018
    world.log_in(page)
    return page.goto("/drafts/import/")


def import_error(page: Any, world: World) -> Any:
    import_page(page, world)
    page.set_input_files(
        "input[name=swagger]",
        files=[{"name": "api.json", "mimeType": "application/json", "buffer": BROKEN_JSON}],
    )
    return submit(page, page.get_by_role("button", name="Import"))


def import_too_large(page: Any, world: World) -> Any:
    """Files larger than the import takes together: the 413 answer, shown in the page."""
    import_page(page, world)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    too_large = b" " * (23 * 1024 * 1024)
    response = page.request.post(
        "/drafts/import/",
        multipart={
            "csrfmiddlewaretoken": token,
            "swagger": {"name": "api.json", "mimeType": "application/json", "buffer": too_large},
        },
        headers={"Referer": page.url},
    )
    page.set_content(response.text())  # the browser keeps the page's address and policy
    return response


def new_team(page: Any, world: World) -> Any:
    world.team  # noqa: B018
    world.log_in(page)
    return page.goto("/teams/new/")


def members(page: Any, world: World) -> Any:
    world.pushcut  # noqa: B018 (adds an editor)
    world.invitation()
    world.log_in(page)
    return page.goto(f"/teams/{world.team.pk}/members/")


def members_as_viewer(page: Any, world: World) -> Any:
    viewer = make_user("vera")
    add_member(world.team, viewer, Membership.Role.VIEWER)
    world.log_in(page, viewer)
    return page.goto(f"/teams/{world.team.pk}/members/")


def invitation_sign_up(page: Any, world: World) -> Any:
    return page.goto(world.link_path(world.invitation()))


def invitation_used(page: Any, world: World) -> Any:
    invitation = world.invitation()
    services.invitation_accept(invitation=invitation, user=make_user("newbie"))
    return page.goto(world.link_path(invitation))


def invitation_expired(page: Any, world: World) -> Any:
    invitation = world.invitation()
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=django_settings.INVITATION_MAX_AGE_DAYS + 1)
    )
    return page.goto(world.link_path(invitation))


def history(page: Any, world: World) -> Any:
    world.log_in(page)
    return page.goto(f"/drafts/{world.pushcut.pk}/history/")


def drafts_paged(page: Any, world: World) -> Any:
    """The second page of a team's long draft list (its pager: previous, numbers, next)."""
    world.empty_draft  # noqa: B018
    for number in range(2 * selectors.DRAFTS_PER_PAGE + 5):
        make_draft(world.team, world.owner, f"Connector {number:03d}")
    world.log_in(page)
    return page.goto("/drafts/?sort=title&page=2")


def history_paged(page: Any, world: World) -> Any:
    """The second page of a long history, the downloaded revision older than the page."""
    draft = services.draft_mark_downloaded(draft=world.pushcut, version=1)
    design = draft.design
    for number in range(2 * selectors.REVISIONS_PER_PAGE + 5):
        design["general"]["description"] = f"Saved {number}."
        draft = services.draft_save(
            draft=draft, user=world.owner, design=design, based_on_version=draft.version
        )
    world.log_in(page)
    return page.goto(f"/drafts/{draft.pk}/history/?page=2")


def diff(page: Any, world: World) -> Any:
    world.log_in(page)
    return page.goto(f"/drafts/{world.pushcut.pk}/history/diff/?old=1&new=2")


def restore_conflict(page: Any, world: World) -> Any:
    """Restore revision 1 from a history page that a teammate's save has made stale."""
    draft = world.pushcut
    history(page, world)
    services.draft_save(
        draft=draft, user=world.owner, design=draft.design, based_on_version=draft.version
    )
    return submit(page, page.get_by_role("button", name="Restore revision 1"))


def restore_invalid(page: Any, world: World) -> Any:
    """A restore whose form lost the version it was based on."""
    history(page, world)
    page.locator("input[name=based_on_version]").first.evaluate("input => input.remove()")
    return submit(page, page.get_by_role("button", name="Restore revision 1"))


def reports(page: Any, world: World) -> Any:
    report = world.report("none")
    world.report("no_location")
    world.log_in(page)
    return page.goto(f"/drafts/{report.draft_id}/reports/")


def report_passed(page: Any, world: World) -> Any:
    report = world.report("none")
    assert report.status == Report.Status.PASSED, report.steps
    world.log_in(page)
    return page.goto(f"/drafts/{report.draft_id}/reports/{report.pk}/")


def report_failed(page: Any, world: World) -> Any:
    report = world.report("no_location")
    assert report.status == Report.Status.FAILED, report.steps
    world.log_in(page)
    return page.goto(f"/drafts/{report.draft_id}/reports/{report.pk}/")


def wizard(step: str) -> Callable[[Any, World], Any]:
    def visit(page: Any, world: World) -> Any:
        world.log_in(page)
        return page.goto(f"/drafts/{world.pushcut.pk}/wizard/{step}/")

    return visit


def wizard_definition_empty(page: Any, world: World) -> Any:
    world.log_in(page)
    return page.goto(f"/drafts/{world.empty_draft.pk}/wizard/definition/")


def wizard_trigger(tab: str) -> Callable[[Any, World], Any]:
    def visit(page: Any, world: World) -> Any:
        world.log_in(page)
        return page.goto(f"/drafts/{world.pushcut.pk}/wizard/triggers/0/?tab={tab}")

    return visit


def wizard_trigger_tray(page: Any, world: World) -> Any:
    """The tray.io section of a webhook in acknowledge mode, its filter and reply sent with a
    mistake (a header name without the value to match): the 400 shows the error at its field."""
    world.log_in(page)
    page.goto(f"/drafts/{world.github.pk}/wizard/triggers/0/?tab=config")
    page.select_option("select[name=tray-delivery]", "acknowledge")
    page.fill("input[name=tray-headerName]", "X-GitHub-Event")
    page.fill("textarea[name=tray-replyBody]", '{"seen": {{/issue/number}}}')
    return submit(page, page.locator("#wizard").get_by_role("button", name="Save", exact=True))


def wizard_test(page: Any, world: World) -> Any:
    report = world.report("no_location")
    world.log_in(page)
    return page.goto(f"/drafts/{report.draft_id}/wizard/test/")


def wizard_trigger_parameters(page: Any, world: World) -> Any:
    world.log_in(page)
    return page.goto(f"/drafts/{world.github.pk}/wizard/triggers/0/?tab=request")


def wizard_test_values_missing(page: Any, world: World) -> Any:
    """The Test step sent without the values the run needs: errors at the fields."""
    world.log_in(page)
    page.goto(f"/drafts/{world.github.pk}/wizard/test/")
    page.get_by_label("Owner").fill("octocat")
    return submit(page, page.get_by_role("button", name="Run the report"))


def swagger_editor(page: Any, world: World) -> Any:
    """The Swagger editor, from the header bar's link; the code editor loaded."""
    wizard("review")(page, world)
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Swagger editor").click()
    page.locator(".cm-editor").wait_for()
    return navigation.value


def swagger_editor_error(page: Any, world: World) -> Any:
    """A broken text saved from the Swagger editor: refused with its line and column."""
    swagger_editor(page, world)
    page.get_by_role("textbox", name="apiDefinition.swagger.json").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text('{\n  "swagger": "2.0",\n  "paths": {,}\n}')
    response = submit(page, page.get_by_role("button", name="Save", exact=True))
    page.locator(".cm-lint-marker-error").wait_for()
    return response


def wizard_conflict(page: Any, world: World) -> Any:
    """Two saves of the same version: a teammate saves while this page is open."""
    draft = world.pushcut
    wizard("general")(page, world)
    design = draft.design
    design["general"]["description"] = "Saved by a teammate in the meantime."
    services.draft_save(
        draft=draft, user=world.owner, design=design, based_on_version=draft.version
    )
    page.fill("#id_host", "api.example.com")
    # The one Save sits in the connector header bar (form="wizard-form").
    return submit(page, page.locator("#wizard").get_by_role("button", name="Save", exact=True))


def admin_login(page: Any, world: World) -> Any:
    return page.goto("/admin/login/")


@dataclass(frozen=True)
class Kind:
    name: str
    visit: Callable[[Any, World], Any]
    status: int = 200


KINDS = [
    Kind("login", login_page),
    Kind("login-error", login_error),
    Kind("locked-out", locked_out, 429),
    Kind("password-change", password_change),
    Kind("password-changed", password_changed),
    Kind("drafts", drafts),
    Kind("drafts-toast", drafts_toast),
    Kind("drafts-empty", drafts_empty),
    Kind("drafts-no-team", drafts_no_team),
    Kind("drafts-paged", drafts_paged),
    Kind("trash-empty", trash_empty),
    Kind("trash", trash),
    Kind("new-draft", new_draft),
    Kind("new-draft-error", new_draft_error, 400),
    Kind("import", import_page),
    Kind("import-error", import_error, 400),
    Kind("import-too-large", import_too_large, 413),
    Kind("new-team", new_team),
    Kind("members", members),
    Kind("members-as-viewer", members_as_viewer),
    Kind("invitation-sign-up", invitation_sign_up),
    Kind("invitation-used", invitation_used, 410),
    Kind("invitation-expired", invitation_expired, 410),
    Kind("history", history),
    Kind("history-paged", history_paged),
    Kind("diff", diff),
    Kind("restore-conflict", restore_conflict, 409),
    Kind("restore-invalid", restore_invalid, 400),
    Kind("reports", reports),
    Kind("report-passed", report_passed),
    Kind("report-failed", report_failed),
    Kind("wizard-general", wizard("general")),
    Kind("wizard-security", wizard("security")),
    Kind("wizard-definition", wizard("definition")),
    Kind("wizard-definition-empty", wizard_definition_empty),
    *(Kind(f"wizard-trigger-{tab}", wizard_trigger(tab)) for tab in TRIGGER_TABS),
    Kind("wizard-trigger-parameters", wizard_trigger_parameters),
    Kind("wizard-trigger-tray", wizard_trigger_tray, 400),
    Kind("wizard-test", wizard_test),
    Kind("wizard-test-values-missing", wizard_test_values_missing, 400),
    Kind("wizard-review", wizard("review")),
    Kind("wizard-swagger-editor", swagger_editor),
    Kind("wizard-swagger-editor-error", swagger_editor_error, 400),
    Kind("wizard-conflict", wizard_conflict, 409),
    Kind("admin-login", admin_login),
]


def kind_params() -> list[Any]:
    return [pytest.param(kind, id=kind.name) for kind in KINDS]


# -- The checks --------------------------------------------------------------------------------


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now, one line per element."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.flatMap(v => v.nodes.map(
                n => `${v.id} at ${n.target.join(" ")}: ${v.help}`));
        }""",
        AXE_TAGS,
    )
    return [str(line) for line in found]


def sideways_overflow(page: Any) -> list[str]:
    """What sticks out past the right edge of the viewport, when the document scrolls sideways."""
    found = page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return [];
            // An element's own box, or its content when that is wider (a long word).
            const right = e => {
                const box = e.getBoundingClientRect();
                return box.left + Math.max(box.width, e.scrollWidth);
            };
            const wide = [...document.body.querySelectorAll("*")].filter(
                e => right(e) > root.clientWidth + 0.5);
            const inner = wide.filter(e => !wide.some(o => o !== e && e.contains(o)));
            return [`scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}`,
                    ...inner.slice(0, 8).map(e => e.tagName.toLowerCase()
                        + (e.id ? "#" + e.id : "")
                        + (e.className && typeof e.className === "string"
                           ? "." + e.className.trim().split(/\\s+/).join(".") : "")
                        + ` right=${Math.round(right(e))}`)];
        }"""
    )
    return [str(line) for line in found]


def check_at_both_widths(page: Any, name: str) -> list[str]:
    """Screenshots, axe-core and the overflow check at 1280 then 390 px; the problems found."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}.png"), full_page=True)
        problems += [f"{size['width']} px, axe: {line}" for line in axe_violations(page)]
        if size is PHONE:
            problems += [
                f"{size['width']} px, overflow: {line}" for line in sideways_overflow(page)
            ]
    return problems


@pytest.fixture
def world(transactional_db: None, live_server: Any, settings: Any) -> World:
    """The live server also serves the simulator and the callback receiver of the reports."""
    settings.SITE_URL = live_server.url
    settings.RUNNER_ALLOW_LOOPBACK = True
    settings.RUNNER_CALLBACK_WAIT_SECONDS = 5
    settings.RUNNER_MAX_SLEEP_SECONDS = 0.05
    return World(live_server.url)


@pytest.mark.parametrize("kind", kind_params())
def test_page_kind(kind: Kind, new_page: Callable[[], Any], world: World) -> None:
    page = new_page()
    page.set_viewport_size(DESKTOP)
    response = kind.visit(page, world)
    assert response is not None and response.status == kind.status, page.url
    policy = str(response.headers.get("content-security-policy", ""))
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    page.wait_for_load_state("networkidle")
    problems = check_at_both_widths(page, kind.name)
    assert not problems, f"{kind.name} ({page.url}):\n" + "\n".join(problems)


# -- The checks themselves can fail ------------------------------------------------------------


def test_the_checks_notice_an_unnamed_button_and_a_too_wide_element(page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    assert sideways_overflow(page) == []
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            const button = document.createElement("button");
            button.className = "btn btn-primary";
            main.append(button);
            const wide = document.createElement("div");
            wide.className = "too-wide";
            wide.textContent = "x".repeat(400);
            main.append(wide);
        }"""
    )
    assert any(line.startswith("button-name at ") for line in axe_violations(page))
    overflow = sideways_overflow(page)
    assert overflow and overflow[0].startswith("scrollWidth ")
    assert any("div.too-wide" in line for line in overflow[1:])


def test_the_violation_check_notices_an_inline_script(page: Any, csp_violations: list[str]) -> None:
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'document.title = \"ran\"'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.title() != "ran"
    assert any("Content Security Policy" in seen for seen in csp_violations)
    csp_violations.clear()  # seen on purpose: the fixture must not fail this test for it
