"""Webhook rules: the notification URL property (nested, through $refs, shared), notification
content and webhook actions."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.lint.context import Context
from connectors.domain.swagger.importing.connector import import_connector
from tests.connectors.domain.lint.lint_builders import (
    CALLBACK,
    DROP,
    HOOKS,
    REGISTER,
    edit,
    findings_of,
    fires,
    polling,
    quiet,
    table_tests,
    webhook,
)

BODY = REGISTER + "/parameters/0"
SCHEMA = BODY + "/schema"
NOTIFICATION = HOOKS + "/x-ms-notification-content"
URL = {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"}
NESTED_URL = SCHEMA + "/properties/config/properties/url"
# Without flag and content the operation looks like a polling trigger; the design knows better.
WEBHOOK_DESIGN = {
    "triggers": [{"kind": "webhook", "request": {"method": "post", "path": "/hooks"}}]
}


def nested(url: dict[str, Any] | None = None, *, config_required: bool = True) -> dict[str, Any]:
    """The callback at /config/url, as GitHub-style APIs want it."""
    config = {"type": "object", "required": ["url"], "properties": {"url": url or URL}}
    schema = {"type": "object", "properties": {"config": config}}
    if config_required:
        schema["required"] = ["config"]
    return edit(webhook(), (SCHEMA, schema))


def through_ref(url: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body is a $ref to a definition whose url property is itself a $ref (3E Events)."""
    return edit(
        webhook(),
        ("/definitions/Callback", url or URL),
        (
            "/definitions/Hook",
            {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"$ref": "#/definitions/Callback"}},
            },
        ),
        (SCHEMA, {"$ref": "#/definitions/Hook"}),
    )


def action_with_callback() -> dict[str, Any]:
    """POST /sign waits for a callback: a webhook action (Signi), not a trigger."""
    return edit(
        webhook(),
        (
            "/paths/~1sign/x-ms-notification-content",
            {"schema": {"type": "object", "properties": {"state": {"type": "string"}}}},
        ),
        (
            "/paths/~1sign/post",
            {
                "operationId": "SignAndWait",
                "summary": "Sign and wait",
                "description": "Waits.",
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {
                            "type": "object",
                            "required": ["url"],
                            "properties": {"url": URL},
                        },
                    }
                ],
                "responses": {"200": {"description": "ok"}},
            },
        ),
    )


FIRES = [
    fires(
        "WebhookOperationsMissingNotificationUrlProperty",
        "no-flag",
        edit(webhook(), (CALLBACK + "/x-ms-notification-url", DROP)),
        REGISTER,
    ),
    fires(
        "WebhookOperationsMissingNotificationUrlProperty",
        "flag-false",
        edit(webhook(), (CALLBACK + "/x-ms-notification-url", False)),
        REGISTER,
    ),
    fires(
        "OperationMustHaveNotificationContentExtension",
        "no-content",
        edit(webhook(), (NOTIFICATION, DROP)),
        REGISTER,
    ),
    fires(
        "OperationMustHaveNotificationContentExtension",
        "action",
        edit(action_with_callback(), ("/paths/~1sign/x-ms-notification-content", DROP)),
        "/paths/~1sign/post",
    ),
    fires(
        "NotificationUrlNotInternal",
        "visible",
        edit(webhook(), (CALLBACK + "/x-ms-visibility", "advanced")),
        CALLBACK,
    ),
    fires(
        "NotificationUrlNotInternal",
        "nested",
        nested(dict(URL, **{"x-ms-visibility": "important"})),
        NESTED_URL,
    ),
    fires(
        "NotificationUrlNotInternal",
        "through-ref",
        through_ref(dict(URL, **{"x-ms-visibility": "none"})),
        "/definitions/Callback",
    ),
    fires(
        "NotificationUrlNotRequired",
        "not-listed",
        edit(webhook(), (SCHEMA + "/required", [])),
        CALLBACK,
    ),
    fires(
        "NotificationUrlNotRequired", "parent-optional", nested(config_required=False), NESTED_URL
    ),
    fires(
        "NotificationUrlNotRequired",
        "required-not-a-list",
        edit(webhook(), (SCHEMA + "/required", "url")),
        CALLBACK,
    ),
    fires(
        "NotificationUrlNotString",
        "uri-object",
        edit(webhook(), (CALLBACK + "/type", "object")),
        CALLBACK,
    ),
    fires(
        "NotificationUrlNotString", "no-type", edit(webhook(), (CALLBACK + "/type", DROP)), CALLBACK
    ),
    fires(
        "NotificationUrlNotAllowedInThisPosition",
        "query",
        edit(
            webhook(),
            (
                REGISTER + "/parameters/1",
                {
                    "name": "cb",
                    "in": "query",
                    "type": "string",
                    "required": True,
                    "x-ms-visibility": "internal",
                    "x-ms-notification-url": True,
                },
            ),
        ),
        REGISTER + "/parameters/1",
    ),
    fires(
        "NotificationUrlNotAllowedInThisPosition",
        "notification-schema",
        edit(webhook(), (NOTIFICATION + "/schema/properties/id/x-ms-notification-url", True)),
        NOTIFICATION + "/schema/properties/id",
    ),
    fires(
        "NotificationUrlNotAllowedInThisPosition",
        "response-schema",
        edit(
            webhook(),
            (REGISTER + "/responses/201/schema", {"type": "object", "properties": {"u": URL}}),
        ),
        REGISTER + "/responses/201/schema/properties/u",
    ),
    fires(
        "NotificationUrlNotAllowedInThisPosition",
        "output-definition",
        edit(
            webhook(),
            ("/definitions/Out", {"type": "object", "properties": {"u": URL}}),
            (REGISTER + "/responses/201/schema", {"$ref": "#/definitions/Out"}),
        ),
        "/definitions/Out/properties/u",
    ),
    fires(
        "NotificationUrlOnAction", "wait-for-callback", action_with_callback(), "/paths/~1sign/post"
    ),
    fires(
        "OperationMustHaveNotificationContentExtension",
        "design-says-webhook",
        edit(webhook(), (NOTIFICATION, DROP), (CALLBACK + "/x-ms-notification-url", DROP)),
        REGISTER,
        design=WEBHOOK_DESIGN,
    ),
    fires(
        "WebhookOperationsMissingNotificationUrlProperty",
        "design-says-webhook",
        edit(webhook(), (NOTIFICATION, DROP), (CALLBACK + "/x-ms-notification-url", DROP)),
        REGISTER,
        design=WEBHOOK_DESIGN,
    ),
    fires(
        "NotificationContentNotUsed",
        "orphan",
        edit(webhook(), ("/paths/~1old/x-ms-notification-content", {"schema": {"type": "object"}})),
        "/paths/~1old/x-ms-notification-content",
    ),
]

