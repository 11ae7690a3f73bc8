"""Subscriptions a lost run left behind at the API, and deleting them.

Purpose: a worker killed in the middle of a webhook lifecycle never sends its DELETEs, so the
subscriptions it registered keep calling callback URLs nobody reads. The run's stored steps
name them: every registration (``register``/``reregister`` steps) answered 2xx with an
absolute ``Location``, minus the Locations a later DELETE removed (2xx, 404 or 410).
``leftover_locations`` finds them; ``delete_leftovers`` deletes them as one more step, with the
connection's authentication only, as the platform would. Polling ``Location`` headers are
next-poll URLs, not subscriptions: they are never touched.

Input: the stored steps (dicts, as the report keeps them); the plan, the guarded client and
the ``on_step`` callback that stores steps.
Output: the Locations still live; a ``cleanup`` step in the recorder.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from connectors.domain.runner.client import OutboundClient
from connectors.domain.runner.model import Exchange, Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.steps import OnStep, Recorder
from connectors.domain.runner.webhook_calls import IDEMPOTENT_DELETE, send_delete

_REGISTRATION_STEPS = (":register", ":reregister")


def _gone(status: int | None) -> bool:
    return status is not None and (200 <= status < 300 or status in IDEMPOTENT_DELETE)


def _exchanges(step: Any) -> list[Exchange]:
    """The step's stored exchanges that can be read; a malformed one is skipped, not fatal
    (the steps come from the database and may predate a field or be damaged)."""
    found = []
    raw = step.get("exchanges") if isinstance(step, dict) else None
    for data in raw if isinstance(raw, list) else []:
        try:
            exchange = Exchange.from_dict(data)
        except (TypeError, ValueError, AttributeError):
            continue
        readable = (
            isinstance(exchange.method, str)
            and isinstance(exchange.url, str)
            and (exchange.status is None or type(exchange.status) is int)
            and isinstance(exchange.response_headers, dict)
        )
        if readable:
            found.append(exchange)
    return found


def leftover_locations(steps: list[dict[str, Any]]) -> list[str]:
    """The subscription Locations the steps registered and never deleted, in order."""
    live: dict[str, None] = {}
    for step in steps:
        registering = isinstance(step, dict) and str(step.get("key", "")).endswith(
            _REGISTRATION_STEPS
        )
        for exchange in _exchanges(step):
            if exchange.method.upper() == "DELETE":
                if _gone(exchange.status):
                    for location in [loc for loc in live if exchange.url.startswith(loc)]:
                        del live[location]
                continue
            status = exchange.status
            if not registering or status is None or not 200 <= status < 300:
                continue
            header = exchange.header("location")
            location = header.strip() if isinstance(header, str) else ""
            parts = urlsplit(location)
            if parts.scheme in ("http", "https") and parts.netloc:
                live[location] = None
    return list(live)


def delete_leftovers(
    plan: Plan, client: OutboundClient, on_step: OnStep, locations: list[str]
) -> Step:
    """DELETE each leftover subscription, recorded as the report's ``cleanup`` step."""
    recorder = Recorder.for_plan(plan, on_step, client)
    with recorder.step("cleanup", "Delete what the lost run left subscribed") as step:
        failed = 0
        for location in locations:
            exchange = send_delete(plan, recorder, step, location)
            if not _gone(exchange.status):
                failed += 1
                step.add(
                    "LeftoverNotDeleted",
                    "error",
                    f"The subscription at {location} that the stopped run registered could "
                    "not be deleted; it may keep calling a callback URL nobody reads. Delete it "
                    "in your service.",
                )
        step.detail = (
            f"The run stopped after registering {len(locations)} subscription(s); "
            f"{len(locations) - failed} deleted."
        )
    return step
