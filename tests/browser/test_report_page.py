"""A report as a maker sees it, in Chromium at 1280 and 390 px: a passing and a failing run of
the simulator, the failing step open and the others folded, a diagram whose lines show and
whose labels fit, no stray status text and nothing on the console (no htmx error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from connectors import services
from connectors.models import ConnectorDraft, Report
from tests.browser.conftest import console_errors, log_in
from tests.connectors.conftest import report_design
from tests.factories import make_team, make_user

pytestmark = pytest.mark.browser
WIDTHS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
# The smallest size, on screen, of the diagram's text (its SVG scales to the box it is in).
MIN_FONT_PX = 10


@pytest.fixture
def draft(transactional_db: None, live_server: Any, settings: Any) -> ConnectorDraft:
    """A webhook and a polling trigger; the live server serves the simulator and callbacks."""
    settings.SITE_URL = live_server.url
    settings.RUNNER_ALLOW_LOOPBACK = True
    settings.RUNNER_CALLBACK_WAIT_SECONDS = 5
    settings.RUNNER_MAX_SLEEP_SECONDS = 0.05
    owner = make_user()
    return services.draft_create(
        team=make_team(owner=owner), user=owner, title="Orders", design=report_design()
    )


def run(draft: ConnectorDraft, fault: str) -> Report:
    """A simulator report, run here and now (the worker's own path is test_report_flow's)."""
    started = services.report_start(
        draft=draft,
        user=draft.created_by,
        trigger_ids=[],
        target="simulator",
        fault=fault,
        enqueue=False,
    )
    services.report_execute(report_id=started.pk, allow_loopback=True)
    started.refresh_from_db()
    return started


DIAGRAM_PROBLEMS = """(minFont) => {
    const problems = [];
    const shown = [...document.querySelectorAll("svg.sequence")].filter(
        s => s.getBoundingClientRect().width > 0);
    if (shown.length !== 1) return [`${shown.length} diagrams shown, not 1`];
    const svg = shown[0], box = svg.getBoundingClientRect();
    const visible = e => {
        const style = getComputedStyle(e);
        const colour = style.stroke;
        return colour !== "none" && colour !== "transparent" && !colour.endsWith(", 0)")
            && parseFloat(style.strokeWidth) > 0 && style.visibility !== "hidden";
    };
    const lifelines = svg.querySelectorAll(".seq-lifeline");
    const arrows = svg.querySelectorAll(".seq-arrow");
    if (lifelines.length !== 3) problems.push(`${lifelines.length} lifelines`);
    if (!arrows.length) problems.push("no arrow");
    for (const line of [...lifelines, ...arrows]) {
        if (!visible(line)) problems.push(`invisible ${line.getAttribute("class")}`);
    }
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) {
        const r = text.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5
                || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
            problems.push(`clipped: ${text.textContent}`);
        }
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < minFont) problems.push(`${size.toFixed(1)} px: ${text.textContent}`);
    }
    return problems;
}"""


def diagram_problems(page: Any) -> list[str]:
    return [str(line) for line in page.evaluate(DIAGRAM_PROBLEMS, MIN_FONT_PX)]


def fold_states(page: Any) -> dict[str, list[bool]]:
    """For each step status, whether its steps are open; a step that offers a notification
    as a sample is open by design and counted apart, as "offers"."""
    found = page.evaluate(
        """() => [...document.querySelectorAll("li.step > details.step-fold")].map(d => [
            d.querySelector(".use-sample") ? "offers"
                : d.parentElement.className.replace("step status-", ""),
            d.open])"""
    )
    states: dict[str, list[bool]] = {}
    for status, is_open in found:
        states.setdefault(status, []).append(is_open)
    return states


def stray_status(page: Any) -> list[str]:
    """Status badges printed outside their places (a recent-list badge sent out of band)."""
    return [
        str(text)
        for text in page.evaluate(
            """() => [...document.querySelectorAll("[hx-swap-oob], [id^='recent-status-']")]
                .filter(e => !e.closest(".recent-reports")).map(e => e.outerHTML)"""
        )
    ]


def check_report_page(page: Any, report: Report) -> None:
    for size in WIDTHS:
        page.set_viewport_size(size)
        where = f"report {report.pk} ({report.status}) at {size['width']} px"
        assert diagram_problems(page) == [], where
        assert stray_status(page) == [], where
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size["width"], f"{where}: scrolls sideways ({width} px)"


def test_a_passing_and_a_failing_report_read_at_a_glance(
    new_page: Callable[[], Any], draft: ConnectorDraft
) -> None:
    passed, failed = run(draft, "none"), run(draft, "no_location")
    assert (passed.status, failed.status) == ("passed", "failed"), failed.steps
    page = new_page()
    console = console_errors(page)
    log_in(page, draft.created_by.username)

    page.goto(f"/drafts/{draft.pk}/reports/{passed.pk}/")
    states = fold_states(page)
    assert set(states) <= {"passed", "skipped", "offers"} and states["passed"], states
    assert not any(states["passed"] + states.get("skipped", []))
    assert all(states.get("offers", []))  # its "Use as a notification sample" in view
    assert page.locator(".sequence .seq-msg.result-bad").count() == 0
    check_report_page(page, passed)

    page.goto(f"/drafts/{draft.pk}/reports/{failed.pk}/")
    states = fold_states(page)
    assert states["failed"] == [True] and not any(states["passed"] + states["skipped"])
    assert all(states.get("offers", []))
    failing = page.locator("li.step.status-failed")
    assert failing.locator(".finding", has_text="RegistrationMissingLocation").is_visible()
    assert failing.locator("details.exchange[open] pre").first.is_visible()
    # The answer that caused the finding is the red one, with its full text on hover.
    bad = page.locator("svg.sequence-wide .seq-msg.result-bad")
    assert bad.count() == 1 and "201 Created" in bad.locator("title").text_content()
    check_report_page(page, failed)
    # The keyboard opens a folded step.
    passing_summary = page.locator("li.step.status-passed summary").first
    passing_summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("li.step.status-passed details").first.evaluate("d => d.open")

    # The wizard's Test step, reached through the stepper (an htmx swap), then the page itself.
    page.set_viewport_size(WIDTHS[0])
    page.goto(f"/drafts/{draft.pk}/wizard/general/")
    with page.expect_response(lambda r: r.url.endswith("/wizard/test/")):
        page.locator(".stepper").get_by_role("link", name="Test").click()
    page.locator("#report-progress").wait_for()
    assert stray_status(page) == []
    assert page.locator(f"#recent-status-{failed.pk}").count() == 1
    page.reload()
    check_report_page(page, failed)
    assert console == [], console


def test_the_diagram_check_notices_hidden_lines_and_a_clipped_label(
    new_page: Callable[[], Any], draft: ConnectorDraft
) -> None:
    report = run(draft, "no_location")
    page = new_page()
    log_in(page, draft.created_by.username)
    page.goto(f"/drafts/{draft.pk}/reports/{report.pk}/")
    assert diagram_problems(page) == []
    page.evaluate(
        """() => {
            document.querySelector("svg.sequence-wide .seq-lifeline").style.stroke = "none";
            document.querySelector("svg.sequence-wide .seq-arrow").style.strokeWidth = "0";
            document.querySelector("svg.sequence-wide .seq-label").setAttribute("x", "-40");
        }"""
    )
    problems = diagram_problems(page)
    assert "invisible seq-lifeline" in problems and "invisible seq-arrow" in problems
    assert any(line.startswith("clipped: ") for line in problems)
    page.set_viewport_size(WIDTHS[1])
    # Both drawings at once (the phone's rule now also matches the wide one): one too many.
    page.evaluate(
        """() => document.querySelector(".sequence-box-wide").classList.add(
            "sequence-box-narrow")"""
    )
    assert diagram_problems(page) == ["2 diagrams shown, not 1"]


def test_a_step_opened_by_hand_stays_open_while_the_report_polls(
    new_page: Callable[[], Any], draft: ConnectorDraft
) -> None:
    steps = [
        {"key": "setup", "title": "Export the design", "status": "passed", "detail": "Fine."},
        {"key": "webhook:A:notify", "title": "Receive a notification", "status": "running"},
    ]
    report = services.report_start(
        draft=draft, user=None, trigger_ids=[], target="simulator", enqueue=False
    )
    Report.objects.filter(pk=report.pk).update(status="running", steps=steps)
    page = new_page()
    console = console_errors(page)
    log_in(page, draft.created_by.username)
    page.goto(f"/drafts/{draft.pk}/reports/{report.pk}/")
    first, running = page.locator("li.step details.step-fold").all()
    assert not first.evaluate("d => d.open") and running.evaluate("d => d.open")
    first.locator("summary").click()
    running.locator("summary").click()
    for _ in range(2):  # two polls: the fragment is swapped, the choices stay
        with page.expect_response(lambda r: f"/reports/{report.pk}/" in r.url):
            pass
        page.wait_for_timeout(100)
    first, running = page.locator("li.step details.step-fold").all()
    assert first.evaluate("d => d.open") and not running.evaluate("d => d.open")
    assert page.locator(".step-detail", has_text="Fine.").is_visible()
    assert console == [], console
