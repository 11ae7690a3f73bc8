"""Rules on the dynamic values of trigger parameters: the listing operation exists and is an
action, the parameters it maps exist on both sides, the paths are there, and x-ms-dynamic-list
says what x-ms-dynamic-values says."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.lint.context import Context
from connectors.domain.lint.dynamic import sites
from connectors.domain.wizard.edit import field_location
from tests.connectors.domain.lint.lint_builders import (
    DROP,
    ITEMS,
    edit,
    fires,
    polling,
    quiet,
    table_tests,
)
from tests.connectors.domain.lint.test_lint_corpus import NAMES, lint, load

PROJECT = ITEMS + "/parameters/1"
VALUES = PROJECT + "/x-ms-dynamic-values"
LIST = PROJECT + "/x-ms-dynamic-list"


def dynamic() -> dict[str, Any]:
    """The polling trigger with a `project` parameter listed by the ListProjects action, whose
    `team` parameter comes from the trigger's `team` and `active` is fixed."""
    doc = polling()
    doc["paths"]["/projects"] = {
        "get": {
            "operationId": "ListProjects",
            "summary": "List projects",
            "parameters": [
                {"name": "team", "in": "query", "type": "string"},
                {"name": "active", "in": "query", "type": "boolean"},
            ],
            "responses": {"200": {"description": "Projects"}},
        }
    }
    params = doc["paths"]["/items"]["get"]["parameters"]
    params.append(
        {
            "name": "project",
            "in": "query",
            "type": "string",
            "x-ms-dynamic-values": {
                "operationId": "ListProjects",
                "parameters": {"team": {"parameter": "team"}, "active": True},
                "value-collection": "value",
                "value-path": "id",
                "value-title": "name",
            },
            "x-ms-dynamic-list": {
                "operationId": "ListProjects",
                "parameters": {
                    "team": {"parameterReference": "team"},
                    "active": {"value": True},
                },
                "itemsPath": "value",
                "itemValuePath": "id",
                "itemTitlePath": "name",
            },
        }
    )
    params.append({"name": "team", "in": "query", "type": "string"})
    return doc


def on_action(doc: dict[str, Any]) -> dict[str, Any]:
    """The same parameter moved onto an action: the rules read triggers only."""
    doc = edit(doc)
    project = doc["paths"]["/items"]["get"]["parameters"].pop(1)
    doc["paths"]["/projects"]["get"]["parameters"].append(project)
    return doc


FIRES = [
    fires(
        "OperationIdNotFound",
        "unknown",
        edit(dynamic(), (VALUES + "/operationId", "ListTeams")),
        VALUES + "/operationId",
    ),
    fires(
        "OperationIdNotFound",
        "missing-in-list",
        edit(dynamic(), (LIST + "/operationId", DROP)),
        LIST + "/operationId",
    ),
    fires(
        "DynamicValuesOperationIsTrigger",
        "itself",
        edit(
            dynamic(),
            (VALUES + "/operationId", "OnNewItems"),
            (LIST + "/operationId", "OnNewItems"),
        ),
        VALUES + "/operationId",
    ),
    fires(
        "OperationParameterNameNotFound",
        "values",
        edit(dynamic(), (VALUES + "/parameters/owner", {"parameter": "team"})),
        VALUES + "/parameters/owner",
    ),
    fires(
        "OperationParameterNameNotFound",
        "list",
        edit(dynamic(), (LIST + "/parameters/owner", {"value": 1})),
        LIST + "/parameters/owner",
    ),
    fires(
        "DynamicValuesParameterReferenceNotFound",
        "values",
        edit(dynamic(), (VALUES + "/parameters/team", {"parameter": "squad"})),
        VALUES + "/parameters/team/parameter",
    ),
    fires(
        "DynamicValuesParameterReferenceNotFound",
        "list",
        edit(dynamic(), (LIST + "/parameters/team", {"parameterReference": "squad"})),
        LIST + "/parameters/team/parameterReference",
    ),
    fires(
        "DynamicValuesPathEmpty",
        "value-path-empty",
        edit(dynamic(), (VALUES + "/value-path", "")),
        VALUES + "/value-path",
    ),
    fires(
        "DynamicValuesPathEmpty",
        "collection-blank",
        edit(dynamic(), (VALUES + "/value-collection", "  ")),
        VALUES + "/value-collection",
    ),
    fires(
        "DynamicValuesPathEmpty",
        "title-not-text",
        edit(dynamic(), (LIST + "/itemTitlePath", 3)),
        LIST + "/itemTitlePath",
    ),
    fires(
        "DynamicValuesPathEmpty",
        "no-value-path",
        edit(dynamic(), (LIST + "/itemValuePath", DROP)),
        LIST,
    ),
    fires(
        "DynamicListMismatch",
        "operation",
        edit(dynamic(), (LIST + "/operationId", "ListTeams")),
        LIST,
    ),
    fires("DynamicListMismatch", "path", edit(dynamic(), (LIST + "/itemsPath", "items")), LIST),
    fires(
        "DynamicListMismatch",
        "fixed-value",
        edit(dynamic(), (LIST + "/parameters/active", {"value": False})),
        LIST,
    ),
    fires(
        "DynamicListMismatch",
        "mapping-missing",
        edit(dynamic(), (LIST + "/parameters/team", DROP)),
        LIST,
    ),
    fires(
        "SourcePropertyInternal",
        "internal-source",
        edit(dynamic(), (ITEMS + "/parameters/2/x-ms-visibility", "internal")),
        VALUES + "/parameters/team/parameter",
    ),
    fires(
        "SourcePropertyInternal",
        "list-reference",
        edit(dynamic(), (ITEMS + "/parameters/2/x-ms-visibility", "internal")),
        LIST + "/parameters/team/parameterReference",
    ),
    fires(
        "SourcePropertyInternal",
        "internal-parent-of-body-property",
        edit(
            dynamic(),
            (VALUES + "/parameters/team", {"parameter": "body/config/team"}),
            (
                ITEMS + "/parameters/2",
                {
                    "name": "body",
                    "in": "body",
                    "schema": {
                        "type": "object",
                        "properties": {
                            "config": {
                                "type": "object",
                                "x-ms-visibility": "internal",
                                "properties": {"team": {"type": "string"}},
                            }
                        },
                    },
                },
            ),
        ),
        VALUES + "/parameters/team/parameter",
    ),
]

