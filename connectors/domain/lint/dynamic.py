"""Rules on the dynamic values of trigger parameters (x-ms-dynamic-values, x-ms-dynamic-list).

Purpose: a trigger parameter whose dropdown is listed by another operation breaks in the flow
designer when that operation is missing or is a trigger, when it maps parameters that do not
exist (on the called operation, or on the trigger as the source), when the paths that pick the
items are empty, or when the two extensions say different things.
Input: a ``Context``; only trigger operations' non-body parameters are read.
Output: ``Hit``s for DynamicValuesOperationIsTrigger, OperationParameterNameNotFound,
DynamicValuesParameterReferenceNotFound, SourcePropertyInternal, DynamicValuesPathEmpty and
DynamicListMismatch;
``unknown_operations`` gives the OperationIdNotFound hits (that rule lives in ``hybrid``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import Operation, Param
from connectors.domain.swagger.dynamic_values import (
    LIST,
    VALUES,
    DynamicValues,
    parse_extension,
    path_keys,
)


@dataclass(frozen=True)
class Site:
    """One dynamic-values extension on a trigger parameter."""

    op: Operation
    param: Param
    key: str  # VALUES or LIST
    raw: dict[str, Any]
    parsed: DynamicValues

    @property
    def pointer(self) -> str:
        return join(self.param.pointer, self.key)

    @property
    def label(self) -> str:
        return f"{self.key} of '{as_text(self.param.name)}' ({self.op.label})"

    def target(self, ctx: Context) -> Operation | None:
        return ctx.by_operation_id.get(self.parsed.operation_id)


def sites(ctx: Context) -> list[Site]:
    if "dynamic" not in ctx.memo:
        found = []
        for op in ctx.triggers:
            for param in op.params:
                if param.location == "body":
                    continue
                for key in (VALUES, LIST):
                    raw = param.node.get(key)
                    parsed = parse_extension(raw, key)
                    if isinstance(raw, dict) and parsed is not None:
                        found.append(Site(op, param, key, raw, parsed))
        ctx.memo["dynamic"] = found
    result: list[Site] = ctx.memo["dynamic"]
    return result


def _calls_an_operation(site: Site) -> bool:
    """Not a built-in call (AadGraph.GetUsers, the file picker), which has no operationId."""
    return not ({"builtInOperation", "capability"} & set(site.raw))


def unknown_operations(ctx: Context) -> Iterator[Hit]:
    """OperationIdNotFound: a dynamic-values operationId that is not in the document."""
    for site in sites(ctx):
        if _calls_an_operation(site) and site.target(ctx) is None:
            yield Hit(
                join(site.pointer, "operationId"),
                f"The operation {as_text(site.raw.get('operationId'))} named by {site.label} "
                "could not be found in this document.",
                "Name the operationId of an action of this connector that lists the values.",
            )


@rule("DynamicValuesOperationIsTrigger", "error", "Dynamic values listed by a trigger")
def operation_is_trigger(ctx: Context) -> Iterator[Hit]:
    for site in sites(ctx):
        target = site.target(ctx)
        if target is not None and target.is_trigger:
            yield Hit(
                join(site.pointer, "operationId"),
                f"{site.label} calls {target.label}, which is a trigger; the designer calls an "
                "action to list values.",
                "Choose an action (an operation without x-ms-trigger) that lists the values.",
            )


def _head(name: str) -> str:
    """The parameter a reference starts with ("body/appId" -> "body")."""
    return name.split("/", 1)[0]


@rule("OperationParameterNameNotFound", "error", "Dynamic values map an unknown parameter")
def mapped_parameter_not_found(ctx: Context) -> Iterator[Hit]:
    for site in sites(ctx):
        target = site.target(ctx)
        if target is None:
            continue
        names = {p.name for p in target.params if isinstance(p.name, str)}
        for mapping in site.parsed.mappings:
            if _head(mapping.name) not in names:
                yield Hit(
                    join(site.pointer, "parameters", mapping.name),
                    f"{site.label} maps '{mapping.name}', which is not a parameter of "
                    f"{target.label}.",
                    f"Map only parameters of {target.label}, or remove this mapping.",
                )


@rule(
    "DynamicValuesParameterReferenceNotFound",
    "error",
    "Dynamic values take a value from an unknown parameter",
)
def source_parameter_not_found(ctx: Context) -> Iterator[Hit]:
    for site in sites(ctx):
        names = {p.name for p in site.op.params if isinstance(p.name, str)}
        reference = "parameter" if site.key == VALUES else "parameterReference"
        for mapping in site.parsed.mappings:
            if mapping.parameter is not None and _head(mapping.parameter) not in names:
                yield Hit(
                    join(site.pointer, "parameters", mapping.name, reference),
                    f"{site.label} takes '{mapping.name}' from '{mapping.parameter}', which is "
                    f"not a parameter of {site.op.label}.",
                    "Name a parameter of this trigger, or give a fixed value instead.",
                )


def _internal_chain(ctx: Context, param: Param, reference: str) -> bool:
    """Whether the referenced parameter, or a property on the way to a body property it names
    ("body/config/appId"), is internal: then the maker never sees the value it takes."""
    node: Any = param.node
    if param.location == "body":
        node, _ = ctx.resolver.resolve(param.node.get("schema"), param.pointer)
    for name in [None, *reference.split("/")[1:]]:
        if name is not None:
            props = node.get("properties") if isinstance(node, dict) else None
            node, _ = ctx.resolver.resolve(props.get(name) if isinstance(props, dict) else None, "")
        if not isinstance(node, dict):
            return False
        if node.get("x-ms-visibility") == "internal":
            return True
    return False


@rule("SourcePropertyInternal", "error", "Dynamic values take a value from an internal parameter")
def source_property_internal(ctx: Context) -> Iterator[Hit]:
    """Microsoft: the parameter reference in the source operation is internal or one of its
    parents is. Checked for the trigger parameters the linter reads dynamic values on."""
    for site in sites(ctx):
        reference = "parameter" if site.key == VALUES else "parameterReference"
        for mapping in site.parsed.mappings:
            source = site.op.param(_head(mapping.parameter)) if mapping.parameter else None
            if source is not None and _internal_chain(ctx, source, mapping.parameter or ""):
                yield Hit(
                    join(site.pointer, "parameters", mapping.name, reference),
                    f"{site.label} takes '{as_text(mapping.name)}' from "
                    f"'{as_text(mapping.parameter)}', which is internal (or one of its parents "
                    "is), so the maker can never choose it.",
                    "Make that parameter visible, or give a fixed value instead of the reference.",
                )


@rule("DynamicValuesPathEmpty", "error", "Dynamic values without a path to the values")
def path_empty(ctx: Context) -> Iterator[Hit]:
    for site in sites(ctx):
        collection, value, title = path_keys(site.key)
        for key in (collection, value, title):
            given = site.raw.get(key)
            if key in site.raw and not (isinstance(given, str) and given.strip()):
                yield Hit(
                    join(site.pointer, key),
                    f"The {key} of {site.label} is empty.",
                    f"Enter the {key} (levels separated by '/'), or remove the key.",
                )
        if value not in site.raw and _calls_an_operation(site):
            yield Hit(
                site.pointer,
                f"{site.label} has no {value}: the designer cannot tell which property of "
                "each item is the value.",
                f"Add {value}, the property of each item that is the value (e.g. id).",
            )


def _comparable(parsed: DynamicValues) -> tuple[Any, ...]:
    mappings = sorted(
        (
            m.name.rsplit("/", 1)[-1],
            "parameter" if m.parameter is not None else "value",
            m.parameter.rsplit("/", 1)[-1] if m.parameter is not None else repr(m.value),
        )
        for m in parsed.mappings
    )
    return (
        parsed.operation_id,
        parsed.collection,
        parsed.value_path,
        parsed.title_path,
        mappings,
    )


@rule("DynamicListMismatch", "warning", "x-ms-dynamic-list and x-ms-dynamic-values disagree")
def list_mismatch(ctx: Context) -> Iterator[Hit]:
    by_param: dict[str, dict[str, Site]] = {}
    for site in sites(ctx):
        by_param.setdefault(site.param.pointer, {})[site.key] = site
    for pair in by_param.values():
        if VALUES in pair and LIST in pair:
            values, listed = pair[VALUES], pair[LIST]
            if _comparable(values.parsed) != _comparable(listed.parsed):
                yield Hit(
                    listed.pointer,
                    f"The {LIST} of '{as_text(listed.param.name)}' ({listed.op.label}) does not "
                    f"say what its {VALUES} says (operation, paths or parameters).",
                    "Make both name the same operation, parameters and paths (itemsPath = "
                    "value-collection, itemValuePath = value-path, itemTitlePath = value-title).",
                )
