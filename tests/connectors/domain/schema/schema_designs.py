"""Designs for the schema editor's tests: a real connector (Pushcut) and hand-made shapes."""

from __future__ import annotations

from typing import Any

from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.schema.inference import infer_schema
from connectors.domain.swagger.importing.connector import ImportResult, import_connector
from tests.paths import SHARED

CORPUS = SHARED / "corpus" / "dev"

GITHUB_HOOK = {
    "name": "web",
    "active": True,
    "events": ["push", "issues"],
    "config": {"url": "https://example.com/hook", "content_type": "json"},
}
ORDER_EVENT = {"orders": [{"id": 1, "lines": [{"sku": "a-1", "qty": 2}]}]}


def pushcut() -> ImportResult:
    folder = CORPUS / "Pushcut"
    return import_connector(
        (folder / "apiDefinition.swagger.json").read_bytes(),
        (folder / "apiProperties.json").read_bytes(),
    )


def github() -> dict[str, Any]:
    """A GitHub-style registration (callback at /config/url) with nested arrays of objects in
    its notification."""
    trigger = new_webhook_trigger(
        summary="When an issue is opened",
        path="/repos/{owner}/{repo}/hooks",
        body_schema=infer_schema([GITHUB_HOOK]).schema,
        notification_samples=[ORDER_EVENT],
    )
    design = new_design("GitHub")
    design["triggers"] = [trigger]
    return validate_design(design)


def with_definitions(
    definitions: dict[str, Any],
    notification: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    paths: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A webhook whose notification (and body, if given) use shared ``definitions``."""
    trigger = new_webhook_trigger(summary="When a node changes", path="/hooks")
    trigger["notification"]["schema"] = notification
    if body is not None:
        trigger["request"]["body"]["schema"] = body
        trigger["request"]["callbackPointer"] = None
    design = new_design("Trees")
    design["triggers"] = [trigger]
    design["passthrough"]["swagger"] = {"paths": paths or {}, "definitions": definitions}
    return validate_design(design)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/definitions/{name}"}


NODE = {  # a tree: every node holds its children and its parent
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": ref("Node")},
        "parent": ref("Node"),
    },
}
ADDRESS = {
    "type": "object",
    "required": ["city"],
    "properties": {
        "street": {"type": "string"},
        "city": {"type": "string", "x-ms-summary": "City"},
    },
}


def customer_operation() -> dict[str, Any]:
    """A passthrough action whose answer uses the Address definition too."""
    return {
        "/customers/{id}": {
            "get": {
                "operationId": "GetCustomer",
                "summary": "Get a customer",
                "description": "Gets one customer.",
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
                "responses": {"200": {"description": "The customer.", "schema": ref("Address")}},
            }
        }
    }
