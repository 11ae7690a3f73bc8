"""One request of the webhook lifecycle and what its answer means: register, notify, DELETE.

Purpose: the checks ``webhook.run_webhook`` strings together. ``register`` sends the design's
registration (the callback URL at the callback pointer, the connection's credentials applied) and
expects 201 with an absolute ``Location`` on the API's host; ``check_notifications`` waits,
bounded, for a notification (publishing a countdown when a person must trigger the event) and
checks it against the notification schema; ``delete`` sends the DELETE at a ``Location`` with
only the connection's authentication, as the platform does (USERS.md A3); ``delete_again``
repeats it and accepts 2xx, 404 or 410; ``check_silence`` fires once more and watches every
callback URL of the run for a delivery that should not come. The notifications of one event are
also checked against the trigger's batch size and for an external id delivered twice.

Input: the plan, one design trigger, the exported swagger, the ``Recorder`` and a ``Step`` to fill.
Output: findings on that step; each function returns what the lifecycle needs next.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from connectors.domain.runner.batches import check_notification_batches
from connectors.domain.runner.build import (
    example_value,
    on_api_host,
    parameters,
    resolve,
    send_trigger_request,
    set_at_pointer,
    with_query,
)
from connectors.domain.runner.callbacks import (
    WAIT_INTERVAL_SECONDS,
    CallbackEndpoint,
    Received,
    kept_notifications,
)
from connectors.domain.runner.model import Exchange, Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.schemas import mismatch_message, notification_schema, schema_errors
from connectors.domain.runner.steps import Recorder

# A second DELETE of a deleted subscription may answer these: it is gone either way.
IDEMPOTENT_DELETE = (404, 410)

_FAILED_REGISTRATION_HINTS = {
    400: "the API rejected the body built from the body schema: check its required properties "
    "and give them defaults or examples",
    401: "the API refused the connection's credentials: check the security settings and the "
    "credentials typed for this run",
    403: "the credentials lack a permission (for example a webhook scope)",
    404: "nothing answers at this path: check the host, base path and the trigger's path",
    409: "a subscription for this callback already exists: the API should accept a new one",
}


def registration_body(
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    callback_url: str,
    values: dict[str, Any] | None = None,
) -> Any:
    """The body the platform would send: an example of the body schema, the values typed in
    for the run at their pointers, and the callback URL."""
    request = trigger["request"]
    body = request.get("body")
    if isinstance(body, dict) and "ref" in body:
        body = resolve({"$ref": body["ref"]}, swagger)
    schema = body.get("schema") if isinstance(body, dict) else None
    value = example_value(schema, swagger) if schema else {}
    for pointer, typed in (values or {}).items():
        if pointer.startswith("/"):
            value = set_at_pointer(value, pointer, typed)
    if request.get("callbackPointer"):
        value = set_at_pointer(value, request["callbackPointer"], callback_url)
    return value


def register(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    step: Step,
    callback_url: str,
) -> tuple[bool, str | None]:
    """Send the registration; (whether it was accepted, the Location to DELETE or None)."""
    if not trigger["request"].get("callbackPointer"):
        step.add(
            "NoCallbackPointer",
            "error",
            "The registration body has no callback URL property, so the API cannot know where to "
            "send notifications: choose the body property that receives the callback URL.",
        )
    body = registration_body(trigger, swagger, callback_url, plan.body_values)
    exchange = send_trigger_request(plan, trigger, swagger, recorder, step, json=body)
    if exchange is None or not _accepted(exchange, step):
        return False, None
    return True, _location(exchange, plan.base_url, step)


def _accepted(exchange: Exchange, step: Step) -> bool:
    """Whether the registration answer is a success (201, or another 2xx with a warning)."""
    if exchange.error or exchange.status is None:
        return False
    if not 200 <= exchange.status < 300:
        hint = _FAILED_REGISTRATION_HINTS.get(exchange.status, "see the answer below")
        step.add(
            "RegistrationFailed",
            "error",
            f"The registration was answered {exchange.status}, so no flow would ever be "
            f"triggered: {hint}.",
        )
        return False
    if exchange.status != 201:
        step.add(
            "RegistrationNot201",
            "warning",
            f"The registration was answered {exchange.status} instead of 201 Created. The "
            "platform expects 201 with a Location header: answer 201 for a new subscription.",
        )
    return True


def _location(exchange: Exchange, base_url: str, step: Step) -> str | None:
    location = (exchange.header("location") or "").strip()
    if not location:
        step.add(
            "RegistrationMissingLocation",
            "error",
            "The registration answer has no Location header, so the platform can never DELETE "
            "the webhook and subscriptions pile up. Answer with Location: the absolute URL of "
            "the new subscription (https://host/hooks/{id}), or set it in script.csx.",
        )
        return None
    try:
        parts = urlsplit(location)
    except ValueError:  # e.g. "http://[x/": not even a URL Python can read
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        step.add(
            "RegistrationRelativeLocation",
            "error",
            f"The Location header {location!r} is not an absolute URL; the platform sends the "
            "DELETE to it as is. Answer with the full URL, scheme and host included.",
        )
        return None
    return location if on_api_host(step, location, base_url) else None


def check_notifications(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    endpoint: CallbackEndpoint,
    step: Step,
    recorder: Recorder,
) -> None:
    received = _wait_for_event(plan, endpoint, step, recorder)
    if not received:
        step.add(
            "NoNotification",
            "error",
            f"No notification reached the callback URL within {plan.callback_wait_seconds:g} s. "
            "Check that the API stores the callback URL from the registration body and calls it "
            "when the event happens.",
        )
        return
    step.detail = f"{len(received)} notification(s) received."
    step.received = kept_notifications(received, recorder.secrets)
    schema = notification_schema(trigger, swagger)
    payloads: list[Any] = []
    for number, item in enumerate(received, 1):
        is_json, value = item.parsed()
        if not is_json:
            step.add(
                "NotificationNotJson",
                "error",
                f"Notification {number} is not JSON; the platform parses the body as JSON.",
            )
            continue
        payloads.append(value)
        if schema is not None and (problems := schema_errors(schema, value)):
            step.add(
                "NotificationSchemaMismatch",
                "error",
                f"{mismatch_message(f'Notification {number}', problems)} Flows would miss this "
                "data: fix the payload, or use it as a notification sample to update the schema.",
                problems[0][0] or "/",
            )
    check_notification_batches(trigger, step, payloads)


def _wait_for_event(
    plan: Plan, endpoint: CallbackEndpoint, step: Step, recorder: Recorder
) -> list[Received]:
    """Fire the event, or ask a person to (a countdown on the published step); then wait."""
    if endpoint.fire():
        return endpoint.wait(plan.callback_wait_seconds)
    step.detail = f"Trigger the event now: waiting up to {plan.callback_wait_seconds:g} s."
    step.wait_until = time.time() + plan.callback_wait_seconds
    recorder.publish(step)
    try:
        return endpoint.wait(plan.callback_wait_seconds)
    finally:
        step.wait_until = None


def delete(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    step: Step,
    location: str,
) -> bool:
    """DELETE at Location with only the connection's authentication; True on 2xx."""
    exchange = send_delete(plan, recorder, step, location)
    if exchange.error or exchange.status is None:
        return False
    if 200 <= exchange.status < 300:
        return True
    if exchange.status in (401, 403):
        _delete_refused(trigger, swagger, step, exchange.status)
    else:
        step.add(
            "DeleteFailed",
            "error",
            f"The DELETE at the Location URL was answered {exchange.status}; the platform expects "
            "2xx, or the subscription keeps sending to a flow that no longer exists.",
        )
    return False


