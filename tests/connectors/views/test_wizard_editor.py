"""The Swagger editor through Django's test client: the text and its findings at their lines,
saves that import the text (summaries, triggers typed by hand, apiProperties kept), broken text
refused with its line and column (400, nothing saved), conflicts (409), roles, teams and CSRF.

A save posts the page's form as a browser without JavaScript would: the textarea's text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.models import ConnectorDraft
from tests.factories import client_for
from tests.html_forms import form_data, page_data

from .conftest import World

pytestmark = pytest.mark.django_db

SUMMARY = "When an order is created"


def editor(draft: ConnectorDraft, fmt: str = "json") -> str:
    url = reverse("connectors:wizard_swagger", args=[draft.pk])
    return f"{url}?format=yaml" if fmt == "yaml" else url


def saved(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)


@pytest.fixture
def draft(world: World) -> ConnectorDraft:
    """Orders with one webhook trigger (with a notification sample), a branding colour and a
    policy in apiProperties, and a finding: the trigger has no description."""
    design = services.draft_design(draft=world.draft)
    trigger = new_webhook_trigger(
        summary=SUMMARY,
        operation_id="OnOrderCreated",
        path="/hooks",
        notification_samples=[{"id": 1, "total": 9.5}],
    )
    trigger["description"] = ""
    design["triggers"].append(trigger)
    design["general"]["iconBrandColor"] = "#8a2be2"
    design["passthrough"]["properties"] = {
        "properties": {"policyTemplateInstances": [{"templateId": "routerequesttoendpoint"}]}
    }
    return services.draft_save(
        draft=world.draft, user=world.owner, design=design, based_on_version=world.draft.version
    )


@pytest.fixture
def owner(world: World) -> Client:
    return client_for(world.owner)


def text_of(client: Client, url: str) -> str:
    return str(page_data(client, url)["text"])


def post_text(client: Client, draft: ConnectorDraft, text: str, fmt: str = "json") -> Any:
    data = page_data(client, editor(draft, fmt), text=text)
    return client.post(editor(draft, fmt), data)


def diagnostics(response: Any) -> list[dict[str, Any]]:
    body = response.content.decode()
    start = body.index('<script id="editor-diagnostics" type="application/json">')
    found = body[start:].split(">", 1)[1].split("</script>", 1)[0]
    return list(json.loads(found))


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


# -- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_editor_holds_the_exported_swagger_and_its_findings_at_their_lines(
    owner: Client, draft: ConnectorDraft, fmt: str
) -> None:
    response = owner.get(editor(draft, fmt))
    assert response.status_code == 200
    text = str(form_data(response.content.decode())["text"])
    design = services.draft_design(draft=draft)
    dump = dump_yaml if fmt == "yaml" else dump_json
    assert text == dump(export_swagger(design))
    found = [d for d in diagnostics(response) if "OperationMissingDescription" in d["message"]]
    assert len(found) == 1
    post = "post:" if fmt == "yaml" else '"post"'
    assert found[0]["line"] == line_of(text, post)
    assert found[0]["severity"] == "info"
    line = text.splitlines()[found[0]["line"] - 1]
    assert line[found[0]["column"] - 1 :].startswith(post)


def test_every_wizard_page_links_to_the_editor_from_its_header_bar(
    owner: Client, draft: ConnectorDraft
) -> None:
    link = f'href="{editor(draft)}"'
    for name in ("general", "security", "test", "review"):
        body = owner.get(reverse("connectors:wizard_step", args=[draft.pk, name])).content
        assert link in body.decode(), name
    page = owner.get(editor(draft)).content.decode()
    assert f'{link} aria-current="page"' in page
    assert "js/editor.bundle.js" in page
    review = owner.get(reverse("connectors:wizard_step", args=[draft.pk, "review"]))
    assert "js/editor.bundle.js" not in review.content.decode()  # the editor's page only


# -- saving -------------------------------------------------------------------------------------


def test_a_changed_summary_is_saved_and_shows_on_the_trigger_page(
    owner: Client, draft: ConnectorDraft
) -> None:
    text = text_of(owner, editor(draft)).replace(SUMMARY, "When an order is placed")
    response = post_text(owner, draft, text)
    assert response.status_code == 302
    assert response["Location"] == editor(draft)
    design = saved(draft)
    assert draft.version == 3
    assert [t["summary"] for t in design["triggers"]] == ["When an order is placed"]
    assert draft.revisions.get(number=3).message == "Edited in the Swagger editor"
    page = owner.get(reverse("connectors:wizard_trigger", args=[draft.pk, 0]))
    assert 'value="When an order is placed"' in page.content.decode()
    # What the text cannot hold is kept: the sample, the colour and the policy (apiProperties).
    assert design["triggers"][0]["notification"]["samples"] == [{"id": 1, "total": 9.5}]
    assert design["general"]["iconBrandColor"] == "#8a2be2"
    policies = design["passthrough"]["properties"]["properties"]["policyTemplateInstances"]
    assert policies == [{"templateId": "routerequesttoendpoint"}]


def test_the_yaml_text_saves_too_and_lands_back_on_yaml(
    owner: Client, draft: ConnectorDraft
) -> None:
    text = text_of(owner, editor(draft, "yaml"))
    assert f"summary: {SUMMARY}" in text
    response = post_text(owner, draft, text.replace("version: '1.0'", "version: '2.5'"), "yaml")
    assert response.status_code == 302
    assert response["Location"] == editor(draft, "yaml")
    assert saved(draft)["general"]["version"] == "2.5"


def test_a_trigger_typed_by_hand_becomes_a_trigger_of_the_design(
    owner: Client, draft: ConnectorDraft
) -> None:
    doc = json.loads(text_of(owner, editor(draft)))
    doc["paths"]["/orders"] = {
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
    response = post_text(owner, draft, json.dumps(doc, indent=2))
    assert response.status_code == 302
    triggers = saved(draft)["triggers"]
    assert [(t["operationId"], t["kind"]) for t in triggers] == [
        ("OnOrderCreated", "webhook"),
        ("OnNewOrders", "polling"),
    ]
    definition = owner.get(reverse("connectors:wizard_step", args=[draft.pk, "definition"]))
    assert "When orders are added" in definition.content.decode()
    assert "When orders are added" in owner.get(editor(draft)).content.decode()


def test_the_preview_checks_the_text_and_saves_nothing(
    owner: Client, draft: ConnectorDraft
) -> None:
    text = text_of(owner, editor(draft)).replace('"api.example.com"', '"https://x.com/"')
    data = page_data(owner, editor(draft), text=text, preview="1")
    response = owner.post(editor(draft), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "HostNameNotValid" in body and "unsaved edits" in body
    saved(draft)
    assert draft.version == 2


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "breakage", "at"),
    [
        ("json", ('"swagger": "2.0",', '"swagger": "2.0"'), ('"info"', 5)),
        ("yaml", ("basePath: /", "basePath: / : x"), ("basePath", 13)),
        ("json", ('"swagger": "2.0"', '"openapi": "3.0.1"'), ('"openapi"', 5)),
        ("yaml", ("swagger: '2.0'", "swagger: '1.2'"), ("swagger", 1)),
    ],
    ids=["json-comma", "yaml-colon", "openapi-3", "swagger-1.2"],
)
def test_broken_text_is_refused_with_its_line_and_column_and_kept(
    owner: Client,
    draft: ConnectorDraft,
    fmt: str,
    breakage: tuple[str, str],
    at: tuple[str, int],
) -> None:
    before = saved(draft)
    text = text_of(owner, editor(draft, fmt))
    assert breakage[0] in text
    broken = text.replace(breakage[0], breakage[1], 1)
    response = post_text(owner, draft, broken, fmt)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Line {line_of(broken, at[0])}, column {at[1]}: " in body
    assert form_data(body)["text"] == broken  # what was typed, as typed
    assert "Nothing was saved" in body and 'aria-invalid="true"' in body
    [marker] = diagnostics(response)
    assert f"Line {marker['line']}, column {marker['column']}" in body
    assert marker["severity"] == "error"
    assert saved(draft) == before and draft.version == 2


def test_an_empty_text_is_refused(owner: Client, draft: ConnectorDraft) -> None:
    response = post_text(owner, draft, "")
    assert response.status_code == 400
    assert "The text is empty" in response.content.decode()
    saved(draft)
    assert draft.version == 2


def test_a_stale_version_ends_on_the_conflict_page(
    owner: Client, world: World, draft: ConnectorDraft
) -> None:
    data = page_data(owner, editor(draft))
    data["text"] = str(data["text"]).replace(SUMMARY, "Mine")
    theirs = services.draft_design(draft=draft)
    theirs["triggers"][0]["summary"] = "Theirs"
    services.draft_save(draft=draft, user=world.editor, design=theirs, based_on_version=2)
    response = owner.post(editor(draft), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Theirs" in body and "Mine" in body
    assert saved(draft)["triggers"][0]["summary"] == "Theirs" and draft.version == 3


# -- who may ------------------------------------------------------------------------------------


def test_a_viewer_reads_the_text_but_cannot_save(world: World, draft: ConnectorDraft) -> None:
    viewer = client_for(world.viewer)
    body = viewer.get(editor(draft)).content.decode()
    assert "data-swagger-editor" in body and " readonly>" in body
    assert "data-save" not in body
    data = page_data(client_for(world.owner), editor(draft))
    data["text"] = str(data["text"]).replace(SUMMARY, "Viewer's")
    assert viewer.post(editor(draft), data).status_code == 403
    assert saved(draft)["triggers"][0]["summary"] == SUMMARY


def test_another_teams_draft_is_404(world: World, draft: ConnectorDraft) -> None:
    stranger = client_for(world.stranger)
    data = page_data(client_for(world.owner), editor(draft))
    assert stranger.get(editor(draft)).status_code == 404
    assert stranger.post(editor(draft), data).status_code == 404
    saved(draft)
    assert draft.version == 2


def test_the_save_enforces_csrf(world: World, draft: ConnectorDraft) -> None:
    strict = client_for(world.owner, csrf=True)
    data = page_data(strict, editor(draft))
    token = data.pop("csrfmiddlewaretoken")
    assert strict.post(editor(draft), data).status_code == 403
    assert strict.post(editor(draft), {**data, "csrfmiddlewaretoken": "forged"}).status_code == 403
    saved(draft)
    assert draft.version == 2
    response = strict.post(editor(draft), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved(draft)
    assert draft.version == 3
