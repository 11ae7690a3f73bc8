"""The ``paths`` of the exported swagger: trigger operations, notifications and DELETE actions.

Purpose: the operation half of ``swagger.exporting.definition`` (docs/design-mapping.md, "A trigger
operation"). Each trigger becomes ``paths[path][method]`` with its parameters, body and
responses; its notification becomes the path item's ``x-ms-notification-content``; its DELETE
action is written once per path however many triggers share it. ``mark_callback`` enforces the
callback-URL contract on an inline body schema; ``authoring`` uses it too.

Merge rule for the verbatim parts (operation ``extensions``, parameter ``extras``): a value the
design holds wins; extras fill whatever the design leaves unset, so a key the importer could not
model (an empty operationId, an ``x-ms-trigger`` of "Single") comes back as it was.

Input: design triggers and the passthrough paths, never changed: what this module writes into
(a passthrough path item, a body schema given the callback mark, the responses of a polling
interval) it copies first. Output: the ``paths`` object; it may share the values it did not
write with the design (``swagger.exporting.definition`` decides whether the caller gets a copy).
"""

from __future__ import annotations

from typing import Any

from connectors.domain.design import clone_json
from connectors.domain.documents import unescape_pointer
from connectors.domain.swagger.batches import describe

_TRIGGER_METADATA = {"kind": "query", "mode": "polling"}


