"""Checking payloads against a trigger's notification schema, with JSON pointers.

Purpose: one validator for what the static step checks (notification samples) and what the
webhook step receives: a batch trigger is sent an array of events, so an object schema is
checked as "array of it". ``$ref``s into the exported swagger's definitions resolve. Each
violation is said the way a maker fixes it: which property (its JSON pointer into the payload)
and why (expected integer, got string "7"; required property "email" missing; "gone" is not one
of the enum values "new", "paid"); a missing required property is pointed at itself, not at its
parent, and each message also reads alone (the simulator's answers show it without the pointer).
``mismatch_message`` folds the violations of one payload into one bounded sentence.

Input: a design trigger, the exported swagger, a JSON value.
Output: (JSON pointer into the value, message) for every violation, in document order; the
one-line summary of the first few.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft4Validator, ValidationError

MESSAGE_LIMIT = 300  # characters of one violation's message
SHOWN_PROBLEMS = 3  # violations named in one payload's finding; the rest are counted
_VALUE_LIMIT = 40  # characters of a value quoted in a message
_JSON_TYPES = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


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


def json_type(value: Any) -> str:
    """The JSON type of a parsed value ("null" for None; a bool is no integer)."""
    if value is None:
        return "null"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "value")


def _quoted(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _expected(types: Any) -> str:
    return " or ".join(types) if isinstance(types, list) else str(types)


def _described(error: ValidationError) -> list[tuple[str, str]]:
    """(pointer, message) for one violation; a ``required`` one names each missing property."""
    at = pointer(error.absolute_path)
    instance = error.instance
    expected: Any = error.validator_value  # the keyword's value in the schema
    schema: Any = error.schema
    if error.validator == "required" and isinstance(instance, dict) and isinstance(expected, list):
        names = [name for name in expected if name not in instance]
        return [
            (f"{at}/{pointer([name])[1:]}", f"required property {_quoted(name)} missing")
            for name in names
        ]
    if error.validator == "type":
        got = json_type(instance)
        shown = f" {_quoted(instance)}" if got not in ("object", "array", "null") else ""
        return [(at, f"expected {_expected(expected)}, got {got}{shown}")]
    if error.validator == "enum" and isinstance(expected, list):
        values = ", ".join(_quoted(value) for value in expected[:10])
        more = ", …" if len(expected) > 10 else ""
        return [(at, f"{_quoted(instance)} is not one of the enum values {values}{more}")]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = (schema.get("properties") if isinstance(schema, dict) else None) or {}
        extra = [name for name in instance if name not in known]
        return [
            (f"{at}/{pointer([name])[1:]}", f"property {_quoted(name)} not allowed by the schema")
            for name in extra
        ]
    return [(at, error.message)]


def schema_errors(schema: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """Every way ``value`` breaks ``schema``, as (pointer, message); a broken schema says so."""
    try:
        validator = Draft4Validator(schema)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    except Exception as exc:  # an unresolvable $ref or a broken schema must not stop the report
        return [("", f"the schema cannot be used: {exc}"[:MESSAGE_LIMIT])]
    found: list[tuple[str, str]] = []
    for error in errors:
        for where, message in _described(error):
            if (where, message[:MESSAGE_LIMIT]) not in found:
                found.append((where, message[:MESSAGE_LIMIT]))
    return found


def mismatch_message(subject: str, problems: list[tuple[str, str]]) -> str:
    """One sentence for a payload's violations: the first ``SHOWN_PROBLEMS``, then a count.

    ``subject`` names the payload ("Notification 2"); ``problems`` come from ``schema_errors``.
    """
    shown = "; ".join(f"{where or '/'}: {message}" for where, message in problems[:SHOWN_PROBLEMS])
    rest = len(problems) - SHOWN_PROBLEMS
    more = f"; and {rest} more problem{'s' if rest > 1 else ''}" if rest > 0 else ""
    return f"{subject} does not fit the notification schema ({shown}{more})."
