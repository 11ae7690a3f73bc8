"""The trigger page's later edits: changing a trigger's type (webhook <-> polling) on its
General tab, and adding (Add parameter) and removing (the Remove boxes) request parameters,
with errors at the field they name on the tab that holds it (400) and nothing saved when they
happen. Every edit is a press of a button of the page's one form (``tests.html_forms``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.factories import add_member, client_for, make_draft, make_team, make_user
from tests.html_forms import page_data

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


def page(draft: ConnectorDraft, index: int = 0) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index])


def press(client: Client, draft: ConnectorDraft, **changes: Any) -> Any:
    """Change fields of the trigger's page and press Save (or the button given as
    ``action``); ``__`` stands for ``-`` in field names (``general__kind``)."""
    response = client.post(page(draft), page_data(client, page(draft), **changes))
    draft.refresh_from_db()
    return response


def review_errors(client: Client, draft: ConnectorDraft) -> str:
    body = client.get(reverse("connectors:wizard_step", args=[draft.pk, "review"]))
    return body.content.decode()


# -- the trigger's type -------------------------------------------------------------------------


def test_the_general_tab_offers_the_type(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    body = client_alice.get(page(draft)).content.decode()
    general = body.split('id="tab-general"')[1].split("</section>")[0]
    assert 'name="general-kind"' in general
    assert '<option value="webhook" selected>' in general


def test_a_webhook_becomes_a_polling_trigger(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    draft = draft_with(alice, trigger)
    response = press(client_alice, draft, general__kind="polling")
    assert response.status_code == 302
    assert draft.version == 3
    saved = draft.design["triggers"][0]
    assert saved["kind"] == "polling"
    assert (saved["operationId"], saved["summary"]) == (trigger["operationId"], trigger["summary"])
    assert saved["deleteAction"] is None and saved["request"]["callbackPointer"] is None
    assert saved["polling"]["stateParameter"] == "since"
    assert "0 errors" in review_errors(client_alice, draft)
    body = client_alice.get(page(draft)).content.decode()
    assert 'name="polling-retryInterval"' in body and 'name="delete-enabled"' not in body
    assert 'name="callback-pointer"' not in body


def test_a_polling_trigger_becomes_a_webhook(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, polling())
    response = press(client_alice, draft, general__kind="webhook")
    assert response.status_code == 302
    saved = draft.design["triggers"][0]
    assert (saved["kind"], saved["request"]["method"]) == ("webhook", "post")
    assert saved["deleteAction"]["path"] == "/invoices/{invoiceId}"
    assert saved["polling"] is None
    assert "0 errors" in review_errors(client_alice, draft)
    body = client_alice.get(page(draft)).content.decode()
    assert 'name="delete-enabled"' in body and 'name="polling-retryInterval"' not in body


def test_a_type_change_keeps_the_other_edits_of_the_page(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = press(
        client_alice,
        draft,
        general__kind="polling",
        general__description="Every new order.",
        request__path="/shops/{shopId}/orders",
    )
    assert response.status_code == 302
    saved = draft.design["triggers"][0]
    assert saved["kind"] == "polling"
    assert saved["description"] == "Every new order."
    assert saved["request"]["path"] == "/shops/{shopId}/orders"


def test_a_type_change_preview_saves_nothing(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = press(client_alice, draft, general__kind="polling", preview="1")
    assert response.status_code == 200
    assert response.content.decode().startswith('<aside id="validation-panel"')
    assert draft.version == 2 and draft.design["triggers"][0]["kind"] == "webhook"


def test_an_unknown_type_is_400_naming_the_field(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = press(client_alice, draft, general__kind="push")
    assert response.status_code == 400
    assert response.context["tab"] == "general"
    body = response.content.decode()
    group = body[body.index('for="id_general-kind"') :].split('class="form-group')[0]
    assert 'aria-invalid="true"' in group and "Select a valid choice" in group
    assert draft.version == 2


# -- adding parameters --------------------------------------------------------------------------


def add(client: Client, draft: ConnectorDraft, **fields: Any) -> Any:
    """On the Request tab, fill the Add parameter fields (a query string parameter unless
    told) and press Add parameter."""
    fields = {"location": "query", "type": "string", "visibility": "none", **fields}
    changes = {f"parameter-{name}": value for name, value in fields.items()}
    return press(client, draft, tab="request", action="add-parameter", **changes)


def test_a_query_parameter_is_added(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = add(
        client_alice,
        draft,
        name="limit",
        type="integer",
        default="50",
        summary="Limit",
        description="How many at most.",
        visibility="advanced",
    )
    assert response.status_code == 302
    assert response["Location"] == page(draft) + "?tab=request"  # back where it was pressed
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
    assert 'name="parameter-name" class="form-control"' in body  # the Add fields start empty


def test_a_header_parameter_is_added_and_internal_ones_are_required(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, webhook())
    response = add(
        client_alice,
        draft,
        name="X-Api-Version",
        location="header",
        default="2",
        visibility="internal",
    )
    assert response.status_code == 302
    header = draft.design["triggers"][0]["request"]["parameters"][-1]
    assert (header["in"], header["required"], header["default"]) == ("header", True, "2")


def test_a_new_path_segment_gets_its_parameter_on_save(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = press(client_alice, draft, request__path="/shops/{shopId}/hooks/{kind}")
    assert response.status_code == 302
    parameters = draft.design["triggers"][0]["request"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [
        ("shopId", "path", True),
        ("kind", "path", True),
    ]


def test_a_path_parameter_is_added_with_its_segment_in_the_same_press(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, webhook())
    response = press(
        client_alice,
        draft,
        tab="request",
        action="add-parameter",
        request__path="/shops/{shopId}/hooks/{kind}",
        **{
            "parameter-name": "kind",
            "parameter-location": "path",
            "parameter-type": "string",
            "parameter-visibility": "none",
            "parameter-summary": "Kind of hook",
        },
    )
    assert response.status_code == 302
    kinds = [p for p in draft.design["triggers"][0]["request"]["parameters"] if p["name"] == "kind"]
    assert [(p["in"], p["summary"]) for p in kinds] == [("path", "Kind of hook")]


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"name": "   "}, "name", "This field is required"),
        ({"name": "shopId", "location": "path"}, "name", "already has a path parameter shopId"),
        ({"name": "orderId", "location": "path"}, "name", "has no {orderId}"),
        ({"name": "x-trace", "location": "header"}, "name", None),  # fine: see the next row
        ({"name": "X-Api-Key", "location": "header"}, "name", "already has"),
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
    response = add(client_alice, draft, **data)
    if says is None:  # a control row: the same form with a good name saves
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert response.context["tab"] == "request"
    body = response.content.decode()
    # the message sits in the field group of the field it names, in the opened Add parameter
    added = body[body.index('id="add-parameter"') :].split("</details>")[0]
    assert added.startswith('id="add-parameter" open')
    group = added[added.index(f'for="id_parameter-{field}"') :].split('class="form-group')[0]
    assert says in group and 'aria-invalid="true"' in group
    assert draft.version == 2


# -- removing parameters ------------------------------------------------------------------------


def removing(draft: ConnectorDraft, *names: str) -> dict[str, str]:
    """The Remove boxes of the parameter editor's rows named ``names``, ticked."""
    parameters = [p for p in draft.design["triggers"][0]["request"]["parameters"] if "ref" not in p]
    return {
        f"params-{number}-DELETE": "on"
        for number, parameter in enumerate(parameters)
        if parameter["name"] in names
    }


