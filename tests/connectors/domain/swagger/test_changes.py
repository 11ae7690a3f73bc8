"""changes.breaking_changes: the trigger changes that break flows, between two swaggers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.swagger.changes import (
    NEW_REQUIRED,
    PATH_CHANGED,
    REMOVED,
    RENAMED,
    breaking_changes,
    diff_lines,
)


def trigger(operation_id: str = "OnItemCreated", *parameters: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "x-ms-trigger": "single",
        "parameters": list(parameters),
        "responses": {"201": {"description": "Created"}},
    }


def swagger(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "Demo"}, "paths": paths, **top}


def param(name: str, where: str = "query", required: bool = True) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "type": "string"}


def body(*required: str) -> dict[str, Any]:
    return {"name": "body", "in": "body", "schema": {"type": "object", "required": list(required)}}


BASE = swagger({"/hooks": {"post": trigger("OnItemCreated", param("owner", "path"))}})


def changed(**edit: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc["paths"] = edit["paths"]
    return doc


CASES = [
    ("no change", BASE, []),
    (
        "renamed operationId",
        changed(paths={"/hooks": {"post": trigger("OnNewItem", param("owner", "path"))}}),
        [(RENAMED, "OnItemCreated")],
    ),
    ("removed trigger", changed(paths={}), [(REMOVED, "OnItemCreated")]),
    (
        "trigger turned into an action is removed",
        changed(paths={"/hooks": {"post": {"operationId": "OnItemCreated"}}}),
        [(REMOVED, "OnItemCreated")],
    ),
    (
        "changed path",
        changed(paths={"/v2/hooks": {"post": trigger("OnItemCreated", param("owner", "path"))}}),
        [(PATH_CHANGED, "OnItemCreated")],
    ),
    (
        "changed method",
        changed(paths={"/hooks": {"put": trigger("OnItemCreated", param("owner", "path"))}}),
        [(PATH_CHANGED, "OnItemCreated")],
    ),
    (
        "new required query parameter",
        changed(
            paths={"/hooks": {"post": trigger("OnItemCreated", param("owner", "path"), param("q"))}}
        ),
        [(NEW_REQUIRED, "OnItemCreated")],
    ),
    (
        "new optional parameter is fine",
        changed(
            paths={
                "/hooks": {
                    "post": trigger(
                        "OnItemCreated", param("owner", "path"), param("q", required=False)
                    )
                }
            }
        ),
        [],
    ),
    (
        "new body with a required property",
        changed(
            paths={"/hooks": {"post": trigger("OnItemCreated", param("owner", "path"), body("x"))}}
        ),
        [(NEW_REQUIRED, "OnItemCreated")],
    ),
    (
        "removed required parameter is fine",
        changed(paths={"/hooks": {"post": trigger("OnItemCreated")}}),
        [],
    ),
    (
        "a new trigger is fine",
        changed(
            paths={
                "/hooks": {"post": trigger("OnItemCreated", param("owner", "path"))},
                "/other": {"post": trigger("OnOther", param("x"))},
            }
        ),
        [],
    ),
    (
        "renamed and new required at once",
        changed(
            paths={"/hooks": {"post": trigger("OnNewItem", param("owner", "path"), param("q"))}}
        ),
        [(RENAMED, "OnItemCreated"), (NEW_REQUIRED, "OnNewItem")],
    ),
]


@pytest.mark.parametrize(("label", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_breaking_changes(label: str, new: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = [(c.kind, c.operation_id) for c in breaking_changes(BASE, new)]
    assert found == expected


def test_required_parameter_through_a_ref_counts() -> None:
    new = changed(
        paths={
            "/hooks": {
                "post": trigger("OnItemCreated", param("owner", "path"), {"$ref": "#/parameters/Q"})
            }
        }
    )
    new["parameters"] = {"Q": param("q")}
    changes = breaking_changes(BASE, new)
    assert [c.kind for c in changes] == [NEW_REQUIRED]
    assert "query:q" in changes[0].message


def test_body_required_property_through_a_definition_ref() -> None:
    old = swagger(
        {
            "/h": {
                "post": trigger(
                    "T", {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/B"}}
                )
            }
        }
    )
    old["definitions"] = {"B": {"type": "object", "required": ["a"]}}
    new = copy.deepcopy(old)
    new["definitions"]["B"]["required"] = ["a", "callback"]
    assert [c.message for c in breaking_changes(old, new)] == [
        "Trigger T has a new required parameter body:callback."
    ]


@pytest.mark.parametrize("junk", [{}, {"paths": []}, {"paths": {"/x": "text"}}, []])
def test_odd_shapes_give_no_changes_rather_than_errors(junk: Any) -> None:
    assert breaking_changes(junk, junk) == []


def test_diff_lines_types_every_line() -> None:
    lines = diff_lines("a\nb\nc\n", "a\nB\nc\n", old_name="r1", new_name="r2")
    assert [(line.kind, line.text) for line in lines] == [
        ("header", "--- r1"),
        ("header", "+++ r2"),
        ("hunk", "@@ -1,3 +1,3 @@"),
        ("context", " a"),
        ("removed", "-b"),
        ("added", "+B"),
        ("context", " c"),
    ]


def test_diff_of_equal_texts_is_empty() -> None:
    assert diff_lines("same\n", "same\n") == []


def test_optional_parameter_made_required_is_breaking() -> None:
    old = swagger({"/h": {"post": trigger("T", param("q", required=False))}})
    new = swagger({"/h": {"post": trigger("T", param("q"))}})
    assert [(c.kind, c.operation_id) for c in breaking_changes(old, new)] == [(NEW_REQUIRED, "T")]
