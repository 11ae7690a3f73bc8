"""The public API: Finding, lint_swagger, RULES; and that every rule is tested both ways."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.domain.lint import RULES, Finding, Rule, lint_swagger
from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit
from tests.connectors.domain.lint.lint_builders import REGISTER, edit, webhook

REQUIRED_RULES = [
    "WebhookOperationsMissingNotificationUrlProperty",
    "OperationMustHaveNotificationContentExtension",
    "NotificationUrlNotInternal",
    "NotificationUrlNotRequired",
    "NotificationUrlNotString",
    "NotificationUrlNotAllowedInThisPosition",
    "NotificationExtensionSupportedForTriggerOnly",
    "SchemaDefinitionSetIncorrectly",
    "OperationIdRequired",
    "OperationIdNotUnique",
    "OperationIdSanitized",
    "OperationSummaryTooLong",
    "RestrictedCharactersInSummary",
    "OperationMustHaveResponse",
    "OperationShouldHaveSuccessfulResponse",
    "DefaultResponseHasSchema",
    "PathParameterMustBeRequired",
    "PathParameterNotDefinedInTemplate",
    "OperationMissingPathParameter",
    "OperationPathMayNotContainQueryOrFragment",
    "BodyOrFormDataParameterInFetchOperationNotAllowed",
    "PropertyMustBeRequired",
    "HostNameNotValid",
    "BasePathNotValid",
    "SchemeNotValid",
    "WebhookMissingDeleteAction",
    "DeleteActionNotInternal",
    "WebhookRegistrationMissing201",
    "WebhookRegistrationMissingLocationHeader",
    "PollingStateParameterNotInternal",
    "PollingStateParameterMissingTriggerValue",
    "TriggerSummaryNotWhen",
    "SummaryEqualsDescription",
    "OperationIdNotPascalCase",
    "NotificationOperationMustBeWebhook",
    "ParamtersWithSameNameMustHaveSameTypeAndVisibility",
    "PathParameterMissingEncoding",
    "SchemaReferenceNotFound",
    "SchemaRefLoopNotAllowed",
    "OperationIdTooLong",
    "DuplicateOperationPath",
    "PartialDuplicateOperationPath",
    "OperationParametersAreNotUnique",
    "OperationHasManyResponsesWithSchema",
    "ReservedParameterIsUsed",
    "SourcePropertyInternal",
    "ValueMustEndWithAlphanumeric",
    "FieldLengthNotInRange",
    "RequiredValueEmpty",
    "InternalPropertyWithDefaultOptional",
    "ValueContainsRestrictedWords",
    "ValueMustBeInEnglish",
]
TABLES = [
    "general",
    "operation",
    "parameter",
    "response",
    "webhook",
    "hybrid",
    "lifecycle",
    "dynamic",
    "string",
    "routing",
]


def test_required_rules_are_registered() -> None:
    assert set(REQUIRED_RULES) - set(RULES) == set()


def test_registry_entries() -> None:
    for rule_id, rule in RULES.items():
        assert isinstance(rule, Rule)
        assert rule.id == rule_id
        assert rule.severity in ("error", "warning", "info")
        assert rule.title and callable(rule.check)


@pytest.mark.parametrize(
    ("rule", "severity"),
    [
        ("NotificationUrlNotInternal", "error"),
        ("OperationIdRequired", "error"),
        ("WebhookMissingDeleteAction", "error"),
        ("TriggerSummaryNotWhen", "warning"),
        ("OperationIdNotPascalCase", "warning"),
        ("SummaryEqualsDescription", "warning"),
        ("PathParameterMissingEncoding", "warning"),
        ("NotificationUrlOnAction", "info"),
        ("ValueContainsRestrictedWords", "warning"),
        ("ValueMustBeInEnglish", "warning"),
        ("InternalPropertyWithDefaultOptional", "warning"),
        ("PropertyMustBeRequired", "error"),
    ],
)
def test_severities(rule: str, severity: str) -> None:
    assert RULES[rule].severity == severity


def _rules_in(kind: str) -> tuple[set[str], set[str]]:
    module = importlib.import_module(f"tests.connectors.domain.lint.test_lint_{kind}_rules")
    return {p.values[0] for p in module.FIRES}, {p.values[0] for p in module.QUIET}


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for kind in TABLES:
        more_fired, more_quiet = _rules_in(kind)
        fired |= more_fired
        quiet |= more_quiet
    tested = set(RULES) - {"LinterRuleFailed"}
    assert tested - fired == set(), "rules without a positive case"
    assert tested - quiet == set(), "rules without a negative case"


def test_finding_is_frozen_and_has_a_dict_form() -> None:
    finding = Finding("HostNameNotValid", "error", "/host", "bad host", "fix it")
    assert finding.as_dict() == {
        "rule": "HostNameNotValid",
        "severity": "error",
        "pointer": "/host",
        "message": "bad host",
        "fix": "fix it",
        "field": None,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.rule = "x"  # type: ignore[misc]


def test_findings_sorted_by_pointer_then_rule() -> None:
    doc = edit(
        webhook(),
        ("/host", "https://x/y"),
        (REGISTER + "/summary", "Created/updated"),
        (REGISTER + "/operationId", "on_created"),
    )
    findings = lint_swagger(doc)
    keys = [(f.pointer, f.rule) for f in findings]
    assert keys == sorted(keys)
    assert keys[0] == ("/host", "HostNameNotValid")
    summary = [f.rule for f in findings if f.pointer == REGISTER + "/summary"]
    assert summary == ["RestrictedCharactersInSummary", "TriggerSummaryNotWhen"]


def test_a_document_that_is_not_an_object_gets_one_finding() -> None:
    (finding,) = lint_swagger(["not", "a", "swagger"])  # type: ignore[arg-type]
    assert (finding.rule, finding.severity, finding.pointer) == ("JsonTypeIncorrect", "error", "")


def test_a_failing_rule_becomes_a_finding_and_the_others_still_run() -> None:
    def broken(ctx: Context) -> Iterator[Hit]:
        yield Hit("/host", "never", "never")
        raise KeyError("bug")

    RULES["BrokenForTest"] = Rule("BrokenForTest", "error", "test", broken)
    try:
        findings = lint_swagger(edit(webhook(), ("/host", "http://x")))
    finally:
        del RULES["BrokenForTest"]
    rules = [f.rule for f in findings]
    assert "LinterRuleFailed" in rules and "HostNameNotValid" in rules
    assert "BrokenForTest" not in rules
    failed = next(f for f in findings if f.rule == "LinterRuleFailed")
    assert "BrokenForTest" in failed.message and "KeyError" in failed.message


def test_the_linter_imports_no_django() -> None:
    repo = Path(__file__).resolve().parents[4]
    code = "import sys, connectors.domain.lint; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=repo, check=True)
