"""The trigger page's Batches section: batch size, page-size parameter, external id."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.models import ConnectorDraft
from tests.factories import client_for, make_team, make_user
from tests.html_forms import form_fields, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Any:
    return make_user("olivia")


@pytest.fixture
def draft(owner: Any) -> ConnectorDraft:
    created = services.draft_create(team=make_team(owner=owner), user=owner, title="Orders")
    design = services.draft_design(draft=created)
    polling = new_polling_trigger(
        summary="When an item is added",
        path="/items",
        state_parameter="since",
        item_samples=[{"id": 1, "name": "a"}],
    )
    polling["request"]["parameters"].append(
        {"name": "top", "in": "query", "required": False, "type": "integer"}
    )
    webhook = new_webhook_trigger(
        summary="When an order is created",
        path="/hooks",
        notification_samples=[{"orderId": 7, "status": "new"}],
    )
    design["triggers"] = [polling, webhook]
    return services.draft_save(
        draft=created, user=owner, design=design, based_on_version=created.version, message="x"
    )


def url(draft: ConnectorDraft, index: int) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index]) + "?tab=config"


def saved(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)


def test_the_config_tab_shows_the_batches_section(owner: Any, draft: ConnectorDraft) -> None:
    page = client_for(owner).get(url(draft, 0)).content.decode()
    assert 'id="batches"' in page
    names = {name for name, _ in form_fields(page)}
    assert {"batches-batchSize", "batches-pageSizeParameter", "batches-externalId"} <= names
    # The state parameter is no page size: only the other query parameters are offered.
    assert '<option value="top">top</option>' in page
    select = page.split('name="batches-pageSizeParameter"')[1].split("</select>")[0]
    assert '<option value="since">' not in select
    webhook = client_for(owner).get(url(draft, 1)).content.decode()
    webhook_names = {name for name, _ in form_fields(webhook)}
    assert "batches-batchSize" in webhook_names
    assert "batches-pageSizeParameter" not in webhook_names


def test_a_polling_batch_is_saved_with_the_page_size_default(
    owner: Any, draft: ConnectorDraft
) -> None:
    client = client_for(owner)
    data = page_data(
        client,
        url(draft, 0),
        batches__batchSize="50",
        batches__pageSizeParameter="top",
        batches__externalId="/id",
    )
    response = client.post(url(draft, 0), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    trigger = saved(draft)["triggers"][0]
    assert (trigger["batchSize"], trigger["externalId"]) == (50, "/id")
    assert trigger["polling"]["pageSizeParameter"] == "top"
    top = next(p for p in trigger["request"]["parameters"] if p["name"] == "top")
    assert top["default"] == 50
    operation = export_swagger(saved(draft))["paths"]["/items"]["get"]
    assert "Each run receives at most 50 items" in operation["description"]


def test_emptied_fields_take_the_keys_away(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner)
    filled = page_data(client, url(draft, 0), batches__batchSize="5", batches__externalId="/id")
    assert client.post(url(draft, 0), filled).status_code == 302
    emptied = page_data(client, url(draft, 0), batches__batchSize="", batches__externalId="")
    assert client.post(url(draft, 0), emptied).status_code == 302
    trigger = saved(draft)["triggers"][0]
    assert "batchSize" not in trigger and "externalId" not in trigger
    assert "pageSizeParameter" not in trigger["polling"]


def test_a_webhook_batch_fires_with_a_list(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner)
    data = page_data(client, url(draft, 1), batches__batchSize="10", batches__externalId="/orderId")
    assert client.post(url(draft, 1), data).status_code == 302
    trigger = saved(draft)["triggers"][1]
    assert (trigger["batchSize"], trigger["externalId"], trigger["cardinality"]) == (
        10,
        "/orderId",
        "batch",
    )
    assert trigger["notification"]["schema"]["type"] == "array"  # of the items


@pytest.mark.parametrize(
    ("index", "changes", "field", "words"),
    [
        (0, {"batches__externalId": "/nope"}, "batches-externalId", "has no property"),
        (0, {"batches__externalId": "id"}, "batches-externalId", "JSON pointer"),
        (1, {"batches__externalId": "/id"}, "batches-externalId", "has no property"),
        (0, {"batches__batchSize": "0"}, "batches-batchSize", "greater than or equal to 1"),
        (0, {"batches__batchSize": "many"}, "batches-batchSize", "whole number"),
        (0, {"batches__pageSizeParameter": "top"}, "batches-batchSize", "batch size"),
        (
            0,
            {"batches__pageSizeParameter": "since", "batches__batchSize": "3"},
            "batches-pageSizeParameter",
            "not one of the available",
        ),
    ],
)
def test_bad_input_is_an_error_at_its_field_and_nothing_is_saved(
    owner: Any, draft: ConnectorDraft, index: int, changes: dict[str, str], field: str, words: str
) -> None:
    client = client_for(owner)
    version = draft.version
    data = page_data(client, url(draft, index), general__summary="When it changed", **changes)
    response = client.post(url(draft, index), data)
    assert response.status_code == 400
    page = response.content.decode()
    group = page.split(f'for="id_{field}"')[1].split('<div class="form-group')[0]
    assert 'aria-invalid="true"' in group and words in group  # the error is at its field
    tab = page.split('id="tab-config-tab"')[1].split("</a>")[0]
    assert "tab-error" in tab  # the tab that holds the error says so
    draft.refresh_from_db()
    assert draft.version == version
    assert saved(draft)["triggers"][index]["summary"] != "When it changed"


def test_other_teams_get_404_and_a_forged_csrf_token_403(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner, csrf=True)
    data = page_data(client, url(draft, 0), batches__batchSize="5")
    forged = {**data, "csrfmiddlewaretoken": "x" * 64}
    assert client.post(url(draft, 0), forged).status_code == 403
    stranger = Client()
    stranger.force_login(make_user("mallory"))
    assert stranger.post(url(draft, 0), data).status_code == 404
    assert stranger.get(url(draft, 0)).status_code == 404
    assert "batchSize" not in saved(draft)["triggers"][0]
    assert client.post(url(draft, 0), data).status_code == 302  # the page's own token
    assert saved(draft)["triggers"][0]["batchSize"] == 5


@pytest.mark.parametrize("fault", ["repeats_items", "ignores_batch_size"])
def test_the_test_step_offers_the_batch_fault_modes(
    owner: Any, draft: ConnectorDraft, fault: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(owner)
    page = client.get(reverse("connectors:wizard_step", args=[draft.pk, "test"])).content.decode()
    assert f'<option value="{fault}">' in page
    monkeypatch.setattr("connectors.tasks.report_run.delay", lambda report_id: None)
    start = reverse("connectors:wizard_test_start", args=[draft.pk])
    assert client.post(start, {"target": "simulator", "fault": fault}).status_code == 302
    session = draft.reports.get().simulator
    assert session is not None and session.fault == fault
