"""Turn the wizard's "Import from sample" dialog into a trigger request.

Purpose: the maker pastes what a call to the API looks like (verb, URL, headers, body), as in
Microsoft's designer; this module reads it the way the designer does: ``{name}`` path segments
become required path parameters, query pairs become query parameters (their values as typed
defaults: ``limit=50`` an integer, ``since=2024-01-01T00:00:00Z`` a date-time string), headers
become header parameters (except the standard ones the platform adds itself) and the JSON body
becomes the body schema.

``apply_sample_request`` puts what was read into a trigger: a webhook gets the body and a
callback URL guessed in it, and a new DELETE action; a polling trigger keeps its state
parameter (internal and required) but takes the sample's value for it as its default.
``default_sample_method`` is the verb the dialog starts with: GET for a polling trigger, which
lists items, POST for a webhook, which registers a subscription.

Input: four strings and the design's base path. Output: a ``SampleRequest``; ``SampleError``
(a ``ValueError``) names the dialog field and, for JSON, the line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from connectors.domain.authoring.shapes import (
    guess_callback_pointer,
    path_parameters_from_template,
    split_path,
    state_parameter_for,
    take_value,
)
from connectors.domain.authoring.texts import title
from connectors.domain.authoring.triggers import propose_delete_action, set_callback
from connectors.domain.schema.inference import SchemaInferenceError, infer_schema, parse_samples

# The platform sets these itself (or from the connection's security): never parameters.
STANDARD_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "authorization",
        "connection",
        "content-length",
        "content-type",
        "cookie",
        "host",
        "user-agent",
    }
)
VERBS = ("get", "post", "put", "patch", "delete")
_POLLING_STATE_DEFAULT = "0"  # the builders' placeholder when no sample value is known


class SampleError(ValueError):
    """Input the maker must fix; ``field`` names the dialog field (verb, url, headers, body)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class SampleRequest:
    method: str
    path: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body_schema: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def parse_sample_request(
    *, verb: str, url: str, headers: str = "", body: str = "", base_path: str = "/"
) -> SampleRequest:
    """Read the dialog's four fields; the path is made relative to ``base_path``."""
    method = verb.strip().lower()
    if method not in VERBS:
        raise SampleError("verb", f"{verb!r} is not one of {', '.join(v.upper() for v in VERBS)}")
    path, query = _path_and_query(url, base_path)
    try:
        path, query_parameters = split_path(path + (f"?{query}" if query else ""))
    except ValueError as error:
        raise SampleError("url", str(error)) from None
    parameters = path_parameters_from_template(path) + query_parameters + _headers(headers)
    schema, warnings = _body_schema(body) if body.strip() else (None, [])
    return SampleRequest(method, path, parameters, schema, warnings)


def _path_and_query(url: str, base_path: str) -> tuple[str, str]:
    text = url.strip()
    if not text:
        raise SampleError("url", "enter the URL of the call, e.g. https://api.example.com/hooks")
    # urlsplit would read "{owner}" fine, but a bare path has no scheme: accept both forms.
    parts = urlsplit(text if "://" in text or text.startswith("/") else f"https://{text}")
    if parts.scheme not in ("", "http", "https"):
        raise SampleError("url", f"the URL must start with https:// or /, not {parts.scheme}://")
    path = unquote(parts.path) or "/"
    base = "/" + base_path.strip("/")
    if base != "/" and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path, parts.query


def _headers(text: str) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        name = name.strip()
        if not colon or not name or " " in name:
            raise SampleError("headers", f"line {number}: write each header as 'Name: value'")
        if name.lower() in STANDARD_HEADERS or any(p["name"] == name for p in parameters):
            continue
        parameter: dict[str, Any] = {
            "name": name,
            "in": "header",
            "required": False,
            "type": "string",
            "summary": title(name),
        }
        if value.strip():
            parameter["default"] = value.strip()
        parameters.append(parameter)
    return parameters


def _body_schema(text: str) -> tuple[dict[str, Any], list[str]]:
    try:
        result = infer_schema(parse_samples(text))
    except SchemaInferenceError as error:
        raise SampleError("body", str(error).removeprefix("sample 1: ")) from None
    return result.schema, list(result.warnings)


def default_sample_method(kind: str) -> str:
    """The verb "Import from sample" starts with for a trigger of ``kind``: a polling trigger
    reads a list (GET), a webhook registers a subscription with a body (POST)."""
    return "get" if kind == "polling" else "post"


def apply_sample_request(trigger: dict[str, Any], sample: SampleRequest) -> None:
    """Replace ``trigger``'s request with the sample's, in place.

    A webhook's body is the sample's (an empty object without one); its callback URL is
    guessed again and its DELETE action proposed for the new path. A polling trigger keeps its
    state parameter, with the sample's value (typed) as its default when the URL has one.
    """
    request = trigger["request"]
    request.update(method=sample.method, path=sample.path, callbackPointer=None)
    state = (trigger.get("polling") or {}).get("stateParameter")
    request["parameters"] = _with_state(request["parameters"], sample.parameters, state)
    if trigger["kind"] == "webhook":
        schema = sample.body_schema or {"type": "object"}
        request["body"] = {"name": "body", "required": True, "schema": schema}
        set_callback(trigger, guess_callback_pointer(schema))
        trigger["deleteAction"] = propose_delete_action(trigger)
    elif sample.body_schema is not None:
        request["body"] = {"name": "body", "required": True, "schema": sample.body_schema}
    else:
        request["body"] = None


def _with_state(
    kept: list[dict[str, Any]], sampled: list[dict[str, Any]], state: str | None
) -> list[dict[str, Any]]:
    """The sample's parameters with the polling state parameter in them: the one the trigger
    had (its texts, internal and required) with the sample's value, where the sample has it,
    else first. A trigger without a state parameter takes the sample's as they are."""
    if not state:
        return list(sampled)
    own = next((p for p in kept if p.get("name") == state and "ref" not in p), None)
    parameter = dict(own) if own else state_parameter_for(state, _POLLING_STATE_DEFAULT)
    parameter.update(required=True, visibility="internal")  # the platform fills it
    found = [p for p in sampled if p["name"] == state and p["in"] == "query"]
    if not found:
        return [parameter, *sampled]
    take_value(parameter, found[0])
    return [
        parameter if p is found[0] else p for p in sampled if p is found[0] or p["name"] != state
    ]
