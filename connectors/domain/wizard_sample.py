"""Turn the wizard's "Import from sample" dialog into a trigger request.

Purpose: the maker pastes what a call to the API looks like (verb, URL, headers, body), as in
Microsoft's designer; this module reads it the way the designer does: ``{name}`` path segments
become required path parameters, query pairs become query parameters (their values as
defaults), headers become header parameters (except the standard ones the platform adds
itself) and the JSON body becomes the body schema.

Input: four strings and the design's base path. Output: a ``SampleRequest``; ``SampleError``
(a ``ValueError``) names the dialog field and, for JSON, the line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from connectors.domain.authoring_shapes import path_parameters_from_template, split_path
from connectors.domain.authoring_texts import phrase, title
from connectors.domain.schema_inference import SchemaInferenceError, infer_schema, parse_samples

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
            "description": f"The {phrase(name)} header.",
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
