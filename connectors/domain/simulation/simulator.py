"""What the simulated publisher of a design answers: routes, polling items, broken payloads.

Purpose: the pure half of the simulator (``connectors.services_simulator`` keeps its state in the
database, ``connectors.views.simulator`` speaks HTTP). It finds which trigger a request is for,
checks a registration body against the design's schema, builds polling items from the 200
schema (the design keeps no item samples) and makes a payload that breaks a schema. Schemas,
examples and the polling layout are the runner's own functions (``$ref``s resolve against the
exported swagger's definitions), so the simulator answers what the runner checks.

Input: a design (``connectors.domain.design``), a method and a path relative to the simulator
base. Output: ``Route`` (trigger index, role, path parameters), lists of (JSON pointer, message),
plain JSON values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from connectors.domain.design import Design, clone_json
from connectors.domain.runner.build import example_value, resolve, set_at_pointer
from connectors.domain.runner.plan import base_path
from connectors.domain.runner.polling import collection_and_value
from connectors.domain.runner.schemas import schema_errors, with_definitions
from connectors.domain.swagger.batches import item_schema

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
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
    base = base_path(design)
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


def registration_errors(
    trigger: dict[str, Any], swagger: dict[str, Any], body: Any
) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way ``body`` breaks the registration body schema."""
    declared = trigger["request"].get("body")
    if isinstance(declared, dict) and "ref" in declared:
        declared = resolve({"$ref": declared["ref"]}, swagger)
    schema = declared.get("schema") if isinstance(declared, dict) else None
    if not isinstance(schema, dict) or not schema:
        return []
    return schema_errors(with_definitions(schema, swagger), body)


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


def notification_example(trigger: dict[str, Any], swagger: dict[str, Any]) -> Any:
    """One event that fits the notification schema (an item of it when it is an array)."""
    schema = resolve((trigger.get("notification") or {}).get("schema"), swagger)
    if isinstance(schema, dict) and schema.get("type") == "array":
        schema = schema.get("items")
    return example_value(schema, swagger)


def _set_path(item: Any, dotted: str, value: Any) -> None:
    parts = [part for part in dotted.split(".") if part]
    for part in parts[:-1]:
        if not isinstance(item, dict):
            return
        item = item.setdefault(part, {})
    if isinstance(item, dict) and parts:
        item[parts[-1]] = value


def polling_layout(
    trigger: dict[str, Any], swagger: dict[str, Any]
) -> tuple[str | None, str, dict[str, Any]]:
    """(collection or None, value path, item schema) of a polling trigger's 200 answer; the
    collection and value path are the runner's reading of the design (``id`` when none)."""
    collection, value_path = collection_and_value(trigger.get("polling") or {})
    response = resolve(((trigger.get("responses") or {}).get("200") or {}).get("schema"), swagger)
    schema = response if isinstance(response, dict) else {}
    if collection:
        holder = resolve((schema.get("properties") or {}).get(collection), swagger)
        items = holder.get("items") if isinstance(holder, dict) else None
    else:
        items = schema.get("items") if schema.get("type") == "array" else schema
    items = resolve(items, swagger)
    return collection, value_path or "id", items if isinstance(items, dict) else {"type": "object"}


def polling_items(
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    first: int,
    last: int,
    *,
    newest_first: bool,
    repeat: int | None = None,
) -> Any:
    """Items ``first``..``last`` (their value path holds the number; so does the external id,
    when the trigger names one), as the 200 body; ``repeat``: one more item, an old one again."""
    collection, value_path, item_schema = polling_layout(trigger, swagger)
    properties = item_schema.get("properties") or {}
    value_schema = resolve(properties.get(value_path.split(".")[0]), swagger)
    is_number = isinstance(value_schema, dict) and value_schema.get("type") in ("integer", "number")
    numbers = list(reversed(range(first, last + 1)) if newest_first else range(first, last + 1))
    items = []
    for number in [*numbers, *([repeat] if repeat else [])]:
        item = example_value(item_schema, swagger)
        if not isinstance(item, dict):
            item = {}
        _set_path(item, value_path, number if is_number else str(number))
        items.append(with_external_id(trigger, swagger, item, number))
    return {collection: items} if collection else items


def with_external_id(
    trigger: dict[str, Any], swagger: dict[str, Any], item: Any, number: int
) -> Any:
    """``item`` with ``number`` at the trigger's external id (text unless the schema there says
    integer or number), so that each record the simulator makes has its own id."""
    pointer = trigger.get("externalId")
    if not pointer or not isinstance(item, dict):
        return item
    polling = trigger.get("kind") == "polling"
    schema = polling_layout(trigger, swagger)[2] if polling else item_schema(trigger, swagger)
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        schema = resolve(((schema or {}).get("properties") or {}).get(token), swagger)
    numeric = isinstance(schema, dict) and schema.get("type") in ("integer", "number")
    return set_at_pointer(item, pointer, number if numeric else str(number))


def notification_batch(
    trigger: dict[str, Any], swagger: dict[str, Any], samples: list[Any], count: int
) -> list[Any]:
    """``count`` items for one batch notification: the samples in turn, each with its own
    external id when the trigger names one."""
    made = []
    for number in range(1, count + 1):
        item = clone_json(samples[(number - 1) % len(samples)]) if samples else {}
        made.append(with_external_id(trigger, swagger, item, number))
    return made


def broken(schema: dict[str, Any] | None) -> Any:
    """A payload that does not fit ``schema``: the wrong JSON type at the top."""
    kind = (schema or {}).get("type")
    if kind == "array":
        return {"broken": "an object where the schema wants an array"}
    if kind == "object" or (schema or {}).get("properties"):
        return ["broken: an array where the schema wants an object"]
    return None
