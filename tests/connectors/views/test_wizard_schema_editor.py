"""The schema editor of a webhook trigger's page: $ref'd properties shown and edited where they
live, the callback picker listing every string property of the body, and per-property default,
visibility and required for the registration body."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger, set_notification_samples
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.models import ConnectorDraft
from tests.factories import client_for, make_team, make_user
from tests.html_forms import form_fields, page_data

pytestmark = pytest.mark.django_db
GITHUB_BODY = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "active": {"type": "boolean"},
        "events": {"type": "array", "items": {"type": "string"}},
        "config": {
            "type": "object",
            "properties": {"url": {"type": "string"}, "content_type": {"type": "string"}},
        },
    },
}


@pytest.fixture
def owner() -> Any:
    return make_user("olivia")


@pytest.fixture
def pushcut(owner: Any, corpus_dir: Path) -> ConnectorDraft:
    swagger = (corpus_dir / "Pushcut" / "apiDefinition.swagger.json").read_bytes()
    return services.draft_import(team=make_team(owner=owner), user=owner, swagger=swagger).draft


@pytest.fixture
def github(owner: Any) -> ConnectorDraft:
    draft = services.draft_create(team=make_team(owner=owner), user=owner, title="GitHub")
    design = services.draft_design(draft=draft)
    trigger = new_webhook_trigger(
        summary="When an issue is opened",
        path="/repos/{owner}/{repo}/hooks",
        body_schema=GITHUB_BODY,
    )
    design["triggers"] = [trigger]
    return services.draft_save(
        draft=draft, user=owner, design=design, based_on_version=draft.version, message="x"
    )


def url(draft: ConnectorDraft, *opened: str) -> str:
    """The trigger's page, with the schema rows ``opened`` ("body:/name") showing their fields."""
    page = reverse("connectors:wizard_trigger", args=[draft.pk, 0])
    return page + ("?" + urlencode([("open", value) for value in opened]) if opened else "")


def row_fields(page: str, pointer: str, editor: str = "body") -> str:
    """The field prefix of ``editor``'s schema row whose hidden pointer holds ``pointer``."""
    for name, value in form_fields(page):
        if name.startswith(f"{editor}-") and name.endswith("_pointer") and value == pointer:
            return name.removesuffix("_pointer")
    raise AssertionError(f"no row for {pointer}")


def saved(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)


def test_pushcut_shows_its_ref_callback_and_notification_properties(
    owner: Any, pushcut: ConnectorDraft
) -> None:
    page = client_for(owner).get(url(pushcut)).content.decode()
    # The callback property comes through $ref Subscription: it is listed and chosen.
    assert 'value="/url" checked' in page and 'value="/actionName">' in page
    assert "Add a <code>notificationUrl</code> property" not in page
    # The notification is $ref EventData: its properties are rows of the editor.
    for pointer in ("/id", "/actionName", "/input", "/timestamp"):
        assert f"open=notification:{pointer}" in page.replace("%2F", "/")
    opened = client_for(owner).get(url(pushcut, "notification:/actionName")).content.decode()
    values = {value for name, value in form_fields(opened) if name.startswith("properties-")}
    assert "/actionName" in values
    assert "Lives in the definition <code>EventData</code>" in opened