def test_a_parameter_is_removed(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "limit", "in": "query", "required": False, "type": "string"}
    )
    draft = draft_with(alice, trigger)
    assert 'name="params-1-DELETE"' in client_alice.get(page(draft)).content.decode()
    response = press(client_alice, draft, **removing(draft, "limit"))
    assert response.status_code == 302
    names = [p["name"] for p in draft.design["triggers"][0]["request"]["parameters"]]
    assert names == ["shopId"]


def test_same_name_in_two_places_is_told_apart(client_alice: Client, alice: Any) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "shopId", "in": "query", "required": False, "type": "string"}
    )
    draft = draft_with(alice, trigger)
    response = press(client_alice, draft, params__1__DELETE="on", params__0__summary="Shop")
    assert response.status_code == 302  # the query one removed, the path one edited
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
    response = press(client_alice, draft, **removing(draft, name))
    assert response.status_code == 400
    assert response.context["tab"] == "request"
    body = response.content.decode()
    cell = body[: body.index(says)]
    assert 'name="params-0-DELETE"' in cell[cell.rindex("<td") :]
    assert draft.version == 2


def test_a_path_parameter_goes_with_its_segment(client_alice: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    response = press(client_alice, draft, request__path="/hooks", **removing(draft, "shopId"))
    assert response.status_code == 302
    assert draft.design["triggers"][0]["request"]["parameters"] == []


def polling_with_after() -> dict[str, Any]:
    trigger = polling()
    trigger["request"]["parameters"].append(
        {"name": "after", "in": "query", "required": False, "type": "string"}
    )
    return trigger


def test_the_old_state_parameter_can_go_once_another_is_the_state(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, polling_with_after())
    assert press(client_alice, draft, polling__stateParameter="after").status_code == 302
    assert press(client_alice, draft, **removing(draft, "since")).status_code == 302
    saved = draft.design["triggers"][0]
    assert saved["polling"]["stateParameter"] == "after"
    assert [p["name"] for p in saved["request"]["parameters"]] == ["after"]


def test_the_state_parameter_changes_and_the_old_one_goes_in_one_save(
    client_alice: Client, alice: Any
) -> None:
    draft = draft_with(alice, polling_with_after())
    response = press(
        client_alice, draft, polling__stateParameter="after", **removing(draft, "since")
    )
    assert response.status_code == 302
    saved = draft.design["triggers"][0]
    assert saved["polling"]["stateParameter"] == "after"
    assert [p["name"] for p in saved["request"]["parameters"]] == ["after"]


# -- who may -------------------------------------------------------------------------------------


def test_viewers_other_teams_and_csrf(client: Client, alice: Any) -> None:
    draft = draft_with(alice, webhook())
    owner = client_for(alice, csrf=True)
    posts = [
        page_data(owner, page(draft), parameter__name="limit", action="add-parameter"),
        page_data(owner, page(draft), general__kind="polling"),
    ]
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert [client.post(page(draft), data).status_code for data in posts] == [403, 403]
    client.force_login(make_user("mallory"))
    assert [client.post(page(draft), data).status_code for data in posts] == [404, 404]
    forged = [{**data, "csrfmiddlewaretoken": "x" * 64} for data in posts]
    assert [owner.post(page(draft), data).status_code for data in forged] == [403, 403]
    draft.refresh_from_db()
    assert draft.version == 2
    assert owner.post(page(draft), posts[0]).status_code == 302  # with the page's own token
