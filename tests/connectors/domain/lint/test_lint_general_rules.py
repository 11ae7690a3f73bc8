"""Document-level rules (shape, version, host, basePath, schemes), path templates and $refs."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.lint import lint_swagger
from connectors.domain.swagger.importing.connector import SwaggerImportError, import_connector
from tests.connectors.domain.lint.lint_builders import (
    DROP,
    REGISTER,
    edit,
    fires,
    move,
    quiet,
    table_tests,
    webhook,
)

NOTIFICATION_SCHEMA = "/paths/~1hooks/x-ms-notification-content/schema"


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"a": node}}
    return node


def _too_deep() -> dict[str, Any]:
    doc = webhook()  # no edit(): deepcopy would recurse as deep as the document
    doc["definitions"] = {"Deep": _deep(120)}  # 240 nested objects
    return doc


def _with_path(path: str) -> dict[str, Any]:
    return move(webhook(), "/hooks", path)


FIRES = [
    fires(
        "JsonTypeIncorrect",
        "parameters-object",
        edit(webhook(), (REGISTER + "/parameters", {})),
        REGISTER + "/parameters",
    ),
    fires("JsonTypeIncorrect", "paths-list", edit(webhook(), ("/paths", [])), "/paths"),
    fires("JsonTypeIncorrect", "operation-string", edit(webhook(), (REGISTER, "x")), REGISTER),
    fires("RequiredPropertyMissing", "no-info", edit(webhook(), ("/info", DROP)), ""),
    fires(
        "RequiredPropertyMissing", "no-title", edit(webhook(), ("/info/title", DROP)), "/info/title"
    ),
    fires(
        "SpecificationVersionIncorrect",
        "openapi-3",
        edit(webhook(), ("/swagger", "3.0")),
        "/swagger",
    ),
    fires(
        "HostNameNotValid",
        "with-scheme",
        edit(webhook(), ("/host", "https://api.example.com")),
        "/host",
    ),
    fires(
        "HostNameNotValid", "with-path", edit(webhook(), ("/host", "api.example.com/v1")), "/host"
    ),
    fires(
        "HostNameNotValid", "template", edit(webhook(), ("/host", "{tenant}.example.com")), "/host"
    ),
    fires("BasePathNotValid", "no-slash", edit(webhook(), ("/basePath", "v1")), "/basePath"),
    fires(
        "SchemeNotValid", "websocket", edit(webhook(), ("/schemes", ["https", "wss"])), "/schemes/1"
    ),
    fires("SchemesArrayEmpty", "empty", edit(webhook(), ("/schemes", [])), "/schemes"),
    fires(
        "PathItemRefNotSuppored",
        "ref",
        edit(webhook(), ("/paths/~1x", {"$ref": "#/x"})),
        "/paths/~1x/$ref",
    ),
    fires("DocumentTooDeep", "deep", _too_deep(), "/definitions/Deep" + "/properties/a" * 99),
    fires(
        "OperationPathMayNotContainQueryOrFragment",
        "query",
        _with_path("/hooks?x=1"),
        "/paths/~1hooks?x=1",
    ),
    fires(
        "OperationPathMayNotContainQueryOrFragment",
        "fragment",
        _with_path("/hooks#a"),
        "/paths/~1hooks#a",
    ),
    fires("OperationPathMustStartWithSlash", "relative", _with_path("hooks"), "/paths/hooks"),
    fires(
        "OperationPathContainsUnsupportedCharacters",
        "wildcard",
        _with_path("/hooks/*"),
        "/paths/~1hooks~1*",
    ),
    fires(
        "OperationPathTemplateNotValid", "unclosed", _with_path("/hooks/{id"), "/paths/~1hooks~1{id"
    ),
    fires(
        "OperationPathTemplateNotValid", "across-segments", _with_path("/{a/b}"), "/paths/~1{a~1b}"
    ),
    fires("PathRedefined", "case", edit(webhook(), ("/paths/~1Hooks", {})), "/paths/~1Hooks"),
    fires(
        "SchemaReferenceNotValid",
        "external",
        edit(webhook(), (NOTIFICATION_SCHEMA, {"$ref": "other.json#/A"})),
        NOTIFICATION_SCHEMA + "/$ref",
    ),
    fires(
        "SchemaReferenceNotValid",
        "wrong-section",
        edit(webhook(), (NOTIFICATION_SCHEMA, {"$ref": "#/parameters/A"})),
        NOTIFICATION_SCHEMA + "/$ref",
    ),
    fires(
        "SchemaReferenceNotValid",
        "not-a-string",
        edit(webhook(), (NOTIFICATION_SCHEMA, {"$ref": 5})),
        NOTIFICATION_SCHEMA + "/$ref",
    ),
    fires(
        "SchemaReferenceNotFound",
        "missing",
        edit(webhook(), (NOTIFICATION_SCHEMA, {"$ref": "#/definitions/Gone"})),
        NOTIFICATION_SCHEMA + "/$ref",
    ),
    fires(
        "SchemaRefLoopNotAllowed",
        "alias",
        edit(
            webhook(), ("/definitions", {"A": {"$ref": "#/definitions/B"}, "B": {"type": "string"}})
        ),
        "/definitions/A/$ref",
    ),
    fires(
        "SchemaRefLoopNotAllowed",
        "cycle",
        edit(
            webhook(),
            ("/definitions", {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}}),
        ),
        "/definitions/B/$ref",
    ),
    fires(
        "ParameterReferenceNotValid",
        "definitions",
        edit(webhook(), (REGISTER + "/parameters/0", {"$ref": "#/definitions/A"})),
        REGISTER + "/parameters/0/$ref",
    ),
    fires(
        "ParameterReferenceNotFound",
        "missing",
        edit(webhook(), (REGISTER + "/parameters/0", {"$ref": "#/parameters/Gone"})),
        REGISTER + "/parameters/0/$ref",
    ),
    fires(
        "ParameterRefLoopNotAllowed",
        "alias",
        edit(
            webhook(),
            (
                "/parameters",
                {
                    "A": {"$ref": "#/parameters/B"},
                    "B": {"name": "b", "in": "query", "type": "string"},
                },
            ),
        ),
        "/parameters/A/$ref",
    ),
    fires(
        "ResponseReferenceNotValid",
        "definitions",
        edit(webhook(), (REGISTER + "/responses/201", {"$ref": "#/definitions/A"})),
        REGISTER + "/responses/201/$ref",
    ),
    fires(
        "ResponseReferenceNotFound",
        "missing",
        edit(webhook(), (REGISTER + "/responses/201", {"$ref": "#/responses/Gone"})),
        REGISTER + "/responses/201/$ref",
    ),
    fires(
        "ResponseRefLoopNotAllowed",
        "alias",
        edit(
            webhook(), ("/responses", {"A": {"$ref": "#/responses/B"}, "B": {"description": "b"}})
        ),
        "/responses/A/$ref",
    ),
]

_SHARED = edit(
    webhook(),
    ("/definitions", {"Order": {"type": "object", "properties": {"id": {"type": "string"}}}}),
    (
        "/parameters",
        {
            "Id": {
                "name": "id",
                "in": "path",
                "required": True,
                "type": "string",
                "x-ms-url-encoding": "single",
            }
        },
    ),
    ("/responses", {"Gone": {"description": "Deleted"}}),
    (NOTIFICATION_SCHEMA, {"$ref": "#/definitions/Order"}),
    ("/paths/~1hooks~1{id}/delete/parameters/0", {"$ref": "#/parameters/Id"}),
    ("/paths/~1hooks~1{id}/delete/responses/204", {"$ref": "#/responses/Gone"}),
)

QUIET = [
    quiet("JsonTypeIncorrect", "clean", webhook()),
    quiet("RequiredPropertyMissing", "clean", webhook()),
    quiet("SpecificationVersionIncorrect", "clean", webhook()),
    quiet("HostNameNotValid", "with-port", edit(webhook(), ("/host", "api.example.com:8443"))),
    quiet("HostNameNotValid", "absent", edit(webhook(), ("/host", DROP))),
    quiet("BasePathNotValid", "root", edit(webhook(), ("/basePath", "/"))),
    quiet("BasePathNotValid", "absent", edit(webhook(), ("/basePath", DROP))),
    quiet("SchemeNotValid", "http-and-https", edit(webhook(), ("/schemes", ["http", "https"]))),
    quiet("SchemesArrayEmpty", "clean", webhook()),
    quiet("PathItemRefNotSuppored", "clean", webhook()),
    quiet("DocumentTooDeep", "clean", edit(webhook(), ("/definitions/Deep", _deep(30)))),
    quiet("OperationPathMayNotContainQueryOrFragment", "encoded", _with_path("/hooks%3Fx")),
    quiet("OperationPathMustStartWithSlash", "clean", webhook()),
    quiet("OperationPathContainsUnsupportedCharacters", "clean", webhook()),
    quiet("OperationPathTemplateNotValid", "two-in-one-segment", _with_path("/files/{name}.{ext}")),
    quiet("PathRedefined", "different-paths", edit(webhook(), ("/paths/~1hooks2", {}))),
    quiet("SchemaReferenceNotValid", "shared", _SHARED),
    quiet("SchemaReferenceNotFound", "shared", _SHARED),
    quiet(
        "SchemaRefLoopNotAllowed",
        "recursive-schema",
        edit(
            webhook(),
            (
                "/definitions",
                {
                    "Node": {
                        "type": "object",
                        "properties": {"child": {"$ref": "#/definitions/Node"}},
                    }
                },
            ),
        ),
    ),
    quiet("ParameterReferenceNotValid", "shared", _SHARED),
    quiet("ParameterReferenceNotFound", "shared", _SHARED),
    quiet("ParameterRefLoopNotAllowed", "shared", _SHARED),
    quiet("ResponseReferenceNotValid", "shared", _SHARED),
    quiet("ResponseReferenceNotFound", "shared", _SHARED),
    quiet("ResponseRefLoopNotAllowed", "shared", _SHARED),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


_RESPONSE = REGISTER + "/responses/201"


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ([(NOTIFICATION_SCHEMA + "/example", {"$ref": "not a ref"})], None),
        ([(NOTIFICATION_SCHEMA + "/x-ms-test-value", [{"$ref": 5}])], None),
        ([(_RESPONSE + "/examples", {"application/json": {"$ref": "#/nowhere"}})], None),
        (
            [(NOTIFICATION_SCHEMA + "/properties/example", {"$ref": "#/definitions/Gone"})],
            NOTIFICATION_SCHEMA + "/properties/example/$ref",
        ),
        (
            [("/definitions/example", {"items": {"$ref": "#/definitions/Gone"}})],
            "/definitions/example/items/$ref",
        ),
        (
            [(_RESPONSE + "/headers", {"example": {"type": "string", "$ref": "other.json"}})],
            _RESPONSE + "/headers/example/$ref",
        ),
    ],
    ids=[
        "schema-example",
        "test-value",
        "response-examples",
        "property-named-example",
        "definition-named-example",
        "header-named-example",
    ],
)
def test_linter_and_importer_skip_the_same_example_payloads(
    changes: list[tuple[str, Any]], pointer: str | None
) -> None:
    """A "$ref" inside an example is text; a property (definition, header) named "example" is
    a schema like any other: both walks agree, and report the real pointer."""
    doc = edit(webhook(), *changes)
    reported = [f.pointer for f in lint_swagger(doc) if "Reference" in f.rule]
    assert reported == ([pointer] if pointer else [])
    if pointer is None:
        import_connector(doc)
    else:
        with pytest.raises(SwaggerImportError) as caught:
            import_connector(doc)
        assert caught.value.pointer == pointer