QUIET = [
    *(
        quiet(rule, "good", dynamic())
        for rule in (
            "OperationIdNotFound",
            "DynamicValuesOperationIsTrigger",
            "OperationParameterNameNotFound",
            "DynamicValuesParameterReferenceNotFound",
            "DynamicValuesPathEmpty",
            "DynamicListMismatch",
            "SourcePropertyInternal",
        )
    ),
    quiet(
        "SourcePropertyInternal",
        "internal-but-fixed-value",
        edit(
            dynamic(),
            (ITEMS + "/parameters/2/x-ms-visibility", "internal"),
            (VALUES + "/parameters/team", "dev"),
            (LIST + "/parameters/team", {"value": "dev"}),
        ),
    ),
    quiet(
        "SourcePropertyInternal",
        "visible-body-property",
        edit(
            dynamic(),
            (VALUES + "/parameters/team", {"parameter": "body/config/team"}),
            (LIST, DROP),
            (
                ITEMS + "/parameters/2",
                {
                    "name": "body",
                    "in": "body",
                    "schema": {
                        "type": "object",
                        "properties": {
                            "config": {"type": "object", "properties": {"team": {"type": "string"}}}
                        },
                    },
                },
            ),
        ),
    ),
    quiet("OperationIdNotFound", "on-an-action", on_action(edit(dynamic(), (VALUES, {})))),
    quiet(
        "OperationIdNotFound",
        "built-in",
        edit(
            dynamic(),
            (VALUES, {"builtInOperation": "AadGraph.GetUsers", "value-path": "mail"}),
            (LIST, DROP),
        ),
    ),
    quiet("DynamicListMismatch", "values-only", edit(dynamic(), (LIST, DROP))),
    quiet(
        "DynamicListMismatch",
        "body-prefixed-names",
        edit(
            dynamic(),
            (LIST + "/parameters", {"query/team": {"parameterReference": "x/team"}}),
            (VALUES + "/parameters", {"team": {"parameter": "team"}}),
        ),
    ),
    quiet(
        "DynamicValuesPathEmpty",
        "no-collection-or-title",
        edit(
            dynamic(),
            (VALUES + "/value-collection", DROP),
            (VALUES + "/value-title", DROP),
        ),
    ),
    quiet(
        "OperationParameterNameNotFound",
        "unknown-operation",
        edit(dynamic(), (VALUES + "/operationId", "ListTeams")),
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


# ---- the dev corpus: real triggers with dynamic values raise nothing -----------------------

DYNAMIC_RULES = {
    "DynamicValuesOperationIsTrigger",
    "OperationParameterNameNotFound",
    "DynamicValuesParameterReferenceNotFound",
    "DynamicValuesPathEmpty",
    "DynamicListMismatch",
}


@pytest.mark.parametrize("name", NAMES)
def test_the_corpus_raises_no_dynamic_values_finding(name: str) -> None:
    found = [
        f
        for f in lint(name)
        if f.rule in DYNAMIC_RULES
        or (f.rule == "OperationIdNotFound" and "x-ms-dynamic" in f.pointer)
    ]
    assert found == []
    assert "LinterRuleFailed" not in {f.rule for f in lint(name)}


@pytest.mark.parametrize(
    ("name", "count"), [("JIRA", 3), ("Team_Forms", 4), ("FORCAM_FORCE_Bridge", 4)]
)
def test_the_corpus_triggers_dynamic_values_are_read(name: str, count: int) -> None:
    assert len(sites(Context(load(name)[0]))) == count


def test_a_finding_on_a_design_parameter_links_to_its_values() -> None:
    pointer = "/triggers/1/request/parameters/2/extras/x-ms-dynamic-values/operationId"
    assert field_location(pointer) == ("definition", 1, "dynamic-2")
    assert field_location("/triggers/1/request/parameters/2/default") == (
        "definition",
        1,
        "id_params-2-default",
    )
