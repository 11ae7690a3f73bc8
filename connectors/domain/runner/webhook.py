"""The webhook lifecycle, as the platform runs it, from the first registration to silence.

Purpose: the steps of one webhook trigger, in the platform's order (USERS.md A1-A4, D1-D4):

- ``register``: register (subscription A) with this run's first callback URL;
- ``notify``: wait, bounded, for a notification at A and check it against the schema;
- ``reregister``: the flow's trigger inputs changed, so the platform registers again
  (subscription B) with a new callback URL;
- ``delete-old``: DELETE A at its Location, as the platform does once B exists;
- ``deliver-once``: the event happens once (only the simulator can make it happen): B gets what
  A got for one event, A gets nothing;
- ``delete``: DELETE every subscription still live (B), in a ``finally``;
- ``delete-again``: DELETE B a second time: 2xx, 404 or 410 (the DELETE is idempotent);
- ``silence``: the event again (simulator only): no callback URL of the run gets anything.

Every subscription with a Location is deleted in the ``finally`` even when a step failed or the
runner broke, so a run does not leave a subscription behind; a step that cannot run is recorded
as skipped with the reason.

Input: the plan, one design trigger, the exported swagger, the ``Recorder`` and callbacks.
Output: the steps, appended to the recorder.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from connectors.domain.runner.callbacks import (
    WAIT_INTERVAL_SECONDS,
    CallbackEndpoint,
    CallbackFactory,
)
from connectors.domain.runner.model import Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.steps import Recorder
from connectors.domain.runner.webhook_calls import (
    check_notifications,
    check_silence,
    count_received,
    delete,
    delete_again,
    register,
)

__all__ = ["run_webhook"]

TITLES = {
    "register": "Register the webhook",
    "notify": "Receive a notification",
    "reregister": "Register again with a new callback URL",
    "delete-old": "Delete the first webhook",
    "deliver-once": "One notification, at the new callback URL only",
    "delete": "Delete the webhook",
    "delete-again": "Delete the webhook a second time",
    "silence": "No notification after the DELETE",
}


@dataclass
class Subscription:
    """One registration of the run: its callback endpoint, and what became of it."""

    endpoint: CallbackEndpoint
    registered: bool = False
    location: str | None = None
    deleted: bool | None = None  # None until its DELETE was sent


@dataclass(frozen=True)
class Lifecycle:
    plan: Plan
    trigger: dict[str, Any]
    swagger: dict[str, Any]
    recorder: Recorder
    key: str

    def step(self, name: str) -> AbstractContextManager[Step]:
        return self.recorder.step(f"{self.key}:{name}", TITLES[name])

    def skip(self, name: str, why: str) -> None:
        self.recorder.skip(f"{self.key}:{name}", TITLES[name], why)

    def register(self, subscription: Subscription, step: Step) -> None:
        subscription.registered, subscription.location = register(
            self.plan, self.trigger, self.swagger, self.recorder, step, subscription.endpoint.url
        )

    def delete(self, subscription: Subscription, step: Step) -> None:
        assert subscription.location is not None
        subscription.deleted = delete(
            self.plan, self.trigger, self.swagger, self.recorder, step, subscription.location
        )


def run_webhook(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    callbacks: CallbackFactory,
) -> None:
    run = Lifecycle(plan, trigger, swagger, recorder, f"webhook:{trigger.get('operationId')}")
    first = Subscription(callbacks.new())
    subscriptions = [first]
    try:
        with run.step("register") as step:
            run.register(first, step)
        if first.registered:
            with run.step("notify") as step:
                check_notifications(plan, trigger, swagger, first.endpoint, step, recorder)
        else:
            run.skip("notify", "The registration failed.")
        replace(run, subscriptions, callbacks)
    finally:
        last = delete_remaining(run, subscriptions)
    if last is not None and last.deleted:
        with run.step("delete-again") as step:
            assert last.location is not None
            delete_again(plan, recorder, step, last.location)
    else:
        run.skip("delete-again", "The DELETE did not succeed, so there is nothing to repeat.")
    registered = [s for s in subscriptions if s.registered]
    if registered and all(s.deleted for s in registered):
        with run.step("silence") as step:
            check_silence(plan, [s.endpoint for s in subscriptions], step)
    else:
        why = "Not every subscription could be deleted." if registered else "No DELETE done."
        run.skip("silence", why)


def _why_not_replace(first: Subscription) -> str | None:
    if not first.registered:
        return "The registration failed."
    if not first.location:
        return "The first registration gave no usable Location, so it could not be replaced."
    if not first.endpoint.count():
        return "The first registration received no notification to compare with."
    return None


def replace(run: Lifecycle, subscriptions: list[Subscription], callbacks: CallbackFactory) -> None:
    """What the platform does when a flow's trigger inputs change: register B, DELETE A."""
    first = subscriptions[0]
    why = _why_not_replace(first)
    if why:
        for name in ("reregister", "delete-old", "deliver-once"):
            run.skip(name, why)
        return
    expected = first.endpoint.count()
    with run.step("reregister") as step:
        subscriptions.append(Subscription(callbacks.new()))
        run.register(subscriptions[-1], step)
        if subscriptions[-1].location == first.location:
            _same_location(step, first.location or "")
    second = subscriptions[-1] if len(subscriptions) > 1 else None
    if second is None or not second.location or second.location == first.location:
        why = "The new registration gave no Location of its own; the first is deleted at the end."
        run.skip("delete-old", why)
        run.skip("deliver-once", why)
        return
    with run.step("delete-old") as step:
        run.delete(first, step)
    if not first.deleted:
        run.skip("deliver-once", "The first webhook's DELETE failed, so both are still live.")
        return
    with run.step("deliver-once") as step:
        check_single_delivery(run.plan, first.endpoint, second.endpoint, expected, step)


