"""Rules on the document as a whole: its shape, version, host, basePath and schemes.

Purpose: report what Microsoft's validator rejects before any operation is looked at, and report
wrong JSON types in the containers the other rules walk (they skip what they cannot read).
Input: a ``Context``.
Output: ``Hit``s for JsonTypeIncorrect, RequiredPropertyMissing, SpecificationVersionIncorrect,
HostNameNotValid, BasePathNotValid, SchemeNotValid, SchemesArrayEmpty, PathItemRefNotSuppored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import clip, show
from connectors.domain.lint.refs import MAX_SCAN_DEPTH, join

# Swagger 2.0 allows ws/wss too, but Power Platform only speaks HTTP(S) (SchemeNotSupported).
_SCHEMES = ("http", "https")
# A host is "name[:port]": no scheme, path, query, user info, template braces or spaces.
_HOST = re.compile(r"^[^\s/\\{}?#@:]+(:\d{1,5})?$")


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _expect(value: Any, expected: type, pointer: str, what: str) -> Iterator[Hit]:
    if not isinstance(value, expected):
        want = "object" if expected is dict else "array"
        yield Hit(
            pointer,
            f"{what} must be an {want}, but it is {_kind(value)}.",
            f"Make {what} a JSON {want}, or remove it.",
        )


def _operation_shapes(path: str, item: dict[str, Any]) -> Iterator[Hit]:
    base = join("/paths", path)
    if "parameters" in item:
        yield from _expect(item["parameters"], list, join(base, "parameters"), "path parameters")
    for method in HTTP_METHODS:
        if method not in item:
            continue
        op = item[method]
        where = join(base, method)
        yield from _expect(op, dict, where, f"operation {method.upper()} {clip(path)}")
        if not isinstance(op, dict):
            continue
        if "parameters" in op:
            yield from _expect(op["parameters"], list, join(where, "parameters"), "parameters")
        if "responses" in op:
            yield from _expect(op["responses"], dict, join(where, "responses"), "responses")
        params = op.get("parameters")
        for index, param in enumerate(params if isinstance(params, list) else []):
            yield from _expect(param, dict, join(where, "parameters", index), "a parameter")


@rule("JsonTypeIncorrect", "error", "A swagger section has the wrong JSON type")
def json_type_incorrect(ctx: Context) -> Iterator[Hit]:
    doc = ctx.swagger
    for key in ("info", "paths", "definitions", "parameters", "responses", "securityDefinitions"):
        if key in doc:
            yield from _expect(doc[key], dict, "/" + key, f"'{key}'")
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else []:
        yield from _expect(item, dict, join("/paths", path), f"path item {clip(str(path))}")
        if isinstance(item, dict):
            yield from _operation_shapes(str(path), item)


@rule("RequiredPropertyMissing", "error", "A required swagger property is missing")
def required_property_missing(ctx: Context) -> Iterator[Hit]:
    for key in ("swagger", "info", "paths"):
        if key not in ctx.swagger:
            yield Hit("", f"The '{key}' property is required.", f"Add '{key}' to the document.")
    info = ctx.swagger.get("info")
    if not isinstance(info, dict):
        return
    for key in ("title", "version"):
        if not isinstance(info.get(key), str):  # a blank one is RequiredValueEmpty's
            yield Hit(
                "/info/" + key,
                f"The 'info.{key}' property is required and must be a non-empty string.",
                f"Fill in the connector's {key} on the General step.",
            )


@rule("SpecificationVersionIncorrect", "error", 'The swagger version must be "2.0"')
def specification_version_incorrect(ctx: Context) -> Iterator[Hit]:
    if "swagger" in ctx.swagger and ctx.swagger["swagger"] != "2.0":
        yield Hit(
            "/swagger",
            f"The 'swagger' property is {show(ctx.swagger['swagger'])}; it must be the "
            'string "2.0".',
            'Set "swagger": "2.0" (OpenAPI 3 files must be converted to Swagger 2.0 first).',
        )


@rule("HostNameNotValid", "error", "host must be a host name without scheme or path")
def host_name_not_valid(ctx: Context) -> Iterator[Hit]:
    host = ctx.swagger.get("host")
    if "host" in ctx.swagger and not (isinstance(host, str) and _HOST.match(host)):
        yield Hit(
            "/host",
            f"The host {show(host)} is not a valid URI host without a scheme or path.",
            "Enter only the host name (and port), e.g. api.example.com; put the path prefix "
            "in the base URL.",
        )


@rule("BasePathNotValid", "error", "basePath must start with '/'")
def base_path_not_valid(ctx: Context) -> Iterator[Hit]:
    base = ctx.swagger.get("basePath")
    if "basePath" in ctx.swagger and not (isinstance(base, str) and base.startswith("/")):
        yield Hit(
            "/basePath",
            f"The base path {show(base)} must start with a '/' character.",
            "Start the base URL with '/', e.g. /api/v1 (use '/' when there is none).",
        )


@rule("SchemeNotValid", "error", "schemes may only contain http and https")
def scheme_not_valid(ctx: Context) -> Iterator[Hit]:
    schemes = ctx.swagger.get("schemes")
    if "schemes" in ctx.swagger and not isinstance(schemes, list):
        yield Hit("/schemes", "The 'schemes' property must be a list.", 'Use ["https"].')
        return
    for index, scheme in enumerate(schemes or []):
        if scheme not in _SCHEMES:
            yield Hit(
                join("/schemes", index),
                f"The scheme {show(scheme)} is not supported; only http and https are.",
                "Use https (or http).",
            )


@rule("SchemesArrayEmpty", "error", "schemes must not be empty")
def schemes_array_empty(ctx: Context) -> Iterator[Hit]:
    if ctx.swagger.get("schemes") == []:
        yield Hit("/schemes", "The 'schemes' array requires at least one value.", 'Use ["https"].')


@rule("DocumentTooDeep", "warning", "The document nests too deep to be checked completely")
def document_too_deep(ctx: Context) -> Iterator[Hit]:
    if ctx.scan.too_deep:
        yield Hit(
            min(ctx.scan.too_deep, key=len),
            f"The document nests more than {MAX_SCAN_DEPTH} levels deep here; the linter did not "
            "look further, and Microsoft's validator limits schema depth (SchemaTooDeep).",
            "Flatten the schema, or move repeated parts into definitions.",
        )


@rule("PathItemRefNotSuppored", "error", "A path item may not be a $ref")
def path_item_ref_not_supported(ctx: Context) -> Iterator[Hit]:
    paths = ctx.swagger.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else []:
        if isinstance(item, dict) and "$ref" in item:
            yield Hit(
                join("/paths", path, "$ref"),
                f"The path {clip(str(path))} uses '$ref', which Power Platform does not support.",
                "Copy the referenced operations into the path item.",
            )
