"""Response rules and the output schema a trigger gives the flow designer."""

from __future__ import annotations

from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    DROP,
    HOOKS,
    ITEMS,
    REGISTER,
    check_quiet,
    edit,
    fires,
    polling,
    quiet,
    table_tests,
    webhook,
)

NOTIFICATION = HOOKS + "/x-ms-notification-content"
OK_200 = ITEMS + "/responses/200"
ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}
ITEM = {"type": "object", "properties": {"id": {"type": "integer"}}}
PAGE = {"type": "object", "properties": {"value": {"type": "array", "items": ITEM}}}

FIRES = [
    fires(
        "OperationHasManyResponsesWithSchema",
        "200-and-202",
        edit(polling(), (ITEMS + "/responses/202/schema", PAGE)),
        ITEMS + "/responses",
    ),
    fires(
        "OperationHasManyResponsesWithSchema",
        "via-ref",
        edit(
            polling(),
            ("/responses/Accepted", {"description": "Later", "schema": PAGE}),
            (ITEMS + "/responses/202", {"$ref": "#/responses/Accepted"}),
        ),
        ITEMS + "/responses",
    ),
    fires(
        "OperationMustHaveResponse",
        "missing",
        edit(webhook(), (REGISTER + "/responses", DROP)),
        REGISTER,
    ),
    fires(
        "OperationMustHaveResponse", "empty", edit(webhook(), (DELETE + "/responses", {})), DELETE
    ),
    fires(
        "OperationShouldHaveSuccessfulResponse",
        "default-only",
        edit(webhook(), (DELETE + "/responses", {"default": {"description": "x"}})),
        DELETE + "/responses",
    ),
    fires(
        "OperationShouldHaveSuccessfulResponse",
        "errors-only",
        edit(webhook(), (DELETE + "/responses", {"404": {"description": "x"}})),
        DELETE + "/responses",
    ),
    fires(
        "DefaultResponseHasSchema",
        "schema",
        edit(webhook(), (DELETE + "/responses/default", {"description": "x", "schema": ERROR})),
        DELETE + "/responses/default/schema",
    ),
    fires(
        "DefaultResponseHasSchema",
        "via-ref",
        edit(
            webhook(),
            ("/responses/Err", {"description": "x", "schema": ERROR}),
            (DELETE + "/responses/default", {"$ref": "#/responses/Err"}),
        ),
        DELETE + "/responses/default/schema",
    ),
    fires(
        "ResponseMustBeDefaultOrHttpStatusCode",
        "word",
        edit(webhook(), (DELETE + "/responses/ok", {"description": "x"})),
        DELETE + "/responses/ok",
    ),
    fires(
        "ResponseMustBeDefaultOrHttpStatusCode",
        "2XX",
        edit(webhook(), (DELETE + "/responses/2XX", {"description": "x"})),
        DELETE + "/responses/2XX",
    ),
    fires(
        "SchemaDefinitionSetIncorrectly",
        "webhook-no-schema",
        edit(webhook(), (NOTIFICATION + "/schema", DROP)),
        REGISTER,
    ),
    fires(
        "SchemaDefinitionSetIncorrectly",
        "polling-no-schema",
        edit(polling(), (OK_200 + "/schema", DROP)),
        ITEMS,
    ),
    fires(
        "SchemaDefinitionSetIncorrectly",
        "polling-schema-on-202-only",
        edit(polling(), (OK_200 + "/schema", DROP), (ITEMS + "/responses/202/schema", PAGE)),
        ITEMS,
    ),
    fires(
        "NotificationSchemaEmpty",
        "webhook",
        edit(webhook(), (NOTIFICATION + "/schema", {})),
        NOTIFICATION + "/schema",
    ),
    fires(
        "NotificationSchemaEmpty",
        "polling",
        edit(polling(), (OK_200 + "/schema", {"description": "anything"})),
        OK_200 + "/schema",
    ),
    fires(
        "BatchTriggerSchemaNotArray",
        "polling-object",
        edit(polling(), (OK_200 + "/schema", ITEM)),
        OK_200 + "/schema",
    ),
    fires(
        "BatchTriggerSchemaNotArray",
        "webhook-object",
        edit(webhook(), (REGISTER + "/x-ms-trigger", "batch")),
        NOTIFICATION + "/schema",
    ),
    fires(
        "SingleTriggerSchemaIsArray",
        "webhook-array",
        edit(webhook(), (NOTIFICATION + "/schema", {"type": "array", "items": ITEM})),
        NOTIFICATION + "/schema",
    ),
    fires(
        "SingleTriggerSchemaIsArray",
        "via-ref",
        edit(
            webhook(),
            ("/definitions/Events", {"type": "array", "items": ITEM}),
            (NOTIFICATION + "/schema", {"$ref": "#/definitions/Events"}),
        ),
        NOTIFICATION + "/schema",
    ),
]