def export_paths(triggers: list[dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
    """Passthrough paths (in their order) with every trigger and DELETE action written in.

    A path item that also holds passthrough operations keeps its place; the others are new.
    New items go after the item of the trigger before them, so that the document lists the
    triggers in the design's order and importing the export gives back the same trigger
    order (and so the same bytes on the next export). With no trigger item in passthrough the
    new items simply follow the passthrough paths.
    """
    wanted = _trigger_paths(triggers)
    order = list(extra)
    kept = [order.index(path) for path in wanted if path in extra]
    cursor = kept[0] - 1 if kept else len(order) - 1
    items: dict[str, dict[str, Any]] = {}
    for path in wanted:
        if path in items:
            cursor = max(cursor, order.index(path))
            continue
        passthrough = extra.get(path)  # a passthrough item is never written; a non-object is lost
        items[path] = dict(passthrough) if isinstance(passthrough, dict) else {}
        if path in extra:
            cursor = max(cursor, order.index(path))
        else:
            cursor += 1
            order.insert(cursor, path)
    deletes_written: set[str] = set()
    for trigger in triggers:
        request = trigger["request"]
        item = items[request["path"]]
        item[request["method"]] = _trigger_operation(trigger)
        if trigger.get("notification") is not None:
            item["x-ms-notification-content"] = _notification(trigger["notification"])
        action = trigger.get("deleteAction")
        # Several triggers may share one DELETE (each holds a copy): the first copy is written.
        if action and action["path"] not in deletes_written:
            deletes_written.add(action["path"])
            items[action["path"]]["delete"] = _delete_operation(action)
    return {path: items[path] if path in items else extra[path] for path in order}


def _trigger_paths(triggers: list[dict[str, Any]]) -> list[str]:
    """The path items the triggers write into, in the order they are written."""
    paths: list[str] = []
    for trigger in triggers:
        paths.append(trigger["request"]["path"])
        action = trigger.get("deleteAction")
        if action:
            paths.append(action["path"])
    return paths


def _trigger_operation(trigger: dict[str, Any]) -> dict[str, Any]:
    extensions = trigger.get("extensions") or {}
    # Swagger has no key for a batch's size or external id: the description says them.
    op = _operation_head({**trigger, "description": describe(trigger)})
    # An imported value the design cannot hold (e.g. "Single") waits in extensions.
    op["x-ms-trigger"] = (
        trigger["cardinality"]
        if trigger.get("cardinality")
        else extensions.get("x-ms-trigger", "single")
    )
    if trigger.get("triggerHint"):
        op["x-ms-trigger-hint"] = trigger["triggerHint"]
    polling = trigger.get("polling") or {}
    if polling.get("metadata"):
        op["x-ms-trigger-metadata"] = dict(_TRIGGER_METADATA)
    parameters = _with_page_size(_trigger_parameters(trigger["request"], polling), trigger)
    if parameters:
        op["parameters"] = parameters
    op["responses"] = _with_retry_interval(trigger.get("responses") or {}, polling)
    merge_extras(op, extensions)
    return op


def _with_page_size(parameters: list[dict[str, Any]], trigger: dict[str, Any]) -> list[Any]:
    """The page-size query parameter defaults to the batch size: what a run asks for."""
    name = (trigger.get("polling") or {}).get("pageSizeParameter")
    size = trigger.get("batchSize")
    for parameter in parameters if name and size else ():
        if parameter.get("name") == name and parameter.get("in") == "query":
            parameter["default"] = size
    return parameters


def _with_retry_interval(responses: dict[str, Any], polling: dict[str, Any]) -> dict[str, Any]:
    """The polling interval is the default of every declared ``Retry-After`` header."""
    seconds = polling.get("retryInterval")
    if seconds is None:
        return responses
    responses = clone_json(responses)  # the design's responses stay as they are
    for response in responses.values():
        headers = response.get("headers") if isinstance(response, dict) else None
        for name, header in (headers or {}).items() if isinstance(headers, dict) else ():
            if name.lower() == "retry-after" and isinstance(header, dict):
                header["default"] = seconds
    return responses


def _delete_operation(action: dict[str, Any]) -> dict[str, Any]:
    op = _operation_head(action)
    parameters = [_parameter(parameter) for parameter in action.get("parameters") or []]
    if parameters:
        op["parameters"] = parameters
    op["responses"] = action.get("responses") or {}
    merge_extras(op, action.get("extensions"))
    return op


def _operation_head(source: dict[str, Any]) -> dict[str, Any]:
    op = {key: source[key] for key in ("summary", "description", "operationId") if source.get(key)}
    _put_visibility(op, source.get("visibility"))
    return op


def _trigger_parameters(request: dict[str, Any], polling: dict[str, Any]) -> list[dict[str, Any]]:
    state = polling.get("stateParameter")
    trigger_value = None
    if polling.get("valueCollection") and polling.get("valuePath"):
        trigger_value = {
            "value-collection": polling["valueCollection"],
            "value-path": polling["valuePath"],
        }
    rendered = []
    for parameter in request.get("parameters") or []:
        is_state = bool(state) and parameter.get("name") == state
        rendered.append(_parameter(parameter, trigger_value if is_state else None))
    if request.get("body") is not None:
        rendered.append(_body(request["body"], request.get("callbackPointer")))
    return rendered


def _parameter(
    parameter: dict[str, Any], trigger_value: dict[str, str] | None = None
) -> dict[str, Any]:
    if "ref" in parameter:
        return {"$ref": parameter["ref"]}
    in_path = parameter["in"] == "path"
    extras = parameter.get("extras") or {}
    out: dict[str, Any] = {"name": parameter["name"], "in": parameter["in"]}
    # The design must hold a boolean, so the importer writes False when the file had some other
    # value and keeps that value in extras: the leftover is what the file said.
    out["required"] = extras.get("required", parameter["required"])
    for key in ("type", "default"):
        if parameter.get(key) is not None:
            out[key] = parameter[key]
    _put_texts(out, parameter)
    _put_visibility(out, parameter.get("visibility"))
    if trigger_value is not None:
        out["x-ms-trigger-value"] = trigger_value
    if in_path and "x-ms-url-encoding" not in extras:
        out["x-ms-url-encoding"] = "single"
    merge_extras(out, extras)
    if out.get("format") == "password":
        out.pop("x-ms-test-value", None)  # a test value is for everyone to read: never a secret
    if in_path:
        out["required"] = True  # Swagger and PathParameterMustBeRequired both demand it
    return out


def _body(body: dict[str, Any], callback_pointer: str | None) -> dict[str, Any]:
    if "ref" in body:
        return {"$ref": body["ref"]}
    out: dict[str, Any] = {"name": body["name"], "in": "body"}
    if body.get("required") is not None:
        out["required"] = body["required"]
    _put_texts(out, body)
    if callback_pointer:
        # The contract's reach is the inline schema; the body parameter's own ``required`` is
        # the design's (the builders set it, the linter reports it), so imports stay as written.
        out["schema"] = clone_json(body["schema"])  # the mark goes on a copy
        mark_callback(out["schema"], callback_pointer)
    else:
        out["schema"] = body["schema"]
    merge_extras(out, body.get("extras"))
    return out


def _notification(notification: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if notification.get("description"):
        out["description"] = notification["description"]
    if notification.get("schema") is not None:
        out["schema"] = notification["schema"]
    merge_extras(out, notification.get("extras"))
    return out


def mark_callback(schema: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """Make the property at ``pointer`` (into the body payload) a valid callback URL, in place.

    The property becomes ``type: string``, ``x-ms-notification-url: true`` and internal, and is
    listed in ``required`` of every object on the way down (missing properties are created). A
    ``$ref`` on the way stops the walk: shared definitions are passthrough and never rewritten.
    Returns the property's schema, or None when the walk stopped early.
    """
    node: Any = schema
    for token in pointer_tokens(pointer):
        if not isinstance(node, dict) or "$ref" in node:
            return None
        if node.get("type") == "array" and (token.isdigit() or token in ("-", "*")):
            node = node.setdefault("items", {})
            continue
        if not node:
            node["type"] = "object"  # a property this walk has just created
        required = node.setdefault("required", [])
        if isinstance(required, list) and token not in required:
            required.append(token)
        properties = node.setdefault("properties", {})
        node = properties.setdefault(token, {}) if isinstance(properties, dict) else None
    if not isinstance(node, dict) or "$ref" in node or node is schema:
        return None
    node.update({"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"})
    return node


def pointer_tokens(pointer: str) -> list[str]:
    """RFC 6901 tokens of ``pointer`` ("" and non-pointers give no tokens)."""
    if not pointer.startswith("/"):
        return []
    return [unescape_pointer(token) for token in pointer[1:].split("/")]


def merge_extras(out: dict[str, Any], extra: dict[str, Any] | None) -> None:
    """Append ``extra`` verbatim, in its order, without overwriting what ``out`` already holds.

    Only an object has keys to merge: anything else (an imported value of the wrong type that
    reached here) adds nothing, rather than crashing the export.
    """
    if isinstance(extra, dict):
        for key, value in extra.items():
            out.setdefault(key, value)


def _put_texts(out: dict[str, Any], source: dict[str, Any]) -> None:
    if source.get("summary"):
        out["x-ms-summary"] = source["summary"]
    if source.get("description"):
        out["description"] = source["description"]


def _put_visibility(out: dict[str, Any], visibility: str | None) -> None:
    if visibility and visibility != "none":
        out["x-ms-visibility"] = visibility
