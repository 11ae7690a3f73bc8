"""What the simulated publisher of a design answers: routes, polling items, broken payloads.

Purpose: the pure half of the simulator (``connectors.services_simulator`` keeps its state in the
database, ``connectors.views.simulator`` speaks HTTP). It finds which trigger a request is for,
checks a registration body against the design's schema, builds polling items from the 200
schema (the design keeps no item samples) and makes a payload that breaks a schema.

Input: a design (``connectors.domain.design``), a method and a path relative to the simulator
base. Output: ``Route`` (trigger index, role, path parameters), lists of (JSON pointer, message),
plain JSON values.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft4Validator

from connectors.domain.design import Design

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
# Keywords jsonschema does not know are ignored, so x-ms-* extensions pass through.
ITEMS_PER_EVENT = 3


@dataclass(frozen=True)
class Route:
    trigger_index: int
    role: str  # "register" | "delete" | "poll"
    params: dict[str, str] = field(default_factory=dict)


def _pattern(template: str) -> re.Pattern[str]:
    parts = _TEMPLATE.split(template.rstrip("/") or "/")
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<p{index // 2}>[^/]+)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex + "/?")


def _match(template: str, path: str) -> dict[str, str] | None:
    found = _pattern(template).fullmatch(path)
    if found is None:
        return None
    names = _TEMPLATE.findall(template)
    return {name: found.group(f"p{index}") for index, name in enumerate(names)}


def strip_base_path(design: Design, path: str) -> str:
    """``/api/v1/hooks`` -> ``/hooks`` when the design's basePath is ``/api/v1``."""
    path = "/" + path.lstrip("/")
    base = (design["general"].get("basePath") or "/").rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    return path


def route(design: Design, method: str, path: str) -> Route | None:
    """The trigger and role a request is for, or None (the simulator answers 404)."""
    method = method.lower()
    path = strip_base_path(design, path)
    for index, trigger in enumerate(design["triggers"]):
        request = trigger["request"]
        params = _match(request["path"], path)
        if params is not None and method == request["method"]:
            role = "poll" if trigger["kind"] == "polling" else "register"
            return Route(index, role, params)
        delete = trigger.get("deleteAction")
        if method == "delete" and delete and trigger["kind"] == "webhook":
            params = _match(delete["path"], path)
            if params is not None:
                return Route(index, "delete", params)
    return None


def hook_path(trigger: dict[str, Any], hook_id: str, request_params: dict[str, str]) -> str:
    """Where a new subscription lives: the DELETE action's path with its id filled in."""
    delete = trigger.get("deleteAction")
    if not delete:
        return f"/_hooks/{hook_id}"
    names = _TEMPLATE.findall(delete["path"])
    values = {name: request_params.get(name, hook_id) for name in names}
    # The last template segment not known from the registration request is the hook id.
    unknown = [name for name in names if name not in request_params]
    if unknown:
        values[unknown[-1]] = hook_id
    return _TEMPLATE.sub(lambda m: values[m.group(1)], delete["path"])


def hook_id_from(trigger: dict[str, Any], params: dict[str, str]) -> str:
    delete = trigger.get("deleteAction") or {}
    names = _TEMPLATE.findall(delete.get("path", ""))
    return params.get(names[-1], "") if names else ""


def schema_errors(schema: dict[str, Any] | None, value: Any) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way ``value`` breaks ``schema``; [] when none."""
    if not schema:
        return []
    errors = sorted(Draft4Validator(schema).iter_errors(value), key=lambda e: list(e.path))
    return [("".join(f"/{part}" for part in e.absolute_path), e.message) for e in errors]


def read_pointer(value: Any, pointer: str | None) -> Any:
    if not pointer:
        return None
    for token in pointer.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def example(schema: dict[str, Any] | None, name: str = "value") -> Any:
    """A value that fits ``schema`` (first enum, format-aware strings, every property)."""
    schema = schema or {}
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: example(sub, key) for key, sub in props.items()}
    if kind == "array":
        return [example(schema.get("items"), name)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    formats = {
        "date-time": "2024-01-01T00:00:00Z",
        "date": "2024-01-01",
        "uri": "https://example.com/",
        "email": "someone@example.com",
    }
    return formats.get(schema.get("format", ""), f"sample {name}")


def _set_path(item: Any, dotted: str, value: Any) -> None:
    parts = [part for part in dotted.split(".") if part]
    for part in parts[:-1]:
        if not isinstance(item, dict):
            return
        item = item.setdefault(part, {})
    if isinstance(item, dict) and parts:
        item[parts[-1]] = value


def polling_layout(trigger: dict[str, Any]) -> tuple[str | None, str, dict[str, Any]]:
    """(collection or None, value path, item schema) of a polling trigger's 200 answer."""
    polling = trigger.get("polling") or {}
    policy = polling.get("policy") or {}
    collection = polling.get("valueCollection")
    value_path = polling.get("valuePath") or "id"
    if policy:
        data = (policy.get("triggerDataPath") or "").removeprefix("@").removeprefix("triggerBody()")
        collection = data.lstrip(".") or None
        config = next(iter((policy.get("triggerConfig") or {}).values()), "")
        found = re.search(r"\[0\]\.([\w.]+)", config)
        value_path = found.group(1) if found else value_path
    schema = ((trigger.get("responses") or {}).get("200") or {}).get("schema") or {}
    if collection:
        items = ((schema.get("properties") or {}).get(collection) or {}).get("items")
    else:
        items = schema.get("items") if schema.get("type") == "array" else schema
    return collection, value_path, items or {"type": "object"}


def polling_items(trigger: dict[str, Any], first: int, last: int, *, newest_first: bool) -> Any:
    """Items ``first``..``last`` (their value path holds the number), as the 200 body."""
    collection, value_path, item_schema = polling_layout(trigger)
    numbers = range(first, last + 1)
    items = []
    for number in reversed(numbers) if newest_first else numbers:
        item = example(item_schema, "item")
        if not isinstance(item, dict):
            item = {}
        value_schema = read_pointer(item_schema, "/properties/" + value_path.split(".")[0])
        is_number = isinstance(value_schema, dict) and value_schema.get("type") in (
            "integer",
            "number",
        )
        _set_path(item, value_path, number if is_number else str(number))
        items.append(item)
    return {collection: items} if collection else items


def broken(schema: dict[str, Any] | None) -> Any:
    """A payload that does not fit ``schema``: the wrong JSON type at the top."""
    kind = (schema or {}).get("type")
    if kind == "array":
        return {"broken": "an object where the schema wants an array"}
    if kind == "object" or (schema or {}).get("properties"):
        return ["broken: an array where the schema wants an object"]
    return None
