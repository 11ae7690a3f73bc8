"""The wizard in a real browser: a webhook and a polling trigger from login to download, two
editors in conflict, and a viewer who cannot change anything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from connectors import services
from connectors.models import ConnectorDraft, Membership
from tests.browser.conftest import log_in
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.browser

GITHUB_URL = "https://api.github.com/repos/{owner}/{repo}/hooks"
GITHUB_BODY = json.dumps(
    {
        "name": "web",
        "events": ["issues"],
        "config": {"url": "https://example.com", "content_type": "json"},
    },
    indent=2,
)
ISSUE_EVENT = json.dumps({"action": "opened", "issue": {"number": 7, "title": "Bug"}}, indent=2)


def create_draft(page: Any, title: str) -> int:
    page.goto("/drafts/new/")
    page.fill("input[name=title]", title)
    page.click("button:has-text('Create draft')")
    page.wait_for_url("**/wizard/general/")
    return int(page.url.split("/drafts/")[1].split("/")[0])


def save(page: Any, scope: str, label: str = "Save") -> None:
    with page.expect_navigation():
        page.locator(scope).get_by_role("button", name=label, exact=True).click()


def fill_general_and_security(page: Any) -> None:
    page.fill("#id_description", "Issues and pull requests of GitHub repositories.")
    page.fill("#id_host", "api.github.com")
    save(page, "#wizard form")
    page.get_by_role("link", name="2 Security").click()
    page.wait_for_url("**/wizard/security/")
    page.get_by_label("API key").check()
    page.fill("#id_apiKey_label", "API key")
    page.fill("#id_apiKey_name", "Authorization")
    page.select_option("#id_apiKey_in", "header")
    save(page, "#wizard form")
    assert "Saved." in page.content()


def review_and_download(page: Any, draft_id: int, tmp_path: Path) -> dict[str, Any]:
    page.goto(f"/drafts/{draft_id}/wizard/review/")
    assert "0 errors" in page.locator("#validation-panel").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="apiDefinition.swagger.json").click()
    target = tmp_path / "apiDefinition.swagger.json"
    download.value.save_as(target)
    return {"path": target, "swagger": json.loads(target.read_text())}


def facts(shared_dir: Path, path: Path) -> dict[str, Any]:
    tool = shared_dir / "tools" / "trigger_facts.py"
    out = subprocess.run(
        [sys.executable, str(tool), str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def validate(shared_dir: Path, swagger: dict[str, Any]) -> None:
    schema = json.loads((shared_dir / "schemas" / "apiDefinition.swagger.schema.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(swagger)


def test_webhook_trigger_from_login_to_download(
    page: Any, tmp_path: Path, shared_dir: Path
) -> None:
    make_team(owner=make_user("maker"))
    log_in(page, "maker")
    draft_id = create_draft(page, "GitHub")
    fill_general_and_security(page)

    page.get_by_role("link", name="3 Definition").click()
    page.wait_for_url("**/wizard/definition/")
    save(page, "#wizard", "New webhook trigger")
    page.fill("#id_general-summary", "When an issue is opened")
    page.fill("#id_general-description", "This operation triggers when an issue is opened.")
    page.fill("#id_general-operationId", "")
    save(page, "#general")

    page.locator("#sample summary").click()
    page.select_option("#id_sample-verb", "post")
    page.fill("#id_sample-url", GITHUB_URL)
    page.fill("#id_sample-headers", "Content-Type: application/json")
    page.fill("#id_sample-body", GITHUB_BODY)
    save(page, "#sample", "Import")
    assert page.locator("#request").get_by_text("owner").count() > 0

    page.locator("#callback").get_by_label("url /config/url").check()
    save(page, "#callback")
    page.fill("#id_notification-description", "Issue event")
    page.fill("#id_notification-samples", ISSUE_EVENT)
    save(page, "#notification", "Save and infer the schema")
    assert "/issue/title" in page.locator("#notification th code").all_inner_texts()
    assert page.input_value("#id_delete-path") == "/repos/{owner}/{repo}/hooks/{hookId}"
    save(page, "#delete", "Save the DELETE action")

    downloaded = review_and_download(page, draft_id, tmp_path)
    validate(shared_dir, downloaded["swagger"])
    (trigger,) = facts(shared_dir, downloaded["path"])["triggers"]
    assert trigger["operationId"] == "OnIssueOpened"
    assert trigger["kind"] == "webhook"
    assert [c["pointer"] for c in trigger["callback"]] == ["/config/url"]
    assert trigger["notification"]["properties"] == ["action", "issue"]
    assert trigger["delete"]["path"] == "/repos/{owner}/{repo}/hooks/{hookId}"
    assert trigger["delete"]["visibility"] == "internal"


def test_polling_trigger_from_login_to_download(
    page: Any, tmp_path: Path, shared_dir: Path
) -> None:
    make_team(owner=make_user("maker"))
    log_in(page, "maker")
    draft_id = create_draft(page, "Orders")
    fill_general_and_security(page)

    page.goto(f"/drafts/{draft_id}/wizard/definition/")
    save(page, "#wizard", "New polling trigger")
    page.fill("#id_general-summary", "When an order is created")
    page.fill("#id_general-description", "This operation triggers when an order is created.")
    page.fill("#id_general-operationId", "")
    save(page, "#general")

    page.locator("#sample summary").click()
    page.select_option("#id_sample-verb", "get")
    page.fill("#id_sample-url", "https://api.github.com/orders?$orderby=id desc")
    save(page, "#sample", "Import")

    page.select_option("#id_polling-stateParameter", "since")
    page.fill("#id_polling-valueCollection", "value")
    page.fill("#id_polling-valuePath", "id")
    page.fill("#id_polling-retryInterval", "600")
    page.fill("#id_polling-itemSamples", '{"id": 12, "total": 9.5}')
    save(page, "#polling")

    downloaded = review_and_download(page, draft_id, tmp_path)
    validate(shared_dir, downloaded["swagger"])
    (trigger,) = facts(shared_dir, downloaded["path"])["triggers"]
    assert (trigger["kind"], trigger["method"], trigger["path"]) == ("polling", "get", "/orders")
    assert trigger["operationId"] == "OnOrderCreated"
    assert trigger["retry_after_header"] is True


def test_two_editors_get_a_conflict_and_both_edits_survive(new_page: Any) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    team = make_team(owner=alice)
    add_member(team, bob)
    draft = make_draft(team, alice, "Shared")
    pages = {"alice": new_page(), "bob": new_page()}
    for name, page in pages.items():
        log_in(page, name)
        page.goto(f"/drafts/{draft.pk}/wizard/general/")

    pages["alice"].fill("#id_description", "Alice's description.")
    save(pages["alice"], "#wizard form")
    bob_page = pages["bob"]
    bob_page.fill("#id_host", "bob.example.com")
    with bob_page.expect_navigation() as navigation:
        bob_page.locator("#wizard form").get_by_role("button", name="Save").click()
    assert navigation.value.status == 409
    body = bob_page.locator("main").inner_text()
    assert "Someone else saved this draft" in body
    assert "Alice's description." in body  # what the other person changed
    assert "bob.example.com" in body  # beside Bob's own edit

    bob_page.get_by_role("button", name="Overwrite with my edit").click()
    bob_page.wait_for_url("**/wizard/general/")
    draft.refresh_from_db()
    assert draft.design["general"]["host"] == "bob.example.com"
    alices = draft.revisions.get(number=2).design["general"]
    assert alices["description"] == "Alice's description."  # recoverable from the history


def test_a_viewer_sees_no_edit_controls_and_a_forced_post_is_refused(page: Any) -> None:
    owner, viewer = make_user("olga"), make_user("vera")
    team = make_team(owner=owner)
    add_member(team, viewer, Membership.Role.VIEWER)
    draft: ConnectorDraft = make_draft(team, owner, "Read only")
    log_in(page, "vera")
    page.goto(f"/drafts/{draft.pk}/wizard/general/")
    assert page.locator("#wizard button").count() == 0
    assert page.locator("#id_host").is_disabled()
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/drafts/{draft.pk}/wizard/general/",
        form={"title": "Hacked", "based_on_version": "1", "host": "evil.example.com"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    draft.refresh_from_db()
    assert (draft.version, services.draft_design(draft=draft)["general"]["host"]) == (
        1,
        "api.example.com",
    )
