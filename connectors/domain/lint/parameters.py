"""Rules on operation parameters (path-level and operation-level lists merged).

Purpose: the parameter rules of Microsoft's validator that matter when a trigger's request is
built from a sample URL: path parameters, bodies on GET, internal values that would be dropped.
Input: a ``Context`` (its ``operations`` with merged, resolved ``Param``s).
Output: ``Hit``s for PathParameterMustBeRequired, PathParameterNotDefinedInTemplate,
OperationMissingPathParameter, PathParameterMissingEncoding,
BodyOrFormDataParameterInFetchOperationNotAllowed, OperationParametersContainMultipleBodyParameters,
ParameterListContainsFormDataAndBody, OperationParametersContainDuplicateParameter,
OperationParametersAreNotUnique, ConnectionIdParameterNotAllowed, ReservedParameterIsUsed,
PropertyMustBeRequired and InternalPropertyWithDefaultOptional.
Decisions where Microsoft documents only the message:
- OperationParametersAreNotUnique: the flow designer keys an operation's inputs by parameter
  name, so two parameters of one operation (path-level ones merged in) with the same name in
  different locations ("id" in path and in query) are not unique; the same name and location
  twice in one list is OperationParametersContainDuplicateParameter.
- ReservedParameterIsUsed: headers the gateway sets itself (Host, Content-Length, Connection, ...)
  cannot be parameters, nor can the header or query value the connection's security fills in
  (Authorization under OAuth or basic auth, the API key's own name).
- Internal values with a default that are optional: Microsoft has two ids. PropertyMustBeRequired
  (an error: "optional internal fields are ignored") is reported for parameters, which the
  platform drops from the request when optional and hidden; InternalPropertyWithDefaultOptional
  (a warning: "only required properties are guaranteed to be included") for body properties.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text, clip
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import Operation, Param, iter_chains, param_key, param_list

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
# Set by the gateway or the HTTP connection itself, never by a connector's parameter.
_RESERVED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "expect",
        "proxy-authorization",
        "proxy-connection",
    }
)


def template_names(path: str) -> list[str]:
    return _TEMPLATE.findall(path)


def _path_params(op: Operation) -> Iterator[Param]:
    return (p for p in op.params if p.location == "path")


@rule("PathParameterMustBeRequired", "error", "Path parameters must be required")
def path_parameter_must_be_required(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for param in _path_params(op):
            if param.node.get("required") is not True:
                yield Hit(
                    param.pointer + "/required",
                    f"The path parameter '{as_text(param.name)}' of {op.label} is not required.",
                    'Set "required": true; a value is needed to build the URL.',
                    operation=op.pointer,
                )


@rule("PathParameterNotDefinedInTemplate", "error", "Path parameter missing from the path")
def path_parameter_not_defined_in_template(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        names = set(template_names(op.path))
        for param in _path_params(op):
            if not isinstance(param.name, str) or param.name not in names:
                yield Hit(
                    param.site,
                    f"The path parameter '{as_text(param.name)}' of {op.label} is not in the path "
                    f"template {clip(op.path)}.",
                    f"Add {{{as_text(param.name)}}} to the path, or make the parameter a query "
                    "parameter.",
                )


@rule("OperationMissingPathParameter", "error", "Path template variable without a parameter")
def operation_missing_path_parameter(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        declared = {p.name for p in _path_params(op) if isinstance(p.name, str)}
        # A variable used twice in the path needs one parameter: one finding, not one per use.
        for name in dict.fromkeys(template_names(op.path)):
            if name not in declared:
                yield Hit(
                    op.pointer,
                    f"The operation {op.label} does not define the '{clip(name)}' parameter "
                    f"required by its path {clip(op.path)}.",
                    f"Add a required path parameter named '{clip(name)}'.",
                    design_key="request/parameters",
                )


@rule("PathParameterMissingEncoding", "warning", "Path parameter without x-ms-url-encoding")
def path_parameter_missing_encoding(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for param in _path_params(op):
            if "x-ms-url-encoding" not in param.node:
                yield Hit(
                    param.pointer,
                    f"Encoding for path parameter '{as_text(param.name)}' is missing, which might "
                    "lead to invalid requests.",
                    'Add "x-ms-url-encoding": "single".',
                    operation=op.pointer,
                )


@rule(
    "BodyOrFormDataParameterInFetchOperationNotAllowed",
    "error",
    "GET operations cannot have a body or form data",
)
def body_in_fetch_operation(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if op.method != "get":
            continue
        for param in op.params:
            if param.location in ("body", "formData"):
                yield Hit(
                    param.site,
                    f"The GET operation {op.label} has a {as_text(param.location)} parameter "
                    f"'{as_text(param.name)}'.",
                    "Send the values as query parameters, or use POST.",
                )


@rule("OperationParametersContainMultipleBodyParameters", "error", "At most one body parameter")
def multiple_body_parameters(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        bodies = [p for p in op.params if p.location == "body"]
        if len(bodies) > 1:
            yield Hit(
                bodies[1].site,
                f"The operation {op.label} has {len(bodies)} body parameters; at most one is "
                "allowed.",
                "Merge them into one body schema.",
            )


@rule("ParameterListContainsFormDataAndBody", "error", "Body and formData cannot be mixed")
def form_data_and_body(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        locations = {p.location for p in op.params if isinstance(p.location, str)}
        if {"body", "formData"} <= locations:
            yield Hit(
                op.pointer + "/parameters",
                f"The operation {op.label} has both a body and formData parameters.",
                "Use either one body parameter or formData parameters.",
            )


@rule("OperationParametersContainDuplicateParameter", "error", "Duplicate parameter name and in")
def duplicate_parameter(ctx: Context) -> Iterator[Hit]:
    lists = {op.pointer: op.node for op in ctx.operations}
    lists.update({op.path_pointer: op.path_item for op in ctx.operations})
    for pointer, owner in lists.items():
        seen: set[tuple[str, str]] = set()
        raw = owner.get("parameters")
        for param in param_list(ctx.resolver, raw, pointer + "/parameters", ""):
            key = param_key(param)
            if key in seen:
                yield Hit(
                    param.site,
                    f"The {as_text(param.location)} parameter '{as_text(param.name)}' is listed "
                    f"twice at {pointer}.",
                    "Remove the duplicate.",
                )
            seen.add(key)


@rule("OperationParametersAreNotUnique", "error", "Two parameters share a name")
def operation_parameters_are_not_unique(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        locations: dict[str, set[str]] = {}
        for param in op.params:
            if isinstance(param.name, str):
                locations.setdefault(param.name, set()).add(str(param.location))
        clashes = [name for name, where in locations.items() if len(where) > 1]
        if clashes:
            shown = ", ".join(f"'{as_text(n)}' ({'/'.join(sorted(locations[n]))})" for n in clashes)
            yield Hit(
                op.pointer + "/parameters",
                f"The parameters of {op.label} are not unique: {clip(shown, 300)} is used in "
                "more than one location, and the flow designer keys inputs by name.",
                "Rename one of the parameters (the name is what the API receives: keep the API's "
                "own names and rename the other one).",
            )


@rule("ConnectionIdParameterNotAllowed", "error", "A parameter cannot be named connectionId")
def connection_id_parameter(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for param in op.params:
            if isinstance(param.name, str) and param.name.lower() == "connectionid":
                yield Hit(
                    param.pointer + "/name",
                    f"The parameter '{as_text(param.name)}' of {op.label} uses the reserved name "
                    "'connectionId'.",
                    "Rename the parameter.",
                    operation=op.pointer,
                )


def _security_names(ctx: Context) -> set[tuple[str, str]]:
    """(location, lower-case name) of what the connection's security fills in."""
    found: set[tuple[str, str]] = set()
    definitions = ctx.swagger.get("securityDefinitions")
    for scheme in definitions.values() if isinstance(definitions, dict) else ():
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") in ("oauth2", "basic"):
            found.add(("header", "authorization"))
        name, where = scheme.get("name"), scheme.get("in")
        if scheme.get("type") == "apiKey" and isinstance(name, str) and isinstance(where, str):
            found.add((where, name.lower()))
    return found


