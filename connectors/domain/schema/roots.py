"""Where a webhook trigger's two schemas are, and how their ``$ref``s resolve.

Purpose: the part of the schema editor (``schema.tree``, ``schema.edit``) that finds a root
schema: "body", the trigger's request body schema, or the schema of the shared body parameter
(``{"ref": "#/parameters/X"}``) it refers to; "notification", the trigger's notification
schema. Local ``$ref``s are read in the design's passthrough swagger, where an import keeps
``definitions`` and ``parameters`` verbatim; the location of what a ref reaches is a pointer
into the design ("/passthrough/swagger/definitions/X").

Input: a design, a trigger index, a root name. Output: ``SchemaRoot`` / ``Resolved`` records;
``SchemaEditError``, the one error of the schema editor, for a bad root or index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.domain.documents import lookup_pointer
from connectors.domain.schema.usage import SWAGGER_LOCATION

ROOTS = ("body", "notification")
_MAX_HOPS = 32  # a chain of $refs longer than this is treated as a loop


class SchemaEditError(ValueError):
    """Input the maker must fix: ``field`` is the row field (title, type, default, ...) or the
    argument (pointer, name, root, index) at fault; ``pointer`` the payload pointer of the row."""

    def __init__(self, message: str, *, field: str, pointer: str = "") -> None:
        self.field = field
        self.pointer = pointer
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Resolved:
    node: Any  # the schema reached, None when the chain is broken
    location: str
    refs: tuple[str, ...]  # the refs followed (the one at fault included)
    status: str  # "ok", "loop" or "broken"


@dataclass(frozen=True)
class SchemaRoot:
    node: Any
    location: str
    refs: tuple[str, ...]
    callback: str | None  # the trigger's callbackPointer (root "body" only)


def swagger_of(design: dict[str, Any]) -> Any:
    return (design.get("passthrough") or {}).get("swagger") or {}


def schema_root(design: dict[str, Any], index: int, root: str) -> SchemaRoot | None:
    """The root schema (resolved) of trigger ``index``; None when the trigger has none."""
    if root not in ROOTS:
        raise SchemaEditError(f"{root!r} is not a schema: use body or notification", field="root")
    triggers = design.get("triggers") or []
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(triggers):
        raise SchemaEditError(f"there is no trigger {index}", field="index")
    trigger = triggers[index]
    if root == "notification":
        notification = trigger.get("notification")
        if not isinstance(notification, dict) or notification.get("schema") is None:
            return None
        found = resolve(design, notification["schema"], f"/triggers/{index}/notification/schema")
        return SchemaRoot(found.node, found.location, found.refs, None)
    request = trigger["request"]
    body = request.get("body")
    if not isinstance(body, dict):
        return None
    schema, location = body.get("schema"), f"/triggers/{index}/request/body/schema"
    if "ref" in body:  # a shared body parameter: its schema
        parameter = resolve(design, {"$ref": body["ref"]}, location)
        if not isinstance(parameter.node, dict) or "schema" not in parameter.node:
            return SchemaRoot(None, parameter.location, parameter.refs, None)
        schema, location = parameter.node["schema"], parameter.location + "/schema"
    found = resolve(design, schema, location)
    return SchemaRoot(found.node, found.location, found.refs, request.get("callbackPointer"))


def resolve(design: dict[str, Any], node: Any, location: str) -> Resolved:
    """Follow ``node``'s chain of local ``$ref``s inside the passthrough swagger. A chain that
    loops or breaks ends where it started (``location``): that is where a maker fixes it."""
    swagger, refs, start = swagger_of(design), [], location
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        refs.append(ref)
        if ref in refs[:-1] or len(refs) > _MAX_HOPS:
            return Resolved(None, start, tuple(refs), "loop")
        found, target = lookup_pointer(swagger, ref[1:]) if ref.startswith("#/") else (False, None)
        if not found:
            return Resolved(None, start, tuple(refs), "broken")
        node, location = target, SWAGGER_LOCATION + ref[1:]
    return Resolved(node, location, tuple(refs), "ok")