QUIET = [
    quiet("WebhookOperationsMissingNotificationUrlProperty", "clean", webhook()),
    quiet("WebhookOperationsMissingNotificationUrlProperty", "polling", polling()),
    quiet("WebhookOperationsMissingNotificationUrlProperty", "nested", nested()),
    quiet(
        "WebhookOperationsMissingNotificationUrlProperty",
        "string-true",
        edit(webhook(), (CALLBACK + "/x-ms-notification-url", "true")),
    ),
    quiet("OperationMustHaveNotificationContentExtension", "clean", webhook()),
    quiet(
        "OperationMustHaveNotificationContentExtension",
        "operation-level",
        edit(
            webhook(),
            (REGISTER + "/x-ms-notification-content", {"schema": {"type": "object"}}),
            (NOTIFICATION, DROP),
        ),
    ),
    quiet("NotificationUrlNotInternal", "nested", nested()),
    quiet(
        "NotificationUrlNotInternal",
        "parent-internal",
        edit(
            nested({"type": "string", "x-ms-notification-url": True}),
            (SCHEMA + "/properties/config/x-ms-visibility", "internal"),
        ),
    ),
    quiet(
        "NotificationUrlNotInternal",
        "body-internal",
        edit(
            webhook(),
            (CALLBACK + "/x-ms-visibility", DROP),
            (BODY + "/x-ms-visibility", "internal"),
        ),
    ),
    quiet("NotificationUrlNotInternal", "through-ref", through_ref()),
    quiet("NotificationUrlNotRequired", "nested", nested()),
    quiet("NotificationUrlNotRequired", "through-ref", through_ref()),
    quiet(
        "NotificationUrlNotRequired",
        "optional-body-parameter",
        edit(webhook(), (BODY + "/required", False)),
    ),
    quiet("NotificationUrlNotString", "clean", webhook()),
    quiet("NotificationUrlNotAllowedInThisPosition", "body", webhook()),
    quiet(
        "NotificationUrlNotAllowedInThisPosition",
        "unused-definition",
        edit(webhook(), ("/definitions/Unused", {"type": "object", "properties": {"u": URL}})),
    ),
    quiet(
        "NotificationUrlNotAllowedInThisPosition",
        "property-named-like-the-flag",
        edit(
            webhook(),
            (SCHEMA + "/properties/x-ms-notification-url", URL),
            (SCHEMA + "/required", ["url", "x-ms-notification-url"]),
        ),
    ),
    quiet("NotificationUrlOnAction", "trigger", webhook()),
    quiet("NotificationContentNotUsed", "clean", webhook()),
    quiet("NotificationContentNotUsed", "action-uses-it", action_with_callback()),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_shared_callback_definition_is_reported_once_naming_every_trigger() -> None:
    """Eleven 3E Events triggers share one callback definition: one finding, not eleven."""
    doc = through_ref(dict(URL, **{"x-ms-visibility": "advanced"}))
    for name in ("a", "b", "c", "d"):
        doc["paths"][f"/hooks/{name}"] = {
            "x-ms-notification-content": {"schema": {"type": "object"}},
            "post": dict(doc["paths"]["/hooks"]["post"], operationId=f"On{name.upper()}"),
        }
    (finding,) = findings_of(doc, "NotificationUrlNotInternal")
    assert finding.pointer == "/definitions/Callback"
    assert "OnA, OnB, OnC and 2 more" in finding.message
    assert finding.message.startswith("The notification URL body property '/url' of")


def test_nested_callback_message_names_its_payload_pointer() -> None:
    (finding,) = findings_of(nested(config_required=False), "NotificationUrlNotRequired")
    assert "'/config/url'" in finding.message
    assert "OnOrderCreated" in finding.message


@pytest.mark.parametrize(
    "flag", [True, "true", "True", 1, 1.0, "TRUE", "yes", False, 0, "false", None]
)
def test_linter_and_importer_read_the_notification_url_flag_alike(flag: Any) -> None:
    """Both use swagger_refs.is_flag, which compares like trigger_facts.py (the oracle):
    ``in (True, "true", "True")``, so 1 counts and "TRUE" does not."""
    doc = edit(webhook(), (CALLBACK + "/x-ms-notification-url", flag), (NOTIFICATION, DROP))
    oracle = flag in (True, "true", "True")
    ctx = Context(doc, None, None)
    [trigger] = [op for op in ctx.operations if op.is_trigger]
    assert ctx.kind(trigger) == ("webhook" if oracle else "polling")
    assert bool(ctx.callbacks_of(trigger)) == oracle
    imported = import_connector(doc).design["triggers"][0]
    assert imported["kind"] == ctx.kind(trigger)
