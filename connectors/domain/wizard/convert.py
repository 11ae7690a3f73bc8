"""Turn a webhook trigger into a polling one and back, keeping what the maker already wrote.

Purpose: the wizard's "Trigger type" choice after creation. What both kinds share stays as it
is: summary, description, operation ID, visibility, trigger hint, cardinality, the operation's
verbatim extensions, the path and its parameters, and the non-2xx answers. What only one kind
has is rebuilt the way ``authoring``'s builders make it, so the result validates and exports:

- webhook -> polling: the request becomes a GET without body or callback URL (the DELETE action
  goes too), gains the internal ``since`` state parameter and default polling settings, and the
  notification schema becomes the items of the 200 answer (``{"value": [item, ...]}``).
- polling -> webhook: the request becomes a POST whose body receives the callback URL, the
  state parameter and polling settings go, the items of the 200 answer become the notification
  schema, and a DELETE action is proposed (shared with another trigger already unsubscribing
  on the same path, else with an operation ID no other operation uses).

Input: the trigger to convert, the kind wanted and the design's other triggers.
Output: a new trigger dict (the input is not changed).
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.domain.authoring.shapes import (
    guess_callback_pointer,
    policy_collection,
    polling_responses,
    polling_settings,
    state_parameter_for,
    webhook_responses,
)
from connectors.domain.authoring.texts import notification_name
from connectors.domain.authoring.triggers import propose_delete_action, set_callback
from connectors.domain.wizard.edit import taken_operation_ids, unique_operation_id

Trigger = dict[str, Any]

KINDS = ("webhook", "polling")
STATE_PARAMETER = "since"
VALUE_COLLECTION = "value"
VALUE_PATH = "id"
RETRY_INTERVAL = 300
_SHARED_KEYS = (
    "kind",
    "operationId",
    "summary",
    "description",
    "visibility",
    "triggerHint",
    "cardinality",
    "extensions",
)
# Operation extensions that describe one kind only: the design writes them from its own fields.
_KIND_EXTENSIONS = ("x-ms-trigger-metadata", "x-ms-notification-content")
_SUBSCRIPTION = "The subscription to create."


def convert_trigger(trigger: Trigger, kind: str, *, others: list[Trigger]) -> Trigger:
    """``trigger`` as a ``kind`` trigger (a copy; the same trigger when it already is one).

    ``others`` are the design's other triggers: a proposed DELETE action must not take an
    operation ID one of them uses.
    """
    if kind not in KINDS:
        raise ValueError(f"a trigger is a webhook or polling trigger, not {kind!r}")
    if trigger["kind"] == kind:
        return copy.deepcopy(trigger)
    # The key order of a new trigger (authoring._new_trigger), so a converted one reads alike.
    converted: Trigger = {key: copy.deepcopy(trigger.get(key)) for key in _SHARED_KEYS}
    extensions = converted.pop("extensions") or {}
    converted.update(
        kind=kind,
        cardinality=converted["cardinality"] or "single",
        request={},
        responses={},
        extensions={k: v for k, v in extensions.items() if k not in _KIND_EXTENSIONS},
        notification=None,
        deleteAction=None,
        polling=None,
    )
    if kind == "polling":
        return _to_polling(trigger, converted)
    return _to_webhook(trigger, converted, others)


def _to_polling(webhook: Trigger, converted: Trigger) -> Trigger:
    request = webhook["request"]
    parameters = [
        copy.deepcopy(p) for p in request["parameters"] if "ref" in p or p["in"] != "formData"
    ]
    converted["request"] = {
        "method": "get",
        "path": request["path"],
        "parameters": _with_state_parameter(parameters),
        "body": None,
        "callbackPointer": None,
    }
    converted["polling"] = polling_settings(
        STATE_PARAMETER,
        VALUE_COLLECTION,
        VALUE_PATH,
        retry_interval=RETRY_INTERVAL,
        use_policy=False,
    )
    item = _unwrap_list(((webhook.get("notification") or {}).get("schema")) or {"type": "object"})
    answer = {"type": "object", "properties": {VALUE_COLLECTION: {"type": "array", "items": item}}}
    converted["responses"] = {
        **polling_responses(RETRY_INTERVAL, answer),
        **_error_answers(webhook),
    }
    return converted


def _with_state_parameter(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parameters with an internal, required ``since`` query parameter that has a default:
    a query parameter already named so becomes it, else one is added."""
    for parameter in parameters:
        if parameter.get("in") == "query" and parameter.get("name") == STATE_PARAMETER:
            parameter.update(required=True, visibility="internal")
            if parameter.get("default") in (None, ""):
                parameter["default"] = "0"
            return parameters
    return [*parameters, state_parameter_for(STATE_PARAMETER, "0")]


