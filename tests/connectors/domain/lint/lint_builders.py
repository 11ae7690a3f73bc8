"""Tiny builders for the lint tests: one clean webhook and one clean polling connector, and
``edit`` to change them by JSON pointer, so each table row states only what differs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.lint import Finding, lint_swagger

Doc = dict[str, Any]
HOOKS = "/paths/~1hooks"
REGISTER = HOOKS + "/post"
CALLBACK = REGISTER + "/parameters/0/schema/properties/url"
DELETE = "/paths/~1hooks~1{id}/delete"
ITEMS = "/paths/~1items/get"
DROP = object()  # as a value in ``edit``: remove the key


def webhook() -> Doc:
    """POST /hooks registers a webhook (callback at /url); DELETE /hooks/{id} unregisters it."""
    return {
        "swagger": "2.0",
        "info": {
            "title": "Orders",
            "version": "1.0",
            "description": "Order events from the shop, as they happen.",
        },
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "paths": {
            "/hooks": {
                "x-ms-notification-content": {
                    "description": "Order",
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}},
                },
                "post": {
                    "operationId": "OnOrderCreated",
                    "summary": "When an order is created",
                    "description": "This operation triggers when an order is created.",
                    "x-ms-trigger": "single",
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "required": True,
                            "schema": {
                                "type": "object",
                                "required": ["url"],
                                "properties": {
                                    "url": {
                                        "type": "string",
                                        "x-ms-notification-url": True,
                                        "x-ms-visibility": "internal",
                                    }
                                },
                            },
                        }
                    ],
                    "responses": {
                        "201": {
                            "description": "Created",
                            "headers": {"Location": {"type": "string"}},
                        }
                    },
                },
            },
            "/hooks/{id}": {
                "delete": {
                    "operationId": "DeleteHook",
                    "summary": "Delete a hook",
                    "description": "Deletes the webhook subscription.",
                    "x-ms-visibility": "internal",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "type": "string",
                            "x-ms-url-encoding": "single",
                        }
                    ],
                    "responses": {"204": {"description": "Deleted"}},
                }
            },
        },
    }


def polling() -> Doc:
    """GET /items is a batch polling trigger whose internal `since` parameter keeps the state."""
    item = {"type": "object", "properties": {"id": {"type": "integer"}}}
    return {
        "swagger": "2.0",
        "info": {"title": "Items", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "paths": {
            "/items": {
                "get": {
                    "operationId": "OnNewItems",
                    "summary": "When items are added",
                    "description": "This operation triggers when items are added.",
                    "x-ms-trigger": "batch",
                    "x-ms-trigger-metadata": {"kind": "query", "mode": "polling"},
                    "parameters": [
                        {
                            "name": "since",
                            "in": "query",
                            "type": "integer",
                            "required": True,
                            "default": 0,
                            "x-ms-visibility": "internal",
                            "x-ms-trigger-value": {"value-collection": "value", "value-path": "id"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "New items",
                            "schema": {"type": "array", "items": item},
                        },
                        "202": {"description": "No new items"},
                    },
                }
            }
        },
    }


def _split(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def edit(doc: Doc, *changes: tuple[str, Any]) -> Doc:
    """A copy of ``doc`` with each (pointer, value) set (``DROP`` removes, an index one past the
    end of a list appends); missing objects on the way are created. ``pointer`` is RFC 6901."""
    doc = copy.deepcopy(doc)
    for pointer, value in changes:
        *parents, last = _split(pointer)
        node: Any = doc
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node.setdefault(token, {})
        if isinstance(node, list) and int(last) == len(node):
            node.append(copy.deepcopy(value))  # one past the end appends
        elif isinstance(node, list):
            node[int(last)] = copy.deepcopy(value)
        elif value is DROP:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return doc


def move(doc: Doc, old_path: str, new_path: str) -> Doc:
    """A copy of ``doc`` with the path item ``old_path`` renamed (order kept)."""
    doc = copy.deepcopy(doc)
    doc["paths"] = {new_path if k == old_path else k: v for k, v in doc["paths"].items()}
    return doc


def findings_of(doc: Any, rule: str, **kwargs: Any) -> list[Finding]:
    return [f for f in lint_swagger(doc, **kwargs) if f.rule == rule]


def fires(rule: str, name: str, doc: Any, at: str, **kwargs: Any) -> Any:
    """A table row: ``rule`` reports a finding at pointer ``at`` for ``doc``."""
    return pytest.param(rule, doc, at, kwargs, id=f"{rule}-{name}")


def quiet(rule: str, name: str, doc: Any, **kwargs: Any) -> Any:
    """A table row: ``rule`` reports nothing for ``doc``."""
    return pytest.param(rule, doc, kwargs, id=f"{rule}-{name}")


def check_fires(rule: str, doc: Any, at: str, kwargs: dict[str, Any]) -> None:
    pointers = [f.pointer for f in findings_of(doc, rule, **kwargs)]
    assert at in pointers, f"{rule} not reported at {at!r}; it was at {pointers}"


def check_quiet(rule: str, doc: Any, kwargs: dict[str, Any]) -> None:
    found = findings_of(doc, rule, **kwargs)
    assert found == [], f"{rule} reported: {[(f.pointer, f.message) for f in found]}"


def table_tests(fires_rows: list[Any], quiet_rows: list[Any]) -> tuple[Any, Any]:
    """The two tests of a rule module's tables: every ``fires`` row reports at its pointer, every
    ``quiet`` row reports nothing. ``test_rule_fires, test_rule_stays_quiet = table_tests(...)``
    in the test module makes pytest collect them there."""

    @pytest.mark.parametrize(("rule", "doc", "at", "kwargs"), fires_rows)
    def test_rule_fires(rule: str, doc: Any, at: str, kwargs: dict[str, Any]) -> None:
        check_fires(rule, doc, at, kwargs)

    @pytest.mark.parametrize(("rule", "doc", "kwargs"), quiet_rows)
    def test_rule_stays_quiet(rule: str, doc: Any, kwargs: dict[str, Any]) -> None:
        check_quiet(rule, doc, kwargs)

    return test_rule_fires, test_rule_stays_quiet
