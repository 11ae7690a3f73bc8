"""The parameter editor's Values choice: Static or Dynamic values listed by an imported action.

Choosing Dynamic values writes x-ms-dynamic-values and x-ms-dynamic-list in Microsoft's shapes,
Static removes both, an imported parameter's dynamic values show in its row and survive a save
untouched, and bad input is an error at its field (400) with nothing saved."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.factories import add_member, client_for, make_draft, make_team, make_user
from tests.html_forms import page_data

pytestmark = pytest.mark.django_db

# What an import keeps in passthrough: two actions that list things, and another trigger.
PASSTHROUGH = {
    "paths": {
        "/shops": {
            "get": {
                "operationId": "ListShops",
                "summary": "List shops",
                "parameters": [{"$ref": "#/parameters/Limit"}],
                "responses": {"200": {"description": "Shops"}},
            }
        },
        "/shops/{shopId}/event-types": {
            "parameters": [{"name": "shopId", "in": "path", "required": True, "type": "string"}],
            "get": {
                "operationId": "ListEventTypes",
                "summary": "List event types",
                "parameters": [
                    {"name": "active", "in": "query", "type": "boolean"},
                    {"name": "kinds", "in": "query", "type": "array", "items": {"type": "string"}},
                ],
                "responses": {"200": {"description": "Event types"}},
            },
        },
        "/orders": {
            "get": {
                "operationId": "OnNewOrders",
                "summary": "When orders are added",
                "x-ms-trigger": "batch",
                "responses": {"200": {"description": "Orders"}},
            }
        },
    },
    "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}},
}
EVENT_TYPES = {
    "x-ms-dynamic-values": {
        "operationId": "ListEventTypes",
        "parameters": {"shopId": {"parameter": "shopId"}, "active": True},
        "value-collection": "value",
        "value-path": "id",
        "value-title": "name",
    },
    "x-ms-dynamic-list": {
        "operationId": "ListEventTypes",
        "parameters": {"shopId": {"parameterReference": "shopId"}, "active": {"value": True}},
        "itemsPath": "value",
        "itemValuePath": "id",
        "itemTitlePath": "name",
    },
}


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


def trigger(**event_extras: Any) -> dict[str, Any]:
    made = new_webhook_trigger(
        summary="When an order event happens",
        path="/shops/{shopId}/hooks",
        notification_samples=[{"id": 1}],
    )
    event = {"name": "event", "in": "query", "required": True, "type": "string"}
    if event_extras:
        event["extras"] = event_extras
    made["request"]["parameters"].append(event)
    return made


def draft_with(alice: Any, made: dict[str, Any]) -> ConnectorDraft:
    draft = make_draft(make_team(owner=alice), alice, "Shop")
    design = services.draft_design(draft=draft)
    design["triggers"] = [made]
    design["passthrough"]["swagger"] = copy.deepcopy(PASSTHROUGH)
    return services.draft_save(draft=draft, user=None, design=design, based_on_version=1)


def page(draft: ConnectorDraft) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, 0])


def event_of(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    parameters = draft.design["triggers"][0]["request"]["parameters"]
    return next(p for p in parameters if p["name"] == "event")


def row_of(client: Client, draft: ConnectorDraft, name: str) -> int:
    data = page_data(client, page(draft))
    return next(i for i in range(10) if data.get(f"params-{i}-name") == name)


def dynamic_edits(row: int, **fields: str) -> dict[str, str]:
    return {f"dynamic-{row}-{key}": value for key, value in fields.items()}


GOOD = {
    "mode": "dynamic",
    "operation": "ListEventTypes",
    "map_0_name": "shopId",
    "map_0_source": "parameter:shopId",
    "map_1_name": "active",
    "map_1_source": "value",
    "map_1_value": "true",
    "collection": "value",
    "value_path": "id",
    "title_path": "name",
}


def test_the_row_offers_the_actions_by_operation_id_and_never_a_trigger(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, trigger())
    html = client_alice.get(page(draft) + "?tab=request").content.decode()
    assert 'name="dynamic-1-mode"' in html
    assert '<option value="ListEventTypes">ListEventTypes: List event types</option>' in html
    assert '<option value="ListShops">ListShops: List shops</option>' in html
    assert 'value="OnNewOrders"' not in html
    # The operation parameters to map, grouped by operation ($ref and path-level ones too).
    assert '<optgroup label="ListShops">' in html and '<option value="limit">' in html
    assert '<option value="parameter:shopId">Parameter shopId</option>' in html


def test_dynamic_values_write_both_extensions(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, trigger())
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), **dynamic_edits(row, **GOOD))
    response = client_alice.post(page(draft), data)
    assert response.status_code == 302
    assert event_of(draft)["extras"] == EVENT_TYPES


def test_static_removes_both_and_keeps_other_extras(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, trigger(format="uuid", **copy.deepcopy(EVENT_TYPES)))
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), **dynamic_edits(row, mode="static"))
    assert client_alice.post(page(draft), data).status_code == 302
    assert event_of(draft)["extras"] == {"format": "uuid"}


def test_imported_values_show_and_survive_an_unchanged_save(
    client_alice: Client, alice: Any
) -> None:
    # As Microsoft's published connectors write it: values only, a bare list literal.
    imported = {
        "x-ms-dynamic-values": {
            "operationId": "ListShops",
            "parameters": {"limit": [1, 2]},
            "value-path": "id",
        }
    }
    draft = draft_with(alice, trigger(**copy.deepcopy(imported)))
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), general__summary="When an order event occurs")
    assert data[f"dynamic-{row}-mode"] == "dynamic"
    assert data[f"dynamic-{row}-operation"] == "ListShops"
    assert data[f"dynamic-{row}-map_0_name"] == "limit"
    assert data[f"dynamic-{row}-map_0_value"] == "[1, 2]"
    assert client_alice.post(page(draft), data).status_code == 302
    assert event_of(draft)["extras"] == imported
    assert draft.version == 3


def test_an_edited_imported_row_keeps_its_fixed_value_type(
    client_alice: Client, alice: Any
) -> None:
    imported = {"x-ms-dynamic-values": {"operationId": "ListShops", "parameters": {"limit": 5}}}
    draft = draft_with(alice, trigger(**copy.deepcopy(imported)))
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), **dynamic_edits(row, value_path="id"))
    assert client_alice.post(page(draft), data).status_code == 302
    extras = event_of(draft)["extras"]
    assert extras["x-ms-dynamic-values"]["parameters"] == {"limit": 5}
    assert extras["x-ms-dynamic-list"]["parameters"] == {"limit": {"value": 5}}
    assert extras["x-ms-dynamic-list"]["itemValuePath"] == "id"


BAD = [
    ({"operation": ""}, "operation", "Choose the operation that lists the values."),
    ({"value_path": " "}, "value_path", "Enter the path of each item&#x27;s value"),
    ({"map_1_name": "limit"}, "map_1_name", "ListEventTypes has no parameter limit"),
    ({"map_1_value": "maybe"}, "map_1_value", "Enter a boolean value for active"),
    ({"map_0_source": "parameter:gone"}, "map_0_source", "Select a valid choice"),
    ({"map_1_name": "shopId"}, "map_1_name", "shopId is mapped twice."),
    ({"map_1_name": "kinds", "map_1_value": "[" * 999}, "map_1_value", "deeper than 64 levels"),
    ({"map_1_name": "kinds", "map_1_value": "[NaN]"}, "map_1_value", "NaN is not a JSON value"),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_is_an_error_at_its_field_and_nothing_is_saved(
    client_alice: Client, alice: Any, change: dict[str, str], field: str, message: str
) -> None:
    draft = draft_with(alice, trigger())
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), **dynamic_edits(row, **{**GOOD, **change}))
    response = client_alice.post(page(draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    field_id = f"id_dynamic-{row}-{field}"
    assert field_id in html and message in html
    # The error sits right after its field (its error list follows the widget).
    after = html[html.index(f'id="{field_id}"') :]
    assert after.index(message) < after.index("<label")
    draft.refresh_from_db()
    assert draft.version == 2 and "extras" not in event_of(draft)


def test_a_mapping_from_a_parameter_removed_in_the_same_save_is_refused(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, trigger())
    row = row_of(client_alice, draft, "event")
    source = dynamic_edits(row, **{**GOOD, "map_0_source": "parameter:event"})
    data = page_data(client_alice, page(draft), **source)
    # "event" maps from itself: a parameter is never its own source.
    response = client_alice.post(page(draft), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_other_teams_viewers_and_csrf(client: Client, alice: Any) -> None:
    draft = draft_with(alice, trigger())
    owner = client_for(alice, csrf=True)
    row = row_of(owner, draft, "event")
    data = page_data(owner, page(draft), **dynamic_edits(row, **GOOD))
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.post(page(draft), data).status_code == 403
    client.force_login(make_user("mallory"))
    assert client.get(page(draft)).status_code == 404
    assert client.post(page(draft), data).status_code == 404
    forged = {**data, "csrfmiddlewaretoken": "x" * 64}
    assert owner.post(page(draft), forged).status_code == 403
    assert "extras" not in event_of(draft)
    assert owner.post(page(draft), data).status_code == 302
    assert event_of(draft)["extras"] == EVENT_TYPES


def test_a_stale_save_is_a_conflict(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, trigger())
    row = row_of(client_alice, draft, "event")
    data = page_data(client_alice, page(draft), **dynamic_edits(row, **GOOD))
    design = services.draft_design(draft=draft)
    design["general"]["title"] = "Shop 2"
    services.draft_save(draft=draft, user=None, design=design, based_on_version=draft.version)
    assert client_alice.post(page(draft), data).status_code == 409
    assert "extras" not in event_of(draft)


def test_a_posted_mapping_number_cannot_make_the_form_huge(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, trigger())
    row = row_of(client_alice, draft, "event")
    edits = {**GOOD, "operation": "", "map_999_name": "x", "map_200000_name": "y"}
    data = page_data(client_alice, page(draft), **dynamic_edits(row, **edits))
    response = client_alice.post(page(draft), data)
    assert response.status_code == 400
    html = response.content.decode()
    shown = re.findall(rf'name="dynamic-{row}-map_(\d+)_name"', html)
    assert len(shown) == 30 and "map_200000" not in html


def test_a_connector_with_no_listing_operation_offers_no_values_choice(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, trigger())
    design = services.draft_design(draft=draft)
    design["passthrough"]["swagger"] = {}
    draft = services.draft_save(draft=draft, user=None, design=design, based_on_version=2)
    html = client_alice.get(page(draft)).content.decode()
    row = row_of(client_alice, draft, "event")
    assert f'<input type="hidden" name="dynamic-{row}-mode" value="static">' in html
    assert f'name="dynamic-{row}-operation"' not in html and "data-dynamic-values" not in html
    data = page_data(client_alice, page(draft), params__0__summary="Shop")
    assert client_alice.post(page(draft), data).status_code == 302
    assert "extras" not in event_of(draft)


def test_an_internal_parameter_offers_no_values_choice(client_alice: Client, alice: Any) -> None:
    made = trigger()
    made["request"]["parameters"][-1].update(visibility="internal", default="created")
    draft = draft_with(alice, made)
    row = row_of(client_alice, draft, "event")
    html = client_alice.get(page(draft)).content.decode()
    assert f'<input type="hidden" name="dynamic-{row}-mode" value="static">' in html
    shop = row_of(client_alice, draft, "shopId")  # the author fills it: the choice is offered
    assert f'name="dynamic-{shop}-operation"' in html
