"""The trigger page's in-page actions, Import from sample and Add parameter: closed sections of
the page's one form (no page or URL of their own) whose fields are checked only when their own
button is pressed; a press saves the page's other edits with them, and a refused press opens
the section again with its errors and everything that was typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft
from tests.factories import make_draft, make_team, make_user
from tests.html_forms import form_data, page_data

pytestmark = pytest.mark.django_db

REGISTRATION = '{"callbackUrl": "https://example.com/hook", "events": ["order.created"]}'


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def draft(alice: Any) -> ConnectorDraft:
    draft = make_draft(make_team(owner=alice), alice, "Shop")
    design = services.draft_design(draft=draft)
    design["triggers"] = [
        new_webhook_trigger(summary="When an order is created", path="/shops/{shopId}/hooks"),
        new_polling_trigger(
            summary="When an item is added", path="/items", state_parameter="since"
        ),
    ]
    return services.draft_save(draft=draft, user=None, design=design, based_on_version=1)


def page(draft: ConnectorDraft, index: int = 0) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index])


def press(client: Client, draft: ConnectorDraft, index: int = 0, **changes: Any) -> Any:
    """Change fields of the trigger's page (``__`` for ``-``) and press the button given as
    ``action`` (Save without one)."""
    response = client.post(page(draft, index), page_data(client, page(draft, index), **changes))
    draft.refresh_from_db()
    return response


def section(body: str, section_id: str) -> str:
    """The ``<details>`` of an in-page action, from its id to its end."""
    return body[body.index(f'id="{section_id}"') :].split("</details>")[0]


def test_both_actions_are_closed_sections_of_the_page_form_on_the_request_tab(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    body = client_alice.get(page(draft)).content.decode()
    form = body[body.index('id="wizard-form"') :].split("</form>")[0]
    request_tab = form[form.index('id="tab-request"') :].split("</section>")[0]
    for section_id, fields, button in (
        ("sample", ("verb", "url", "headers", "body"), "import-sample"),
        ("add-parameter", ("name", "location", "type", "default", "visibility"), "add-parameter"),
    ):
        details = section(request_tab, section_id)
        assert details.startswith(f'id="{section_id}">')  # closed
        prefix = "sample" if section_id == "sample" else "parameter"
        for field in fields:
            assert f'name="{prefix}-{field}"' in details
        assert f'<button type="submit" name="action" value="{button}"' in details
        assert "hx-get" not in details  # loaded with the page, not on its own
    names = set(form_data(body))
    assert {"sample-url", "parameter-name", "general-summary", "request-path"} <= names


def test_save_leaves_the_action_fields_unchecked_and_unapplied(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    before = services.draft_design(draft=draft)["triggers"][0]["request"]
    response = press(
        client_alice,
        draft,
        general__description="Saved without importing.",
        sample__url="not a url",
        sample__body="{ not json",
        parameter__name="bad name!",
    )
    assert response.status_code == 302
    trigger = draft.design["triggers"][0]
    assert trigger["description"] == "Saved without importing."
    assert trigger["request"] == before


def test_import_replaces_the_request_and_keeps_the_edits_typed_elsewhere(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        draft,
        tab="request",
        general__description="Fires for every order.",
        sample__verb="post",
        sample__url="https://api.example.com/v1/subscriptions",
        sample__headers="Content-Type: application/json\nX-Shop: main",
        sample__body=REGISTRATION,
        action="import-sample",
    )
    assert response.status_code == 302
    assert response["Location"] == page(draft) + "?tab=request"
    trigger = draft.design["triggers"][0]
    assert trigger["description"] == "Fires for every order."
    request = trigger["request"]
    assert (request["method"], request["path"]) == ("post", "/v1/subscriptions")
    assert [(p["name"], p["in"]) for p in request["parameters"]] == [("X-Shop", "header")]
    assert set(request["body"]["schema"]["properties"]) == {"callbackUrl", "events"}
    assert request["callbackPointer"] == "/callbackUrl"
    assert trigger["deleteAction"]["path"] == "/v1/subscriptions/{subscriptionId}"
    body = client_alice.get(page(draft)).content.decode()
    assert section(body, "sample").startswith('id="sample">')  # closed again
    assert form_data(body)["sample-url"] == ""  # and empty


def test_a_refused_import_opens_its_section_with_the_errors_and_what_was_typed(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        draft,
        title="Shop events",
        general__description="Typed, not saved.",
        sample__url="https://api.example.com/shops/{shopId}/hooks",
        sample__body='{"callbackUrl": ',
        action="import-sample",
    )
    assert response.status_code == 400
    assert response.context["tab"] == "request"
    body = response.content.decode()
    details = section(body, "sample")
    assert details.startswith('id="sample" open')
    assert "errorlist" in details and "line 1" in details
    typed = form_data(body)
    assert typed["sample-url"] == "https://api.example.com/shops/{shopId}/hooks"
    assert typed["sample-body"] == '{"callbackUrl": '
    assert typed["general-description"] == "Typed, not saved."
    assert typed["title"] == "Shop events"
    assert section(body, "add-parameter").startswith('id="add-parameter">')  # still closed
    assert draft.version == 2


def test_a_webhook_cannot_import_a_get_sample(client_alice: Client, draft: ConnectorDraft) -> None:
    response = press(
        client_alice,
        draft,
        sample__verb="get",
        sample__url="https://api.example.com/hooks",
        action="import-sample",
    )
    assert response.status_code == 400
    details = section(response.content.decode(), "sample")
    verb = details[details.index('for="id_sample-verb"') :].split('class="form-group')[0]
    assert "A webhook registers with POST, PUT or PATCH" in verb
    assert draft.version == 2


def test_a_polling_trigger_imports_a_get_sample_with_its_query(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        draft,
        index=1,
        sample__verb="get",
        sample__url="https://api.example.com/v1/items?since=2024-01-01T00:00:00Z&top=10",
        action="import-sample",
    )
    assert response.status_code == 302
    trigger = draft.design["triggers"][1]
    request = trigger["request"]
    assert (request["method"], request["path"], request["body"]) == ("get", "/v1/items", None)
    assert [(p["name"], p["in"]) for p in request["parameters"]] == [
        ("since", "query"),
        ("top", "query"),
    ]
    since = request["parameters"][0]
    assert (since["required"], since["visibility"]) == (True, "internal")  # still the state
    assert trigger["polling"]["stateParameter"] == "since"


def test_a_refused_add_parameter_opens_its_section_and_keeps_the_import_closed(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        draft,
        general__description="Typed, not saved.",
        parameter__name="orderId",
        parameter__location="path",
        action="add-parameter",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert section(body, "add-parameter").startswith('id="add-parameter" open')
    assert "has no {orderId}" in section(body, "add-parameter")
    assert form_data(body)["parameter-name"] == "orderId"
    assert form_data(body)["general-description"] == "Typed, not saved."
    assert section(body, "sample").startswith('id="sample">')
    assert draft.version == 2


def test_a_refused_press_keeps_what_was_typed_in_the_other_action(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        draft,
        sample__url="https://api.example.com/typed-but-not-imported",
        sample__body=REGISTRATION,
        parameter__name="orderId",
        parameter__location="path",
        action="add-parameter",
    )
    assert response.status_code == 400
    typed = form_data(response.content.decode())
    assert typed["sample-url"] == "https://api.example.com/typed-but-not-imported"
    assert typed["sample-body"] == REGISTRATION
