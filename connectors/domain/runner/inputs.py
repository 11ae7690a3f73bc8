"""What a run needs typed in: the values the platform would ask a flow's author for.

Purpose: a trigger's path, query and header parameters without a default, and the required
properties of its request body without one, are filled by the person who adds the trigger to
a flow. A test run needs the same values; this module lists them (with the design's test value,
``x-ms-test-value``, as the value to start from), reads ``NAME=VALUE`` texts, and says which
ones a run is missing.

Input: the design, the operationIds of the run (all triggers when empty) and the exported
swagger (for shared parameters and ``$ref`` schemas).
Output: ``RunInput`` rows; ``RunValues`` (parameters by name, body properties by JSON pointer)
that ``Plan`` carries; ``missing`` and ``parse_assignment`` for the Test form and the command.

A body property is named by its JSON pointer ("/config/events"); a parameter by its name.
Triggers of one run share the values of parameters of the same name, as a flow does not.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from typing import Any

from connectors.domain.documents import DocumentError, escape_pointer, load_json_text
from connectors.domain.runner.build import parameters as resolved_parameters
from connectors.domain.runner.build import resolve

TEST_VALUE = "x-ms-test-value"
MAX_INPUTS = 60  # a form, not a dump: a pathological schema does not make a page of fields
_MAX_DEPTH = 8
_SCALARS = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class RunInput:
    """One value a run needs: ``key`` is a parameter name, or a body property's pointer."""

    key: str
    location: str  # path, query, header or body
    label: str
    kind: str  # the JSON type the value is sent as
    required: bool
    secret: bool = False
    test_value: Any = None
    description: str = ""
    triggers: tuple[str, ...] = ()

    @property
    def is_body(self) -> bool:
        return self.location == "body"


@dataclass(frozen=True)
class RunValues:
    """The values typed in for a run: parameters by name (as text), body properties by pointer
    (as JSON values of their type)."""

    parameters: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"parameters": dict(self.parameters), "body": dict(self.body)}

    @classmethod
    def from_json(cls, data: Any) -> RunValues:
        data = data if isinstance(data, dict) else {}
        parameters = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
        body = data.get("body") if isinstance(data.get("body"), dict) else {}
        return cls({str(k): str(v) for k, v in parameters.items()}, dict(body))


def run_inputs(
    design: dict[str, Any], trigger_ids: list[str], swagger: dict[str, Any]
) -> list[RunInput]:
    """The values the run's triggers need, in design order, each once (by key)."""
    found: dict[str, RunInput] = {}
    for trigger in _triggers(design, trigger_ids):
        operation_id = str(trigger.get("operationId") or "")
        request = trigger.get("request") or {}
        rows = _parameter_inputs(request, swagger) + _body_inputs(request, swagger)
        for row in rows:
            if len(found) >= MAX_INPUTS and row.key not in found:
                break
            known = found.get(row.key)
            triggers = (known.triggers if known else ()) + (operation_id,)
            required = row.required or bool(known and known.required)
            found[row.key] = replace(row, triggers=triggers, required=required)
    return list(found.values())


def _triggers(design: dict[str, Any], trigger_ids: list[str]) -> list[dict[str, Any]]:
    every = [t for t in design.get("triggers") or [] if isinstance(t, dict)]
    if not trigger_ids:
        return every
    return [t for t in every if t.get("operationId") in trigger_ids]


def _parameter_inputs(request: dict[str, Any], swagger: dict[str, Any]) -> list[RunInput]:
    rows = []
    for parameter in resolved_parameters(request.get("parameters") or [], swagger):
        name = parameter.get("name")
        where = parameter.get("in")
        if not isinstance(name, str) or where not in ("path", "query", "header"):
            continue
        if parameter.get("default") is not None:
            continue  # the platform sends the default; so does the run
        extras: dict[str, Any] = parameter.get("extras") or {}
        extras = extras if isinstance(extras, dict) else {}
        test_value = parameter.get(TEST_VALUE, extras.get(TEST_VALUE))
        rows.append(
            RunInput(
                key=name,
                location=where,
                label=_text(parameter, "summary", "x-ms-summary") or name,
                kind=str(parameter.get("type") or "string"),
                required=bool(parameter.get("required")) or where == "path",
                secret=_secret(parameter) or _secret(extras),
                test_value=test_value,
                description=_text(parameter, "description"),
            )
        )
    return rows


