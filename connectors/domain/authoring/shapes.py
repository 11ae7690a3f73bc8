"""The fixed pieces a trigger is built from: parameters from a URL, state parameter, answers.

Purpose: the shapes ``authoring`` assembles, kept apart so that the builders read as the steps
they take. Path parameters are required strings (``{hookId}`` -> "Hook ID"); a sample URL's
query string becomes query parameters with their values as typed defaults (``limit=50`` is an
integer 50, ``since=2024-01-01T00:00:00Z`` a string of format date-time: ``typed_value``); the
polling state parameter is internal, required and has a default (PropertyMustBeRequired), typed
the same way; a webhook answers
201 with a Location header (the DELETE target), a poll 200/202 with Location and Retry-After;
both declare their known 4xx/5xx answers instead of a bare ``default``.

``guess_callback_pointer`` / ``unmark_callback`` pick and release the body property that
receives the callback URL (``callback_choices`` lists the candidates, ``schema_properties`` every
named property of a body schema); ``policy_collection`` reads the item collection of a
``pollingtrigger`` policy.

Input: plain strings and numbers. Output: design parameters, the design's polling settings and
Swagger responses objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from connectors.domain.authoring.texts import title
from connectors.domain.documents import escape_pointer
from connectors.domain.schema.inference import string_format
from connectors.domain.swagger.exporting.operations import pointer_tokens

TEMPLATE = re.compile(r"\{([^{}/]+)\}")  # one {name} of a path template
# A whole number as an API writes one: "007" is an identifier, not seven.
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_INT64 = (-(2**63), 2**63 - 1)
_BOOLEANS = {"true": True, "false": False}
_CALLBACK_NAME = re.compile(r"callback|notif|webhook|hook_?url|target_?url|^url$|endpoint", re.I)


def path_parameters_from_template(path: str) -> list[dict[str, Any]]:
    """One required string path parameter per ``{name}`` in ``path``, in order, no duplicates."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "type": "string",
            "summary": title(name),
        }
        for name in dict.fromkeys(TEMPLATE.findall(path))
    ]


