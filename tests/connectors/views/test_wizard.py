"""The wizard's views through Django's test client: each step read and saved, bad input (400),
conflicts (409), roles (403), other teams (404), CSRF, and a query count that does not grow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors import services
from connectors.domain.authoring import new_polling_trigger, new_webhook_trigger
from connectors.models import ConnectorDraft, Membership
from tests.factories import add_member, make_draft, make_team, make_user

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


def section(draft: ConnectorDraft, index: int, name: str) -> str:
    return reverse("connectors:wizard_trigger_section", args=[draft.pk, index, name])


def prefixed(prefix: str, draft: ConnectorDraft, **data: Any) -> dict[str, Any]:
    base = {"title": draft.title, "based_on_version": draft.version, **data}
    return {f"{prefix}-{key}": value for key, value in base.items()}


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


# -- General and Security -----------------------------------------------------------------------


def test_general_saves_and_makes_a_revision(client_alice: Client, draft: ConnectorDraft) -> None:
    response = client_alice.post(step(draft, "general"), {**GENERAL, "based_on_version": 1})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.title == "GitHub"
    general = draft.design["general"]
    assert general["host"] == "api.github.com"
    assert general["metadata"]["categories"] == ["IT Operations", "Productivity"]
    assert draft.revisions.count() == 2


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
    response = client_alice.post(
        step(draft, "general"), {**GENERAL, "host": host, "based_on_version": 1}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'aria-invalid="true"' in body  # the error sits next to its field
    assert f'value="{host}"' in body  # what the user typed is kept
    draft.refresh_from_db()
    assert draft.version == 1


def test_security_api_key_needs_its_name(client_alice: Client, draft: ConnectorDraft) -> None:
    data = {"title": "GitHub", "based_on_version": 1, "type": "apiKey", "apiKey_label": "Key"}
    response = client_alice.post(step(draft, "security"), data)
    assert response.status_code == 400
    assert "required for this authentication type" in response.content.decode()


def test_security_oauth_is_saved_without_any_secret(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = {
        "title": "GitHub",
        "based_on_version": 1,
        "type": "oauth2",
        "oauth2_identityProvider": "oauth2",
        "oauth2_clientId": "abc",
        "oauth2_authorizationUrl": "https://github.com/login/oauth/authorize",
        "oauth2_tokenUrl": "https://github.com/login/oauth/access_token",
        "oauth2_scopes": "repo admin:repo_hook",
        "oauth2_clientSecret": "never-stored",
    }
    assert client_alice.post(step(draft, "security"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.design["security"]["oauth2"]["scopes"] == ["repo", "admin:repo_hook"]
    assert "never-stored" not in json.dumps(draft.design)


# -- Definition ---------------------------------------------------------------------------------


def action(client: Client, draft: ConnectorDraft, name: str, index: int | None = None) -> Any:
    data: dict[str, Any] = {"based_on_version": draft.version, "action": name}
    if index is not None:
        data["index"] = index
    response = client.post(reverse("connectors:wizard_trigger_action", args=[draft.pk]), data)
    draft.refresh_from_db()
    return response


def test_triggers_are_added_duplicated_moved_and_deleted(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    response = action(client_alice, draft, "add-webhook")
    assert response["Location"] == reverse("connectors:wizard_trigger", args=[draft.pk, 0])
    action(client_alice, draft, "add-polling")
    action(client_alice, draft, "duplicate", 0)
    ids = [t["operationId"] for t in draft.design["triggers"]]
    assert len(ids) == len(set(ids)) == 3
    assert [t["kind"] for t in draft.design["triggers"]] == ["webhook", "webhook", "polling"]
    action(client_alice, draft, "down", 0)
    assert draft.design["triggers"][1]["operationId"] == ids[0]
    action(client_alice, draft, "delete", 2)
    assert [t["kind"] for t in draft.design["triggers"]] == ["webhook", "webhook"]


def test_an_action_on_a_trigger_that_is_gone_is_400(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    assert action(client_alice, draft, "delete", 5).status_code == 400


def test_import_from_sample_builds_the_request_and_callback(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed(
        "sample",
        draft,
        verb="post",
        url="https://api.github.com/repos/{owner}/{repo}/hooks",
        headers="Content-Type: application/json\nX-GitHub-Api-Version: 2022-11-28",
        body=GITHUB_BODY,
    )
    response = client_alice.post(section(draft, 0, "sample"), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    request = draft.design["triggers"][0]["request"]
    assert [(p["name"], p["in"]) for p in request["parameters"]] == [
        ("owner", "path"),
        ("repo", "path"),
        ("X-GitHub-Api-Version", "header"),
    ]
    assert request["callbackPointer"] == "/config/url"
    assert (
        draft.design["triggers"][0]["deleteAction"]["path"]
        == "/repos/{owner}/{repo}/hooks/{hookId}"
    )


def test_import_from_sample_names_line_and_column_of_bad_json(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed("sample", draft, verb="post", url="/hooks", body='{\n  "config": }')
    response = client_alice.post(section(draft, 0, "sample"), data)
    assert response.status_code == 400
    assert "line 2, column 13" in response.content.decode()
    draft.refresh_from_db()
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
    page = client_alice.get(reverse("connectors:wizard_trigger", args=[draft.pk, 0]))
    assert 'value="/config/url"' in page.content.decode()
    data = prefixed("callback", draft, pointer="/config/url")
    assert client_alice.post(section(draft, 0, "callback"), data).status_code == 302
    draft.refresh_from_db()
    schema = draft.design["triggers"][0]["request"]["body"]["schema"]
    assert schema["properties"]["config"]["properties"]["url"]["x-ms-notification-url"] is True


def test_notification_samples_become_a_schema_with_editable_properties(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    samples = '{"action": "opened", "issue": {"id": 1}}\n---\n{"action": "closed"}'
    data = prefixed("notification", draft, description="Issue event", samples=samples)
    assert client_alice.post(section(draft, 0, "notification"), data).status_code == 302
    draft.refresh_from_db()
    schema = draft.design["triggers"][0]["notification"]["schema"]
    assert set(schema["properties"]) == {"action", "issue"}
    assert schema["required"] == ["action"]  # "issue" is missing from the second sample
    # the property editor: one row per property, in the order the stored schema has them
    page = client_alice.get(reverse("connectors:wizard_trigger", args=[draft.pk, 0]))
    rows = {
        row["prop"].pointer: row["names"] for row in page.context["sections"]["properties"].rows
    }
    edits = {
        rows["/action"]["title"]: "Action",
        rows["/action"]["description"]: "What happened.",
        rows["/action"]["required"]: "on",
        rows["/issue"]["title"]: "Issue",
        rows["/issue"]["required"]: "on",
        rows["/issue/id"]["title"]: "Issue ID",
        rows["/issue/id"]["format"]: "int64",
    }
    data = prefixed("properties", draft, **edits)
    assert client_alice.post(section(draft, 0, "properties"), data).status_code == 302
    draft.refresh_from_db()
    schema = draft.design["triggers"][0]["notification"]["schema"]
    assert sorted(schema["required"]) == ["action", "issue"]
    assert schema["properties"]["issue"]["properties"]["id"]["x-ms-summary"] == "Issue ID"


def test_bad_notification_sample_is_400_with_line_and_column(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed("notification", draft, description="x", samples='{"a": 1,}')
    response = client_alice.post(section(draft, 0, "notification"), data)
    assert response.status_code == 400
    assert "line 1, column 9" in response.content.decode()


def test_delete_action_is_editable_and_can_be_turned_off(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed(
        "delete",
        draft,
        enabled="on",
        operationId="RemoveHook",
        path="/repos/{owner}/{repo}/hooks/{id}",
        summary="Remove a hook",
        visibility="internal",
    )
    assert client_alice.post(section(draft, 0, "delete"), data).status_code == 302
    draft.refresh_from_db()
    delete = draft.design["triggers"][0]["deleteAction"]
    assert (delete["operationId"], delete["path"]) == (
        "RemoveHook",
        "/repos/{owner}/{repo}/hooks/{id}",
    )
    assert [p["name"] for p in delete["parameters"]] == ["owner", "repo", "id"]
    data = prefixed("delete", draft, visibility="internal")
    assert client_alice.post(section(draft, 0, "delete"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.design["triggers"][0]["deleteAction"] is None


def test_trigger_general_suggests_the_operation_id(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook(), webhook(1))
    data = prefixed(
        "general",
        draft,
        summary="When an issue is opened",
        description="x.",
        visibility="none",
        cardinality="single",
    )
    assert client_alice.post(section(draft, 0, "general"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.design["triggers"][0]["operationId"] == "OnIssueOpened"
    data["general-operationId"] = "OnEvent1"
    data["general-based_on_version"] = draft.version
    response = client_alice.post(section(draft, 0, "general"), data)
    assert response.status_code == 400
    assert "already used" in response.content.decode()


def test_request_parameters_are_edited(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed("request", draft, method="post", path="/repos/{owner}/{repo}/hooks")
    data.update(
        {
            "params-TOTAL_FORMS": "2",
            "params-INITIAL_FORMS": "2",
            "params-0-name": "owner",
            "params-0-summary": "Owner",
            "params-0-description": "The owner.",
            "params-0-type": "string",
            "params-0-visibility": "important",
            "params-1-name": "repo",
            "params-1-summary": "Repository",
            "params-1-type": "string",
            "params-1-visibility": "none",
            "params-1-default": "main",
        }
    )
    assert client_alice.post(section(draft, 0, "request"), data).status_code == 302
    draft.refresh_from_db()
    owner, repo = draft.design["triggers"][0]["request"]["parameters"]
    assert owner["visibility"] == "important" and owner["required"] is True
    assert (repo["summary"], repo["default"]) == ("Repository", "main")


def test_polling_settings_are_saved(client_alice: Client, draft: ConnectorDraft) -> None:
    trigger = new_polling_trigger(
        summary="When an order is created", path="/orders", state_parameter="since"
    )
    draft = with_triggers(draft, trigger)
    data = prefixed(
        "polling",
        draft,
        stateParameter="since",
        valueCollection="items",
        valuePath="orderId",
        retryInterval="600",
        itemSamples='{"orderId": 3, "total": 9.5}',
    )
    assert client_alice.post(section(draft, 0, "polling"), data).status_code == 302
    draft.refresh_from_db()
    saved = draft.design["triggers"][0]
    assert saved["polling"]["valueCollection"] == "items"
    assert saved["polling"]["retryInterval"] == 600
    assert saved["responses"]["200"]["headers"]["Retry-After"]["default"] == 600
    assert "orderId" in json.dumps(saved["responses"]["200"]["schema"])


def test_trigger_beyond_the_list_is_404(client_alice: Client, draft: ConnectorDraft) -> None:
    url = reverse("connectors:wizard_trigger", args=[draft.pk, 3])
    assert client_alice.get(url).status_code == 404


# -- validation panel and review ----------------------------------------------------------------


def test_preview_post_answers_the_panel_and_saves_nothing(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = {**GENERAL, "host": "https://x/y", "based_on_version": 1, "preview": "1"}
    response = client_alice.post(step(draft, "general"), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<aside id="validation-panel"')
    assert "Leave out the scheme" in body
    draft.refresh_from_db()
    assert draft.version == 1


def test_preview_lints_the_unsaved_edit_and_links_to_the_field(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    data = prefixed(
        "general",
        draft,
        summary="When it happens",
        description="",
        operationId="OnIt",
        visibility="none",
        cardinality="single",
        preview="1",
    )
    data["preview"] = "1"
    response = client_alice.post(section(draft, 0, "general"), data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "OperationMissingDescription" in body
    assert (
        reverse("connectors:wizard_trigger", args=[draft.pk, 0]) + "#id_general-description" in body
    )


def test_review_lists_downloads_and_previews_yaml(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    body = client_alice.get(step(draft, "review") + "?format=yaml").content.decode()
    assert "swagger: &#x27;2.0&#x27;" in body or "swagger: '2.0'" in body or "swagger:" in body
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


def test_the_review_shows_no_findings_for_a_built_trigger(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    body = client_alice.get(step(draft, "review")).content.decode()
    assert "0 errors" in body


# -- conflicts ----------------------------------------------------------------------------------


def test_a_stale_save_gets_the_conflict_page_and_can_overwrite(
    client_alice: Client, draft: ConnectorDraft, alice: Any
) -> None:
    bob = make_user("bob")
    add_member(draft.team, bob)
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "Bob was here."
    services.draft_save(draft=draft, user=bob, design=design, based_on_version=1)
    response = client_alice.post(
        step(draft, "general"), {**GENERAL, "host": "alice.example.com", "based_on_version": 1}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "bob" in body and "Bob was here." in body  # what they changed
    assert "alice.example.com" in body  # beside your edit
    draft.refresh_from_db()
    assert draft.design["general"]["description"] == "Bob was here."  # nothing overwritten
    overwrite = response.context["overwrite"]
    data = {
        "design": overwrite["design"].value(),
        "based_on_version": overwrite["based_on_version"].value(),
        "next": overwrite["next"].value(),
    }
    response = client_alice.post(reverse("connectors:wizard_overwrite", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.design["general"]["host"] == "alice.example.com"
    assert (
        draft.revisions.filter(number=2).get().design["general"]["description"] == "Bob was here."
    )


def test_a_stale_trigger_action_is_a_conflict(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())  # version 2: the page the user still has open
    seen = draft.version
    draft = with_triggers(draft, webhook(1))  # a teammate saves version 3
    data = {"based_on_version": seen, "action": "delete", "index": 0}
    response = client_alice.post(reverse("connectors:wizard_trigger_action", args=[draft.pk]), data)
    assert response.status_code == 409


def test_a_stale_edit_applies_to_the_trigger_the_user_saw(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    """A teammate moved the triggers (or changed one's type): the old page's edit must not land
    on whatever trigger now sits at that index, nor crash on a section it no longer has."""
    draft = with_triggers(draft, webhook(0), polling_trigger())
    seen = draft.version
    design = services.draft_design(draft=draft)
    design["triggers"].reverse()  # the polling trigger is first now
    draft = services.draft_save(draft=draft, user=None, design=design, based_on_version=seen)
    data = {
        "callback-based_on_version": seen,
        "callback-title": "Shop",
        "callback-pointer": "/notificationUrl",
    }
    response = client_alice.post(section(draft, 0, "callback"), data)
    assert response.status_code == 409  # the conflict page, with the edit the user meant
    draft.refresh_from_db()
    assert draft.version == seen + 1  # nothing saved over the teammate's order


def test_a_section_the_trigger_does_not_have_is_400_not_a_crash(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, polling_trigger())
    for name, fields in (("properties", {}), ("callback", {"pointer": "/notificationUrl"})):
        data = prefixed(name, draft, **fields)
        response = client_alice.post(section(draft, 0, name), data)
        assert response.status_code == 400, name
        assert "has no" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2


# -- who may do what ----------------------------------------------------------------------------


def forms_of(draft: ConnectorDraft) -> list[tuple[str, dict[str, Any]]]:
    return [
        (step(draft, "general"), {**GENERAL, "based_on_version": draft.version}),
        (
            step(draft, "security"),
            {"title": "x", "based_on_version": draft.version, "type": "none"},
        ),
        (step(draft, "definition"), {"title": "x", "based_on_version": draft.version}),
        (
            reverse("connectors:wizard_trigger_action", args=[draft.pk]),
            {"based_on_version": draft.version, "action": "add-webhook"},
        ),
        (
            section(draft, 0, "general"),
            prefixed("general", draft, summary="When x", visibility="none", cardinality="single"),
        ),
        (section(draft, 0, "sample"), prefixed("sample", draft, verb="post", url="/hooks")),
        (section(draft, 0, "callback"), prefixed("callback", draft, pointer="/notificationUrl")),
        (section(draft, 0, "notification"), prefixed("notification", draft, samples="{}")),
        (section(draft, 0, "properties"), prefixed("properties", draft)),
        (section(draft, 0, "delete"), prefixed("delete", draft, visibility="internal")),
        (
            reverse("connectors:wizard_overwrite", args=[draft.pk]),
            {"design": json.dumps(draft.design), "based_on_version": draft.version},
        ),
    ]


def test_a_viewer_reads_without_edit_controls_and_cannot_post(
    client: Client, draft: ConnectorDraft
) -> None:
    draft = with_triggers(draft, webhook())
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    for name in ("general", "definition"):
        wizard = client.get(step(draft, name)).content.decode().split('id="wizard"', 1)[1]
        assert "<button" not in wizard
    page = client.get(reverse("connectors:wizard_trigger", args=[draft.pk, 0])).content.decode()
    wizard = page.split('id="wizard"', 1)[1]
    assert "<button" not in wizard
    assert "disabled" in wizard
    for url, data in forms_of(draft):
        assert client.post(url, data).status_code == 403, url
    draft.refresh_from_db()
    assert draft.version == 2


def test_another_teams_draft_is_404_everywhere(client: Client, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())
    client.force_login(make_user("mallory"))
    reads = [step(draft, "general"), reverse("connectors:wizard_trigger", args=[draft.pk, 0])]
    reads.append(
        reverse("connectors:wizard_download", args=[draft.pk, "apiDefinition.swagger.json"])
    )
    for url in reads:
        assert client.get(url).status_code == 404, url
    for url, data in forms_of(draft):
        assert client.post(url, data).status_code == 404, url


def test_every_form_enforces_csrf(alice: Any, draft: ConnectorDraft) -> None:
    draft = with_triggers(draft, webhook())
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for url, data in forms_of(draft):
        assert client.post(url, data).status_code == 403, url
    draft.refresh_from_db()
    assert draft.version == 2


def test_login_is_required(client: Client, draft: ConnectorDraft) -> None:
    response = client.get(step(draft, "general"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- speed --------------------------------------------------------------------------------------


def queries(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.content[:500]
    return len(captured)


@pytest.mark.parametrize("name", ["general", "definition", "review"])
def test_step_queries_do_not_grow_with_the_triggers(
    client_alice: Client, alice: Any, name: str
) -> None:
    team = make_team(owner=make_user())
    add_member(team, alice)
    counts = []
    for size in (1, 30):
        draft = with_triggers(make_draft(team, alice), *[webhook(n) for n in range(size)])
        get = queries(client_alice, "get", step(draft, name))
        data = {**GENERAL, "based_on_version": draft.version}
        post = queries(client_alice, "post", step(draft, name), data)
        page = queries(
            client_alice, "get", reverse("connectors:wizard_trigger", args=[draft.pk, 0])
        )
        data = prefixed(
            "callback", draft, based_on_version=draft.version + 1, pointer="/notificationUrl"
        )
        section_post = queries(client_alice, "post", section(draft, 0, "callback"), data)
        counts.append((get, post, page, section_post))
    assert counts[0] == counts[1]


def test_test_step_links_to_the_drafts_reports(client) -> None:
    from django.urls import reverse

    from tests.factories import make_draft, make_team, make_user

    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    client.force_login(user)
    response = client.get(reverse("connectors:wizard_step", args=[draft.pk, "test"]))
    assert response.status_code == 200
    assert reverse("connectors:report_list", args=[draft.pk]) in response.content.decode()
