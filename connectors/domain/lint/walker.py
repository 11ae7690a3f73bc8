"""Walk a swagger document: operations, their merged parameters, and schema chains.

Purpose: the shared reading of a swagger that every rule relies on, so that path-level and
operation-level parameters are merged once, refs are followed once, and wrong types are skipped
(the structure rules report them) instead of crashing a rule.
Input: the swagger document and a ``Resolver``.
Output: ``Operation``s (with ``Param``s resolved and merged), ``iter_chains`` over a schema (every
node with the chain of steps that leads to it) and ``callback_sites`` (x-ms-notification-url).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from connectors.domain.design import HTTP_METHODS, VISIBILITIES
from connectors.domain.lint.quoting import clip, show
from connectors.domain.lint.refs import join
from connectors.domain.refs import Resolver, is_flag

# Deeper than this a schema is certainly wrong (Microsoft's SchemaTooDeep); stop walking there.
MAX_DEPTH = 40
# Schema nodes one walk may visit: far above any real body (Encodian's largest has ~300), and low
# enough that YAML alias bombs (exponentially many paths to few objects) stay cheap.
MAX_NODES = 20_000
_COMBINERS = ("allOf", "anyOf", "oneOf")


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def visibility_error(node: dict[str, Any]) -> str | None:
    """Why ``node``'s x-ms-visibility is no valid value ("Internal" is not "internal"), if so."""
    if "x-ms-visibility" not in node or node["x-ms-visibility"] in VISIBILITIES:
        return None
    return (
        f"its x-ms-visibility {show(node['x-ms-visibility'])} is not a valid value (the values "
        "are none, advanced, internal and important, in lower case)"
    )


@dataclass(frozen=True)
class Param:
    name: Any
    location: Any
    node: dict[str, Any]
    pointer: str  # where the parameter object lives (after following its $ref)
    level: str  # "path" or "operation"
    site: str  # where the operation or path item lists it (the $ref itself, if any)


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    pointer: str
    params: tuple[Param, ...]

    @property
    def operation_id(self) -> str | None:
        return text(self.node.get("operationId"))

    @property
    def label(self) -> str:
        """How messages name the operation: its operationId, else "POST /hooks" (both clipped)."""
        return clip(self.operation_id or f"{self.method.upper()} {self.path}")

    @property
    def where(self) -> str:
        """The method and (clipped) path, for messages that name both."""
        return f"{self.method.upper()} {clip(self.path)}"

    @property
    def is_trigger(self) -> bool:
        return "x-ms-trigger" in self.node

    @property
    def visibility(self) -> Any:
        return self.node.get("x-ms-visibility")

    def notification_content(self) -> tuple[Any, str] | None:
        """x-ms-notification-content of the operation, else of its path item (where the
        wizard and Microsoft's sample put it)."""
        for owner, pointer in ((self.node, self.pointer), (self.path_item, self.path_pointer)):
            if "x-ms-notification-content" in owner:
                return (
                    owner["x-ms-notification-content"],
                    join(pointer, "x-ms-notification-content"),
                )
        return None

    @property
    def path_pointer(self) -> str:
        return join("/paths", self.path)

    def body(self) -> Param | None:
        return next((p for p in self.params if p.location == "body"), None)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def param_list(resolver: Resolver, raw: Any, pointer: str, level: str) -> list[Param]:
    """The parameters of one ``parameters`` list, refs followed; unreadable entries skipped."""
    if not isinstance(raw, list):
        return []
    params = []
    for index, item in enumerate(raw):
        site = join(pointer, index)
        node, where = resolver.resolve(item, site)
        if isinstance(node, dict):
            params.append(Param(node.get("name"), node.get("in"), node, where, level, site))
    return params


def param_key(param: Param) -> tuple[str, str]:
    """(name, in) as hashable text; odd types get their type name (repr could recurse forever)."""
    return tuple(  # type: ignore[return-value]
        v if isinstance(v, str) else f"<{type(v).__name__}>" for v in (param.name, param.location)
    )


