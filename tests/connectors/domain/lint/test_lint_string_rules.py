"""Rules on the texts makers read: blank values, endings, lengths, restricted words, English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    ITEMS,
    REGISTER,
    edit,
    findings_of,
    fires,
    polling,
    quiet,
    table_tests,
    webhook,
)

SINCE = ITEMS + "/parameters/0"
LONG_DESCRIPTION = "Order events from the shop, as they happen. " * 12  # 528 characters

FIRES = [
    fires("RequiredValueEmpty", "title", edit(webhook(), ("/info/title", " ")), "/info/title"),
    fires("RequiredValueEmpty", "version", edit(webhook(), ("/info/version", "")), "/info/version"),
    fires(
        "RequiredValueEmpty",
        "summary",
        edit(webhook(), (REGISTER + "/summary", "")),
        REGISTER + "/summary",
    ),
    fires(
        "RequiredValueEmpty",
        "x-ms-summary",
        edit(polling(), (SINCE + "/x-ms-summary", "  ")),
        SINCE + "/x-ms-summary",
    ),
    fires("RequiredValueEmpty", "name", edit(polling(), (SINCE + "/name", "")), SINCE + "/name"),
    fires(
        "ValueMustEndWithAlphanumeric",
        "summary-period",
        edit(webhook(), (REGISTER + "/summary", "When an order is created.")),
        REGISTER + "/summary",
    ),
    fires(
        "ValueMustEndWithAlphanumeric",
        "title-space",
        edit(webhook(), ("/info/title", "Orders ")),
        "/info/title",
    ),
    fires(
        "ValueMustEndWithAlphanumeric",
        "x-ms-summary-question",
        edit(polling(), (SINCE + "/x-ms-summary", "Since?")),
        SINCE + "/x-ms-summary",
    ),
    fires(
        "FieldLengthNotInRange",
        "title-31",
        edit(webhook(), ("/info/title", "O" * 31)),
        "/info/title",
    ),
    fires(
        "FieldLengthNotInRange",
        "description-short",
        edit(webhook(), ("/info/description", "Order events.")),
        "/info/description",
    ),
    fires(
        "FieldLengthNotInRange",
        "description-long",
        edit(webhook(), ("/info/description", LONG_DESCRIPTION)),
        "/info/description",
    ),
    fires(
        "ValueContainsRestrictedWords",
        "title-api",
        edit(webhook(), ("/info/title", "Orders API")),
        "/info/title",
    ),
    fires(
        "ValueContainsRestrictedWords",
        "title-connector",
        edit(webhook(), ("/info/title", "Orders connector")),
        "/info/title",
    ),
    fires(
        "ValueContainsRestrictedWords",
        "description-product",
        edit(webhook(), ("/info/description", "Order events for your Power Automate flows.")),
        "/info/description",
    ),
    fires(
        "ValueContainsRestrictedWords",
        "operation-description",
        edit(webhook(), (REGISTER + "/description", "Starts a flow in powerapps or Dataverse.")),
        REGISTER + "/description",
    ),
    fires(
        "ValueMustBeInEnglish",
        "cyrillic-summary",
        edit(webhook(), (REGISTER + "/summary", "Когда создан заказ")),
        REGISTER + "/summary",
    ),
    fires(
        "ValueMustBeInEnglish",
        "cjk-title",
        edit(webhook(), ("/info/title", "注文")),
        "/info/title",
    ),
    fires(
        "ValueMustBeInEnglish",
        "one-greek-letter-in-a-description",
        edit(webhook(), (DELETE + "/description", "Deletes the hook after Δ seconds.")),
        DELETE + "/description",
    ),
]

QUIET = [
    *(
        quiet(rule, "clean", doc)
        for rule in (
            "RequiredValueEmpty",
            "ValueMustEndWithAlphanumeric",
            "ValueContainsRestrictedWords",
            "ValueMustBeInEnglish",
        )
        for doc in (webhook(), polling())
    ),
    quiet(
        "RequiredValueEmpty",
        "absent-is-another-rule",
        edit(webhook(), (REGISTER + "/summary", None)),
    ),
    quiet(
        "RequiredValueEmpty",
        "empty-description-is-optional",
        edit(webhook(), ("/info/description", "")),
    ),
    quiet(
        "ValueMustEndWithAlphanumeric",
        "parenthesis",
        edit(webhook(), (REGISTER + "/summary", "When an order is created (V2)")),
    ),
    quiet(
        "ValueMustEndWithAlphanumeric",
        "descriptions-are-sentences",
        edit(webhook(), (REGISTER + "/description", "Triggers when an order is created.")),
    ),
    quiet(
        "ValueMustEndWithAlphanumeric",
        "blank-is-another-rule",
        edit(webhook(), (REGISTER + "/summary", " ")),
    ),
    quiet("FieldLengthNotInRange", "title-30", edit(webhook(), ("/info/title", "O" * 30))),
    quiet(
        "FieldLengthNotInRange",
        "description-30-and-500",
        edit(webhook(), ("/info/description", "Order events from the shop, as")),
    ),
    quiet(
        "FieldLengthNotInRange",
        "description-500",
        edit(webhook(), ("/info/description", LONG_DESCRIPTION[:500])),
    ),
    quiet(
        "FieldLengthNotInRange",
        "empty-description",
        edit(webhook(), ("/info/description", "")),
    ),
    quiet(
        "FieldLengthNotInRange",
        "operation-description-is-not-the-connector",
        edit(webhook(), (REGISTER + "/description", "Short.")),
    ),
    quiet(
        "ValueContainsRestrictedWords",
        "api-inside-a-word-or-in-a-description",
        edit(
            webhook(),
            ("/info/title", "Rapid Orders"),
            ("/info/description", "Order events from the shop's REST API, as they happen."),
        ),
    ),
    quiet(
        "ValueMustBeInEnglish",
        "accents-and-typography",
        edit(
            webhook(),
            ("/info/description", "Café orders \u2014 \u201cfresh\u201d events, na\u00efve \u2026"),
        ),
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_messages_say_what_was_looked_for() -> None:
    (english,) = findings_of(
        edit(webhook(), (REGISTER + "/summary", "Когда")), "ValueMustBeInEnglish"
    )
    assert "outside the Latin alphabet (\u041a \u043e \u0433)" in english.message
    assert english.severity == "warning"
    (words,) = findings_of(
        edit(webhook(), ("/info/title", "Power Apps API")), "ValueContainsRestrictedWords"
    )
    assert "'API', 'Power Apps'" in words.message and words.severity == "warning"
    (ending,) = findings_of(
        edit(webhook(), (REGISTER + "/summary", "When an order is created!")),
        "ValueMustEndWithAlphanumeric",
    )
    assert "ends with '!'" in ending.message


# ---- an invalid x-ms-visibility is named as such, not as "visible" ------------------------

CALLBACK = REGISTER + "/parameters/0/schema/properties/url"
CAPITAL_I = [
    (
        "NotificationUrlNotInternal",
        edit(webhook(), (CALLBACK + "/x-ms-visibility", "Internal")),
    ),
    ("DeleteActionNotInternal", edit(webhook(), (DELETE + "/x-ms-visibility", "Internal"))),
    (
        "PollingStateParameterNotInternal",
        edit(polling(), (SINCE + "/x-ms-visibility", "Internal")),
    ),
]


@pytest.mark.parametrize(("rule", "doc"), CAPITAL_I, ids=[r for r, _ in CAPITAL_I])
def test_a_capital_internal_is_reported_as_an_invalid_value(rule: str, doc: Any) -> None:
    (finding,) = findings_of(doc, rule)
    assert "x-ms-visibility 'Internal' is not a valid value" in finding.message
    assert "lower case" in finding.message and "is visible" not in finding.message


def test_a_visible_value_is_still_called_visible() -> None:
    (finding,) = findings_of(
        edit(polling(), (SINCE + "/x-ms-visibility", "advanced")),
        "PollingStateParameterNotInternal",
    )
    assert "is visible" in finding.message and "not a valid value" not in finding.message
