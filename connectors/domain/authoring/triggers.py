"""Builders for triggers that are correct by construction: what the wizard calls.

Purpose: make a webhook or polling trigger (design shape, ``connectors.domain.design``) from the
few answers a maker gives, with everything the platform and the validator expect already in
place: "When ..." summaries, descriptions that differ and end with a period, PascalCase operation
IDs (``authoring.texts``), required path parameters, a callback URL that is internal, string
and required all the way down, a 201 + Location answer and an internal DELETE action for
webhooks, and 200/202 answers with Location and Retry-After plus an internal, required state
parameter with a default for polling.

Input: keyword arguments (plain strings, JSON schemas, parsed JSON samples).
Output: new trigger dicts for ``design["triggers"]``; the ``set_*`` functions edit a trigger in
place (and return inference warnings where samples are involved).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from connectors.domain.authoring.shapes import (
    TEMPLATE,
    guess_callback_pointer,
    path_parameters_from_template,
    policy_collection,
    polling_responses,
    polling_settings,
    split_path,
    state_parameter_for,
    take_value,
    unmark_callback,
    webhook_responses,
)
from connectors.domain.authoring.texts import (
    name_words,
    notification_name,
    operation_id_from_summary,
    singular,
    trigger_description,
    trigger_summary,
)
from connectors.domain.schema.inference import infer_schema
from connectors.domain.swagger.exporting.operations import mark_callback

__all__ = [
    "new_polling_trigger",
    "new_webhook_trigger",
    "operation_id_from_summary",
    "path_parameters_from_template",
    "propose_delete_action",
    "set_callback",
    "set_item_samples",
    "set_notification_samples",
]

Trigger = dict[str, Any]

_BODY_METHODS = ("post", "put", "patch")
_PLACEHOLDER_SCHEMA: dict[str, Any] = {"type": "object"}  # until the maker pastes a sample
_CALLBACK_TEXTS = {
    "x-ms-summary": "Callback URL",
    "description": "The URL the service calls when the event happens; the platform fills it in.",
}


def new_webhook_trigger(
    *,
    summary: str,
    operation_id: str | None = None,
    path: str,
    method: str = "post",
    body_schema: dict[str, Any] | None = None,
    callback_pointer: str | None = None,
    notification_samples: Sequence[Any] = (),
    description: str | None = None,
    cardinality: str = "single",
) -> Trigger:
    """A webhook trigger: registration request, callback URL, notification schema and DELETE.

    Without ``callback_pointer`` the first string property (nested ones too, as the wizard
    guesses) named like a callback URL is used, else a ``notificationUrl`` property is added.
    """
    method = method.lower()
    if method not in _BODY_METHODS:
        raise ValueError(f"a webhook registers with a body: use {', '.join(_BODY_METHODS)}")
    path, query = split_path(path)
    schema = copy.deepcopy(body_schema) if body_schema is not None else {"type": "object"}
    trigger = _new_trigger("webhook", summary, operation_id, description, cardinality)
    trigger["request"] = {
        "method": method,
        "path": path,
        "parameters": path_parameters_from_template(path) + query,
        "body": {
            "name": "body",
            "required": True,
            "description": "The subscription to create.",
            "schema": schema,
        },
        "callbackPointer": None,
    }
    trigger["responses"] = webhook_responses()
    set_callback(trigger, callback_pointer or guess_callback_pointer(schema))
    set_notification_samples(trigger, notification_samples)
    trigger["deleteAction"] = propose_delete_action(trigger)
    return trigger


def new_polling_trigger(
    *,
    summary: str,
    path: str,
    state_parameter: str,
    value_collection: str | None = "value",
    value_path: str = "id",
    retry_interval: int = 300,
    use_policy: bool = False,
    item_samples: Sequence[Any] = (),
    operation_id: str | None = None,
    description: str | None = None,
    cardinality: str = "batch",
    state_default: str = "0",
) -> Trigger:
    """A polling trigger: GET with an internal state query parameter, 200/202 answers.

    The state travels as ``x-ms-trigger-value`` on the state parameter (default) or, with
    ``use_policy``, as a ``pollingtrigger`` policy whose expression reads the newest item's
    ``value_path``. ``retry_interval`` (300 s, the 5-minute floor of most plans) is declared as
    the ``Retry-After`` default, which is where the importer reads it back from. A query string
    in ``path`` becomes query parameters with their values as typed defaults (``limit=50`` is
    the integer 50), the state parameter's included.
    """
    if not (value_collection or use_policy):
        raise ValueError(
            "x-ms-trigger-value needs the collection that holds the items: give "
            "value_collection, or use_policy=True for an answer that is a bare array"
        )
    path, query = split_path(path)
    state = state_parameter_for(state_parameter, state_default)
    for sampled in query:
        if sampled["name"] == state_parameter:
            take_value(state, sampled)  # the sample URL's value (typed) is the better default
    trigger = _new_trigger("polling", summary, operation_id, description, cardinality)
    trigger["request"] = {
        "method": "get",
        "path": path,
        "parameters": path_parameters_from_template(path)
        + [state]
        + [parameter for parameter in query if parameter["name"] != state_parameter],
        "body": None,
        "callbackPointer": None,
    }
    trigger["polling"] = polling_settings(
        state_parameter,
        value_collection,
        value_path,
        retry_interval=retry_interval,
        use_policy=use_policy,
    )
    trigger["responses"] = polling_responses(retry_interval, copy.deepcopy(_PLACEHOLDER_SCHEMA))
    set_item_samples(trigger, item_samples, value_collection=value_collection)
    return trigger


def propose_delete_action(trigger: Trigger) -> dict[str, Any]:
    """The internal DELETE that unsubscribes: ``POST /hooks`` -> ``DELETE /hooks/{hookId}``.

    The platform sends DELETE to the registration's Location header, so the action sits one
    level below the registration path (or on it, for a PUT to a path ending in an ID).
    """
    request = trigger["request"]
    path = request["path"].rstrip("/")
    segments = [segment for segment in path.split("/") if segment]
    statics = [segment for segment in segments if not TEMPLATE.fullmatch(segment)]
    words = [singular(word.lower()) for word in name_words(statics[-1])] if statics else []
    words = words or ["subscription"]
    if request["method"] == "put" and segments and TEMPLATE.fullmatch(segments[-1]):
        delete_path = request["path"]
    else:
        id_name = words[0] + "".join(word.title() for word in words[1:]) + "Id"
        if id_name in TEMPLATE.findall(path):
            id_name = "subscriptionId"
        delete_path = f"{path}/{{{id_name}}}"
    noun = " ".join(words)
    article = "an" if noun[0] in "aeiou" else "a"
    return {
        "operationId": "Delete" + "".join(word.title() for word in words),
        "path": delete_path,
        "summary": f"Delete {article} {noun}",
        "description": (
            f"Deletes the {noun} so that the service stops sending notifications; the platform "
            "calls it when a flow using the trigger is turned off or deleted."
        ),
        "visibility": "internal",
        "parameters": path_parameters_from_template(delete_path),
        "responses": {
            "200": {"description": f"The {noun} was deleted."},
            "204": {"description": f"The {noun} was deleted."},
        },
        "extensions": {},
    }


def set_callback(trigger: Trigger, pointer: str | None) -> None:
    """Make the body property at ``pointer`` the callback URL (None: no callback), in place."""
    request = trigger["request"]
    if request.get("body") is None:
        request["body"] = {"name": "body", "required": True, "schema": {"type": "object"}}
    body = request["body"]
    if "ref" in body:
        raise ValueError("the request body is a shared $ref: edit the definition it points to")
    previous = request.get("callbackPointer")
    if previous and previous != pointer:
        unmark_callback(body["schema"], previous)
    if pointer is None:
        request["callbackPointer"] = None
        return
    if not pointer.startswith("/") or pointer == "/":
        raise ValueError(f"{pointer!r} is not a JSON pointer to a body property, e.g. /callbackUrl")
    leaf = mark_callback(body["schema"], pointer)
    if leaf is None:
        raise ValueError(f"{pointer} goes through a shared $ref: edit the definition instead")
    for key, text in _CALLBACK_TEXTS.items():
        leaf.setdefault(key, text)
    body["required"] = True
    request["callbackPointer"] = pointer


def set_notification_samples(trigger: Trigger, samples: Sequence[Any]) -> list[str]:
    """Keep ``samples`` and the notification schema inferred from them; return the warnings.

    A new notification is named after the trigger's event ("Order created"), as a maker names
    the designer's "Response name"."""
    notification = trigger.get("notification") or {
        "description": notification_name(trigger.get("summary") or "")
    }
    result = infer_schema(samples) if len(samples) else None
    notification["samples"] = list(samples)
    placeholder: dict[str, Any] = copy.deepcopy(_PLACEHOLDER_SCHEMA)
    if trigger.get("cardinality") == "batch":  # a batch webhook is sent a list of events
        placeholder = {"type": "array", "items": placeholder}
    notification["schema"] = result.schema if result else placeholder
    trigger["notification"] = notification
    return list(result.warnings) if result else []