QUIET = [
    quiet("OperationHasManyResponsesWithSchema", "clean", polling()),
    quiet(
        "OperationHasManyResponsesWithSchema",
        "error-bodies-are-not-counted",
        edit(polling(), (ITEMS + "/responses/400", {"description": "Bad", "schema": ERROR})),
    ),
    quiet("OperationMustHaveResponse", "clean", webhook()),
    quiet("OperationShouldHaveSuccessfulResponse", "clean", webhook()),
    quiet(
        "OperationShouldHaveSuccessfulResponse",
        "no-responses-is-the-other-rule",
        edit(webhook(), (DELETE + "/responses", {})),
    ),
    quiet(
        "DefaultResponseHasSchema",
        "default-without-schema",
        edit(webhook(), (DELETE + "/responses/default", {"description": "x"})),
    ),
    quiet(
        "ResponseMustBeDefaultOrHttpStatusCode",
        "codes-and-extension",
        edit(
            webhook(),
            (DELETE + "/responses/default", {"description": "x"}),
            (DELETE + "/responses/x-note", "y"),
        ),
    ),
    quiet("SchemaDefinitionSetIncorrectly", "clean-webhook", webhook()),
    quiet("SchemaDefinitionSetIncorrectly", "clean-polling", polling()),
    quiet(
        "SchemaDefinitionSetIncorrectly",
        "polling-201",
        edit(
            polling(),
            ("/paths/~1items/get/responses", {"201": {"description": "x", "schema": PAGE}}),
        ),
    ),
    quiet(
        "SchemaDefinitionSetIncorrectly",
        "actions-are-free",
        edit(webhook(), (DELETE + "/responses/200", {"description": "x"})),
    ),
    quiet(
        "SchemaDefinitionSetIncorrectly",
        "no-content-is-the-other-rule",
        edit(webhook(), (NOTIFICATION, DROP)),
    ),
    quiet(
        "NotificationSchemaEmpty",
        "dynamic",
        edit(
            webhook(),
            (NOTIFICATION + "/schema", {"x-ms-dynamic-schema": {"operationId": "GetSchema"}}),
        ),
    ),
    quiet(
        "NotificationSchemaEmpty",
        "ref",
        edit(
            webhook(),
            ("/definitions/Order", ITEM),
            (NOTIFICATION + "/schema", {"$ref": "#/definitions/Order"}),
        ),
    ),
    quiet("BatchTriggerSchemaNotArray", "array", polling()),
    quiet(
        "BatchTriggerSchemaNotArray", "page-with-list", edit(polling(), (OK_200 + "/schema", PAGE))
    ),
    quiet("BatchTriggerSchemaNotArray", "single-object", webhook()),
    quiet(
        "BatchTriggerSchemaNotArray",
        "policy-picks-the-list",
        edit(polling(), (OK_200 + "/schema", ITEM)),
        properties={
            "properties": {
                "policyTemplateInstances": [
                    {
                        "templateId": "pollingtrigger",
                        "parameters": {
                            "x-ms-apimTemplate-operationName": ["OnNewItems"],
                            "x-ms-apimTemplateParameter.triggerConfig": {},
                        },
                    }
                ]
            }
        },
    ),
    quiet("SingleTriggerSchemaIsArray", "object", webhook()),
    quiet("SingleTriggerSchemaIsArray", "batch-array", polling()),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_yaml_integer_status_codes_count_as_codes() -> None:
    """PyYAML reads an unquoted 201 as an int; the rules compare status codes as text."""
    doc = edit(webhook(), (REGISTER + "/responses", DROP))
    doc["paths"]["/hooks"]["post"]["responses"] = {201: {"description": "Created"}}
    check_quiet("OperationShouldHaveSuccessfulResponse", doc, {})
    check_quiet("ResponseMustBeDefaultOrHttpStatusCode", doc, {})
    check_quiet("WebhookRegistrationMissing201", doc, {})
