"""The wizard in a real browser, walked by what a maker sees: labels, buttons, tabs and links,
never element ids or wizard URLs typed by hand. A webhook and a polling trigger from a new
draft to the downloaded files (checked against Microsoft's JSON Schemas), edits on two tabs kept
by one Save, the question before unsaved edits are lost, two editors in conflict, and a viewer
who can only read."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.browser.conftest import log_in
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.browser

GITHUB_URL = "https://api.github.com/repos/{owner}/{repo}/hooks"
GITHUB_BODY = json.dumps(
    {
        "name": "web",
        "active": True,
        "events": ["issues"],
        "config": {"url": "https://example.com/webhook", "content_type": "json"},
    },
    indent=2,
)
ISSUE_EVENT = json.dumps(
    {"action": "opened", "issue": {"number": 7, "title": "Bug", "state": "open"}}, indent=2
)
ITEMS_URL = "https://api.example.com/v1/items?since=2024-01-01T00:00:00Z"


# -- what a maker does, by the names on the screen ----------------------------------------------


def new_draft(page: Any, title: str) -> None:
    page.get_by_role("link", name="Drafts").click()
    page.get_by_role("link", name="New draft").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create draft").click()
    page.wait_for_url("**/wizard/general/")


def open_draft(page: Any, title: str) -> None:
    """From the draft list to the draft's wizard (its General step)."""
    page.get_by_role("link", name="Drafts").click()
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/wizard/general/")


def go_to_step(page: Any, label: str) -> None:
    """Click a step of the stepper (htmx swaps the page and pushes its URL)."""
    step = page.get_by_role("navigation", name="Wizard steps").get_by_role("link", name=label)
    step.click()
    page.wait_for_url(f"**/wizard/{label.lower()}/")
    assert step.get_attribute("aria-current") == "step"


def save_button(page: Any) -> Any:
    return page.get_by_role("button", name="Save", exact=True)


def save(page: Any) -> None:
    """Press the Save button of the connector's header bar."""
    with page.expect_navigation():
        save_button(page).click()
    assert "Saved." in page.get_by_role("status").inner_text()


def press(page: Any, name: str) -> None:
    """Press a button of the page that sends the page's form (Import, New webhook trigger...)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def open_tab(page: Any, name: str) -> Any:
    """Show a tab of the trigger page; the tab's panel."""
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name, exact=True)
    panel.wait_for(state="visible")
    return panel


def import_from_sample(request_tab: Any) -> Any:
    """Open "Import from sample" on the Request tab; its box (the request has a Verb too)."""
    request_tab.get_by_text("Import from sample", exact=True).click()
    return request_tab.locator("details", has_text="Import from sample")


def field_value(page: Any, tab: str, label: str) -> str:
    """What a field of a tab of the trigger page shows (the tab opened to read it)."""
    value: str = open_tab(page, tab).get_by_label(label, exact=True).input_value()
    return value


def general_and_security(page: Any, host: str) -> None:
    page.get_by_label("Description", exact=True).fill("Events of the service, for flows.")
    page.get_by_label("Host", exact=True).fill(host)
    save(page)

    go_to_step(page, "Security")
    key_name = page.get_by_label("Parameter name")
    assert key_name.is_hidden()  # the API key's fields appear once API key is chosen
    page.get_by_label("API key", exact=True).check()
    assert key_name.is_visible()
    assert page.get_by_label("Client ID").is_hidden()  # OAuth's stay hidden
    page.get_by_label("Parameter label").fill("API key")
    key_name.fill("X-Api-Key")
    page.get_by_label("Parameter location").select_option(label="Header")
    save(page)
    assert page.get_by_label("Parameter name").input_value() == "X-Api-Key"


def download(page: Any, name: str, tmp_path: Path) -> Path:
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    target = tmp_path / name
    started.value.save_as(target)
    return target


def review_and_download(page: Any, tmp_path: Path, shared_dir: Path) -> dict[str, Any]:
    """On Review: no errors; both files downloaded and valid by Microsoft's JSON Schemas."""
    go_to_step(page, "Review")
    assert "0 errors" in page.get_by_role("complementary", name="Validation").inner_text()
    path = download(page, "apiDefinition.swagger.json", tmp_path)
    swagger = json.loads(path.read_text())
    validate(shared_dir, "apiDefinition.swagger.schema.json", swagger)
    properties = json.loads(download(page, "apiProperties.json", tmp_path).read_text())
    validate(shared_dir, "paconn-apiProperties.schema.json", properties)
    return {"path": path, "swagger": swagger}


def validate(shared_dir: Path, schema_name: str, document: dict[str, Any]) -> None:
    """A JSON Schema of Microsoft's PowerPlatformConnectors repository (shared/schemas)."""
    schema = json.loads((shared_dir / "schemas" / schema_name).read_text())
    jsonschema.Draft4Validator(schema).validate(document)


