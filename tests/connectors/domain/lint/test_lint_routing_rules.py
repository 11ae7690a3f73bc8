"""Rules on overlapping path templates: indistinguishable ones, and a variable that can route a
request meant for a static segment to another operation."""

from __future__ import annotations

from typing import Any

from connectors.domain.lint import routing
from tests.connectors.domain.lint.lint_builders import (
    DELETE,
    edit,
    findings_of,
    fires,
    quiet,
    table_tests,
    webhook,
)

GET_BY_ID = {
    "get": {
        "operationId": "GetHook",
        "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
        "responses": {"200": {"description": "The hook"}},
    }
}
DELETE_BY_NAME = {
    "delete": {
        "operationId": "DeleteHookByName",
        "parameters": [{"name": "name", "in": "path", "required": True, "type": "string"}],
        "responses": {"204": {"description": "Deleted"}},
    }
}
DELETE_LATEST = {
    "delete": {"operationId": "DeleteLatest", "responses": {"204": {"description": "x"}}}
}


def _with(path: str, item: dict[str, Any]) -> dict[str, Any]:
    return edit(webhook(), ("/paths/" + path.replace("/", "~1"), item))


FIRES = [
    fires(
        "DuplicateOperationPath",
        "renamed-variable",
        _with("/hooks/{name}", DELETE_BY_NAME),
        "/paths/~1hooks~1{name}/delete",
    ),
    fires(
        "DuplicateOperationPath",
        "variable-inside-a-segment",
        edit(
            _with("/hooks/{name}.json", DELETE_BY_NAME),
            ("/paths/~1hooks~1{id}.json", {"delete": {"operationId": "B", "responses": {}}}),
        ),
        "/paths/~1hooks~1{id}.json/delete",
    ),
    fires(
        "PartialDuplicateOperationPath",
        "variable-beside-static",
        _with("/hooks/latest", DELETE_LATEST),
        DELETE,
    ),
    fires(
        "PartialDuplicateOperationPath",
        "static-beside-variable",
        _with("/hooks/latest", DELETE_LATEST),
        "/paths/~1hooks~1latest/delete",
    ),
]

QUIET = [
    quiet("DuplicateOperationPath", "clean", webhook()),
    quiet("PartialDuplicateOperationPath", "clean", webhook()),
    quiet(
        "DuplicateOperationPath",
        "other-method",
        _with("/hooks/{hookId}", GET_BY_ID),
    ),
    quiet(
        "DuplicateOperationPath",
        "case-only-is-path-redefined",
        edit(_with("/Hooks/{id}", DELETE_BY_NAME)),
    ),
    quiet(
        "DuplicateOperationPath",
        "static-segment-differs",
        _with("/hooks/by-name/{name}", DELETE_BY_NAME),
    ),
    quiet(
        "PartialDuplicateOperationPath",
        "other-method",
        _with("/hooks/latest", {"get": DELETE_LATEST["delete"]}),
    ),
    quiet(
        "PartialDuplicateOperationPath",
        "other-length",
        _with("/hooks/latest/one", DELETE_LATEST),
    ),
    quiet(
        "PartialDuplicateOperationPath",
        "same-shape-is-the-other-rule",
        _with("/hooks/{name}", DELETE_BY_NAME),
    ),
]


test_rule_fires, test_rule_stays_quiet = table_tests(FIRES, QUIET)


def test_a_partial_duplicate_names_the_other_paths() -> None:
    (finding,) = findings_of(
        _with("/hooks/latest", DELETE_LATEST), "PartialDuplicateOperationPath"
    )[:1]
    assert "/hooks/{id}" in finding.message and "/hooks/latest" in finding.message


def test_many_operations_are_compared_within_the_pair_budget(monkeypatch: Any) -> None:
    """Quadratic in the operations of one method and length: past the budget it stops."""
    paths = {f"/a/{{v{i}}}/x{i}": {"get": {"operationId": f"G{i}"}} for i in range(60)}
    paths["/a/static/x0"] = {"get": {"operationId": "Static"}}
    doc = {"swagger": "2.0", "paths": paths}
    assert findings_of(doc, "PartialDuplicateOperationPath")
    monkeypatch.setattr(routing, "PAIR_BUDGET", 10)
    assert findings_of(doc, "PartialDuplicateOperationPath") == []