def merged_params(resolver: Resolver, path_item: dict[str, Any], op: Operation) -> tuple:
    """Path-level parameters overridden by operation-level ones with the same name and ``in``
    (Swagger 2.0 semantics), path-level first."""
    merged: dict[tuple[str, str], Param] = {}
    sources = (
        (path_item.get("parameters"), join(op.path_pointer, "parameters"), "path"),
        (op.node.get("parameters"), join(op.pointer, "parameters"), "operation"),
    )
    for raw, pointer, level in sources:
        for param in param_list(resolver, raw, pointer, level):
            merged[param_key(param)] = param
    return tuple(merged.values())


def operations(doc: dict[str, Any], resolver: Resolver) -> list[Operation]:
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return []
    found = []
    for path, item in paths.items():
        if not isinstance(path, str) or not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                bare = Operation(path, method, node, item, join("/paths", path, method), ())
                params = merged_params(resolver, item, bare)
                found.append(Operation(path, method, node, item, bare.pointer, params))
    return found


@dataclass(frozen=True)
class Step:
    """One schema on the way down: ``name`` is the property that led here (None for the root,
    array items and allOf/anyOf/oneOf branches) and ``parent`` the schema that holds it."""

    node: dict[str, Any]
    pointer: str  # where the schema lives (after following its $ref)
    name: str | None
    parent: dict[str, Any] | None
    site: str  # where it is used (the $ref itself, if any)


Chain = tuple[Step, ...]


def _children(node: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str, Any, Any]]:
    props = node.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            yield (sub, join(pointer, "properties", name), name, node)
    items = node.get("items")
    if isinstance(items, dict):
        yield (items, join(pointer, "items"), None, None)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield (extra, join(pointer, "additionalProperties"), None, None)
    for key in _COMBINERS:
        branches = node.get(key)
        if isinstance(branches, list):
            for index, sub in enumerate(branches):
                yield (sub, join(pointer, key, index), None, None)


def iter_chains(
    resolver: Resolver, schema: Any, pointer: str, visited: set[str] | None = None
) -> Iterator[Chain]:
    """Every schema node below ``schema`` (refs followed), each with the chain leading to it.
    A ref already on the current chain is not entered again, so recursive schemas end. With
    ``visited`` (shared between calls), each use site is yielded once across all calls: for
    rules that only look at a node and its parent."""
    stack: list[tuple[Any, str, Any, Any, Chain, frozenset[str]]] = [
        (schema, pointer, None, None, (), frozenset())
    ]
    budget = MAX_NODES
    while stack and budget > 0:
        raw, where, name, parent, chain, refs = stack.pop()
        node, target = resolver.resolve(raw, where)
        if not isinstance(node, dict) or target in refs or len(chain) >= MAX_DEPTH:
            continue
        if any(step.node is node for step in chain):
            continue  # the same object again on this chain: a YAML alias cycle
        budget -= 1
        if visited is not None:
            # Keyed by use site: a shared definition is yielded under each parent that uses it,
            # but its own subtree (sites inside the definition) only once.
            if where in visited:
                continue
            visited.add(where)
        if target != where:
            refs = refs | {target}
        step_chain = (*chain, Step(node, target, name, parent, where))
        yield step_chain
        for child in _children(node, target):
            stack.append((*child, step_chain, refs))


@dataclass(frozen=True)
class CallbackSite:
    """A property or parameter of ``operation`` marked with x-ms-notification-url."""

    operation: Operation
    param: Param
    chain: Chain  # empty when the flag sits on the parameter itself
    pointer: str

    @property
    def payload_pointer(self) -> str:
        """RFC 6901 pointer into the request body ("/config/url"); "*" stands for array items."""
        parts = []
        for step in self.chain[1:]:
            if step.name is not None:
                parts.append(step.name)
            elif step.pointer.endswith("/items"):
                parts.append("*")
        return join("", *parts)


def callback_sites(resolver: Resolver, op: Operation) -> list[CallbackSite]:
    sites = []
    for param in op.params:
        if param.location == "body":
            schema_pointer = join(param.pointer, "schema")
            for chain in iter_chains(resolver, param.node.get("schema"), schema_pointer):
                if is_flag(chain[-1].node.get("x-ms-notification-url")):
                    sites.append(CallbackSite(op, param, chain, chain[-1].pointer))
        elif is_flag(param.node.get("x-ms-notification-url")):
            sites.append(CallbackSite(op, param, (), param.pointer))
    return sites
