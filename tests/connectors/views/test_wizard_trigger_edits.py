"""The trigger page's later edits: changing a trigger's type (webhook <-> polling) from its
General section, and adding and removing request parameters by hand, with errors that name
the field (400) and nothing saved when they happen."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


def draft_with(alice: Any, *triggers: dict[str, Any]) -> ConnectorDraft:
    draft = make_draft(make_team(owner=alice), alice, "Shop")
    design = services.draft_design(draft=draft)
    design["triggers"] = list(triggers)
    return services.draft_save(draft=draft, user=None, design=design, based_on_version=1)


def webhook() -> dict[str, Any]:
    return new_webhook_trigger(
        summary="When an order is created",
        path="/shops/{shopId}/hooks",
        notification_samples=[{"id": 1, "total": 2.5}],
    )


def polling() -> dict[str, Any]:
    return new_polling_trigger(
        summary="When an invoice is added",
        path="/invoices",
        state_parameter="since",
        item_samples=[{"id": 1}],
    )


def section(draft: ConnectorDraft, name: str, index: int = 0) -> str:
    return reverse("connectors:wizard_trigger_section", args=[draft.pk, index, name])


def page(draft: ConnectorDraft, index: int = 0) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index])


def prefixed(prefix: str, draft: ConnectorDraft, **data: Any) -> dict[str, Any]:
    base = {"title": draft.title, "based_on_version": draft.version, **data}
    return {f"{prefix}-{key}": value for key, value in base.items()}


def general(draft: ConnectorDraft, trigger: dict[str, Any], **data: Any) -> dict[str, Any]:
    keys = ("summary", "description", "operationId", "visibility", "cardinality")
    return prefixed("general", draft, **{key: trigger[key] for key in keys}, **data)


def post(client: Client, draft: ConnectorDraft, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data)
    draft.refresh_from_db()
    return response


def review_errors(client: Client, draft: ConnectorDraft) -> str:
    body = client.get(reverse("connectors:wizard_step", args=[draft.pk, "review"]))
    return body.content.decode()


# -- the trigger's type -------------------------------------------------------------------------


def test_the_general_section_offers_the_type(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    body = client_alice.get(page(draft)).content.decode()
    assert 'name="general-kind"' in body
    assert '<option value="webhook" selected>' in body


def test_a_webhook_becomes_a_polling_trigger(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    draft = draft_with(alice, trigger)
    response = post(
        client_alice, draft, section(draft, "general"), general(draft, trigger, kind="polling")
    )
    assert response.status_code == 302
    assert draft.version == 3
    saved = draft.design["triggers"][0]
    assert saved["kind"] == "polling"
    assert (saved["operationId"], saved["summary"]) == (trigger["operationId"], trigger["summary"])
    assert saved["deleteAction"] is None and saved["request"]["callbackPointer"] is None
    assert saved["polling"]["stateParameter"] == "since"
    assert "0 errors" in review_errors(client_alice, draft)
    body = client_alice.get(page(draft)).content.decode()
    assert 'id="polling"' in body and 'id="delete"' not in body


def test_a_polling_trigger_becomes_a_webhook(client_alice: Client, alice: Any) -> None:
    trigger = polling()
    draft = draft_with(alice, trigger)
    response = post(
        client_alice, draft, section(draft, "general"), general(draft, trigger, kind="webhook")
    )
    assert response.status_code == 302
    saved = draft.design["triggers"][0]
    assert (saved["kind"], saved["request"]["method"]) == ("webhook", "post")
    assert saved["deleteAction"]["path"] == "/invoices/{invoiceId}"
    assert saved["polling"] is None
    assert "0 errors" in review_errors(client_alice, draft)


def test_a_type_change_preview_saves_nothing(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    draft = draft_with(alice, trigger)
    data = general(draft, trigger, kind="polling", preview="1")
    data["preview"] = "1"
    response = post(client_alice, draft, section(draft, "general"), data)
    assert response.status_code == 200
    assert draft.version == 2 and draft.design["triggers"][0]["kind"] == "webhook"


def test_an_unknown_type_is_400_naming_the_field(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    draft = draft_with(alice, trigger)
    response = post(
        client_alice, draft, section(draft, "general"), general(draft, trigger, kind="push")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body
    assert 'name="general-kind"' in body.split("Select a valid choice")[1][:2000]
    assert draft.version == 2


# -- adding parameters --------------------------------------------------------------------------


def add(draft: ConnectorDraft, **data: Any) -> dict[str, Any]:
    fields = {"location": "query", "type": "string", "visibility": "none", **data}
    return prefixed("parameter", draft, **fields)


def test_a_query_parameter_is_added(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    data = add(
        draft,
        name="limit",
        type="integer",
        default="50",
        summary="Limit",
        description="How many at most.",
        visibility="advanced",
    )
    assert post(client_alice, draft, section(draft, "parameter"), data).status_code == 302
    parameters = draft.design["triggers"][0]["request"]["parameters"]
    assert parameters[-1] == {
        "name": "limit",
        "in": "query",
        "required": False,
        "type": "integer",
        "summary": "Limit",
        "description": "How many at most.",
        "default": 50,
        "visibility": "advanced",
    }
    body = client_alice.get(page(draft)).content.decode()
    assert 'name="params-1-name" value="limit"' in body


def test_a_header_parameter_is_added_and_internal_ones_are_required(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, webhook())
    data = add(draft, name="X-Api-Version", location="header", default="2", visibility="internal")
    assert post(client_alice, draft, section(draft, "parameter"), data).status_code == 302
    header = draft.design["triggers"][0]["request"]["parameters"][-1]
    assert (header["in"], header["required"], header["default"]) == ("header", True, "2")


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"name": "   "}, "name", "This field is required"),
        ({"name": "shopId", "location": "path"}, "name", "already has a path parameter shopId"),
        ({"name": "orderId", "location": "path"}, "name", "has no {orderId}"),
        ({"name": "x-trace", "location": "header"}, "name", None),  # fine: see the next row
        ({"name": "X-Api-Key", "location": "header", "existing": True}, "name", "already has"),
        ({"name": "my header", "location": "header"}, "name", "no spaces"),
        ({"name": "a&b"}, "name", "none of &"),
        ({"name": "limit", "type": "integer", "default": "ten"}, "default", "not a whole"),
        ({"name": "flag", "type": "boolean", "default": "yes"}, "default", "true or false"),
        ({"name": "token", "visibility": "internal"}, "default", "needs a default"),
        ({"name": "x", "location": "cookie"}, "location", "Select a valid choice"),
    ],
)
def test_a_bad_parameter_is_400_with_the_error_at_its_field(
    client_alice: Client, alice: Any, data: dict[str, Any], field: str, says: str | None
) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "x-api-key", "in": "header", "required": False, "type": "string"}
    )
    draft = draft_with(alice, trigger)
    data = {key: value for key, value in data.items() if key != "existing"}
    response = post(client_alice, draft, section(draft, "parameter"), add(draft, **data))
    if says is None:  # a control row: the same form with a good name saves
        assert response.status_code == 302
        return
    assert response.status_code == 400
    body = response.content.decode()
    assert says in body
    # the message sits in the field group of the field it names, in the open dialog
    dialog = body[body.index('id="add-parameter"') :].split("</details>")[0]
    assert dialog.startswith('id="add-parameter" open')
    group = dialog[: dialog.index(f'name="parameter-{field}"')]
    assert says in group[group.rindex('<div class="field') :]
    assert draft.version == 2


# -- removing parameters ------------------------------------------------------------------------


def rows(draft: ConnectorDraft, **removed: str) -> dict[str, Any]:
    """The request section as the page posts it, with ``removed`` rows ticked."""
    trigger = draft.design["triggers"][0]
    request = trigger["request"]
    data = prefixed("request", draft, method=request["method"], path=request["path"])
    parameters = [p for p in request["parameters"] if "ref" not in p]
    data.update({"params-TOTAL_FORMS": len(parameters), "params-INITIAL_FORMS": len(parameters)})
    for number, parameter in enumerate(parameters):
        row = {
            "name": parameter["name"],
            "location": parameter["in"],
            "type": parameter.get("type", "string"),
            "visibility": parameter.get("visibility", "none"),
            "default": parameter.get("default", ""),
        }
        if parameter["name"] in removed:
            row["DELETE"] = "on"
        data.update({f"params-{number}-{key}": value for key, value in row.items()})
    return data


def test_a_parameter_is_removed(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "limit", "in": "query", "required": False, "type": "string"}
    )
    draft = draft_with(alice, trigger)
    assert 'name="params-1-DELETE"' in client_alice.get(page(draft)).content.decode()
    response = post(client_alice, draft, section(draft, "request"), rows(draft, limit="on"))
    assert response.status_code == 302
    names = [p["name"] for p in draft.design["triggers"][0]["request"]["parameters"]]
    assert names == ["shopId"]


def test_same_name_in_two_places_is_told_apart(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "shopId", "in": "query", "required": False, "type": "string"}
    )
    draft = draft_with(alice, trigger)
    data = rows(draft)
    data["params-1-DELETE"] = "on"  # the query one, not the path one
    data["params-0-summary"] = "Shop"
    assert post(client_alice, draft, section(draft, "request"), data).status_code == 302
    (left,) = draft.design["triggers"][0]["request"]["parameters"]
    assert (left["in"], left["summary"]) == ("path", "Shop")


@pytest.mark.parametrize(
    ("build", "name", "says"),
    [
        (webhook, "shopId", "{shopId} is in the path"),
        (polling, "since", "keeps the polling state"),
    ],
)
def test_a_parameter_that_must_stay_is_400_at_its_remove_box(
    client_alice: Client, alice: Any, build: Any, name: str, says: str
) -> None:
    draft = draft_with(alice, build())
    response = post(client_alice, draft, section(draft, "request"), rows(draft, **{name: "on"}))
    assert response.status_code == 400
    body = response.content.decode()
    cell = body[: body.index(says)]
    assert 'name="params-0-DELETE"' in cell[cell.rindex("<td") :]
    assert draft.version == 2


def test_a_path_parameter_goes_with_its_segment(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    data = rows(draft, shopId="on")
    data["request-path"] = "/hooks"
    assert post(client_alice, draft, section(draft, "request"), data).status_code == 302
    assert draft.design["triggers"][0]["request"]["parameters"] == []


# -- who may -------------------------------------------------------------------------------------


def test_viewers_other_teams_and_csrf(client: Client, alice: Any) -> None:
    trigger = webhook()
    draft = draft_with(alice, trigger)
    posts = [
        (section(draft, "parameter"), add(draft, name="limit")),
        (section(draft, "general"), general(draft, trigger, kind="polling")),
    ]
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert [client.post(url, data).status_code for url, data in posts] == [403, 403]
    client.force_login(make_user("mallory"))
    assert [client.post(url, data).status_code for url, data in posts] == [404, 404]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert [strict.post(url, data).status_code for url, data in posts] == [403, 403]
    draft.refresh_from_db()
    assert draft.version == 2