def send_delete(plan: Plan, recorder: Recorder, step: Step, location: str) -> Exchange:
    """DELETE at ``location`` with the connection's authentication only, as the platform does."""
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    plan.authenticate(headers, params)
    return recorder.call(step, "DELETE", with_query(location, params), headers=headers)


def delete_again(plan: Plan, recorder: Recorder, step: Step, location: str) -> None:
    """The platform may DELETE twice (a retry, a flow saved twice): the answer must be calm."""
    exchange = send_delete(plan, recorder, step, location)
    if exchange.error or exchange.status is None:
        return  # the transport finding is already on the step
    if 200 <= exchange.status < 300 or exchange.status in IDEMPOTENT_DELETE:
        step.detail = f"The second DELETE was answered {exchange.status}: accepted."
        return
    step.add(
        "DeleteNotIdempotent",
        "error",
        f"A second DELETE of the deleted subscription was answered {exchange.status}. The "
        "platform may send the DELETE again (a retry, a flow saved twice) and takes an error "
        "as a failed unsubscribe: answer 2xx, 404 or 410 for a subscription that is already "
        "gone.",
    )


def _delete_refused(
    trigger: dict[str, Any], swagger: dict[str, Any], step: Step, status: int
) -> None:
    # USERS.md A3: the registration worked, so the credential the DELETE lacks is one only the
    # registration sent, as an operation header or query parameter.
    own = [
        f"{p.get('name')} ({p.get('in')})"
        for p in parameters(trigger["request"].get("parameters"), swagger)
        if p.get("in") in ("header", "query")
    ]
    sent_only = f" (the registration also sent {', '.join(own)})" if own else ""
    step.add(
        "DeleteNeedsOperationHeader",
        "error",
        f"The DELETE was answered {status} although the registration was accepted. The platform "
        "sends the DELETE with only the connection's authentication, never the registration's "
        f"own headers or query parameters{sent_only}. Put the credential in the connector's "
        "security settings, or accept the connection's authentication on DELETE.",
    )


def count_received(endpoints: list[CallbackEndpoint]) -> list[int]:
    return [endpoint.count() for endpoint in endpoints]


def check_silence(plan: Plan, endpoints: list[CallbackEndpoint], step: Step) -> None:
    """Fire once more; nothing may reach any callback URL of the run (all were deleted)."""
    before = count_received(endpoints)
    if not endpoints[-1].fire():
        step.status = "skipped"
        step.detail = "Only the simulator can make the event happen again; not checked."
        return
    deadline = time.monotonic() + plan.after_delete_wait_seconds
    while count_received(endpoints) == before and time.monotonic() < deadline:
        time.sleep(WAIT_INTERVAL_SECONDS)
    if count_received(endpoints) != before:
        step.add(
            "DeliveredAfterDelete",
            "error",
            "A notification arrived after the webhook was deleted: the API keeps sending to "
            "deleted subscriptions, so flows that were turned off would still be called. Remove "
            "the subscription when its DELETE succeeds.",
        )
