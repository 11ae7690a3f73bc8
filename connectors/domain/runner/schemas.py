"""Checking payloads against a trigger's notification schema, with JSON pointers.

Purpose: one validator for what the static step checks (notification samples) and what the
webhook step receives: a batch trigger is sent an array of events, so an object schema is
checked as "array of it". ``$ref``s into the exported swagger's definitions resolve.
Input: a design trigger, the exported swagger, a JSON value.
Output: (JSON pointer into the value, message) for every violation, in document order.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator


def notification_schema(trigger: dict[str, Any], swagger: dict[str, Any]) -> dict[str, Any] | None:
    """The schema a delivery must fit (None when the design has none yet)."""
    schema = (trigger.get("notification") or {}).get("schema")
    if not isinstance(schema, dict) or not schema:
        return None
    if trigger.get("cardinality") == "batch" and schema.get("type") != "array":
        schema = {"type": "array", "items": schema}
    # Swagger schemas are draft-4 shaped; "#/definitions/X" resolves against this root.
    return with_definitions(schema, swagger)


def with_definitions(schema: dict[str, Any], swagger: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the swagger's definitions as its root's, so "#/definitions/X" resolves."""
    return {**schema, "definitions": swagger.get("definitions") or {}}


def pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def schema_errors(schema: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """Every way ``value`` breaks ``schema``, as (pointer, message); a broken schema says so."""
    try:
        validator = Draft4Validator(schema)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    except Exception as exc:  # an unresolvable $ref or a broken schema must not stop the report
        return [("", f"the schema cannot be used: {exc}")]
    return [(pointer(error.absolute_path), error.message[:300]) for error in errors]
