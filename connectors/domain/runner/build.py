"""Turning a trigger's design into a concrete request: URL, headers, query and body.

Purpose: what the platform would send for a trigger: path parameters filled from their
defaults or from values the plan gives, query and header parameters that have a value, and a
body built from the body schema (default, example or a minimal value by type, required
properties only) with the callback URL written at the callback pointer.

Input: a design trigger, the exported swagger (for ``$ref``s) and the plan's values.
Output: ``OperationRequest`` (url, headers, params, body), or the names of the path parameters
that have no value; ``send_trigger_request`` sends the trigger's request (authenticated) through
the ``Recorder``; ``on_api_host`` says whether a Location stays on the API's host.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

if TYPE_CHECKING:
    from connectors.domain.runner.model import Exchange, Step
    from connectors.domain.runner.plan import Plan
    from connectors.domain.runner.steps import Recorder

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_MAX_DEPTH = 12  # a recursive schema gets a bounded example, not a RecursionError


@dataclass
class OperationRequest:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    missing: list[str] = field(default_factory=list)

    def full_url(self) -> str:
        return with_query(self.url, self.params)


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` appended to its query (unchanged when there are none)."""
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(params)


def resolve(node: Any, swagger: dict[str, Any], depth: int = 0) -> Any:
    """Follow local ``$ref``s (``#/definitions/X``) in the exported swagger, boundedly."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < _MAX_DEPTH:
        target: Any = swagger
        for token in node["$ref"].removeprefix("#/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        node, depth = target, depth + 1
    return node


def parameters(raw: list[Any], swagger: dict[str, Any]) -> list[dict[str, Any]]:
    """Design parameters with ``{"ref"}`` entries resolved to the swagger's shared ones."""
    found = []
    for parameter in raw or []:
        if isinstance(parameter, dict) and "ref" in parameter:
            parameter = resolve({"$ref": parameter["ref"]}, swagger)
        if isinstance(parameter, dict) and parameter.get("in") != "body":
            found.append(parameter)
    return found


def operation_request(
    base_url: str,
    path: str,
    raw_parameters: list[Any],
    swagger: dict[str, Any],
    values: dict[str, str],
) -> OperationRequest:
    """URL with path parameters filled, plus query and header parameters that have a value.
    ``missing`` names the path parameters, and the required query and header parameters, that
    have neither a default nor a value."""
    request = OperationRequest(url="")
    by_name = {p.get("name"): p for p in parameters(raw_parameters, swagger)}
    for parameter in by_name.values():
        value = _value(parameter, values)
        where = parameter.get("in")
        if value is None:
            if where in ("query", "header") and parameter.get("required") is True:
                request.missing.append(str(parameter.get("name")))
            continue
        if where == "query":
            request.params[parameter["name"]] = value
        elif where == "header":
            request.headers[parameter["name"]] = value

    def fill(match: re.Match[str]) -> str:
        value = _value(by_name.get(match.group(1)) or {"name": match.group(1)}, values)
        if value is None:
            request.missing.append(match.group(1))
            return match.group(0)
        return quote(value, safe="")

    request.url = base_url.rstrip("/") + _TEMPLATE.sub(fill, path)
    return request


def trigger_request(
    plan: Plan, trigger: dict[str, Any], swagger: dict[str, Any], step: Step
) -> OperationRequest | None:
    """The trigger's request for this run; None, with a finding on ``step``, when a path
    parameter (or a required query or header parameter) has neither a default nor a value
    given for the run."""
    request = trigger["request"]
    call = operation_request(
        plan.base_url, request["path"], request.get("parameters"), swagger, plan.parameter_values
    )
    if call.missing:
        names = ", ".join(dict.fromkeys(call.missing))
        step.add(
            "MissingParameterValue",
            "error",
            f"The parameter(s) {names} of {request['path']} have no default and no value for "
            "this run: type a value in the Test step (or pass --param NAME=VALUE), or give "
            "them a test value on the trigger's Request tab.",
        )
        return None
    return call


def send_trigger_request(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    step: Step,
    *,
    json: Any = None,
) -> Exchange | None:
    """Send the trigger's own request (its method, path and parameters) with the connection's
    authentication; None, with a finding on ``step``, when a path parameter has no value."""
    call = trigger_request(plan, trigger, swagger, step)
    if call is None:
        return None
    plan.authenticate(call.headers, call.params)
    method = str(trigger["request"].get("method") or "get").upper()
    return recorder.call(step, method, call.full_url(), headers=call.headers, json=json)


def on_api_host(step: Step, url: str, base_url: str) -> bool:
    """Whether ``url`` is on the API's host; if not, a ``LocationOtherHost`` finding (once)."""
    host, api_host = urlsplit(url).hostname, urlsplit(base_url).hostname
    if host == api_host:
        return True
    if all(finding.code != "LocationOtherHost" for finding in step.findings):
        step.add(
            "LocationOtherHost",
            "error",
            f"The Location header points to {host}, not to the API's host {api_host}; the "
            "runner does not send requests elsewhere. Point Location at the API's own host.",
        )
    return False


def _value(parameter: dict[str, Any], values: dict[str, str]) -> str | None:
    name = parameter.get("name")
    if name in values:
        return str(values[name])
    if "default" in parameter and parameter["default"] is not None:
        default = parameter["default"]
        return str(default).lower() if isinstance(default, bool) else str(default)
    return None


def example_value(schema: Any, swagger: dict[str, Any], depth: int = 0) -> Any:
    """A value that fits ``schema``: its default or example, else a minimal one by type."""
    schema = resolve(schema, swagger)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    for key in ("default", "x-ms-test-value", "example", "x-example"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if schema.get("enum"):
        return copy.deepcopy(schema["enum"][0])
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        return _example_object(schema, swagger, depth)
    if kind == "array":
        count = int(schema.get("minItems") or 0)
        return [example_value(schema.get("items"), swagger, depth + 1) for _ in range(count)]
    return _example_scalar(schema)


def _example_object(schema: dict[str, Any], swagger: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    result = {}
    for name, prop in properties.items():
        prop = resolve(prop, swagger)
        # Optional properties are sent only when the design gives them a value on purpose.
        has_value = isinstance(prop, dict) and any(
            key in prop for key in ("default", "example", "x-ms-test-value")
        )
        if name in required or has_value:
            result[name] = example_value(prop, swagger, depth + 1)
    return result


def _example_scalar(schema: dict[str, Any]) -> Any:
    kind, fmt = schema.get("type"), schema.get("format")
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "string":
        if fmt == "date-time":
            return "2024-01-01T00:00:00Z"
        if fmt == "date":
            return "2024-01-01"
        if fmt in ("uri", "url"):
            return "https://example.com/"
        return "x" * int(schema.get("minLength") or 0) or "string"
    return None


def set_at_pointer(document: Any, pointer: str, value: Any) -> Any:
    """Write ``value`` at the RFC 6901 ``pointer``, creating objects on the way; returns doc."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    if not tokens:
        return value
    root = document if isinstance(document, dict) else {}
    node = root
    for token in tokens[:-1]:
        child = node.get(token)
        if not isinstance(child, dict):
            child = node[token] = {}
        node = child
    node[tokens[-1]] = value
    return root
