"""The wizard's views through Django's test client: each step read and saved with its one Save,
the trigger pages' sections and the trigger list's buttons, bad input (400), conflicts (409),
roles (403), other teams (404), CSRF, and query counts that do not grow with the triggers.

A save posts what the page holds with a few fields changed (``tests.html_forms``), as a person
pressing Save (or another button of the page's one form) would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.factories import add_member, client_for, make_draft, make_team, make_user
from tests.html_forms import form_data, page_data

pytestmark = pytest.mark.django_db

GENERAL = {
    "title": "GitHub",
    "description": "Repository events.",
    "version": "1.0",
    "schemes": ["https"],
    "host": "api.github.com",
    "basePath": "/",
    "iconBrandColor": "#da3b01",
    "categories": "IT Operations, Productivity",
}
GITHUB_BODY = '{"name": "web", "config": {"url": "https://example.com", "content_type": "json"}}'


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def draft(alice: Any) -> ConnectorDraft:
    return make_draft(make_team(owner=alice), alice, "GitHub")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


def step(draft: ConnectorDraft, name: str) -> str:
    return reverse("connectors:wizard_step", args=[draft.pk, name])


def trigger_page(draft: ConnectorDraft, index: int = 0) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, index])


def press(client: Client, url: str, **changes: Any) -> Any:
    """Change fields of the page at ``url`` and press Save (or the button given as
    ``action``); field names may use ``__`` for ``-`` (``general__summary``)."""
    return client.post(url, page_data(client, url, **changes))


def saved(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)


def with_triggers(draft: ConnectorDraft, *triggers: dict[str, Any]) -> ConnectorDraft:
    design = services.draft_design(draft=draft)
    design["triggers"].extend(triggers)
    return services.draft_save(
        draft=draft, user=None, design=design, based_on_version=draft.version
    )


def polling_trigger() -> dict[str, Any]:
    return new_polling_trigger(
        summary="When an item is added", path="/items", state_parameter="since"
    )


def webhook(number: int = 0) -> dict[str, Any]:
    return new_webhook_trigger(
        summary=f"When event {number} happens",
        operation_id=f"OnEvent{number}",
        path="/repos/{owner}/{repo}/hooks",
        notification_samples=[{"action": "opened", "id": 1}],
    )


def wizard_part(response: Any) -> str:
    """The page below the site's navigation (which has its own forms and buttons)."""
    return response.content.decode().split('id="wizard"', 1)[1]


# -- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["general", "security", "definition", "test", "review"])
def test_every_step_renders_with_the_stepper_and_the_panel(
    client_alice: Client, draft: ConnectorDraft, name: str
) -> None:
    response = client_alice.get(step(draft, name))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="step"' in body
    assert 'id="validation-panel"' in body
    assert "<html" in body


@pytest.mark.parametrize("name", ["general", "security", "definition", "test", "review"])
def test_every_step_is_one_form_with_the_header_title_and_one_save(
    client_alice: Client, draft: ConnectorDraft, name: str
) -> None:
    body = client_alice.get(step(draft, name)).content.decode()
    assert body.count('id="wizard-form"') == 1
    assert body.count("data-save") == 1
    assert 'name="title" form="wizard-form" value="GitHub"' in body
    assert form_data(body)["based_on_version"] == "1"