def test_an_edit_of_a_ref_property_lands_in_its_definition(
    owner: Any, pushcut: ConnectorDraft
) -> None:
    client = client_for(owner)
    opened = url(pushcut, "notification:/actionName")
    prefix = row_fields(client.get(opened).content.decode(), "/actionName", editor="properties")
    data = page_data(client, opened, **{f"{prefix}_description": "What the action is called."})
    response = client.post(url(pushcut), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    swagger = export_swagger(saved(pushcut))
    assert swagger["definitions"]["EventData"]["properties"]["actionName"]["description"] == (
        "What the action is called."
    )


def test_body_properties_get_default_visibility_and_required(
    owner: Any, github: ConnectorDraft
) -> None:
    client = client_for(owner)
    opened = url(github, "body:/name", "body:/active", "body:/events")
    page = client.get(opened).content.decode()
    name, active, events = (row_fields(page, p) for p in ("/name", "/active", "/events"))
    data = page_data(
        client,
        opened,
        **{
            f"{name}_default": "web",
            f"{name}_visibility": "internal",
            f"{name}_required": "on",
            f"{active}_default": "true",
            f"{active}_visibility": "internal",
            f"{events}_default": '["issues"]',
            f"{events}_title": "Events",
        },
    )
    response = client.post(url(github), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    schema = saved(github)["triggers"][0]["request"]["body"]["schema"]
    props = schema["properties"]
    assert props["name"]["default"] == "web" and props["name"]["x-ms-visibility"] == "internal"
    assert props["active"]["default"] is True
    assert props["events"]["default"] == ["issues"] and props["events"]["x-ms-summary"] == "Events"
    assert "name" in schema["required"]


def test_a_default_of_the_wrong_type_is_an_error_at_its_field(
    owner: Any, github: ConnectorDraft
) -> None:
    client = client_for(owner)
    opened = url(github, "body:/active")
    active = row_fields(client.get(opened).content.decode(), "/active")
    data = page_data(client, opened, **{f"{active}_default": "maybe"})
    before = github.version
    response = client.post(url(github), data)
    assert response.status_code == 400
    assert response.context["tab"] == "request"
    form = response.context["sections"]["body"]
    assert form.errors[f"{active.removeprefix('body-')}_default"]
    saved(github)
    assert github.version == before


def test_add_and_remove_a_body_property(owner: Any, github: ConnectorDraft) -> None:
    client = client_for(owner)
    data = page_data(
        client,
        url(github),
        body__add_name="secret",
        body__add_type="string",
        body__add_parent="/config",
        action="add-body-property",
    )
    assert client.post(url(github), data).status_code == 302
    config = saved(github)["triggers"][0]["request"]["body"]["schema"]["properties"]["config"]
    assert config["properties"]["secret"]["type"] == "string"
    data = page_data(client, url(github), action="remove-body:/config/secret")
    assert client.post(url(github), data).status_code == 302
    config = saved(github)["triggers"][0]["request"]["body"]["schema"]["properties"]["config"]
    assert "secret" not in config["properties"]


def test_the_callback_picker_lists_nested_string_properties(
    owner: Any, github: ConnectorDraft
) -> None:
    client = client_for(owner)
    data = page_data(client, url(github), callback__pointer="/config/url")
    assert client.post(url(github), data).status_code == 302
    trigger = saved(github)["triggers"][0]
    assert trigger["request"]["callbackPointer"] == "/config/url"
    url_schema = trigger["request"]["body"]["schema"]["properties"]["config"]["properties"]["url"]
    assert url_schema.get("x-ms-notification-url") is True


def test_rows_load_their_fields_when_opened(owner: Any, github: ConnectorDraft) -> None:
    client = client_for(owner)
    page = client.get(url(github)).content.decode()
    assert not [name for name, _ in form_fields(page) if name.startswith("body-p")]
    fragment = client.get(url(github, "body:/config/url"), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div class="schema-fields"')
    assert 'value="/config/url"' in body and "<html" not in body


def test_a_save_leaves_unopened_rows_as_they_were(owner: Any, github: ConnectorDraft) -> None:
    client = client_for(owner)
    before = saved(github)["triggers"][0]["request"]["body"]["schema"]
    response = client.post(url(github), page_data(client, url(github)))
    assert response.status_code == 302
    assert saved(github)["triggers"][0]["request"]["body"]["schema"] == before


def test_samples_sent_back_with_other_line_breaks_keep_the_schema_edits(
    owner: Any, github: ConnectorDraft
) -> None:
    """A browser sends a textarea back with CRLF line breaks: the samples did not change, so
    the notification schema is not inferred again over the maker's edits."""
    client = client_for(owner)
    design = saved(github)
    set_notification_samples(design["triggers"][0], [{"action": "opened", "id": 1}])
    services.draft_save(
        draft=github, user=owner, design=design, based_on_version=github.version, message="x"
    )
    github.refresh_from_db()
    opened = url(github, "notification:/action")
    page = client.get(opened).content.decode()
    prefix = row_fields(page, "/action", editor="properties")
    data = page_data(client, opened, **{f"{prefix}_title": "Action taken"})
    data["notification-samples"] = data["notification-samples"].replace("\n", "\r\n")
    assert client.post(opened, data).status_code == 302
    schema = saved(github)["triggers"][0]["notification"]["schema"]
    assert schema["properties"]["action"]["x-ms-summary"] == "Action taken"


def test_a_body_property_test_value_is_saved_and_starts_the_test_step(
    owner: Any, github: ConnectorDraft
) -> None:
    client = client_for(owner)
    opened = url(github, "body:/events", "body:/config/url")
    page = client.get(opened).content.decode()
    events, callback = row_fields(page, "/events"), row_fields(page, "/config/url")
    assert f'name="{events}_test_value"' in page
    assert f'name="{callback}_test_value"' not in page  # the platform fills the callback in
    data = page_data(client, opened, **{f"{events}_test_value": '["issues", "push"]'})
    assert client.post(url(github), data).status_code == 302
    node = saved(github)["triggers"][0]["request"]["body"]["schema"]["properties"]["events"]
    assert node["x-ms-test-value"] == ["issues", "push"]
    test_step = client.get(reverse("connectors:wizard_step", args=[github.pk, "test"]))
    assert 'name="value:/events" value="[&quot;issues&quot;, &quot;push&quot;]"' in (
        test_step.content.decode().replace('type="text" ', "")
    )
    # A notification property has no test value: nothing sends it.
    opened = url(github, "notification:/action")
    add = page_data(client, url(github), **{"properties-add_name": "action"})
    client.post(url(github), {**add, "action": "add-notification-property"})
    notification = client.get(opened).content.decode()
    assert row_fields(notification, "/action", editor="properties")
    assert "_test_value" not in notification


def test_a_test_value_of_the_wrong_type_is_refused_at_its_field(
    owner: Any, github: ConnectorDraft
) -> None:
    client = client_for(owner)
    opened = url(github, "body:/active")
    active = row_fields(client.get(opened).content.decode(), "/active")
    response = client.post(url(github), page_data(client, opened, **{f"{active}_test_value": "x"}))
    assert response.status_code == 400
    assert "true or false" in response.content.decode()
    assert "x-ms-test-value" not in str(saved(github))
