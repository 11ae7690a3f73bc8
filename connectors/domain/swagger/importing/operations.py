"""One trigger operation (or the DELETE that unsubscribes it) -> its design part.

Purpose: split an operation into the fields the design models (summary, description,
operationId, visibility, cardinality, trigger hint, parameters, body, responses, callback
pointer, notification, polling settings) and ``extensions``: every other operation key,
verbatim. A modeled key whose value the design cannot hold (an ``x-ms-trigger`` of "Single",
an empty operationId, ...) stays in ``extensions`` as written, with a note, so that the
export gives the same file back.

Input: the document, the path, method, path item and operation, the pointer of the operation,
and the apiProperties ``pollingtrigger`` policies (for polling triggers).
Output: a design trigger / delete action (``dict``) and notes.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.domain.design import VISIBILITIES
from connectors.domain.refs import SwaggerImportError, find_callbacks, is_flag, resolve
from connectors.domain.swagger.batches import read_batches
from connectors.domain.swagger.exporting.operations import pointer_tokens
from connectors.domain.swagger.importing.parameters import import_parameters
from connectors.domain.swagger.importing.polling import PolicyPool, import_polling

_OPERATION_TEXTS = ("operationId", "summary", "description")


def operation_label(path: str, method: str, operation: dict[str, Any]) -> str:
    """How notes name an operation: "OnNewItem (POST /items)"."""
    name = operation.get("operationId")
    name = name if isinstance(name, str) and name else "(no operationId)"
    return f"{name} ({method.upper()} {path})"


def has_callback(
    doc: dict[str, Any], path_item: dict[str, Any], operation: dict[str, Any], pointer: str = ""
) -> bool:
    """Whether a parameter (path-level ones included: the platform merges them) or a body
    property of the operation (at ``pointer``, for error messages) carries
    x-ms-notification-url."""
    for raw, at in _all_parameters(path_item, operation, pointer):
        parameter, _ = resolve(doc, raw, at)
        if not isinstance(parameter, dict):
            continue
        schema = parameter.get("schema")
        if parameter.get("in") == "body" and find_callbacks(doc, schema, f"{at}/schema"):
            return True
        if parameter.get("in") != "body" and is_flag(parameter.get("x-ms-notification-url")):
            return True
    return False


def _all_parameters(
    path_item: dict[str, Any], operation: dict[str, Any], pointer: str
) -> list[tuple[Any, str]]:
    """(parameter, its pointer): the path item's, then the operation's at ``pointer``."""
    path_pointer = pointer.rpartition("/")[0]
    return [
        *(
            (raw, f"{path_pointer}/parameters/{i}")
            for i, raw in enumerate(_list(path_item.get("parameters")))
        ),
        *(
            (raw, f"{pointer}/parameters/{i}")
            for i, raw in enumerate(_list(operation.get("parameters")))
        ),
    ]


def trigger_kind(
    doc: dict[str, Any], path_item: dict[str, Any], operation: dict[str, Any], pointer: str = ""
) -> str:
    """webhook when the path item has notification content or a callback parameter."""
    if isinstance(path_item.get("x-ms-notification-content"), dict):
        return "webhook"
    return "webhook" if has_callback(doc, path_item, operation, pointer) else "polling"


def build_trigger(
    doc: dict[str, Any],
    where: tuple[str, str, str],
    path_item: dict[str, Any],
    policies: PolicyPool,
    notes: list[str],
) -> dict[str, Any]:
    """The design trigger for the operation at ``where`` = (path, method, pointer)."""
    path, method, pointer = where
    operation = path_item[method]
    label = operation_label(path, method, operation)
    kind = trigger_kind(doc, path_item, operation, pointer)
    extensions = {k: copy.deepcopy(v) for k, v in operation.items() if k != "parameters"}
    trigger: dict[str, Any] = {"kind": kind}
    _take_operation_texts(trigger, extensions, label, notes)
    trigger["visibility"] = _take_visibility(extensions, label, notes)
    _take_trigger_keys(trigger, extensions, label, notes)
    params = import_parameters(doc, operation.get("parameters"), f"{pointer}/parameters", label)
    notes.extend(params.notes)
    trigger["request"] = {
        "method": method,
        "path": path,
        "parameters": params.parameters,
        "body": params.body,
        "callbackPointer": _callback_pointer(
            doc, params.body, kind, label, notes, params.body_pointer or pointer
        ),
    }
    if kind == "webhook":
        trigger["notification"] = _notification(
            path_item.get("x-ms-notification-content"), label, notes
        )
        trigger["polling"] = None
    else:
        trigger["notification"] = None
        trigger["polling"] = import_polling(doc, trigger, extensions, policies, notes, label)
    _take_batches(trigger)
    trigger["deleteAction"] = None
    trigger["extensions"] = extensions
    return trigger


def build_delete_action(
    doc: dict[str, Any], path: str, operation: dict[str, Any], pointer: str, notes: list[str]
) -> dict[str, Any] | None:
    """The design deleteAction for a DELETE operation, or None when the design cannot hold it."""
    label = operation_label(path, "delete", operation)
    operation_id = operation.get("operationId")
    if not isinstance(operation_id, str) or not operation_id or not path.startswith("/"):
        problem = "has no operationId" if path.startswith("/") else "has a path without '/'"
        notes.append(f"{label} {problem}, so it cannot be a trigger's delete action")
        return None
    try:
        params = import_parameters(doc, operation.get("parameters"), f"{pointer}/parameters", label)
    except SwaggerImportError as exc:
        # Only a trigger's own flaws stop the import; this operation can stay an action.
        notes.append(f"{label} cannot be a delete action ({exc}); kept as an action")
        return None
    if params.body is not None and "ref" not in params.body:
        notes.append(f"{label} sends a request body, which a delete action cannot hold")
        return None
    notes.extend(params.notes)
    extensions = {k: copy.deepcopy(v) for k, v in operation.items() if k != "parameters"}
    action: dict[str, Any] = {"path": path}
    _take_operation_texts(action, extensions, label, notes)
    visibility = _take_visibility(extensions, label, notes)
    if visibility != "none":
        action["visibility"] = visibility
    action["parameters"] = params.parameters + ([params.body] if params.body else [])
    if isinstance(extensions.get("responses"), dict):
        action["responses"] = extensions.pop("responses")
    action["extensions"] = extensions
    return action


def _take_operation_texts(
    target: dict[str, Any], extensions: dict[str, Any], label: str, notes: list[str]
) -> None:
    # The export leaves empty texts out, so an explicit "" (or a non-text) stays as written.
    for key in _OPERATION_TEXTS:
        value = extensions.get(key)
        if isinstance(value, str) and value:
            target[key] = extensions.pop(key)
        else:
            target[key] = ""
            if key in extensions and not isinstance(value, str):
                notes.append(f"{label}: {key} is {value!r}, not text; kept verbatim")


def _take_batches(trigger: dict[str, Any]) -> None:
    """Our export's last paragraph of the description says the batch size and external id."""
    trigger["description"], facts = read_batches(trigger["description"])
    if facts.size is not None:
        trigger["batchSize"] = facts.size
    if facts.pointer is not None:
        trigger["externalId"] = facts.pointer
    if facts.parameter is not None and isinstance(trigger.get("polling"), dict):
        trigger["polling"]["pageSizeParameter"] = facts.parameter


