"""Each finding names the design field it comes from (docs/design-mapping.md, read backwards)."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.lint import lint_swagger
from tests.connectors.domain.lint.lint_builders import (
    CALLBACK,
    DELETE,
    DROP,
    HOOKS,
    ITEMS,
    REGISTER,
    edit,
    findings_of,
    polling,
    webhook,
)

SOURCE = {
    "name": "source",
    "in": "query",
    "type": "string",
    "x-ms-visibility": "internal",
    "default": "x",
}


def connector() -> dict[str, Any]:
    """The webhook and the polling trigger in one swagger, as export writes it."""
    doc = webhook()
    doc["paths"].update(polling()["paths"])
    return doc


def design() -> dict[str, Any]:
    webhook_request = {
        "method": "post",
        "path": "/hooks",
        "parameters": [{"name": "source", "in": "query", "required": False}],
        "body": {"name": "body", "schema": {}},
        "callbackPointer": "/url",
    }
    polling_request = {
        "method": "get",
        "path": "/items",
        "parameters": [{"name": "since", "in": "query", "required": True}],
        "body": None,
    }
    delete = {
        "operationId": "DeleteHook",
        "path": "/hooks/{id}",
        "parameters": [{"name": "id", "in": "path", "required": True}],
    }
    return {
        "general": {"host": "api.example.com"},
        "triggers": [
            {"kind": "webhook", "request": webhook_request, "deleteAction": delete},
            {"kind": "polling", "request": polling_request, "polling": {"stateParameter": "since"}},
        ],
    }


CASES = [
    ("TriggerSummaryNotWhen", (REGISTER + "/summary", "Order created"), "/triggers/0/summary"),
    (
        "SummaryEqualsDescription",
        (REGISTER + "/description", "When an order is created"),
        "/triggers/0/description",
    ),
    ("OperationIdNotPascalCase", (ITEMS + "/operationId", "onNewItems"), "/triggers/1/operationId"),
    ("OperationMissingSummary", (REGISTER + "/summary", DROP), "/triggers/0/summary"),
    ("TriggerCardinalityNotValid", (REGISTER + "/x-ms-trigger", "many"), "/triggers/0/cardinality"),
    (
        "TriggerMetadataNotValid",
        (ITEMS + "/x-ms-trigger-metadata", {}),
        "/triggers/1/polling/metadata",
    ),
    (
        "NotificationUrlNotInternal",
        (CALLBACK + "/x-ms-visibility", "advanced"),
        "/triggers/0/request/callbackPointer",
    ),
    (
        "WebhookOperationsMissingNotificationUrlProperty",
        (CALLBACK + "/x-ms-notification-url", DROP),
        "/triggers/0/request/callbackPointer",
    ),
    (
        "OperationMustHaveNotificationContentExtension",
        (HOOKS + "/x-ms-notification-content", DROP),
        "/triggers/0/notification",
    ),
    (
        "NotificationSchemaEmpty",
        (HOOKS + "/x-ms-notification-content/schema", {}),
        "/triggers/0/notification/schema",
    ),
    (
        "PropertyMustBeRequired",
        (REGISTER + "/parameters/1", SOURCE),
        "/triggers/0/request/parameters/0/required",
    ),
    (
        "InternalPropertyWithDefaultOptional",
        (
            REGISTER + "/parameters/0/schema/properties/source",
            {"type": "string", "x-ms-visibility": "internal", "default": "x"},
        ),
        "/triggers/0/request/body/schema/properties/source",
    ),
    (
        "WebhookRegistrationMissing201",
        (REGISTER + "/responses", {"200": {"description": "ok"}}),
        "/triggers/0/responses",
    ),
    ("OperationMustHaveResponse", (ITEMS + "/responses", DROP), "/triggers/1/responses"),
    (
        "PollingStateParameterNotInternal",
        (ITEMS + "/parameters/0/x-ms-visibility", "advanced"),
        "/triggers/1/request/parameters/0",
    ),
    (
        "TriggerValueNotValid",
        (ITEMS + "/parameters/0/x-ms-trigger-value", {}),
        "/triggers/1/polling",
    ),
    ("WebhookMissingDeleteAction", ("/paths/~1hooks~1{id}", DROP), "/triggers/0/deleteAction"),
    (
        "DeleteActionNotInternal",
        (DELETE + "/x-ms-visibility", DROP),
        "/triggers/0/deleteAction/visibility",
    ),
    (
        "OperationIdNotPascalCase",
        (DELETE + "/operationId", "deleteHook"),
        "/triggers/0/deleteAction/operationId",
    ),
    (
        "PathParameterMissingEncoding",
        (DELETE + "/parameters/0/x-ms-url-encoding", DROP),
        "/triggers/0/deleteAction/parameters/0",
    ),
    (
        "OperationMissingPathParameter",
        (DELETE + "/parameters", []),
        "/triggers/0/deleteAction/parameters",
    ),
    ("HostNameNotValid", ("/host", "https://api.example.com"), "/general/host"),
    ("BasePathNotValid", ("/basePath", "v1"), "/general/basePath"),
    ("SchemeNotValid", ("/schemes", ["https", "ftp"]), "/general/schemes/1"),
    ("RequiredPropertyMissing", ("/info/title", DROP), "/general/title"),
]


@pytest.mark.parametrize(("rule", "change", "field"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_finding_names_its_design_field(rule: str, change: tuple[str, Any], field: str) -> None:
    doc = edit(connector(), change)
    fields = [f.field for f in findings_of(doc, rule, design=design())]
    assert field in fields, fields


def test_path_rules_point_at_the_request_path() -> None:
    doc = connector()
    doc["paths"] = {("/hooks?x=1" if k == "/hooks" else k): v for k, v in doc["paths"].items()}
    the_design = design()
    the_design["triggers"][0]["request"]["path"] = "/hooks?x=1"
    (finding,) = findings_of(doc, "OperationPathMayNotContainQueryOrFragment", design=the_design)
    assert finding.field == "/triggers/0/request/path"


def test_shared_parameter_maps_to_the_design_reference() -> None:
    shared = {"name": "id", "in": "path", "type": "string", "required": True}
    doc = edit(
        connector(),
        ("/parameters/Id", shared),
        (DELETE + "/parameters/0", {"$ref": "#/parameters/Id"}),
    )
    the_design = design()
    the_design["triggers"][0]["deleteAction"]["parameters"] = [{"ref": "#/parameters/Id"}]
    (finding,) = findings_of(doc, "PathParameterMissingEncoding", design=the_design)
    assert (finding.pointer, finding.field) == (
        "/parameters/Id",
        "/triggers/0/deleteAction/parameters/0",
    )


def test_apiproperties_policy_maps_to_the_polling_policy() -> None:
    properties = {
        "properties": {
            "policyTemplateInstances": [
                {
                    "templateId": "pollingtrigger",
                    "parameters": {
                        "x-ms-apimTemplate-operationName": ["OnNewItems"],
                        "x-ms-apimTemplateParameter.triggerConfig": {"cursor": "@{x}"},
                    },
                }
            ],
            "iconBrandColor": "#da3b01",
        }
    }
    (finding,) = findings_of(
        connector(), "PollingStateParameterNotFound", properties=properties, design=design()
    )
    assert finding.field == "/triggers/1/polling/stateParameter"


def test_passthrough_actions_have_no_field() -> None:
    doc = edit(
        connector(),
        (
            "/paths/~1orders/get",
            {"operationId": "list_orders", "responses": {"200": {"description": "x"}}},
        ),
    )
    (finding,) = findings_of(doc, "OperationIdNotPascalCase", design=design())
    assert finding.field is None


def test_without_a_design_no_finding_has_a_field() -> None:
    doc = edit(connector(), (REGISTER + "/summary", "Order created"), ("/host", "http://x"))
    assert [f.field for f in lint_swagger(doc)] == [None] * len(lint_swagger(doc))


@pytest.mark.parametrize(
    "garbage",
    [
        {"triggers": None},
        {"triggers": [None, 1, "x", {"request": []}, {"request": {"path": {}, "method": 1}}]},
        {
            "triggers": [
                {"request": {"path": "/hooks", "method": "POST"}, "deleteAction": 5, "polling": []}
            ]
        },
        {
            "general": [],
            "triggers": [
                {"kind": 7, "request": {"path": "/items", "method": "get", "parameters": {}}}
            ],
        },
    ],
)
def test_a_design_of_the_wrong_shape_only_loses_fields(garbage: dict[str, Any]) -> None:
    doc = edit(
        connector(), (REGISTER + "/summary", "Order created"), (DELETE + "/x-ms-visibility", DROP)
    )
    without = [(f.rule, f.pointer, f.message) for f in lint_swagger(doc)]
    findings = lint_swagger(doc, design=garbage)
    assert "LinterRuleFailed" not in {f.rule for f in findings}
    assert {r for r, _, _ in without} <= {f.rule for f in findings}
