"""Dynamic values of a trigger parameter: the dropdown the flow's author picks a value from.

Purpose: read and write a parameter's ``x-ms-dynamic-values`` and ``x-ms-dynamic-list`` (kept in
the design parameter's ``extras``) as one ``DynamicValues``, and list the operations that may
supply the values (``candidate_operations``: the actions an import kept in passthrough; triggers
never list values).

The two extensions say the same thing in two shapes (Microsoft writes both, the newer designer
reads the list):

- ``x-ms-dynamic-values``: ``{"operationId", "parameters": {name: {"parameter": other} | literal},
  "value-collection", "value-path", "value-title"}``; a fixed value is written bare, as in
  Microsoft's published connectors (``{"type": "Command"}``);
- ``x-ms-dynamic-list``: ``{"operationId", "itemsPath", "itemValuePath", "itemTitlePath",
  "parameters": {name: {"parameterReference": other} | {"value": literal}}}``.

Paths are "/"-separated in both ("fields/id").

Input: design parameters (dicts) and the design. Output: ``DynamicValues`` or None,
``Operation`` candidates, and the extensions written into / removed from a parameter's extras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.domain.design import HTTP_METHODS, Design

VALUES = "x-ms-dynamic-values"
LIST = "x-ms-dynamic-list"


@dataclass(frozen=True)
class Mapping:
    """One parameter of the listing operation: from a parameter of the trigger, or fixed."""

    name: str
    parameter: str | None = None  # the trigger's parameter that gives the value
    value: Any = None  # the fixed value, when ``parameter`` is None


@dataclass(frozen=True)
class DynamicValues:
    operation_id: str
    mappings: tuple[Mapping, ...] = ()
    collection: str = ""
    value_path: str = ""
    title_path: str = ""


@dataclass(frozen=True)
class Operation:
    """A passthrough action that may list values: its call and its parameters."""

    operation_id: str
    summary: str
    method: str
    path: str
    parameters: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.operation_id}: {self.summary}" if self.summary else self.operation_id

    def parameter_names(self) -> list[str]:
        return [str(p["name"]) for p in self.parameters if isinstance(p.get("name"), str)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_dynamic_values(parameter: dict[str, Any]) -> DynamicValues | None:
    """The parameter's dynamic values (from x-ms-dynamic-values, else x-ms-dynamic-list)."""
    extras = parameter.get("extras")
    if not isinstance(extras, dict):
        return None
    return parse_extension(extras.get(VALUES), VALUES) or parse_extension(extras.get(LIST), LIST)


# Where each extension keeps the operation's parameters' references and the three paths.
_SHAPES = {
    VALUES: ("parameter", "value-collection", "value-path", "value-title"),
    LIST: ("parameterReference", "itemsPath", "itemValuePath", "itemTitlePath"),
}


def path_keys(key: str) -> tuple[str, str, str]:
    """The (collection, value path, title path) keys of extension ``key``."""
    _, collection, value, title = _SHAPES[key]
    return collection, value, title


def parse_extension(raw: Any, key: str) -> DynamicValues | None:
    """One extension (``key``: VALUES or LIST) as ``DynamicValues``; None if not an object."""
    if not isinstance(raw, dict):
        return None
    reference, collection, value, title = _SHAPES[key]
    return DynamicValues(
        _text(raw.get("operationId")),
        _mappings(raw.get("parameters"), reference),
        _text(raw.get(collection)),
        _text(raw.get(value)),
        _text(raw.get(title)),
    )


def _mappings(raw: Any, reference_key: str) -> tuple[Mapping, ...]:
    if not isinstance(raw, dict):
        return ()
    found = []
    for name, how in raw.items():
        if isinstance(how, dict) and isinstance(how.get(reference_key), str) and len(how) == 1:
            found.append(Mapping(str(name), parameter=how[reference_key]))
        elif isinstance(how, dict) and set(how) == {"value"}:
            found.append(Mapping(str(name), value=how["value"]))
        else:
            found.append(Mapping(str(name), value=how))
    return tuple(found)


def extensions(dynamic: DynamicValues) -> tuple[dict[str, Any], dict[str, Any]]:
    """(x-ms-dynamic-values, x-ms-dynamic-list) in Microsoft's shapes; empty paths left out."""
    values: dict[str, Any] = {"operationId": dynamic.operation_id}
    listed: dict[str, Any] = {"operationId": dynamic.operation_id}
    if dynamic.mappings:
        values["parameters"] = {
            m.name: {"parameter": m.parameter} if m.parameter is not None else m.value
            for m in dynamic.mappings
        }
        listed["parameters"] = {
            m.name: {"parameterReference": m.parameter}
            if m.parameter is not None
            else {"value": m.value}
            for m in dynamic.mappings
        }
    for key, list_key, value in (
        ("value-collection", "itemsPath", dynamic.collection),
        ("value-path", "itemValuePath", dynamic.value_path),
        ("value-title", "itemTitlePath", dynamic.title_path),
    ):
        if value:
            values[key], listed[list_key] = value, value
    return values, listed


def set_dynamic_values(parameter: dict[str, Any], dynamic: DynamicValues | None) -> None:
    """Write both extensions into the parameter's extras (None: remove both), in place."""
    extras = parameter.get("extras")
    extras = dict(extras) if isinstance(extras, dict) else {}
    extras.pop(VALUES, None)
    extras.pop(LIST, None)
    if dynamic is not None:
        extras[VALUES], extras[LIST] = extensions(dynamic)
    if extras:
        parameter["extras"] = extras
    else:
        parameter.pop("extras", None)


def candidate_operations(design: Design) -> list[Operation]:
    """The actions kept in passthrough, by operationId, that may list values (no triggers)."""
    swagger = (design.get("passthrough") or {}).get("swagger") or {}
    paths = swagger.get("paths") if isinstance(swagger, dict) else None
    found: dict[str, Operation] = {}
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        shared = _resolved(item.get("parameters"), swagger)
        for method in HTTP_METHODS:
            node = item.get(method)
            if not isinstance(node, dict) or "x-ms-trigger" in node:
                continue
            operation_id = node.get("operationId")
            if not isinstance(operation_id, str) or not operation_id or operation_id in found:
                continue
            own = _resolved(node.get("parameters"), swagger)
            names = {(p.get("name"), p.get("in")) for p in own}
            merged = [p for p in shared if (p.get("name"), p.get("in")) not in names] + own
            found[operation_id] = Operation(
                operation_id, _text(node.get("summary")), method, str(path), merged
            )
    return sorted(found.values(), key=lambda op: op.operation_id.lower())


def _resolved(raw: Any, swagger: dict[str, Any]) -> list[dict[str, Any]]:
    """A parameters list with ``#/parameters/X`` references followed (others dropped)."""
    raw_shared = swagger.get("parameters")
    shared: dict[str, Any] = raw_shared if isinstance(raw_shared, dict) else {}
    found = []
    for item in raw if isinstance(raw, list) else []:
        ref = item.get("$ref") if isinstance(item, dict) else None
        if isinstance(ref, str) and ref.startswith("#/parameters/"):
            item = shared.get(ref.removeprefix("#/parameters/").replace("~1", "/"))
        if isinstance(item, dict) and "$ref" not in item:
            found.append(item)
    return found
