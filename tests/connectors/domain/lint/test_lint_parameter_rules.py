"""Parameter rules: path parameters, bodies on GET, duplicates, internal values never sent."""

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

ID_PARAM = DELETE + "/parameters/0"
BODY_SCHEMA = REGISTER + "/parameters/0/schema"
QUERY = {"name": "q", "in": "query", "type": "string"}
SOURCE = {
    "name": "source",
    "in": "query",
    "type": "string",
    "x-ms-visibility": "internal",
    "default": "flow",
}
SHARED_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "type": "string",
    "x-ms-url-encoding": "single",
}


def _path_level_id() -> dict[str, Any]:
    """The {id} parameter declared once on the path item instead of on the DELETE."""
    return edit(
        webhook(),
        ("/paths/~1hooks~1{id}/parameters", [SHARED_ID]),
        (DELETE + "/parameters", []),
    )


FIRES = [
    fires(
        "PathParameterMustBeRequired",
        "false",
        edit(webhook(), (ID_PARAM + "/required", False)),
        ID_PARAM + "/required",
    ),
    fires(
        "PathParameterMustBeRequired",
        "missing",
        edit(webhook(), (ID_PARAM + "/required", DROP)),
        ID_PARAM + "/required",
    ),
    fires(
        "PathParameterMustBeRequired",
        "via-ref",
        edit(
            webhook(),
            ("/parameters/Id", dict(SHARED_ID, required=False)),
            (ID_PARAM, {"$ref": "#/parameters/Id"}),
        ),
        "/parameters/Id/required",
    ),
    fires(
        "PathParameterNotDefinedInTemplate",
        "renamed",
        edit(webhook(), (ID_PARAM + "/name", "hookId")),
        ID_PARAM,
    ),
    fires(
        "OperationMissingPathParameter",
        "no-param",
        edit(webhook(), (DELETE + "/parameters", [])),
        DELETE,
    ),
    fires(
        "OperationMissingPathParameter",
        "query-not-path",
        edit(webhook(), (ID_PARAM + "/in", "query")),
        DELETE,
    ),
    fires(
        "PathParameterMissingEncoding",
        "missing",
        edit(webhook(), (ID_PARAM + "/x-ms-url-encoding", DROP)),
        ID_PARAM,
    ),
    fires(
        "BodyOrFormDataParameterInFetchOperationNotAllowed",
        "body",
        edit(polling(), (ITEMS + "/parameters/1", {"name": "b", "in": "body", "schema": {}})),
        ITEMS + "/parameters/1",
    ),
    fires(
        "BodyOrFormDataParameterInFetchOperationNotAllowed",
        "form",
        edit(
            polling(), (ITEMS + "/parameters/1", {"name": "f", "in": "formData", "type": "string"})
        ),
        ITEMS + "/parameters/1",
    ),
    fires(
        "OperationParametersContainMultipleBodyParameters",
        "two",
        edit(
            webhook(), (REGISTER + "/parameters/1", {"name": "other", "in": "body", "schema": {}})
        ),
        REGISTER + "/parameters/1",
    ),
    fires(
        "ParameterListContainsFormDataAndBody",
        "both",
        edit(
            webhook(),
            (REGISTER + "/parameters/1", {"name": "f", "in": "formData", "type": "string"}),
        ),
        REGISTER + "/parameters",
    ),
    fires(
        "OperationParametersContainDuplicateParameter",
        "twice",
        edit(webhook(), (REGISTER + "/parameters/1", QUERY), (REGISTER + "/parameters/2", QUERY)),
        REGISTER + "/parameters/2",
    ),
    fires(
        "ConnectionIdParameterNotAllowed",
        "reserved",
        edit(webhook(), (REGISTER + "/parameters/1", dict(QUERY, name="connectionId"))),
        REGISTER + "/parameters/1/name",
    ),
    fires(
        "PropertyMustBeRequired",
        "query",
        edit(webhook(), (REGISTER + "/parameters/1", SOURCE)),
        REGISTER + "/parameters/1/required",
    ),
    fires(
        "InternalPropertyWithDefaultOptional",
        "body-property",
        edit(
            webhook(),
            (
                BODY_SCHEMA + "/properties/source",
                {"type": "string", "x-ms-visibility": "internal", "default": "flow"},
            ),
        ),
        BODY_SCHEMA + "/properties/source",
    ),
    fires(
        "InternalPropertyWithDefaultOptional",
        "through-ref",
        edit(
            webhook(),
            (
                "/definitions/Source",
                {"type": "string", "x-ms-visibility": "internal", "default": "flow"},
            ),
            (BODY_SCHEMA + "/properties/source", {"$ref": "#/definitions/Source"}),
        ),
        BODY_SCHEMA + "/properties/source",
    ),
    fires(
        "OperationParametersAreNotUnique",
        "query-and-header",
        edit(
            webhook(),
            (REGISTER + "/parameters/1", QUERY),
            (REGISTER + "/parameters/2", dict(QUERY, **{"in": "header"})),
        ),
        REGISTER + "/parameters",
    ),
    fires(
        "OperationParametersAreNotUnique",
        "path-level-and-operation",
        edit(_path_level_id(), (DELETE + "/parameters", [dict(QUERY, name="id")])),
        DELETE + "/parameters",
    ),
    fires(
        "ReservedParameterIsUsed",
        "host-header",
        edit(webhook(), (REGISTER + "/parameters/1", dict(QUERY, name="Host", **{"in": "header"}))),
        REGISTER + "/parameters/1/name",
    ),
    fires(
        "ReservedParameterIsUsed",
        "authorization-under-oauth",
        edit(
            webhook(),
            ("/securityDefinitions", {"oauth": {"type": "oauth2", "flow": "accessCode"}}),
            (REGISTER + "/parameters/1", dict(QUERY, name="authorization", **{"in": "header"})),
        ),
        REGISTER + "/parameters/1/name",
    ),
    fires(
        "ReservedParameterIsUsed",
        "api-key-name-in-query",
        edit(
            webhook(),
            ("/securityDefinitions", {"key": {"type": "apiKey", "in": "query", "name": "code"}}),
            (REGISTER + "/parameters/1", dict(QUERY, name="code")),
        ),
        REGISTER + "/parameters/1/name",
    ),
]