def test_htmx_gets_only_the_wizard_partial(client_alice: Client, draft: ConnectorDraft) -> None:
    response = client_alice.get(step(draft, "security"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="wizard"')
    assert "<html" not in body


def test_wizard_root_redirects_to_general(client_alice: Client, draft: ConnectorDraft) -> None:
    response = client_alice.get(reverse("connectors:wizard", args=[draft.pk]))
    assert response["Location"] == step(draft, "general")


def test_unknown_step_is_404(client_alice: Client, draft: ConnectorDraft) -> None:
    assert client_alice.get(step(draft, "code")).status_code == 404


def test_the_definition_step_opens_on_the_first_trigger(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    empty = client_alice.get(step(draft, "definition")).content.decode()
    assert "No triggers yet" in empty
    draft = with_triggers(draft, webhook(0), webhook(1))
    response = client_alice.get(step(draft, "definition"))
    assert response.context["index"] == 0
    body = response.content.decode()
    assert f'id="wizard-form" method="post" action="{trigger_page(draft, 0)}"' in body
    assert form_data(body)["general-summary"] == "When event 0 happens"


# -- General, Security, Test and Review ---------------------------------------------------------


def test_general_saves_and_makes_a_revision(client_alice: Client, draft: ConnectorDraft) -> None:
    response = press(client_alice, step(draft, "general"), **GENERAL)
    assert response.status_code == 302
    assert response["Location"] == step(draft, "general")
    general = saved(draft)["general"]
    assert draft.version == 2
    assert draft.title == "GitHub"
    assert general["host"] == "api.github.com"
    assert general["metadata"]["categories"] == ["IT Operations", "Productivity"]
    assert draft.revisions.get(number=2).message == "Edited General"


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("https://api.github.com", "Leave out the scheme"),
        ("api.github.com/v3", "Leave out the path"),
    ],
)
def test_general_rejects_a_host_with_scheme_or_path(
    client_alice: Client, draft: ConnectorDraft, host: str, message: str
) -> None:
    response = press(client_alice, step(draft, "general"), **{**GENERAL, "host": host})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    field = body[body.index('for="id_host"') :].split('class="form-group')[0]
    assert 'aria-invalid="true"' in field and message in field  # the error is at its field
    assert f'value="{host}"' in body  # what the user typed is kept
    saved(draft)
    assert draft.version == 1


def test_security_api_key_needs_its_name(client_alice: Client, draft: ConnectorDraft) -> None:
    response = press(client_alice, step(draft, "security"), type="apiKey", apiKey_label="Key")
    assert response.status_code == 400
    body = response.content.decode()
    assert "required for this authentication type" in body
    # the page comes back with the chosen type's fields shown, the others' hidden
    assert '<fieldset class="form-section security-type-fields" data-security-type="apiKey">' in (
        body
    )
    assert 'data-security-type="oauth2" hidden' in body
    saved(draft)
    assert draft.version == 1


def test_security_api_key_is_saved(client_alice: Client, draft: ConnectorDraft) -> None:
    response = press(
        client_alice,
        step(draft, "security"),
        type="apiKey",
        apiKey_label="API key",
        apiKey_name="X-Api-Key",
        apiKey_in="header",
    )
    assert response.status_code == 302
    security = saved(draft)["security"]
    assert security == {
        "type": "apiKey",
        "apiKey": {"label": "API key", "name": "X-Api-Key", "in": "header"},
    }
    assert draft.revisions.get(number=2).message == "Edited Security"


def test_security_oauth_is_saved_without_any_secret(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(
        client_alice,
        step(draft, "security"),
        type="oauth2",
        oauth2_identityProvider="oauth2",
        oauth2_clientId="abc",
        oauth2_authorizationUrl="https://github.com/login/oauth/authorize",
        oauth2_tokenUrl="https://github.com/login/oauth/access_token",
        oauth2_scopes="repo admin:repo_hook",
        oauth2_clientSecret="never-stored",
    )
    assert response.status_code == 302
    design = saved(draft)
    assert design["security"]["oauth2"]["scopes"] == ["repo", "admin:repo_hook"]
    assert "never-stored" not in json.dumps(design)


@pytest.mark.parametrize("name", ["test", "review"])
def test_the_test_and_review_steps_rename_the_connector(
    client_alice: Client, draft: ConnectorDraft, name: str
) -> None:
    response = press(client_alice, step(draft, name), title="GitHub events")
    assert response.status_code == 302
    assert response["Location"] == step(draft, name)
    assert saved(draft)["general"]["title"] == "GitHub events"
    assert draft.title == "GitHub events"
    assert draft.revisions.get(number=2).message == "Renamed the connector"


def test_an_empty_title_is_400_at_the_header_field(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(client_alice, step(draft, "review"), title="")
    assert response.status_code == 400
    header = response.content.decode().split('class="connector-bar"')[1].split("</header>")[0]
    assert 'aria-invalid="true"' in header and "This field is required" in header
    saved(draft)
    assert draft.version == 1


# -- the trigger list: new, duplicate, move, delete ---------------------------------------------


def operation_ids(draft: ConnectorDraft) -> list[str]:
    return [trigger["operationId"] for trigger in saved(draft)["triggers"]]


def test_triggers_are_added_duplicated_moved_and_deleted(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = press(client_alice, step(draft, "definition"), action="add-webhook")
    assert response["Location"] == trigger_page(draft, 0)
    response = press(client_alice, trigger_page(draft, 0), action="add-polling")
    assert response["Location"] == trigger_page(draft, 1)
    response = press(client_alice, trigger_page(draft, 1), action="duplicate-0")
    assert response["Location"] == trigger_page(draft, 1)
    design = saved(draft)
    ids = [t["operationId"] for t in design["triggers"]]
    assert len(ids) == len(set(ids)) == 3
    assert [t["kind"] for t in design["triggers"]] == ["webhook", "webhook", "polling"]
    response = press(client_alice, trigger_page(draft, 0), action="down-0")
    assert response["Location"] == trigger_page(draft, 1)  # the page follows its trigger
    assert operation_ids(draft) == [ids[1], ids[0], ids[2]]
    response = press(client_alice, trigger_page(draft, 2), action="up-2")
    assert response["Location"] == trigger_page(draft, 1)
    assert operation_ids(draft) == [ids[1], ids[2], ids[0]]
    response = press(client_alice, trigger_page(draft, 0), action="delete-2")
    assert response["Location"] == trigger_page(draft, 0)
    assert operation_ids(draft) == [ids[1], ids[2]]
    press(client_alice, trigger_page(draft, 0), action="delete-1")
    response = press(client_alice, trigger_page(draft, 0), action="delete-0")
    assert response["Location"] == step(draft, "definition")  # none left: the empty step
    assert operation_ids(draft) == []
    messages = list(draft.revisions.order_by("number").values_list("message", flat=True))
    assert messages[1] == "Added webhook trigger 'When an event happens'"
    assert messages[2] == "Added polling trigger 'When an item is created'"
    assert messages[3] == "Duplicated trigger 'When an event happens'"
    assert messages[-1].startswith("Deleted trigger '")


def test_an_action_on_a_trigger_that_is_gone_is_400(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(client_alice, trigger_page(draft, 0), action="delete-5")
    assert response.status_code == 400
    assert "That trigger no longer exists" in response.content.decode()
    assert len(saved(draft)["triggers"]) == 1 and draft.version == 2


def button(html: str, value: str) -> str:
    """The attributes of the button that sends ``action=value``."""
    return html.split(f'name="action" value="{value}"')[1].split(">")[0]


def test_the_trigger_list_links_each_trigger_and_gives_editors_its_buttons(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    first = webhook(0)
    first["summary"] = "When <b> happens"
    draft = with_triggers(draft, first, polling_trigger())
    body = wizard_part(client_alice.get(trigger_page(draft, 1)))
    pane = body.split('class="trigger-pane"')[1].split("</nav>")[0]
    assert f'<a href="{trigger_page(draft, 0)}">' in pane
    assert f'<a href="{trigger_page(draft, 1)}" aria-current="page">' in pane
    assert "When &lt;b&gt; happens" in pane and "When <b>" not in pane
    assert "Polling · GET /items" in pane
    assert 'aria-label="Move When &lt;b&gt; happens up"' in button(pane, "up-0")
    assert 'aria-label="Delete When an item is added"' in button(pane, "delete-1")
    assert button(pane, "up-0").endswith(" disabled")  # the first cannot move up
    assert button(pane, "down-1").endswith(" disabled")  # nor the last down
    assert "disabled" not in button(pane, "up-1") + button(pane, "down-0")
    buttons = [value.split('"')[0] for value in pane.split('name="action" value="')[1:]]
    assert buttons == [
        *("up-0", "down-0", "duplicate-0", "delete-0"),
        *("up-1", "down-1", "duplicate-1", "delete-1"),
        *("add-webhook", "add-polling"),
    ]
    assert pane.count('form="wizard-form"') == len(buttons)  # every button saves the page


# -- a trigger's sections -----------------------------------------------------------------------


def test_import_from_sample_builds_the_request_and_callback(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(
        client_alice,
        trigger_page(draft),
        sample__verb="post",
        sample__url="https://api.github.com/repos/{owner}/{repo}/hooks",
        sample__headers="Content-Type: application/json\nX-GitHub-Api-Version: 2022-11-28",
        sample__body=GITHUB_BODY,
        action="import-sample",
    )
    assert response.status_code == 302
    trigger = saved(draft)["triggers"][0]
    request = trigger["request"]
    assert [(p["name"], p["in"]) for p in request["parameters"]] == [
        ("owner", "path"),
        ("repo", "path"),
        ("X-GitHub-Api-Version", "header"),
    ]
    assert request["callbackPointer"] == "/config/url"
    assert trigger["deleteAction"]["path"] == "/repos/{owner}/{repo}/hooks/{hookId}"


def test_import_from_sample_names_line_and_column_of_bad_json(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(
        client_alice,
        trigger_page(draft),
        sample__url="/hooks",
        sample__body='{\n  "config": }',
        action="import-sample",
    )
    assert response.status_code == 400
    assert response.context["tab"] == "request"
    assert "line 2, column 13" in response.content.decode()
    saved(draft)
    assert draft.version == 2


def test_callback_picker_offers_nested_properties(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    trigger = webhook()
    trigger["request"]["body"]["schema"] = {
        "type": "object",
        "properties": {"config": {"type": "object", "properties": {"url": {"type": "string"}}}},
    }
    draft = with_triggers(draft, trigger)
    page = client_alice.get(trigger_page(draft)).content.decode()
    choices = page.split('class="callback-choices"')[1].split("</ul>")[0]
    assert 'name="callback-pointer"' in choices and 'value="/config/url"' in choices
    response = press(client_alice, trigger_page(draft), callback__pointer="/config/url")
    assert response.status_code == 302
    schema = saved(draft)["triggers"][0]["request"]["body"]["schema"]
    assert schema["properties"]["config"]["properties"]["url"]["x-ms-notification-url"] is True


def test_notification_samples_become_a_schema_with_editable_properties(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())  # its sample: {"action": "opened", "id": 1}
    samples = '{"action": "opened", "id": 1, "issue": {"id": 1}}\n---\n{"action": "x", "id": 2}'
    response = press(
        client_alice,
        trigger_page(draft),
        notification__description="Issue event",
        notification__samples=samples,
    )
    assert response.status_code == 302
    schema = saved(draft)["triggers"][0]["notification"]["schema"]
    assert set(schema["properties"]) == {"action", "id", "issue"}
    assert schema["required"] == ["action", "id"]  # "issue" is missing from the second sample
    assert saved(draft)["triggers"][0]["notification"]["description"] == "Issue event"
    # the schema editor: one row per property; a row's fields come when it is opened
    opened = (
        trigger_page(draft)
        + "?"
        + "&".join(f"open=notification:{pointer}" for pointer in ("/action", "/issue", "/issue/id"))
    )
    form = client_alice.get(opened).context["sections"]["properties"]
    rows = {item["row"].pointer: item for item in form.bound_rows() if item["loaded"]}
    edits = {
        rows["/action"]["title"].html_name: "Action",
        rows["/action"]["description"].html_name: "What happened.",
        rows["/action"]["required"].html_name: "on",
        rows["/issue"]["title"].html_name: "Issue",
        rows["/issue"]["required"].html_name: "on",
        rows["/issue/id"]["title"].html_name: "Issue ID",
        rows["/issue/id"]["format"].html_name: "int64",
    }
    response = client_alice.post(opened, page_data(client_alice, opened, **edits))
    assert response.status_code == 302
    schema = saved(draft)["triggers"][0]["notification"]["schema"]
    assert sorted(schema["required"]) == ["action", "id", "issue"]
    assert schema["properties"]["action"]["description"] == "What happened."
    assert schema["properties"]["issue"]["properties"]["id"]["x-ms-summary"] == "Issue ID"
    assert schema["properties"]["issue"]["properties"]["id"]["format"] == "int64"


def test_new_samples_without_a_property_replace_the_schema(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())  # its sample: {"action": "opened", "id": 1}
    response = press(client_alice, trigger_page(draft), notification__samples='{"action": "x"}')
    assert response.status_code == 302
    schema = saved(draft)["triggers"][0]["notification"]["schema"]
    assert set(schema["properties"]) == {"action"}


def test_new_samples_that_change_a_type_leave_no_stale_format(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())  # its sample: {"action": "opened", "id": 1}
    samples = '{"action": "opened", "id": "a-1"}'
    response = press(client_alice, trigger_page(draft), notification__samples=samples)
    assert response.status_code == 302
    node = saved(draft)["triggers"][0]["notification"]["schema"]["properties"]["id"]
    assert node["type"] == "string"
    assert node.get("format") != "int32"


def test_the_editors_label_every_input_with_its_parameter_or_property(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "q<x>", "in": "query", "required": False, "type": "string"}
    )
    trigger["notification"]["samples"] = []
    trigger["notification"]["schema"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "x-ms-summary": "The <id>"},
            "owner": {"type": "object", "properties": {"login": {"type": "string"}}},
        },
    }
    draft = with_triggers(draft, trigger)
    body = client_alice.get(trigger_page(draft)).content.decode()
    for number, name in enumerate(("owner", "repo", "q&lt;x&gt;")):
        for field in ("summary", "description", "type", "default", "visibility"):
            label = f'<label class="visually-hidden" for="id_params-{number}-{field}">'
            assert f"{label}{name} {field}</label>" in body
        assert f'for="id_params-{number}-DELETE">Remove {name}</label>' in body
    assert '<input type="hidden" name="params-2-location" value="query"' in body
    rows = body.split('aria-label="Properties of the notification"')[1].split("</ul>")[0]
    assert rows.count('class="schema-row"') == 3  # /id, /owner, /owner/login
    assert '<summary class="depth-1">' in rows and ">login</span>" in rows
    assert "“The &lt;id&gt;”" in rows
    # Opened, a row's fields are labelled
    opened = client_alice.get(trigger_page(draft) + "?open=notification:/owner/login")
    fields = opened.content.decode().split('id="fields-notification-2"')[1]
    for label in ("Title", "Description", "Format", "Required", "Default", "Visibility"):
        assert f">{label}</label>" in fields


def test_bad_notification_sample_is_400_with_line_and_column(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(client_alice, trigger_page(draft), notification__samples='{"a": 1,}')
    assert response.status_code == 400
    assert response.context["tab"] == "response"  # the page opens where the error is
    assert "line 1, column 8: trailing comma is not allowed in JSON" in response.content.decode()
    saved(draft)
    assert draft.version == 2


def test_delete_action_is_editable_and_can_be_turned_off(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(
        client_alice,
        trigger_page(draft),
        delete__enabled="on",
        delete__operationId="RemoveHook",
        delete__path="/repos/{owner}/{repo}/hooks/{id}",
        delete__summary="Remove a hook",
        delete__visibility="internal",
    )
    assert response.status_code == 302
    delete = saved(draft)["triggers"][0]["deleteAction"]
    assert (delete["operationId"], delete["path"], delete["summary"]) == (
        "RemoveHook",
        "/repos/{owner}/{repo}/hooks/{id}",
        "Remove a hook",
    )
    assert [p["name"] for p in delete["parameters"]] == ["owner", "repo", "id"]
    assert press(client_alice, trigger_page(draft), delete__enabled=None).status_code == 302
    assert saved(draft)["triggers"][0]["deleteAction"] is None
    body = client_alice.get(trigger_page(draft)).content.decode()
    assert form_data(body).get("delete-enabled") is None  # shown unticked


def test_a_bad_delete_path_is_400_on_the_configuration_tab(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    response = press(client_alice, trigger_page(draft), delete__path="hooks/{id}")
    assert response.status_code == 400
    assert response.context["tab"] == "config"
    assert response.context["invalid_tabs"] == {"config"}
    assert "A path starts with" in response.content.decode()


def test_trigger_general_suggests_the_operation_id(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook(), webhook(1))
    response = press(
        client_alice,
        trigger_page(draft),
        general__summary="When an issue is opened",
        general__operationId="",
    )
    assert response.status_code == 302
    assert saved(draft)["triggers"][0]["operationId"] == "OnIssueOpened"
    response = press(client_alice, trigger_page(draft), general__operationId="OnEvent1")
    assert response.status_code == 400
    assert response.context["tab"] == "general"
    assert "already used" in response.content.decode()


def test_request_parameters_are_edited(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())
    response = press(
        client_alice,
        trigger_page(draft),
        params__0__summary="Owner",
        params__0__description="The owner.",
        params__0__visibility="important",
        params__1__summary="Repository",
        params__1__default="main",
    )
    assert response.status_code == 302
    owner, repo = saved(draft)["triggers"][0]["request"]["parameters"]
    assert owner["visibility"] == "important" and owner["required"] is True
    assert owner["description"] == "The owner."
    assert (repo["summary"], repo["default"]) == ("Repository", "main")


def test_polling_settings_are_saved(client_alice: Client, draft: ConnectorDraft) -> None:
    trigger = new_polling_trigger(
        summary="When an order is created", path="/orders", state_parameter="since"
    )
    draft = with_triggers(draft, trigger)
    response = press(
        client_alice,
        trigger_page(draft),
        polling__stateParameter="since",
        polling__valueCollection="items",
        polling__valuePath="orderId",
        polling__retryInterval="600",
        polling__itemSamples='{"orderId": 3, "total": 9.5}',
    )
    assert response.status_code == 302
    trigger = saved(draft)["triggers"][0]
    assert trigger["polling"]["valueCollection"] == "items"
    assert trigger["polling"]["retryInterval"] == 600
    assert trigger["responses"]["200"]["headers"]["Retry-After"]["default"] == 600
    assert "orderId" in json.dumps(trigger["responses"]["200"]["schema"])


def test_a_bad_retry_interval_is_400_on_the_configuration_tab(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, polling_trigger())
    response = press(client_alice, trigger_page(draft), polling__retryInterval="0")
    assert response.status_code == 400
    assert response.context["tab"] == "config"
    saved(draft)
    assert draft.version == 2


def test_fields_of_sections_the_trigger_does_not_have_are_ignored(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    """A polling trigger's page has no callback, notification or DELETE action: such fields
    posted to it (an old tab, a forged form) change nothing and break nothing."""
    draft = with_triggers(draft, polling_trigger())
    before = saved(draft)["triggers"][0]
    response = press(
        client_alice,
        trigger_page(draft),
        callback__pointer="/notificationUrl",
        notification__samples='{"id": 1}',
        properties__p0_title="Id",
        delete__enabled="on",
        delete__path="/items/{id}",
    )
    assert response.status_code == 302
    assert saved(draft)["triggers"][0] == before


def test_trigger_beyond_the_list_is_404(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())
    data = page_data(client_alice, trigger_page(draft, 0))
    assert client_alice.get(trigger_page(draft, 3)).status_code == 404
    assert client_alice.post(trigger_page(draft, 3), data).status_code == 404


# -- validation panel and review ----------------------------------------------------------------


def test_preview_post_answers_the_panel_and_saves_nothing(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = page_data(client_alice, step(draft, "general"), host="https://x/y", preview="1")
    response = client_alice.post(step(draft, "general"), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<aside id="validation-panel"')
    assert "<li>host: leave out the scheme" in body.lower()  # the error, after its field
    saved(draft)
    assert draft.version == 1


def test_preview_lints_the_unsaved_edit_and_links_to_the_field(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = page_data(client_alice, trigger_page(draft), general__description="", preview="1")
    response = client_alice.post(trigger_page(draft), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Checked with your unsaved edits" in body
    assert "OperationMissingDescription" in body
    assert f'href="{trigger_page(draft)}?tab=general#id_general-description"' in body
    saved(draft)
    assert draft.version == 2


def test_a_preview_of_bad_input_names_the_field_of_each_section(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = page_data(
        client_alice,
        trigger_page(draft),
        request__path="hooks",
        notification__samples="{",
        preview="1",
    )
    response = client_alice.post(trigger_page(draft), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Your edits cannot be checked until these are fixed" in body
    assert "<li>path: a path starts with" in body.lower()
    assert "<li>Sample payloads: sample 1 line 1, column 2: the file ends inside an object" in body


def test_review_lists_downloads_and_opens_the_swagger_editor(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    body = client_alice.get(step(draft, "review")).content.decode()
    editor = reverse("connectors:wizard_swagger", args=[draft.pk])
    assert f'href="{editor}"' in body and f'href="{editor}?format=yaml"' in body
    yaml_text = client_alice.get(f"{editor}?format=yaml").content.decode()
    assert "swagger: &#x27;2.0&#x27;" in yaml_text
    assert "/repos/{owner}/{repo}/hooks:" in yaml_text
    for name in ("apiDefinition.swagger.json", "apiProperties.json", "apiDefinition.swagger.yaml"):
        assert reverse("connectors:wizard_download", args=[draft.pk, name]) in body


@pytest.mark.parametrize(
    ("filename", "start"),
    [
        ("apiDefinition.swagger.json", b"{"),
        ("apiDefinition.swagger.yaml", b"swagger"),
        ("apiProperties.json", b"{"),
        ("package.zip", b"PK"),
    ],
)
def test_downloads(
    client_alice: Client, draft: ConnectorDraft, filename: str, start: bytes
) -> None:
    draft = with_triggers(draft, webhook())
    response = client_alice.get(reverse("connectors:wizard_download", args=[draft.pk, filename]))
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert "attachment" in response["Content-Disposition"]


def test_the_downloaded_definition_holds_what_was_saved(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    press(client_alice, trigger_page(draft), general__summary="When an issue is opened")
    url = reverse("connectors:wizard_download", args=[draft.pk, "apiDefinition.swagger.json"])
    swagger = json.loads(client_alice.get(url).content)
    operation = swagger["paths"]["/repos/{owner}/{repo}/hooks"]["post"]
    assert operation["summary"] == "When an issue is opened"
    assert operation["x-ms-trigger"] == "single"


def test_the_review_shows_no_findings_for_a_built_trigger(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    body = client_alice.get(step(draft, "review")).content.decode()
    assert "0 errors" in body


# -- conflicts ----------------------------------------------------------------------------------


def test_a_stale_save_gets_the_conflict_page_and_can_overwrite(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = page_data(client_alice, step(draft, "general"), host="alice.example.com")
    bob = make_user("bob")
    add_member(draft.team, bob)
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "Bob was here."
    services.draft_save(draft=draft, user=bob, design=design, based_on_version=1)
    response = client_alice.post(step(draft, "general"), data)
    body = response.content.decode()
    assert response.status_code == 409
    assert "bob" in body and "Bob was here." in body  # what they changed
    assert "alice.example.com" in body  # beside your edit
    assert saved(draft)["general"]["description"] == "Bob was here."  # nothing overwritten
    overwrite = response.context["overwrite"]
    data = {
        "design": overwrite["design"].value(),
        "based_on_version": overwrite["based_on_version"].value(),
        "next": overwrite["next"].value(),
    }
    response = client_alice.post(reverse("connectors:wizard_overwrite", args=[draft.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == step(draft, "general")
    assert saved(draft)["general"]["host"] == "alice.example.com"
    assert draft.version == 3
    assert (
        draft.revisions.filter(number=2).get().design["general"]["description"] == "Bob was here."
    )


def test_a_stale_trigger_action_is_a_conflict(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())  # version 2: the page the user still has open
    data = page_data(client_alice, trigger_page(draft), action="delete-0")
    draft = with_triggers(draft, webhook(1))  # a teammate saves version 3
    response = client_alice.post(trigger_page(draft), data)
    assert response.status_code == 409
    assert len(saved(draft)["triggers"]) == 2 and draft.version == 3


@pytest.mark.parametrize("teammate", ["reversed the triggers", "deleted the first trigger"])
def test_a_stale_edit_applies_to_the_trigger_the_user_saw(
    client_alice: Client, draft: ConnectorDraft, teammate: str
) -> None:
    """A teammate moved the triggers (or deleted one) while the page was open: the old page's
    edit must not land on whatever trigger now sits at that index, nor crash on a section
    that trigger does not have; the conflict page carries the edit the user meant."""
    draft = with_triggers(draft, webhook(0), polling_trigger())
    seen = draft.version
    data = page_data(
        client_alice,
        trigger_page(draft, 0),
        general__description="Edited in the old tab.",
        callback__pointer="/notificationUrl",
    )
    design = services.draft_design(draft=draft)
    if teammate == "reversed the triggers":
        design["triggers"].reverse()  # the polling trigger is first now
    else:
        del design["triggers"][0]
    services.draft_save(draft=draft, user=None, design=design, based_on_version=seen)
    response = client_alice.post(trigger_page(draft, 0), data)
    assert response.status_code == 409
    assert saved(draft) == design and draft.version == seen + 1  # nothing saved over theirs
    meant = response.context["overwrite"]["design"].value()
    meant = json.loads(meant) if isinstance(meant, str) else meant
    assert [t["kind"] for t in meant["triggers"]] == ["webhook", "polling"]  # as the user saw
    assert meant["triggers"][0]["description"] == "Edited in the old tab."
    assert meant["triggers"][1]["description"] != "Edited in the old tab."


# -- who may do what ----------------------------------------------------------------------------

FORMS = [
    "general",
    "security",
    "test",
    "review",
    "trigger",
    "add-parameter",
    "import-sample",
    "add-webhook",
    "overwrite",
]


def form_post(client: Client, draft: ConnectorDraft, name: str) -> tuple[str, dict[str, Any]]:
    """Where a form posts and what: the page's own fields as ``client`` (an editor) reads them,
    with an edit. The overwrite form is the conflict page's: a teammate saves in between."""
    if name in ("general", "security", "test", "review"):
        url = step(draft, name)
        return url, page_data(client, url, title="Edited")
    url = trigger_page(draft, 0)
    if name == "add-parameter":
        return url, page_data(client, url, parameter__name="limit", action=name)
    if name == "import-sample":
        return url, page_data(
            client, url, sample__url="/hooks", sample__body='{"url": "x"}', action=name
        )
    if name == "add-webhook":
        return url, page_data(client, url, action=name)
    if name == "trigger":
        return url, page_data(client, url, general__summary="When it is edited")
    data = page_data(client, url, general__summary="When it is edited")
    with_triggers(draft)  # a teammate's save
    conflict = client.post(url, data)
    assert conflict.status_code == 409
    overwrite = conflict.context["overwrite"]
    fields = {field.name: field.value() for field in overwrite}
    fields["csrfmiddlewaretoken"] = data["csrfmiddlewaretoken"]
    return reverse("connectors:wizard_overwrite", args=[draft.pk]), fields


def test_a_viewer_reads_without_edit_controls_and_cannot_post(
    client: Client, alice: Any, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    for url in [*(step(draft, name) for name in ("general", "security", "test", "review"))]:
        wizard = wizard_part(client.get(url))
        assert "<button" not in wizard, url
        assert 'name="title" form="wizard-form" value="GitHub" maxlength="200" required' in wizard
        assert "readonly" in wizard.split('name="title"')[1].split(">")[0]
    page = wizard_part(client.get(trigger_page(draft, 0)))
    assert "<button" not in page  # no Save, no trigger list buttons, no Import or Add
    assert '<fieldset class="tab-content" disabled>' in page
    editor = client_for(alice)
    for name in FORMS:
        url, data = form_post(editor, draft, name)
        before = saved(draft)
        assert client.post(url, data).status_code == 403, name
        assert saved(draft) == before


def test_another_teams_draft_is_404_everywhere(
    client: Client, alice: Any, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    client.force_login(make_user("mallory"))
    reads = [
        step(draft, "general"),
        step(draft, "definition"),
        trigger_page(draft, 0),
        reverse("connectors:wizard_download", args=[draft.pk, "apiDefinition.swagger.json"]),
    ]
    for url in reads:
        assert client.get(url).status_code == 404, url
    editor = client_for(alice)
    for name in FORMS:
        url, data = form_post(editor, draft, name)
        before = saved(draft)
        assert client.post(url, data).status_code == 404, name
        assert saved(draft) == before


@pytest.mark.parametrize("name", FORMS)
def test_every_form_enforces_csrf(alice: Any, draft: ConnectorDraft, name: str) -> None:
    draft = with_triggers(draft, webhook())
    strict = client_for(alice, csrf=True)
    url, data = form_post(strict, draft, name)
    token = data.pop("csrfmiddlewaretoken")
    before = saved(draft).copy()
    version = draft.version
    assert strict.post(url, data).status_code == 403
    assert saved(draft) == before and draft.version == version
    response = strict.post(url, {**data, "csrfmiddlewaretoken": token})  # the page's token
    assert response.status_code == 302, response.content.decode()[:2000]
    saved(draft)
    assert draft.version == version + 1


def test_the_empty_definition_step_adds_a_trigger_for_editors_only(
    client: Client, alice: Any, draft: ConnectorDraft
) -> None:
    url = step(draft, "definition")
    strict = client_for(alice, csrf=True)
    data = page_data(strict, url, action="add-polling")
    assert strict.post(url, {**data, "csrfmiddlewaretoken": "forged"}).status_code == 403
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert "New polling trigger" not in client.get(url).content.decode()
    assert client.post(url, data).status_code == 403
    client.force_login(make_user("mallory"))
    assert client.post(url, data).status_code == 404
    assert saved(draft)["triggers"] == []
    response = strict.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == trigger_page(draft, 0)
    assert [t["kind"] for t in saved(draft)["triggers"]] == ["polling"]


def test_login_is_required(client: Client, draft: ConnectorDraft) -> None:
    response = client.get(step(draft, "general"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_test_step_links_to_the_drafts_reports(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = client_alice.get(step(draft, "test"))
    assert response.status_code == 200
    assert reverse("connectors:report_list", args=[draft.pk]) in response.content.decode()


# -- speed --------------------------------------------------------------------------------------


def queries(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.content[:500]
    return len(captured)


def test_queries_do_not_grow_with_the_triggers(client_alice: Client, alice: Any) -> None:
    team = make_team(owner=make_user())
    add_member(team, alice)
    counts = []
    # Two triggers at least: moving the only trigger down changes nothing, and a save that
    # changes nothing writes no new design part (one query fewer).
    for size in (2, 30):
        draft = with_triggers(make_draft(team, alice), *[webhook(n) for n in range(size)])
        measured = {}
        for name in ("general", "security", "test", "review"):
            url = step(draft, name)
            measured[f"get {name}"] = queries(client_alice, "get", url)
            data = page_data(client_alice, url, title=f"Edited {name}")
            measured[f"post {name}"] = queries(client_alice, "post", url, data)
        measured["get definition"] = queries(client_alice, "get", step(draft, "definition"))
        page = trigger_page(draft, 0)
        measured["get trigger"] = queries(client_alice, "get", page)
        data = page_data(client_alice, page, general__description="Edited.")
        measured["post trigger"] = queries(client_alice, "post", page, data)
        data = page_data(client_alice, page, action="down-0")
        measured["move trigger"] = queries(client_alice, "post", page, data)
        counts.append(measured)
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("design", "words"),
    [
        ('{"general": ' + "9" * 4301 + "}", "more than 4300 digits"),
        ("[" * 1000 + "]" * 1000, "nesting is deeper than 64 levels"),
        ('{"general": {', "the file ends inside an object opened at line 1, column 13"),
    ],
)
def test_an_overwrite_with_hostile_json_is_a_400_naming_where_and_saves_nothing(
    client_alice: Client, draft: ConnectorDraft, design: str, words: str
) -> None:
    before = saved(draft)
    data = {"design": design, "based_on_version": draft.version, "next": ""}
    response = client_alice.post(reverse("connectors:wizard_overwrite", args=[draft.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The overwrite form was damaged, so nothing was saved (design line 1, column" in body
    assert words in body
    assert saved(draft) == before