def trigger_facts(shared_dir: Path, path: Path) -> list[dict[str, Any]]:
    """The triggers of a definition as shared/tools/trigger_facts.py reads them."""
    tool = shared_dir / "tools" / "trigger_facts.py"
    out = subprocess.run(
        [sys.executable, str(tool), str(path)], capture_output=True, text=True, check=True
    )
    triggers: list[dict[str, Any]] = json.loads(out.stdout)["triggers"]
    return triggers


# -- the walks ----------------------------------------------------------------------------------


def test_a_webhook_trigger_from_a_new_draft_to_its_download(
    page: Any, tmp_path: Path, shared_dir: Path
) -> None:
    make_team(owner=make_user("maker"))
    log_in(page, "maker")
    new_draft(page, "GitHub")
    general_and_security(page, "api.github.com")

    go_to_step(page, "Definition")
    assert page.get_by_role("heading", name="No triggers yet").is_visible()
    press(page, "New webhook trigger")
    assert page.get_by_role("tab", name="General", exact=True).get_attribute("aria-selected") == (
        "true"
    )
    general = page.get_by_role("tabpanel", name="General")
    general.get_by_label("Summary").fill("When an issue is opened")
    general.get_by_label("Description").fill("This operation triggers when an issue is opened.")
    general.get_by_label("Operation ID").fill("")  # suggested from the summary

    request = open_tab(page, "Request")
    sample = import_from_sample(request)
    sample.get_by_label("Verb").select_option(label="POST")
    sample.get_by_label("URL").fill(GITHUB_URL)
    sample.get_by_label("Headers").fill("Content-Type: application/json")
    sample.get_by_label("Body").fill(GITHUB_BODY)
    press(page, "Import")
    assert page.get_by_role("tab", name="Request", exact=True).get_attribute("aria-selected") == (
        "true"
    )  # back on the tab where Import was pressed
    parameters = page.get_by_role("table", name="Parameters of the request")
    assert parameters.get_by_role("rowheader").all_inner_texts() == ["owner", "repo"]
    assert field_value(page, "General", "Summary") == "When an issue is opened"  # kept

    response = open_tab(page, "Response")
    response.get_by_label("Response name").fill("Issue event")
    response.get_by_label("Sample payloads").fill(ISSUE_EVENT)
    with page.expect_navigation():
        page.keyboard.press("Control+s")  # saves like the Save button
    assert "Saved." in page.get_by_role("status").inner_text()
    schema = page.get_by_role("list", name="Properties of the notification")
    names = schema.locator(".schema-name").all_inner_texts()
    assert names == ["action", "issue", "number", "title", "state"]
    # A property's fields load when its row opens: give "action" a title.
    schema.locator("summary", has_text="action").click()
    schema.get_by_label("Title").first.fill("Action taken")
    save(page)
    schema = page.get_by_role("list", name="Properties of the notification")
    assert "“Action taken”" in schema.locator("summary").first.inner_text()

    config = open_tab(page, "Trigger configuration")
    config.get_by_role("radio", name="/config/url").check()
    assert config.get_by_label("Unsubscribe with a DELETE action").is_checked()
    assert config.get_by_label("Path").input_value() == "/repos/{owner}/{repo}/hooks/{hookId}"
    config.get_by_label("Summary").fill("Delete a webhook")
    save(page)
    config = page.get_by_role("tabpanel", name="Trigger configuration")
    assert config.is_visible()  # the save lands back on the tab it came from
    assert config.get_by_role("radio", name="/config/url").is_checked()

    downloaded = review_and_download(page, tmp_path, shared_dir)
    (trigger,) = trigger_facts(shared_dir, downloaded["path"])
    assert (trigger["kind"], trigger["operationId"]) == ("webhook", "OnIssueOpened")
    assert (trigger["method"], trigger["path"]) == ("post", "/repos/{owner}/{repo}/hooks")
    assert [c["pointer"] for c in trigger["callback"]] == ["/config/url"]
    assert trigger["notification"]["properties"] == ["action", "issue"]
    assert trigger["delete"]["path"] == "/repos/{owner}/{repo}/hooks/{hookId}"
    assert trigger["delete"]["visibility"] == "internal"
    swagger = downloaded["swagger"]
    assert swagger["host"] == "api.github.com"
    (security,) = swagger["securityDefinitions"].values()
    assert (security["type"], security["in"], security["name"]) == ("apiKey", "header", "X-Api-Key")
    delete = swagger["paths"]["/repos/{owner}/{repo}/hooks/{hookId}"]["delete"]
    assert delete["summary"] == "Delete a webhook"


