"""One form per wizard page: everything on a page saves together with one Save, and the page's
buttons (Import from sample, Add parameter, the trigger list's) keep what was typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft
from tests.factories import client_for, make_team, make_user
from tests.html_forms import form_data, form_fields, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> Any:
    return make_user("olivia")


@pytest.fixture
def draft(owner: Any) -> ConnectorDraft:
    created = services.draft_create(team=make_team(owner=owner), user=owner, title="Orders")
    design = services.draft_design(draft=created)
    design["triggers"] = [
        new_webhook_trigger(
            summary="When an order is created",
            path="/hooks",
            body_schema={
                "type": "object",
                "properties": {"url": {"type": "string"}, "events": {"type": "array"}},
            },
        ),
        new_polling_trigger(
            summary="When an item is added", path="/items", state_parameter="since"
        ),
    ]
    return services.draft_save(
        draft=created, user=owner, design=design, based_on_version=created.version, message="x"
    )


def trigger_url(draft: ConnectorDraft, index: int) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index])


def saved(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)


def test_a_trigger_page_is_one_form_with_one_save(owner: Any, draft: ConnectorDraft) -> None:
    page = client_for(owner).get(trigger_url(draft, 0)).content.decode()
    assert page.count('id="wizard-form"') == 1
    assert page.count("data-save") == 1
    assert page.count("<form") == 3  # the page's form, the team switcher, log out
    names = {name for name, _ in form_fields(page)}
    assert {"title", "general-summary", "request-path", "delete-operationId"} <= names


def test_edits_in_two_sections_and_the_title_are_kept_together(
    owner: Any, draft: ConnectorDraft
) -> None:
    client = client_for(owner)
    data = page_data(
        client,
        trigger_url(draft, 0),
        title="Orders API",
        general__description="Fires for every new order.",
        request__path="/subscriptions",
    )
    response = client.post(trigger_url(draft, 0), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    design = saved(draft)
    trigger = design["triggers"][0]
    assert design["general"]["title"] == "Orders API"
    assert trigger["description"] == "Fires for every new order."
    assert trigger["request"]["path"] == "/subscriptions"
    assert draft.revisions.order_by("-number").first().message == (
        "Edited trigger 'When an order is created'"
    )


def test_add_parameter_keeps_the_edits_typed_before_it(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner)
    data = page_data(
        client,
        trigger_url(draft, 1),
        general__description="Every new item.",
        parameter__name="top",
        parameter__location="query",
        parameter__type="integer",
        parameter__default="50",
        parameter__visibility="advanced",
        action="add-parameter",
    )
    response = client.post(trigger_url(draft, 1), data)
    assert response.status_code == 302
    trigger = saved(draft)["triggers"][1]
    assert trigger["description"] == "Every new item."
    added = next(p for p in trigger["request"]["parameters"] if p["name"] == "top")
    assert added["default"] == 50 and added["in"] == "query"


def test_a_bad_parameter_shows_its_error_on_the_request_tab_and_saves_nothing(
    owner: Any, draft: ConnectorDraft
) -> None:
    client = client_for(owner)
    before = draft.version
    data = page_data(
        client,
        trigger_url(draft, 1),
        general__description="Typed, not saved",
        parameter__name="bad name!",
        parameter__location="query",
        parameter__type="string",
        parameter__visibility="none",
        action="add-parameter",
    )
    response = client.post(trigger_url(draft, 1), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert response.context["tab"] == "request"
    assert "Typed, not saved" in page  # what was typed is shown again, not lost
    assert saved(draft) and draft.version == before


def test_the_trigger_list_buttons_save_the_page_first(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner)
    data = page_data(
        client, trigger_url(draft, 0), general__description="Kept.", action="duplicate-0"
    )
    response = client.post(trigger_url(draft, 0), data)
    assert response.status_code == 302
    assert response["Location"] == trigger_url(draft, 1)
    triggers = saved(draft)["triggers"]
    assert len(triggers) == 3
    assert triggers[0]["description"] == triggers[1]["description"] == "Kept."


@pytest.mark.parametrize(
    ("action", "landing", "order"),
    [
        ("down-0", 1, ["When an item is added", "When an order is created"]),
        ("delete-0", 0, ["When an item is added"]),
        ("add-webhook", 2, ["When an order is created", "When an item is added", None]),
    ],
)
def test_trigger_actions_land_on_the_right_page(
    owner: Any, draft: ConnectorDraft, action: str, landing: int, order: list[str | None]
) -> None:
    client = client_for(owner)
    response = client.post(
        trigger_url(draft, 0), page_data(client, trigger_url(draft, 0), action=action)
    )
    assert response.status_code == 302
    assert response["Location"] == trigger_url(draft, landing)
    summaries = [t["summary"] for t in saved(draft)["triggers"]]
    assert summaries[: len(order)] == [s or summaries[i] for i, s in enumerate(order)]
    assert len(summaries) == len(order)


def test_a_save_lands_back_on_the_tab_it_came_from(owner: Any, draft: ConnectorDraft) -> None:
    client = client_for(owner)
    data = page_data(client, trigger_url(draft, 0) + "?tab=config", tab="config")
    response = client.post(trigger_url(draft, 0), data)
    assert response["Location"] == trigger_url(draft, 0) + "?tab=config"


def test_the_general_step_saves_the_header_title_with_its_fields(
    owner: Any, draft: ConnectorDraft
) -> None:
    client = client_for(owner)
    url = reverse("connectors:wizard_step", args=[draft.pk, "general"])
    page = client.get(url).content.decode()
    data = form_data(page, title="Renamed", host="api.example.com", description="About it.")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    design = saved(draft)
    assert design["general"]["title"] == "Renamed"
    assert design["general"]["description"] == "About it."
    assert draft.revisions.order_by("-number").first().message == "Edited General"


def test_security_shows_the_chosen_types_fields_only(owner: Any, draft: ConnectorDraft) -> None:
    url = reverse("connectors:wizard_step", args=[draft.pk, "security"])
    page = client_for(owner).get(url).content.decode()
    for kind in ("basic", "apiKey", "oauth2"):
        marker = f'data-security-type="{kind}"'
        start = page.index(marker)
        hidden = page[start : page.index(">", start)].endswith("hidden")
        assert hidden, kind  # the new draft has no authentication: every type's fields hidden
