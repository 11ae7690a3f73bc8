"""Rules on operationId, summary and description (Microsoft's rules and the style guidance)."""

from __future__ import annotations

from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    DROP,
    REGISTER,
    edit,
    findings_of,
    fires,
    quiet,
    table_tests,
    webhook,
)

LONG = "When an order that was placed by a customer in the online shop is created " * 2


FIRES = [
    fires(
        "OperationIdRequired",
        "missing",
        edit(webhook(), (REGISTER + "/operationId", DROP)),
        REGISTER,
    ),
    fires(
        "OperationIdRequired", "empty", edit(webhook(), (REGISTER + "/operationId", "")), REGISTER
    ),
    fires(
        "OperationIdNotUnique",
        "twice",
        edit(webhook(), (DELETE + "/operationId", "OnOrderCreated")),
        DELETE + "/operationId",
    ),
    fires(
        "OperationIdSanitized",
        "space",
        edit(webhook(), (REGISTER + "/operationId", "On order")),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationIdSanitized",
        "dot",
        edit(webhook(), (REGISTER + "/operationId", "Orders.OnCreated")),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationIdNotPascalCase",
        "camel",
        edit(webhook(), (REGISTER + "/operationId", "onOrderCreated")),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationIdNotPascalCase",
        "kebab",
        edit(webhook(), (REGISTER + "/operationId", "On-order-created")),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationIdNotPascalCase",
        "snake",
        edit(webhook(), (REGISTER + "/operationId", "On_Order")),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationSummaryTooLong",
        "120",
        edit(webhook(), (REGISTER + "/summary", LONG[:120])),
        REGISTER + "/summary",
    ),
    fires(
        "FieldLengthExceeded",
        "81",
        edit(webhook(), (REGISTER + "/summary", LONG[:81])),
        REGISTER + "/summary",
    ),
    fires(
        "RestrictedCharactersInSummary",
        "slash",
        edit(webhook(), (REGISTER + "/summary", "When an order is created/updated")),
        REGISTER + "/summary",
    ),
    fires(
        "RestrictedCharactersInSummary",
        "braces",
        edit(webhook(), (REGISTER + "/summary", "When {order} is created")),
        REGISTER + "/summary",
    ),
    fires(
        "OperationMissingSummary",
        "missing",
        edit(webhook(), (REGISTER + "/summary", DROP)),
        REGISTER,
    ),
    fires(
        "OperationMissingSummary", "absent", edit(webhook(), (DELETE + "/summary", DROP)), DELETE
    ),
    fires(
        "OperationIdTooLong",
        "81",
        edit(webhook(), (REGISTER + "/operationId", "On" + "X" * 79)),
        REGISTER + "/operationId",
    ),
    fires(
        "OperationMissingDescription",
        "missing",
        edit(webhook(), (REGISTER + "/description", DROP)),
        REGISTER,
    ),
    fires(
        "SummaryEqualsDescription",
        "same",
        edit(webhook(), (REGISTER + "/description", "When an order is created.")),
        REGISTER + "/description",
    ),
    fires(
        "TriggerSummaryNotWhen",
        "verb",
        edit(webhook(), (REGISTER + "/summary", "Order created")),
        REGISTER + "/summary",
    ),
    fires(
        "TriggerSummaryNotWhen",
        "prefix",
        edit(webhook(), (REGISTER + "/summary", "DEPRECATED: When an order is created")),
        REGISTER + "/summary",
    ),
]

QUIET = [
    quiet("OperationIdRequired", "clean", webhook()),
    quiet("OperationIdNotUnique", "clean", webhook()),
    quiet(
        "OperationIdNotUnique",
        "case-differs",
        edit(webhook(), (DELETE + "/operationId", "Onordercreated")),
    ),
    quiet(
        "OperationIdSanitized",
        "dash-and-underscore",
        edit(webhook(), (REGISTER + "/operationId", "On-order_created")),
    ),
    quiet(
        "OperationIdNotPascalCase",
        "pascal-with-digits",
        edit(webhook(), (REGISTER + "/operationId", "OnOrderCreatedV2")),
    ),
    quiet("OperationSummaryTooLong", "119", edit(webhook(), (REGISTER + "/summary", LONG[:119]))),
    quiet("FieldLengthExceeded", "80", edit(webhook(), (REGISTER + "/summary", LONG[:80]))),
    quiet(
        "FieldLengthExceeded",
        "too-long-is-the-other-rule",
        edit(webhook(), (REGISTER + "/summary", LONG[:120])),
    ),
    quiet(
        "RestrictedCharactersInSummary",
        "parentheses-dash-comma",
        edit(
            webhook(), (REGISTER + "/summary", "When an order is created, or updated (V2) - beta")
        ),
    ),
    quiet("OperationMissingSummary", "clean", webhook()),
    quiet(
        "OperationMissingSummary",
        "blank-is-required-value-empty",
        edit(webhook(), (DELETE + "/summary", "  ")),
    ),
    quiet(
        "OperationIdTooLong", "80", edit(webhook(), (REGISTER + "/operationId", "On" + "X" * 78))
    ),
    quiet("OperationMissingDescription", "clean", webhook()),
    quiet("SummaryEqualsDescription", "different", webhook()),
    quiet(
        "TriggerSummaryNotWhen",
        "lower-case-when",
        edit(webhook(), (REGISTER + "/summary", "when an order is created")),
    ),
    quiet(
        "TriggerSummaryNotWhen",
        "actions-are-free",
        edit(webhook(), (DELETE + "/summary", "Delete a hook")),
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_messages_name_the_operation_and_sanitized_value() -> None:
    doc = edit(webhook(), (REGISTER + "/operationId", "On order.created"))
    (finding,) = findings_of(doc, "OperationIdSanitized")
    assert "'On order.created'" in finding.message
    assert "'Onordercreated'" in finding.message
    assert finding.severity == "error"