@rule("ReservedParameterIsUsed", "error", "A parameter uses a reserved header or security name")
def reserved_parameter_is_used(ctx: Context) -> Iterator[Hit]:
    security = _security_names(ctx)
    for op in ctx.operations:
        for param in op.params:
            if not isinstance(param.name, str) or not isinstance(param.location, str):
                continue
            key = (param.location, param.name.lower())
            gateway = param.location == "header" and key[1] in _RESERVED_HEADERS
            if gateway or key in security:
                why = "the gateway sets it" if gateway else "the connection's security fills it in"
                yield Hit(
                    param.pointer + "/name",
                    f"The parameter '{as_text(param.name)}' is reserved and cannot be used in "
                    f"'{param.location}' ({why}); it is a parameter of {op.label}.",
                    "Remove the parameter; the platform sends this value itself.",
                    operation=op.pointer,
                )


def _internal_default_optional(node: dict, required: bool) -> bool:
    return node.get("x-ms-visibility") == "internal" and "default" in node and not required


def _body_properties(ctx: Context) -> Iterator[Hit]:
    visited: set[str] = set()
    for op in ctx.operations:
        body = op.body()
        if body is None:
            continue
        schema = body.node.get("schema")
        for chain in iter_chains(ctx.resolver, schema, join(body.pointer, "schema"), visited):
            step = chain[-1]
            if step.name is None or step.parent is None:
                continue
            required = step.parent.get("required")
            is_required = isinstance(required, list) and step.name in required
            if _internal_default_optional(step.node, is_required):
                yield Hit(
                    step.site,
                    f"The body property '{as_text(step.name)}' is internal and has a default "
                    "value but is optional: only required properties are guaranteed to be "
                    "included in requests.",
                    f"Add '{as_text(step.name)}' to the 'required' list of its parent object "
                    "(or leave it optional if the API may go without it).",
                )


@rule(
    "InternalPropertyWithDefaultOptional",
    "warning",
    "Internal body property with a default is optional",
)
def internal_property_with_default_optional(ctx: Context) -> Iterator[Hit]:
    yield from _body_properties(ctx)


@rule("PropertyMustBeRequired", "error", "Internal parameters with a default must be required")
def property_must_be_required(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for param in op.params:
            if param.location == "body":
                continue
            if _internal_default_optional(param.node, param.node.get("required") is True):
                yield Hit(
                    param.pointer + "/required",
                    f"The parameter '{as_text(param.name)}' of {op.label} is internal and has a "
                    "default value but is optional, so it is never sent.",
                    'Set "required": true (optional internal values are ignored).',
                    operation=op.pointer,
                )