def set_item_samples(
    trigger: Trigger, samples: Sequence[Any], *, value_collection: str | None = None
) -> list[str]:
    """Set a polling trigger's 200 schema from samples of one item; return the warnings.

    The items sit in ``value_collection`` (default: the trigger's own, or its policy's data
    path); without one a batch trigger answers a bare array and a single trigger the item.
    """
    polling = trigger["polling"]
    collection = value_collection or polling.get("valueCollection") or policy_collection(polling)
    result = infer_schema(samples) if len(samples) else None
    item = result.schema if result else copy.deepcopy(_PLACEHOLDER_SCHEMA)
    if collection:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {collection: {"type": "array", "items": item}},
        }
    elif trigger.get("cardinality") == "batch":
        schema = {"type": "array", "items": item}
    else:
        schema = item
    trigger["responses"]["200"]["schema"] = schema
    return list(result.warnings) if result else []


def _new_trigger(
    kind: str, summary: str, operation_id: str | None, description: str | None, cardinality: str
) -> Trigger:
    if cardinality not in ("single", "batch"):
        raise ValueError("cardinality is 'single' or 'batch'")
    summary = trigger_summary(summary)
    return {
        "kind": kind,
        "operationId": operation_id_from_summary(operation_id or summary),
        "summary": summary,
        "description": trigger_description(summary, description),
        "visibility": "none",
        "triggerHint": None,
        "cardinality": cardinality,
        "request": {},
        "responses": {},
        "extensions": {},
        "notification": None,
        "deleteAction": None,
        "polling": None,
    }