def _to_webhook(polling: Trigger, converted: Trigger, others: list[Trigger]) -> Trigger:
    request = polling["request"]
    state = (polling.get("polling") or {}).get("stateParameter")
    body = request.get("body")
    schema = (
        copy.deepcopy(body["schema"])
        if isinstance(body, dict) and "ref" not in body and isinstance(body.get("schema"), dict)
        else {"type": "object"}
    )
    converted["request"] = {
        "method": "post",
        "path": request["path"],
        "parameters": [
            copy.deepcopy(p)
            for p in request["parameters"]
            if "ref" in p or not (p["in"] == "query" and p["name"] == state)
        ],
        "body": {"name": "body", "required": True, "description": _SUBSCRIPTION, "schema": schema},
        "callbackPointer": None,
    }
    converted["responses"] = {**webhook_responses(), **_error_answers(polling)}
    set_callback(converted, guess_callback_pointer(schema))
    item = _polled_item(polling)
    notification_schema = (
        {"type": "array", "items": item} if converted["cardinality"] == "batch" else item
    )
    converted["notification"] = {
        "description": notification_name(converted["summary"]),
        "samples": [],
        "schema": notification_schema,
    }
    converted["deleteAction"] = _delete_action(converted, others)
    return converted


def _polled_item(polling: Trigger) -> dict[str, Any]:
    """The schema of one item of a poll's 200 answer: inside its value collection (or the
    policy's data path), else the items of a bare array, else the answer itself."""
    schema = ((polling.get("responses") or {}).get("200") or {}).get("schema")
    if not isinstance(schema, dict):
        return {"type": "object"}
    settings = polling.get("polling") or {}
    collection = settings.get("valueCollection") or policy_collection(settings)
    if collection:
        held = (schema.get("properties") or {}).get(collection)
        if isinstance(held, dict) and isinstance(held.get("items"), dict):
            return copy.deepcopy(held["items"])
    return _unwrap_list(copy.deepcopy(schema))


def _unwrap_list(schema: dict[str, Any]) -> dict[str, Any]:
    """A list's item schema (a batch notification is a list of events), else the schema."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return copy.deepcopy(schema["items"])
    return copy.deepcopy(schema)


def _error_answers(trigger: Trigger) -> dict[str, Any]:
    """The trigger's own non-2xx answers: the maker may have described them (they win over the
    builders' defaults)."""
    return {
        code: copy.deepcopy(answer)
        for code, answer in (trigger.get("responses") or {}).items()
        if not str(code).startswith("2")
    }


def _delete_action(webhook: Trigger, others: list[Trigger]) -> dict[str, Any]:
    proposed = propose_delete_action(webhook)
    for other in others:
        action = other.get("deleteAction")
        if action and action.get("path") == proposed["path"]:
            # The export writes one DELETE per path: share the one already there.
            return copy.deepcopy(action)
    taken = taken_operation_ids([webhook, *others])
    proposed["operationId"] = unique_operation_id(proposed["operationId"], taken)
    return proposed