def _same_location(step: Step, location: str) -> None:
    step.add(
        "ReregisterSameLocation",
        "error",
        f"The second registration answered the same Location as the first ({location}): the "
        "API updated one subscription in place, so the platform's DELETE of the old "
        "subscription also removes the new one and the edited flow never runs again. Create a "
        "new subscription, with its own Location, for every registration.",
    )


def delete_remaining(run: Lifecycle, subscriptions: list[Subscription]) -> Subscription | None:
    """DELETE every subscription not deleted yet (one DELETE per Location); the last one."""
    pending = [s for s in subscriptions if s.location and s.deleted is None]
    if not pending:
        run.skip("delete", "No usable Location to DELETE.")
        return None
    with run.step("delete") as step:
        done: dict[str, bool | None] = {}
        for subscription in pending:
            assert subscription.location is not None
            if subscription.location in done:
                subscription.deleted = done[subscription.location]
                continue
            run.delete(subscription, step)
            done[subscription.location] = subscription.deleted
    return pending[-1]


def _wait_for_delivery(
    plan: Plan, endpoints: list[CallbackEndpoint], before: list[int], expected: int
) -> list[int]:
    """New arrivals per endpoint; returns once the last endpoint got ``expected``, or at the
    bound (shortened to the after-DELETE wait once the first endpoint got anything)."""
    deadline = time.monotonic() + plan.callback_wait_seconds
    while True:
        got = [now - then for now, then in zip(count_received(endpoints), before, strict=True)]
        if got[-1] >= expected or time.monotonic() >= deadline:
            return got
        if got[0]:
            deadline = min(deadline, time.monotonic() + plan.after_delete_wait_seconds)
        time.sleep(WAIT_INTERVAL_SECONDS)


def check_single_delivery(
    plan: Plan, old: CallbackEndpoint, new: CallbackEndpoint, expected: int, step: Step
) -> None:
    """One event after A's DELETE: B gets what A got for one event (``expected``), A nothing."""
    before = count_received([old, new])
    if not new.fire():
        step.status = "skipped"
        step.detail = (
            "Only the simulator can make the event happen on its own; not checked. Trigger the "
            "event once in your service and check that the edited flow runs exactly once."
        )
        return
    at_old, at_new = _wait_for_delivery(plan, [old, new], before, expected)
    if at_old and at_new:
        step.add(
            "DuplicateDelivery",
            "error",
            f"One event reached both callback URLs: {at_old} notification(s) at the first "
            f"subscription's, deleted before the event, and {at_new} at the new one. After a "
            "flow's trigger is edited every run would happen twice. Remove a subscription when "
            "its DELETE succeeds, even when a newer one exists for the same event.",
        )
    elif at_old:
        step.add(
            "DeliveredToOldCallback",
            "error",
            "The event reached only the first subscription's callback URL, deleted before the "
            "event, and not the new one: the API kept the old callback URL when the trigger "
            "registered again, so an edited flow never runs. Store each registration's own "
            "callback URL and deliver only to live subscriptions.",
        )
    elif not at_new:
        step.add(
            "NoNotificationAfterReregister",
            "error",
            f"No notification reached the new callback URL within {plan.callback_wait_seconds:g}"
            " s of the event, although the first registration received one: the new "
            "subscription was dropped (for example the DELETE of the old one removed every "
            "subscription of the event). Keep each registration as its own subscription and "
            "delete only the one at the DELETE's URL.",
        )
    elif at_new > expected:
        step.add(
            "DuplicateDelivery",
            "error",
            f"One event brought {at_new} notifications to the new callback URL where the first "
            f"registration got {expected}: the API holds more than one subscription for it, so "
            "each flow run would happen more than once. Create one subscription per "
            "registration.",
        )
    else:
        step.detail = (
            f"{at_new} notification(s) at the new callback URL, as for the first event; none "
            "at the deleted one."
        )
