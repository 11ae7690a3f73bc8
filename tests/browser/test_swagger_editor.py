"""The Swagger editor in a real browser: CodeMirror with line numbers and the linter's markers,
a summary changed and a trigger typed by hand, saved and seen in the form steps and in the
downloaded file (round trip); broken text refused with its line and column, kept as typed and
marked in the editor; and the same page without JavaScript, a plain textarea that still saves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.models import ConnectorDraft
from tests.browser.conftest import log_in
from tests.browser.test_pages import PHONE, axe_violations, sideways_overflow
from tests.factories import make_draft, make_team, make_user

pytestmark = pytest.mark.browser

SUMMARY = "When an order is created"
NEW_TRIGGER = {
    "get": {
        "operationId": "OnNewOrders",
        "summary": "When orders are added",
        "description": "This operation triggers when orders are added.",
        "x-ms-trigger": "batch",
        "responses": {
            "200": {
                "description": "The new orders.",
                "schema": {"type": "array", "items": {"type": "object"}},
            }
        },
    }
}


@pytest.fixture
def draft(transactional_db: None) -> ConnectorDraft:
    """Orders, with one webhook trigger that has no description (an info finding)."""
    owner = make_user("olga")
    draft = make_draft(make_team("Acme", owner=owner), owner, "Orders")
    design = services.draft_design(draft=draft)
    trigger = new_webhook_trigger(summary=SUMMARY, operation_id="OnOrderCreated", path="/hooks")
    trigger["description"] = ""
    design["triggers"].append(trigger)
    return services.draft_save(draft=draft, user=owner, design=design, based_on_version=1)


def open_editor(page: Any) -> Any:
    """From the draft list, through the header bar's "Swagger editor" link; the editor."""
    page.get_by_role("link", name="Drafts").click()
    page.get_by_role("link", name="Orders", exact=True).click()
    page.wait_for_url("**/wizard/general/")
    with page.expect_navigation():
        page.get_by_role("link", name="Swagger editor").click()
    editor = page.get_by_role("textbox", name="apiDefinition.swagger.json")
    editor.wait_for()
    return editor


def replace_text(page: Any, editor: Any, text: str) -> None:
    """Select everything in the editor and type ``text`` over it (as a paste)."""
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)


def line_of(page: Any, marker: Any) -> str:
    """The line number shown beside a lint marker of the gutter."""
    middle = marker.bounding_box()["y"] + marker.bounding_box()["height"] / 2
    for number in page.locator(".cm-lineNumbers .cm-gutterElement").all():
        box = number.bounding_box()
        if box and box["y"] <= middle <= box["y"] + box["height"]:
            return str(number.inner_text())
    return "none"


def save(page: Any) -> Any:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save", exact=True).click()
    return navigation.value


def test_edit_save_see_in_the_steps_and_download_again(
    page: Any, draft: ConnectorDraft, tmp_path: Path
) -> None:
    log_in(page, "olga")
    editor = open_editor(page)
    # CodeMirror, with line numbers, folding and the finding's marker at its operation's line.
    assert page.locator(".cm-editor .cm-lineNumbers").get_by_text("1", exact=True).is_visible()
    assert page.locator(".cm-foldGutter").count() == 1
    marker = page.locator(".cm-lint-marker-info")
    marker.first.wait_for()
    text = page.locator("textarea[name=text]").input_value()
    post_line = text[: text.index('"post"')].count("\n") + 1
    assert [line_of(page, m) for m in marker.all()] == [str(post_line)]
    assert axe_violations(page) == []

    doc = json.loads(text)
    doc["paths"]["/hooks"]["post"]["summary"] = "When an order is placed"
    doc["paths"]["/orders"] = NEW_TRIGGER
    replace_text(page, editor, json.dumps(doc, indent=2))
    assert page.get_by_text("Unsaved changes").is_visible()
    assert json.loads(page.locator("textarea[name=text]").input_value()) == doc
    assert save(page).status == 200
    assert "Saved." in page.get_by_role("status").inner_text()

    # The form steps show the result: both triggers, the changed summary on its page.
    steps = page.get_by_role("navigation", name="Wizard steps")
    steps.get_by_role("link", name="Definition").click()
    page.wait_for_url("**/wizard/definition/")
    triggers = page.get_by_role("navigation", name="Triggers")
    assert triggers.get_by_text("When an order is placed").is_visible()
    assert triggers.get_by_text("When orders are added").is_visible()
    assert (
        page.get_by_role("textbox", name="Summary", exact=True).input_value()
        == "When an order is placed"
    )

    # Round trip: the downloaded file holds the edit.
    steps.get_by_role("link", name="Review").click()
    page.wait_for_url("**/wizard/review/")
    with page.expect_download() as started:
        page.get_by_role("link", name="apiDefinition.swagger.json").click()
    started.value.save_as(tmp_path / "swagger.json")
    downloaded = json.loads((tmp_path / "swagger.json").read_text())
    assert downloaded["paths"]["/hooks"]["post"]["summary"] == "When an order is placed"
    assert downloaded["paths"]["/orders"]["get"]["x-ms-trigger"] == "batch"


def test_broken_text_is_refused_at_its_line_and_column(page: Any, draft: ConnectorDraft) -> None:
    log_in(page, "olga")
    editor = open_editor(page)
    text = page.locator("textarea[name=text]").input_value()
    broken = text.replace('"swagger": "2.0",', '"swagger": "2.0"', 1)
    replace_text(page, editor, broken)
    # The JSON is checked as it is typed...
    page.locator(".cm-lint-marker-error").first.wait_for()
    # ...and the save is refused with the line and column, the text kept as typed.
    response = save(page)
    assert response.status == 400
    alert = page.get_by_role("alert").filter(has_text="Nothing was saved")
    assert "Line 3, column 5: expecting ','" in alert.inner_text()
    assert page.locator("textarea[name=text]").input_value() == broken
    shown = page.locator(".cm-content").inner_text()  # the lines in view, as typed
    assert shown.startswith('{\n    "swagger": "2.0"\n    "info": {')
    page.locator(".cm-lint-marker-error").first.wait_for()
    assert [line_of(page, m) for m in page.locator(".cm-lint-marker-error").all()] == ["3"]
    assert page.locator(".cm-lintRange-error").first.is_visible()
    assert page.get_by_text("Unsaved changes").is_visible()
    draft.refresh_from_db()
    assert draft.version == 2
    page.set_viewport_size(PHONE)
    assert sideways_overflow(page) == []
    assert axe_violations(page) == []


def test_without_javascript_the_textarea_saves(
    browser: Any, live_server: Any, draft: ConnectorDraft
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "olga")
        page.goto(f"/drafts/{draft.pk}/wizard/review/swagger/?format=yaml")
        area = page.get_by_label("apiDefinition.swagger.yaml")
        assert area.evaluate("e => e.tagName") == "TEXTAREA"
        assert page.locator(".cm-editor").count() == 0
        area.fill(area.input_value().replace(SUMMARY, "When an order arrives"))
        assert save(page).status == 200
        assert page.url.endswith("/review/swagger/?format=yaml")
        draft.refresh_from_db()
        assert draft.version == 3
        assert draft.design["triggers"][0]["summary"] == "When an order arrives"
    finally:
        context.close()