def test_a_polling_trigger_from_a_new_draft_to_its_download(
    page: Any, tmp_path: Path, shared_dir: Path
) -> None:
    make_team(owner=make_user("maker"))
    log_in(page, "maker")
    new_draft(page, "Items")
    general_and_security(page, "api.example.com")

    go_to_step(page, "Definition")
    press(page, "New polling trigger")
    general = page.get_by_role("tabpanel", name="General")
    general.get_by_label("Summary").fill("When an item is created")
    general.get_by_label("Description").fill("This operation triggers when an item is created.")
    general.get_by_label("Operation ID").fill("")

    request = open_tab(page, "Request")
    sample = import_from_sample(request)
    sample.get_by_label("Verb").select_option(label="GET")
    sample.get_by_label("URL").fill(ITEMS_URL)
    press(page, "Import")
    parameters = page.get_by_role("table", name="Parameters of the request")
    assert parameters.get_by_role("rowheader").all_inner_texts() == ["since"]

    response = open_tab(page, "Response")
    response.get_by_label("Sample items").fill('{"id": 12, "name": "Chair"}')
    config = open_tab(page, "Trigger configuration")
    state = config.get_by_label("State parameter (query)")
    assert state.get_by_role("option").all_inner_texts() == ["since"]
    state.select_option(label="since")
    config.get_by_label("Retry interval (seconds)").fill("600")
    save(page)
    assert field_value(page, "Trigger configuration", "Retry interval (seconds)") == "600"

    downloaded = review_and_download(page, tmp_path, shared_dir)
    (trigger,) = trigger_facts(shared_dir, downloaded["path"])
    assert (trigger["kind"], trigger["method"], trigger["path"]) == ("polling", "get", "/v1/items")
    assert trigger["operationId"] == "OnItemCreated"
    assert trigger["retry_after_header"] is True
    operation = downloaded["swagger"]["paths"]["/v1/items"]["get"]
    since = next(p for p in operation["parameters"] if p["name"] == "since")
    assert since["x-ms-visibility"] == "internal"
    retry = operation["responses"]["200"]["headers"]["Retry-After"]
    assert retry["default"] == 600
    assert "name" in json.dumps(operation["responses"]["200"]["schema"])


def draft_with_a_webhook(team: Any, user: Any, title: str = "Shop") -> ConnectorDraft:
    draft = make_draft(team, user, title)
    design = services.draft_design(draft=draft)
    design["triggers"] = [
        new_webhook_trigger(summary="When an order is created", path="/hooks"),
    ]
    return services.draft_save(
        draft=draft, user=user, design=design, based_on_version=draft.version
    )


def test_edits_on_two_tabs_are_kept_by_one_save(page: Any) -> None:
    maker = make_user("maker")
    draft = draft_with_a_webhook(make_team(owner=maker), maker)
    log_in(page, "maker")
    open_draft(page, draft.title)
    go_to_step(page, "Definition")
    general = page.get_by_role("tabpanel", name="General")
    general.get_by_label("Description").fill("Fires for every new order of the shop.")
    request = open_tab(page, "Request")
    request.get_by_label("Path").fill("/v2/hooks")
    assert page.get_by_text("Unsaved changes").is_visible()
    save(page)

    trigger = services.draft_design(draft=ConnectorDraft.objects.get(pk=draft.pk))["triggers"][0]
    assert trigger["description"] == "Fires for every new order of the shop."
    assert trigger["request"]["path"] == "/v2/hooks"
    assert field_value(page, "Request", "Path") == "/v2/hooks"
    assert page.get_by_text("Unsaved changes").is_hidden()


def test_leaving_with_unsaved_edits_asks_first(page: Any) -> None:
    maker = make_user("maker")
    draft = draft_with_a_webhook(make_team(owner=maker), maker)
    log_in(page, "maker")
    open_draft(page, draft.title)
    host = page.get_by_label("Host", exact=True)
    host.fill("typed.example.com")
    assert page.get_by_text("Unsaved changes").is_visible()

    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("navigation", name="Wizard steps").get_by_role("link", name="Security").click()
    page.wait_for_timeout(300)
    assert questions == ["You have unsaved changes on this page. Leave without saving them?"]
    assert page.url.endswith("/wizard/general/")  # still here, the edit still typed
    assert host.input_value() == "typed.example.com"

    page.once("dialog", dismiss)  # a plain link: the browser's own question
    page.get_by_role("link", name="History").click()
    page.wait_for_timeout(300)
    assert len(questions) == 2 and page.url.endswith("/wizard/general/")

    page.once("dialog", lambda dialog: dialog.accept())
    go_to_step(page, "Security")  # leaving when the question is answered yes
    draft.refresh_from_db()
    assert services.draft_design(draft=draft)["general"]["host"] == "api.example.com"