def split_path(path: str) -> tuple[str, list[dict[str, Any]]]:
    """``/orders?$orderby=id desc&top=5`` -> ("/orders", [query parameters, typed defaults])."""
    path, _, query = path.strip().partition("?")
    if not path.startswith("/") or "#" in path:
        raise ValueError(f"{path!r}: a path starts with '/' and has no '#'")
    parameters = [
        typed(
            {
                "name": name,
                "in": "query",
                "required": False,
                "type": "string",
                "default": value,
                "summary": title(name),
            },
            value,
        )
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return path, parameters


def typed_value(text: str) -> tuple[str, Any, str | None]:
    """A value of a sample URL as (Swagger type, default, format).

    "50" is the integer 50 and "true" the boolean true; any other text stays text, with the
    format its shape proves ("2024-01-01T00:00:00Z": date-time, as schema inference reads it).
    Decimals stay text: "api-version=2.0" is a version, not the number 2.
    """
    if _INTEGER.fullmatch(text) and _INT64[0] <= int(text) <= _INT64[1]:
        return "integer", int(text), None
    if text in _BOOLEANS:
        return "boolean", _BOOLEANS[text], None
    return "string", text, string_format(text)


def typed(parameter: dict[str, Any], text: str) -> dict[str, Any]:
    """``parameter`` with the type, default and format of ``text`` (``typed_value``), in place;
    returned, so that a list of parameters can be built with it."""
    kind, default, found = typed_value(text)
    parameter.update(type=kind, default=default)
    _set_format(parameter, found)
    return parameter


def _set_format(parameter: dict[str, Any], found: str | None) -> None:
    # The design keeps a parameter's format in ``extras`` (the keys it does not model).
    extras = {k: v for k, v in (parameter.get("extras") or {}).items() if k != "format"}
    if found:
        extras["format"] = found
    if extras:
        parameter["extras"] = extras
    else:
        parameter.pop("extras", None)


def polling_settings(
    state: str, collection: str | None, value_path: str, *, retry_interval: int, use_policy: bool
) -> dict[str, Any]:
    """The design's ``polling`` object: state via x-ms-trigger-value, or via a policy.

    The policy is what the portal writes: the state parameter gets the newest (first) item's
    ``value_path`` and the items are read from the collection (``@triggerBody().value``).
    """
    data_path = "triggerBody()" + (f".{collection}" if collection else "")
    policy = {
        "title": None,
        "triggerConfig": {state: f"@{{{data_path}[0].{value_path}}}"},
        "triggerDataPath": f"@{data_path}",
    }
    return {
        "stateParameter": state,
        "valueCollection": None if use_policy else collection,
        "valuePath": None if use_policy else value_path,
        "retryInterval": retry_interval,
        "metadata": True,
        "policy": policy if use_policy else None,
    }


def state_parameter_for(name: str, default: str) -> dict[str, Any]:
    # Internal parameters must be required and carry a default (PropertyMustBeRequired).
    return {
        "name": name,
        "in": "query",
        "required": True,
        "type": "string",
        "default": default,
        "summary": title(name) or "State",
        "description": "The state kept between polls; the platform sets it, users never see it.",
        "visibility": "internal",
    }


def take_value(parameter: dict[str, Any], sampled: dict[str, Any]) -> None:
    """Give ``parameter`` the type, default and format of ``sampled`` (the same parameter read
    from a sample URL by ``split_path``), in place; its name, texts and visibility stay."""
    parameter.update(type=sampled.get("type", "string"), default=sampled.get("default"))
    _set_format(parameter, (sampled.get("extras") or {}).get("format"))


def webhook_responses() -> dict[str, Any]:
    location = "The URL of the new subscription; the platform sends DELETE to it to unsubscribe."
    return {
        "201": {
            "description": "The subscription was created.",
            "headers": {"Location": {"type": "string", "description": location}},
        },
        **error_responses(),
    }


def polling_responses(retry_interval: int, schema: dict[str, Any]) -> dict[str, Any]:
    def headers() -> dict[str, Any]:
        return {
            "Location": {
                "type": "string",
                "description": "The URL of the next poll, with the state.",
            },
            "Retry-After": {
                "type": "integer",
                "description": "The seconds to wait before polling again.",
                "default": retry_interval,
            },
        }

    return {
        "200": {
            "description": "New items since the last poll.",
            "headers": headers(),
            "schema": schema,
        },
        "202": {"description": "No new items since the last poll.", "headers": headers()},
        **error_responses(),
    }


def error_responses() -> dict[str, Any]:
    return {
        "400": {"description": "The request was not valid."},
        "401": {"description": "The connection's credentials were not accepted."},
        "500": {"description": "The service failed to handle the request."},
    }


@dataclass(frozen=True)
class SchemaProperty:
    pointer: str  # RFC 6901 pointer into the payload ("/config/url"); "*" for array items
    name: str
    depth: int
    node: dict[str, Any]
    required: bool


def schema_properties(schema: Any, pointer: str = "", depth: int = 0) -> list[SchemaProperty]:
    """Every named property of ``schema``, depth first, in document order (arrays: their items)."""
    if not isinstance(schema, dict):
        return []
    if schema.get("type") == "array":
        return schema_properties(schema.get("items"), pointer + "/*" if pointer else "", depth)
    found: list[SchemaProperty] = []
    required = set(schema.get("required") or [])
    for name, node in (schema.get("properties") or {}).items():
        if not isinstance(node, dict):
            continue
        here = f"{pointer}/{escape_pointer(name)}"
        found.append(SchemaProperty(here, name, depth, node, name in required))
        found.extend(schema_properties(node, here, depth + 1))
    return found


def callback_choices(schema: Any) -> list[SchemaProperty]:
    """Properties that can receive the callback URL: strings (or untyped) outside arrays."""
    return [
        prop
        for prop in schema_properties(schema)
        if "*" not in prop.pointer
        and "$ref" not in prop.node
        and prop.node.get("type", "string") == "string"
    ]


def guess_callback_pointer(schema: Any) -> str:
    """The first string property (nested too) named like a callback URL, else /notificationUrl."""
    for prop in callback_choices(schema):
        if _CALLBACK_NAME.search(prop.name):
            return prop.pointer
    return "/notificationUrl"


def policy_collection(polling: dict[str, Any]) -> str | None:
    """The item collection a ``pollingtrigger`` policy reads (``@triggerBody().value``)."""
    data_path = ((polling.get("policy") or {}).get("triggerDataPath") or "").removeprefix("@")
    return data_path.removeprefix("triggerBody()").lstrip(".") or None


def unmark_callback(schema: dict[str, Any], pointer: str) -> None:
    """Undo ``mark_callback`` at ``pointer`` when the maker picks another property."""
    node: Any = schema
    for token in pointer_tokens(pointer):
        if not isinstance(node, dict):
            return
        if node.get("type") == "array" and (token.isdigit() or token in ("-", "*")):
            node = node.get("items")
        else:
            node = (node.get("properties") or {}).get(token)
    # A hidden required field nobody fills would block flows: show the old one again.
    if (
        isinstance(node, dict)
        and node.pop("x-ms-notification-url", None)
        and node.get("x-ms-visibility") == "internal"
    ):
        node.pop("x-ms-visibility")
