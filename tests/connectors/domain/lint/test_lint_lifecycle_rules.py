"""Trigger lifecycle rules: finding the webhook's DELETE, 201 + Location, trigger declarations,
and the polling state parameter (x-ms-trigger-value, pollingtrigger policy, design)."""

from __future__ import annotations

from typing import Any

from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    DROP,
    ITEMS,
    REGISTER,
    edit,
    findings_of,
    fires,
    move,
    polling,
    quiet,
    table_tests,
    webhook,
)

STATE = ITEMS + "/parameters/0"
POLICY = "apiProperties:/properties/policyTemplateInstances/0"


def no_delete() -> dict[str, Any]:
    return edit(webhook(), ("/paths/~1hooks~1{id}", DROP))


def delete_at(path: str, **changes: Any) -> dict[str, Any]:
    doc = move(webhook(), "/hooks/{id}", path)
    doc["paths"][path]["delete"].update(changes)
    return doc


def policy(*operations: str, **config: str) -> dict[str, Any]:
    return {
        "properties": {
            "policyTemplateInstances": [
                {
                    "templateId": "pollingtrigger",
                    "title": "PollingTriggerPolicy_1",
                    "parameters": {
                        "x-ms-apimTemplate-operationName": list(operations),
                        "x-ms-apimTemplateParameter.triggerConfig": config,
                        "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody().value",
                    },
                }
            ]
        }
    }


def design_polling(state: str) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "get", "path": "/items", "parameters": [], "body": None}
    return {
        "triggers": [{"kind": "polling", "request": request, "polling": {"stateParameter": state}}]
    }


PLAIN_STATE = edit(polling(), (STATE + "/x-ms-trigger-value", DROP))

FIRES = [
    fires("WebhookMissingDeleteAction", "none", no_delete(), REGISTER),
    fires(
        "WebhookMissingDeleteAction",
        "unrelated-visible-delete",
        delete_at(
            "/orders/{id}/lines", operationId="DeleteOrderLines", **{"x-ms-visibility": "important"}
        ),
        REGISTER,
    ),
    fires(
        "DeleteActionNotInternal",
        "child",
        edit(webhook(), (DELETE + "/x-ms-visibility", DROP)),
        DELETE,
    ),
    fires(
        "DeleteActionNotInternal",
        "sibling",
        delete_at("/subscriptions/{id}", **{"x-ms-visibility": "advanced"}),
        "/paths/~1subscriptions~1{id}/delete",
    ),
    fires(
        "WebhookRegistrationMissing201",
        "200",
        edit(webhook(), (REGISTER + "/responses", {"200": {"description": "ok"}})),
        REGISTER + "/responses",
    ),
    fires(
        "WebhookRegistrationMissingLocationHeader",
        "no-headers",
        edit(webhook(), (REGISTER + "/responses/201/headers", DROP)),
        REGISTER + "/responses",
    ),
    fires(
        "WebhookRegistrationMissingLocationHeader",
        "other-header",
        edit(webhook(), (REGISTER + "/responses/201/headers", {"X-Id": {"type": "string"}})),
        REGISTER + "/responses",
    ),
    fires(
        "TriggerCardinalityNotValid",
        "typo",
        edit(webhook(), (REGISTER + "/x-ms-trigger", "singel")),
        REGISTER + "/x-ms-trigger",
    ),
    fires(
        "TriggerCardinalityNotValid",
        "boolean",
        edit(webhook(), (REGISTER + "/x-ms-trigger", True)),
        REGISTER + "/x-ms-trigger",
    ),
    fires(
        "TriggerMetadataNotValid",
        "mode",
        edit(polling(), (ITEMS + "/x-ms-trigger-metadata/mode", "push")),
        ITEMS + "/x-ms-trigger-metadata",
    ),
    fires(
        "TriggerMetadataNotValid",
        "on-action",
        edit(webhook(), (DELETE + "/x-ms-trigger-metadata", {"kind": "query", "mode": "polling"})),
        DELETE + "/x-ms-trigger-metadata",
    ),
    fires(
        "PollingStateParameterNotInternal",
        "trigger-value",
        edit(polling(), (STATE + "/x-ms-visibility", "advanced")),
        STATE,
    ),
    fires(
        "PollingStateParameterNotInternal",
        "policy",
        edit(PLAIN_STATE, (STATE + "/x-ms-visibility", DROP)),
        STATE,
        properties=policy("OnNewItems", since="@{triggerBody().value[0].id}"),
    ),
    fires(
        "PollingStateParameterMissingTriggerValue",
        "design",
        PLAIN_STATE,
        STATE,
        design=design_polling("since"),
    ),
    fires(
        "PollingStateParameterNotFound",
        "policy",
        polling(),
        ITEMS,
        properties=policy("OnNewItems", **{"$filter": "id gt 1"}),
    ),
    fires(
        "PollingStateParameterNotFound", "design", polling(), ITEMS, design=design_polling("cursor")
    ),
    fires(
        "TriggerValueNotValid",
        "empty",
        edit(polling(), (STATE + "/x-ms-trigger-value", {})),
        STATE + "/x-ms-trigger-value",
    ),
    fires(
        "TriggerValueNotValid",
        "string",
        edit(polling(), (STATE + "/x-ms-trigger-value", "id")),
        STATE + "/x-ms-trigger-value",
    ),
    fires(
        "PollingTriggerMissingAcceptedResponse",
        "no-202-no-state",
        edit(PLAIN_STATE, (ITEMS + "/responses/202", DROP)),
        ITEMS + "/responses",
    ),
    fires(
        "PolicyOperationNotFound", "renamed", polling(), POLICY, properties=policy("OnNewItemsOld")
    ),
]