def _take_visibility(extensions: dict[str, Any], label: str, notes: list[str]) -> str:
    value = extensions.get("x-ms-visibility")
    if value in VISIBILITIES and value != "none":
        return str(extensions.pop("x-ms-visibility"))
    if "x-ms-visibility" in extensions and value != "none":
        notes.append(
            f"{label}: x-ms-visibility {value!r} is not none/advanced/internal/important; "
            "kept verbatim"
        )
    return "none"


def _take_trigger_keys(
    trigger: dict[str, Any], extensions: dict[str, Any], label: str, notes: list[str]
) -> None:
    cardinality = extensions.get("x-ms-trigger")
    if cardinality in ("single", "batch"):
        trigger["cardinality"] = extensions.pop("x-ms-trigger")
    else:
        notes.append(
            f"{label}: x-ms-trigger {cardinality!r} is neither single nor batch; kept verbatim"
        )
    if isinstance(extensions.get("x-ms-trigger-hint"), str):
        trigger["triggerHint"] = extensions.pop("x-ms-trigger-hint")
    elif "x-ms-trigger-hint" in extensions:
        notes.append(f"{label}: x-ms-trigger-hint is not text; kept verbatim")
    if isinstance(extensions.get("responses"), dict):
        trigger["responses"] = extensions.pop("responses")
    elif "responses" in extensions:
        notes.append(f"{label}: responses is not an object; kept verbatim")


def _callback_pointer(
    doc: dict[str, Any],
    body: dict[str, Any] | None,
    kind: str,
    label: str,
    notes: list[str],
    body_at: str,
) -> str | None:
    """The body property to receive the callback URL; ``body_at`` is the body's pointer."""
    if kind != "webhook":
        return None
    if body is None:
        notes.append(f"{label}: no callback property in the operation's own body; none chosen")
        return None
    inline = "ref" not in body
    if inline:
        schema, schema_at = body["schema"], f"{body_at}/schema"
    else:
        schema = resolve(doc, {"$ref": body["ref"]}, body_at)[0].get("schema")
        schema_at = f"{body['ref'][1:]}/schema"
    pointers = [c.pointer for c in find_callbacks(doc, schema, schema_at)]
    usable = [p for p in pointers if p and "/*" not in p]
    if not usable:
        notes.append(f"{label}: no callback property (x-ms-notification-url) in the body")
        return None
    if len(pointers) > 1:
        notes.append(
            f"{label}: several callback properties {pointers}; the design keeps {usable[0]}"
        )
    if inline and not _export_leaves_as_is(schema, usable[0]):
        notes.append(
            f"{label}: the callback property {usable[0]} is not a plain internal property; left "
            "unchosen so the file stays as it is (choosing it makes the export mark it internal, "
            "string and required)"
        )
        return None
    return usable[0]


def _export_leaves_as_is(schema: dict[str, Any], pointer: str) -> bool:
    """Whether marking ``pointer`` on export (``swagger.exporting.operations.mark_callback``)
    changes no trigger fact: the walk must meet existing properties (it would create missing ones)
    and the property must already be internal. A ``$ref`` on the way stops that walk, so it
    changes nothing."""
    node: Any = schema
    for token in pointer_tokens(pointer):
        if not isinstance(node, dict) or "$ref" in node:
            return True
        properties = node.get("properties")
        if not isinstance(properties, dict) or token not in properties:
            return False
        node = properties[token]
    return not isinstance(node, dict) or "$ref" in node or node.get("x-ms-visibility") == "internal"


def _notification(content: Any, label: str, notes: list[str]) -> dict[str, Any] | None:
    if not isinstance(content, dict):
        return None
    extras = copy.deepcopy(content)
    notification: dict[str, Any] = {"description": None, "samples": [], "schema": None}
    if isinstance(extras.get("description"), str):
        notification["description"] = extras.pop("description")
    if isinstance(extras.get("schema"), dict):
        notification["schema"] = extras.pop("schema")
    elif "schema" in extras:
        notes.append(f"{label}: the notification schema is not an object; kept verbatim")
    notification["extras"] = extras
    return notification


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