QUIET = [
    quiet("PathParameterMustBeRequired", "clean", webhook()),
    quiet("PathParameterNotDefinedInTemplate", "clean", webhook()),
    quiet("PathParameterNotDefinedInTemplate", "path-level", _path_level_id()),
    quiet("OperationMissingPathParameter", "path-level", _path_level_id()),
    quiet(
        "OperationMissingPathParameter",
        "two-in-one-segment",
        edit(
            move(webhook(), "/hooks/{id}", "/hooks/{id}.{fmt}"),
            ("/paths/~1hooks~1{id}.{fmt}/delete/parameters/1", dict(SHARED_ID, name="fmt")),
        ),
    ),
    quiet(
        "PathParameterMissingEncoding",
        "double",
        edit(webhook(), (ID_PARAM + "/x-ms-url-encoding", "double")),
    ),
    quiet("BodyOrFormDataParameterInFetchOperationNotAllowed", "post-body", webhook()),
    quiet("OperationParametersContainMultipleBodyParameters", "clean", webhook()),
    quiet("ParameterListContainsFormDataAndBody", "clean", webhook()),
    quiet(
        "OperationParametersContainDuplicateParameter",
        "same-name-other-place",
        edit(
            webhook(),
            (REGISTER + "/parameters/1", QUERY),
            (REGISTER + "/parameters/2", dict(QUERY, **{"in": "header"})),
        ),
    ),
    quiet(
        "OperationParametersContainDuplicateParameter",
        "operation-overrides-path",
        edit(_path_level_id(), (DELETE + "/parameters", [SHARED_ID])),
    ),
    quiet("ConnectionIdParameterNotAllowed", "clean", webhook()),
    quiet(
        "PropertyMustBeRequired",
        "required-query",
        edit(webhook(), (REGISTER + "/parameters/1", dict(SOURCE, required=True))),
    ),
    quiet(
        "PropertyMustBeRequired",
        "visible-optional",
        edit(
            webhook(), (REGISTER + "/parameters/1", dict(SOURCE, **{"x-ms-visibility": "advanced"}))
        ),
    ),
    quiet(
        "InternalPropertyWithDefaultOptional",
        "no-default",
        edit(
            webhook(),
            (BODY_SCHEMA + "/properties/source", {"type": "string", "x-ms-visibility": "internal"}),
        ),
    ),
    quiet(
        "PropertyMustBeRequired",
        "body-property-is-the-other-rule",
        edit(
            webhook(),
            (
                BODY_SCHEMA + "/properties/source",
                {"type": "string", "x-ms-visibility": "internal", "default": "flow"},
            ),
        ),
    ),
    quiet(
        "InternalPropertyWithDefaultOptional",
        "query-parameter-is-the-other-rule",
        edit(webhook(), (REGISTER + "/parameters/1", SOURCE)),
    ),
    quiet("OperationParametersAreNotUnique", "clean", webhook()),
    quiet(
        "OperationParametersAreNotUnique",
        "operation-overrides-path",
        edit(_path_level_id(), (DELETE + "/parameters", [SHARED_ID])),
    ),
    quiet("ReservedParameterIsUsed", "clean", webhook()),
    quiet(
        "ReservedParameterIsUsed",
        "authorization-without-security",
        edit(
            webhook(),
            (REGISTER + "/parameters/1", dict(QUERY, name="Authorization", **{"in": "header"})),
        ),
    ),
    quiet(
        "ReservedParameterIsUsed",
        "api-key-name-in-another-location",
        edit(
            webhook(),
            ("/securityDefinitions", {"key": {"type": "apiKey", "in": "header", "name": "code"}}),
            (REGISTER + "/parameters/1", dict(QUERY, name="code")),
        ),
    ),
    quiet(
        "InternalPropertyWithDefaultOptional",
        "required-body-property",
        edit(
            webhook(),
            (
                BODY_SCHEMA + "/properties/source",
                {"type": "string", "x-ms-visibility": "internal", "default": "flow"},
            ),
            (BODY_SCHEMA + "/required", ["url", "source"]),
        ),
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_operation_level_parameter_overrides_path_level_one() -> None:
    """Swagger merges by (name, in): the operation's own, required {id} wins over an optional
    path-level one, so no PathParameterMustBeRequired for the DELETE."""
    doc = edit(
        webhook(),
        ("/paths/~1hooks~1{id}/parameters", [dict(SHARED_ID, required=False)]),
    )
    found = findings_of(doc, "PathParameterMustBeRequired")
    assert found == []