def test_after_a_refused_save_leaving_still_asks(page: Any) -> None:
    maker = make_user("maker")
    draft = draft_with_a_webhook(make_team(owner=maker), maker)
    log_in(page, "maker")
    open_draft(page, draft.title)
    page.get_by_label("Description", exact=True).fill("A description typed with a bad host.")
    page.get_by_label("Host", exact=True).fill("https://api.example.com")
    with page.expect_navigation() as navigation:
        save_button(page).click()
    assert navigation.value.status == 400
    assert page.get_by_text("Leave out the scheme").first.is_visible()
    description = page.get_by_label("Description", exact=True)
    assert description.input_value() == "A description typed with a bad host."  # not saved

    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("navigation", name="Wizard steps").get_by_role("link", name="Security").click()
    page.wait_for_timeout(300)
    assert questions, "left the page without asking"
    assert page.url.endswith("/wizard/general/")
    assert page.get_by_text("Unsaved changes").is_visible()


def test_a_refused_save_opens_the_tab_with_the_error(page: Any) -> None:
    maker = make_user("maker")
    draft = draft_with_a_webhook(make_team(owner=maker), maker)
    log_in(page, "maker")
    open_draft(page, draft.title)
    go_to_step(page, "Definition")
    page.get_by_role("tabpanel", name="General").get_by_label("Summary").fill("")
    open_tab(page, "Request").get_by_label("Path").fill("/v2/hooks")
    with page.expect_navigation() as navigation:
        save_button(page).click()
    assert navigation.value.status == 400
    general = page.get_by_role("tabpanel", name="General")
    assert general.is_visible()
    assert general.get_by_label("Summary").get_attribute("aria-invalid") == "true"
    assert "This field is required" in general.inner_text()
    assert "has errors" in (page.get_by_role("tab", name=re.compile("^General")).inner_html())
    assert field_value(page, "Request", "Path") == "/v2/hooks"  # the other edit is still there
    draft.refresh_from_db()
    assert services.draft_design(draft=draft)["triggers"][0]["request"]["path"] == "/hooks"


def test_two_editors_in_conflict_see_both_edits(new_page: Any) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    team = make_team(owner=alice)
    add_member(team, bob)
    draft = draft_with_a_webhook(team, alice, "Shared")
    pages = {"alice": new_page(), "bob": new_page()}
    for name, page in pages.items():
        log_in(page, name)
        open_draft(page, draft.title)
        go_to_step(page, "Definition")

    alice_page, bob_page = pages["alice"], pages["bob"]
    alice_page.get_by_role("tabpanel", name="General").get_by_label("Summary").fill(
        "When an order is placed"
    )
    save(alice_page)
    open_tab(bob_page, "Request").get_by_label("Path").fill("/bobs/hooks")
    with bob_page.expect_navigation() as navigation:
        save_button(bob_page).click()
    assert navigation.value.status == 409
    assert bob_page.get_by_role("heading", name="Someone else saved this draft").is_visible()
    theirs = bob_page.get_by_role("region", name="What they changed").inner_text()
    yours = bob_page.get_by_role("region", name="Your edit").inner_text()
    assert "When an order is placed" in theirs  # what alice changed
    assert "/bobs/hooks" in yours  # beside bob's own edit
    assert "alice" in bob_page.get_by_role("alert").inner_text()

    bob_page.get_by_role("button", name="Overwrite with my edit").click()
    bob_page.wait_for_url("**/wizard/triggers/0/")
    draft.refresh_from_db()
    trigger = services.draft_design(draft=draft)["triggers"][0]
    assert trigger["request"]["path"] == "/bobs/hooks"
    alices = draft.revisions.get(number=draft.version - 1).design["triggers"][0]
    assert alices["summary"] == "When an order is placed"  # kept in the history


def test_a_viewer_sees_no_save_and_disabled_fields(page: Any) -> None:
    owner, viewer = make_user("olga"), make_user("vera")
    team = make_team(owner=owner)
    add_member(team, viewer, Membership.Role.VIEWER)
    draft = draft_with_a_webhook(team, owner, "Read only")
    log_in(page, "vera")
    open_draft(page, draft.title)
    assert page.get_by_role("button", name="Save").count() == 0
    assert page.get_by_label("Host", exact=True).is_disabled()
    assert page.get_by_label("Connector title").get_attribute("readonly") is not None

    go_to_step(page, "Definition")
    assert page.get_by_role("button", name="Save").count() == 0
    assert page.get_by_role("button", name="New webhook trigger").count() == 0
    assert page.get_by_role("tabpanel", name="General").get_by_label("Summary").is_disabled()
    request = open_tab(page, "Request")
    assert request.get_by_label("Path").is_disabled()
    assert page.get_by_role("button", name="Import").count() == 0

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/drafts/{draft.pk}/wizard/general/",
        form={"title": "Hacked", "based_on_version": str(draft.version), "host": "evil.test"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    draft.refresh_from_db()
    assert services.draft_design(draft=draft)["general"]["host"] == "api.example.com"