QUIET = [
    quiet("WebhookMissingDeleteAction", "child", webhook()),
    quiet("WebhookMissingDeleteAction", "same-path", delete_at("/hooks")),
    quiet("WebhookMissingDeleteAction", "descendant", delete_at("/hooks/delete/{id}")),
    quiet(
        "WebhookMissingDeleteAction", "hook-named-elsewhere", delete_at("/api/subscriptions/{id}")
    ),
    quiet("WebhookMissingDeleteAction", "polling-needs-none", polling()),
    quiet("DeleteActionNotInternal", "internal", webhook()),
    quiet("DeleteActionNotInternal", "no-delete-is-the-other-rule", no_delete()),
    quiet("WebhookRegistrationMissing201", "clean", webhook()),
    quiet(
        "WebhookRegistrationMissing201",
        "no-responses-is-the-other-rule",
        edit(webhook(), (REGISTER + "/responses", {})),
    ),
    quiet(
        "WebhookRegistrationMissingLocationHeader",
        "lower-case",
        edit(webhook(), (REGISTER + "/responses/201/headers", {"location": {"type": "string"}})),
    ),
    quiet("TriggerCardinalityNotValid", "batch", polling()),
    quiet("TriggerMetadataNotValid", "clean", polling()),
    quiet("PollingStateParameterNotInternal", "clean", polling()),
    quiet("PollingStateParameterNotInternal", "webhooks-have-none", webhook()),
    quiet(
        "PollingStateParameterMissingTriggerValue",
        "has-trigger-value",
        polling(),
        design=design_polling("since"),
    ),
    quiet(
        "PollingStateParameterMissingTriggerValue",
        "policy",
        PLAIN_STATE,
        design=design_polling("since"),
        properties=policy("OnNewItems", since="@{x}"),
    ),
    quiet("PollingStateParameterMissingTriggerValue", "no-design", PLAIN_STATE),
    quiet(
        "PollingStateParameterNotFound",
        "clean",
        polling(),
        properties=policy(
            "OnNewItems", since="@{x}", **{"x-ms-triggerConfig-nextLink": "@odata.nextLink"}
        ),
    ),
    quiet("TriggerValueNotValid", "clean", polling()),
    quiet("PollingTriggerMissingAcceptedResponse", "declares-202", PLAIN_STATE),
    quiet(
        "PollingTriggerMissingAcceptedResponse",
        "state-parameter",
        edit(polling(), (ITEMS + "/responses/202", DROP)),
    ),
    quiet(
        "PolicyOperationNotFound", "found", polling(), properties=policy("OnNewItems", since="@{x}")
    ),
    quiet(
        "PolicyOperationNotFound",
        "garbage-properties",
        polling(),
        properties={"properties": {"policyTemplateInstances": [None, 3, {"parameters": []}]}},
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_delete_shared_by_triggers_is_reported_once_with_its_match() -> None:
    doc = edit(webhook(), (DELETE + "/x-ms-visibility", DROP))
    doc["paths"]["/hooks"]["put"] = dict(
        doc["paths"]["/hooks"]["post"], operationId="OnOrderUpdated"
    )
    (finding,) = findings_of(doc, "DeleteActionNotInternal")
    assert "matched as child of OnOrderCreated, OnOrderUpdated" in finding.message


def test_design_delete_action_wins_over_path_shapes() -> None:
    """The design names the visible /legacy/{id} DELETE; the internal child is not used."""
    doc = edit(
        webhook(),
        (
            "/paths/~1legacy~1{id}/delete",
            {"operationId": "Old", "responses": {"204": {"description": "x"}}},
        ),
    )
    request: dict[str, Any] = {"method": "post", "path": "/hooks", "parameters": [], "body": None}
    design = {
        "triggers": [
            {"kind": "webhook", "request": request, "deleteAction": {"path": "/legacy/{id}"}}
        ]
    }
    (finding,) = findings_of(doc, "DeleteActionNotInternal", design=design)
    assert finding.pointer == "/paths/~1legacy~1{id}/delete"
    assert "matched as design" in finding.message
    assert finding.field == "/triggers/0/deleteAction/visibility"