def _text(node: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = node.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _secret(node: dict[str, Any]) -> bool:
    return node.get("format") == "password" or node.get("x-ms-visibility") == "secret"


def _body_inputs(request: dict[str, Any], swagger: dict[str, Any]) -> list[RunInput]:
    body = request.get("body")
    if isinstance(body, dict) and "ref" in body:
        body = resolve({"$ref": body["ref"]}, swagger)
    schema = body.get("schema") if isinstance(body, dict) else None
    skip = {request.get("callbackPointer") or ""}
    rows: list[RunInput] = []
    _walk(resolve(schema, swagger), "", swagger, skip, rows, 0)
    return rows


def _walk(
    schema: Any,
    pointer: str,
    swagger: dict[str, Any],
    skip: set[str],
    rows: list[RunInput],
    depth: int,
) -> None:
    """Required properties without a default (and any with a test value), leaves first."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH or len(rows) >= MAX_INPUTS:
        return
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    listed = schema.get("required")
    required: list[Any] = listed if isinstance(listed, list) else []
    for name, raw in properties.items():
        prop = resolve(raw, swagger)
        child = f"{pointer}/{escape_pointer(str(name))}"
        if not isinstance(prop, dict) or child in skip or prop.get("x-ms-notification-url"):
            continue
        has_value = "default" in prop or "example" in prop
        wanted = (name in required and not has_value) or TEST_VALUE in prop
        if _is_object(prop) and name in required and TEST_VALUE not in prop:
            _walk(prop, child, swagger, skip, rows, depth + 1)
        elif wanted and len(rows) < MAX_INPUTS:
            rows.append(_body_row(child, prop, required=name in required))


def _body_row(pointer: str, prop: dict[str, Any], *, required: bool) -> RunInput:
    kind = prop.get("type") if isinstance(prop.get("type"), str) else "string"
    return RunInput(
        key=pointer,
        location="body",
        label=_text(prop, "x-ms-summary", "title") or pointer,
        kind=kind if kind in (*_SCALARS, "array", "object") else "string",
        required=required,
        secret=_secret(prop),
        test_value=prop.get(TEST_VALUE),
        description=_text(prop, "description"),
    )


def _is_object(prop: dict[str, Any]) -> bool:
    return isinstance(prop.get("properties"), dict) and prop.get("type") in (None, "object")


# -- typed values -------------------------------------------------------------------------------


class InputError(ValueError):
    """A value that does not fit its input; the message names what was expected."""


def typed_value(row: RunInput, text: str) -> Any:
    """``text`` as the value a run sends for ``row``: a parameter stays text (URLs and headers
    are text) but must read as its type; a body property becomes its JSON type ("3" -> 3,
    "true" -> True, an array or object from JSON, or for an array a comma-separated list)."""
    if row.kind in ("integer", "number", "boolean"):
        value = _scalar(row.kind, text.strip())
        return value if row.is_body else text.strip()
    if not row.is_body or row.kind not in ("array", "object"):
        return text
    return _structured(row, text.strip())


def _scalar(kind: str, text: str) -> Any:
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise InputError(f"{text!r} is not a whole number.") from None
    if kind == "number":
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            raise InputError(f"{text!r} is not a number.") from None
        if not math.isfinite(number):  # 1e999: JSON (and the report's stored values) has no inf
            raise InputError(f"{text!r} is too large a number.")
        return number
    if text.lower() not in ("true", "false"):
        raise InputError("Enter true or false.")
    return text.lower() == "true"


def _structured(row: RunInput, text: str) -> Any:
    if row.kind == "array" and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    try:
        value = load_json_text(text, name="value")
    except DocumentError as error:
        raise InputError(str(error)) from None
    expected = list if row.kind == "array" else dict
    if not isinstance(value, expected):
        raise InputError(f"Enter a JSON {'array' if row.kind == 'array' else 'object'}.")
    return value


def value_text(value: Any) -> str:
    """How a value shows in a text field (a test value may be any JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def parse_assignment(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` (the command's ``--param``) as (name, value); the name may be a body
    property's pointer such as ``/config/events``."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise InputError(f"{text!r}: write NAME=VALUE, e.g. owner=octocat or /config/events=push")
    return name.strip(), value


@dataclass
class Collected:
    """Typed values of a run: the plain ones, the secret ones apart (sealed, never shown),
    and an error per key that does not fit or is required and empty."""

    values: RunValues = field(default_factory=RunValues)
    secrets: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def collect(rows: list[RunInput], texts: dict[str, str]) -> Collected:
    """The values typed for ``rows`` (by key; "" or absent is no value), typed and checked."""
    out = Collected()
    for row in rows:
        text = texts.get(row.key) or ""
        if not text:
            if row.required:
                out.errors[row.key] = _missing_message(row)
            continue
        try:
            value = typed_value(row, text)
        except InputError as error:
            out.errors[row.key] = str(error)
            continue
        if row.secret:
            out.secrets[row.key] = text
        elif row.is_body:
            out.values.body[row.key] = value
        else:
            out.values.parameters[row.key] = value
    return out


def _missing_message(row: RunInput) -> str:
    if row.location == "path":
        return f"Enter a value: the path needs {{{row.key}}} to call the API."
    return "Enter a value: the platform asks the flow's author for it, so the run needs one too."


def chosen(rows: list[RunInput], trigger_ids: list[str]) -> list[RunInput]:
    """The inputs of the run's triggers (all when none is named)."""
    wanted = set(trigger_ids)
    return [row for row in rows if not wanted or wanted.intersection(row.triggers)]


def listed_choices(steps: Any) -> dict[str, list[dict[str, str]]]:
    """The values each parameter's dynamic-values operation listed in a report's stored steps
    (``{"parameter", "choices": [{"value", "title"}]}``), to offer as the next run's values."""
    found: dict[str, list[dict[str, str]]] = {}
    for step in steps if isinstance(steps, list) else ():
        data = step.get("data") if isinstance(step, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("parameter"), str):
            continue
        listed = data.get("choices")
        choices: list[Any] = listed if isinstance(listed, list) else []
        found[data["parameter"]] = [
            {"value": value_text(c.get("value")), "title": value_text(c.get("title"))}
            for c in choices
            if isinstance(c, dict) and c.get("value") is not None
        ]
    return {name: choices for name, choices in found.items() if choices}
