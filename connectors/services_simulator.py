"""The simulated publisher's state and behaviour: sessions, registrations, deliveries, polls.

``views.simulator`` turns each request into one of these calls and the returned ``SimAnswer``
into an HTTP response. Registered hooks live in ``SimulatorSession.hooks`` (hook id ->
``{"trigger", "callback", "deleted", "seq"}``; ``seq`` numbers the registrations 1, 2, ... of the
session, as JSON key order is not kept by every database). A trigger may have several live hooks
(the platform registers again when a flow's trigger inputs change); a DELETE removes only its
own, and a DELETE of an unknown or deleted hook is a 404. Deliveries go over HTTP to the callback
URL, but only to this app's own receiver, ``<SITE_URL>/hooks/<token>/`` with the token of a
callback hook of the session's report (the simulator is reachable without login, so it must not
become a way to make this server call anywhere): a registration with any other callback URL is
refused with 400, and ``_deliver_all``, where every delivery is sent, refuses it again.

Limits, as anyone holding the token may call: SIMULATOR_MAX_HOOKS live hooks (a registration
beyond is a 429; deleted hooks stay listed, up to ``STORED_HOOKS_PER_LIVE`` times as many, so a
register/DELETE loop cannot grow the row without bound either), and one event sends at most
SIMULATOR_FIRE_MAX_DELIVERIES notifications within SIMULATOR_FIRE_SECONDS (``DeliveryBudget``):
the rest are skipped and counted in the fire's answer. (The view answers 410 once the
session's report has ended: ``selectors.simulator_session_open``.)

Every absolute URL the simulator builds or accepts is on ``settings.SITE_URL``, never on the
request's ``Host``: Django checks only the host *name* against ALLOWED_HOSTS, so a Host header
may carry any port (or any host at all with ``ALLOWED_HOSTS = ["*"]``).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.db import transaction

from .domain.design import Design
from .domain.runner.build import resolve
from .domain.runner.plan import base_path
from .domain.simulation import simulator as simulation
from .domain.swagger.exporting.definition import export_swagger
from .models import CallbackHook, ConnectorDraft, SimulatorSession

logger = logging.getLogger(__name__)
Fault = SimulatorSession.Fault
DELETE_HEADER = "X-Simulator-Confirm"
_HOOK_PATH = re.compile(r"/hooks/(?P<token>[A-Za-z0-9_-]{8,64})/")
DELIVERY_TIMEOUT_SECONDS = 5.0
STORED_HOOKS_PER_LIVE = 5
_clock: Callable[[], float] = time.monotonic  # the delivery deadline's clock


@dataclass
class SimAnswer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def simulator_session_create(
    *, draft: ConnectorDraft, design: Design, fault: str = Fault.NONE
) -> SimulatorSession:
    if fault not in Fault.values:
        raise ValueError(f"unknown fault mode {fault!r}")
    return SimulatorSession.objects.create(
        token=secrets.token_urlsafe(24),
        draft=draft,
        design=design,
        fault=fault,
        cursor=simulation.ITEMS_PER_EVENT,
    )


def simulator_base_path(session: SimulatorSession) -> str:
    return f"/sim/{session.token}"


def _slow(session: SimulatorSession) -> None:
    if session.fault == Fault.SLOW:
        time.sleep(settings.SIMULATOR_SLOW_SECONDS)


def site_url() -> str:
    """This app's absolute base: the one source of its absolute URLs (never a request's Host)."""
    return str(settings.SITE_URL).rstrip("/")


def simulator_register(
    *, session: SimulatorSession, route: simulation.Route, body: Any
) -> SimAnswer:
    """Check the body, remember the callback URL, answer 201 with the hook's Location."""
    _slow(session)
    trigger = session.design["triggers"][route.trigger_index]
    request = trigger["request"]
    errors = simulation.registration_errors(trigger, _swagger(session), body)
    pointer = request.get("callbackPointer") or ""
    callback = simulation.read_pointer(body, request.get("callbackPointer"))
    if not isinstance(callback, str) or not callback:
        errors.append((pointer, "no callback URL in the body"))
    elif not _own_hooks(session, [callback]):
        errors.append(
            (
                pointer,
                "the simulator delivers only to this app's own callback receiver "
                f"({site_url()}/hooks/<token>/, with a token of this report), "
                f"not to {callback[:200]}",
            )
        )
    if errors:
        listed = [{"pointer": pointer, "message": message} for pointer, message in errors]
        return SimAnswer(400, {"error": "the registration body is not valid", "errors": listed})
    hook_id = secrets.token_hex(8)
    with transaction.atomic():
        locked = SimulatorSession.objects.select_for_update().get(pk=session.pk)
        refusal = _hooks_full(locked.hooks)
        if refusal:
            return SimAnswer(429, {"error": refusal})
        locked.hooks[hook_id] = {
            "trigger": trigger["operationId"],
            "callback": callback,
            "deleted": False,
            "seq": 1 + max((hook.get("seq", 0) for hook in locked.hooks.values()), default=0),
        }
        locked.save(update_fields=["hooks"])
    path = (
        simulator_base_path(session)
        + base_path(session.design)
        + simulation.hook_path(trigger, hook_id, route.params)
    )
    headers = {} if session.fault == Fault.NO_LOCATION else {"Location": site_url() + path}
    if session.fault == Fault.RELATIVE_LOCATION:
        headers["Location"] = path
    status = 200 if session.fault == Fault.STATUS_200 else 201
    return SimAnswer(status, {"id": hook_id}, headers)


def _hooks_full(hooks: dict[str, Any]) -> str:
    """Why one more hook is refused ("" when there is room)."""
    most = settings.SIMULATOR_MAX_HOOKS
    live = sum(not hook["deleted"] for hook in hooks.values())
    if live >= most:
        return (
            f"this simulator already has {live} live subscriptions, the most it keeps "
            f"(SIMULATOR_MAX_HOOKS={most}); DELETE one before registering another"
        )
    if len(hooks) >= most * STORED_HOOKS_PER_LIVE:
        return (
            f"this simulator has taken {len(hooks)} registrations, the most one report may "
            "make; start a new report"
        )
    return ""


def _swagger(session: SimulatorSession) -> dict[str, Any]:
    """The exported swagger of the session's design: what the runner resolves ``$ref``s in."""
    return export_swagger(session.design, share=True)


def simulator_delete(
    *, session: SimulatorSession, route: simulation.Route, headers: dict[str, str]
) -> SimAnswer:
    """Forget the hook (204); the faults refuse it, keep delivering anyway, or keep a hook
    that a newer one of the same trigger superseded."""
    trigger = session.design["triggers"][route.trigger_index]
    hook_id = simulation.hook_id_from(trigger, route.params) or route.params.get("hook_id", "")
    lowered = {key.lower() for key in headers}
    if session.fault == Fault.DELETE_NEEDS_HEADER and DELETE_HEADER.lower() not in lowered:
        return SimAnswer(401, {"error": f"DELETE needs the {DELETE_HEADER} header"})
    with transaction.atomic():
        locked = SimulatorSession.objects.select_for_update().get(pk=session.pk)
        hook = locked.hooks.get(hook_id)
        if hook is None or hook["deleted"]:
            return SimAnswer(404, {"error": "no such subscription"})
        ignored = session.fault == Fault.DELIVERS_AFTER_DELETE or (
            session.fault == Fault.KEEPS_OLD_HOOK and _superseded(locked.hooks, hook)
        )
        # The hook stays live, so it may be DELETEd again and again: it delivers after the
        # first DELETE only, or a DELETE loop would start a delivery thread per request.
        late = session.fault == Fault.DELIVERS_AFTER_DELETE and not hook.get("delivered_late")
        hook["deleted"] = not ignored
        if late:
            hook["delivered_late"] = True
        locked.save(update_fields=["hooks"])
    if late and _own_hooks(session, [hook["callback"]]):
        # After the DELETE has been answered, as a publisher that ignored it would.
        args = (hook["callback"], _payloads(session, trigger), DeliveryBudget.for_one_event())
        threading.Timer(0.3, _deliver_all, args=args).start()
    return SimAnswer(204)


def _superseded(hooks: dict[str, Any], hook: dict[str, Any]) -> bool:
    """Whether a live hook of the same trigger was registered after ``hook``."""
    return any(
        other["trigger"] == hook["trigger"]
        and not other["deleted"]
        and other.get("seq", 0) > hook.get("seq", 0)
        for other in hooks.values()
    )


def _payloads(session: SimulatorSession, trigger: dict[str, Any]) -> list[Any]:
    notification = trigger.get("notification") or {}
    swagger = _swagger(session)
    if session.fault == Fault.BAD_PAYLOAD:
        schema = resolve(notification.get("schema"), swagger)
        return [simulation.broken(schema if isinstance(schema, dict) else None)]
    samples = list(notification.get("samples") or [])
    if not samples:
        samples = [simulation.notification_example(trigger, swagger)]
    size = trigger.get("batchSize")
    if trigger.get("cardinality") == "batch":
        count = len(samples) if not size else size + 1 if _ignores(session) else size
        samples = [simulation.notification_batch(trigger, swagger, samples, count)]
    # One event's records again, as a publisher that resends what it already sent.
    return samples * 2 if session.fault == Fault.REPEATS_ITEMS else samples


def _ignores(session: SimulatorSession) -> bool:
    return session.fault == Fault.IGNORES_BATCH_SIZE


def _receiver_token(url: str) -> str | None:
    """The token when ``url`` is exactly ``<SITE_URL>/hooks/<token>/``, else None (no query,
    fragment, user info or other port; no database access: the delivery timer calls it)."""
    found = re.fullmatch(re.escape(site_url()) + _HOOK_PATH.pattern, url)
    return found["token"] if found else None


def _own_hooks(session: SimulatorSession, urls: list[str]) -> set[str]:
    """Those of ``urls`` that are this app's receiver for a hook of the session's report."""
    tokens = {token: url for url in urls if (token := _receiver_token(url)) is not None}
    found = CallbackHook.objects.filter(token__in=tokens, report__simulator=session)
    return {tokens[token] for token in found.values_list("token", flat=True)}


@dataclass
class DeliveryBudget:
    """What one event may still send: a number of deliveries and a deadline (``_clock``
    seconds), so one unauthenticated fire cannot hold a web request for long."""

    left: int
    deadline: float
    skipped: int = 0

    @classmethod
    def for_one_event(cls) -> DeliveryBudget:
        seconds = settings.SIMULATOR_FIRE_SECONDS
        return cls(left=settings.SIMULATOR_FIRE_MAX_DELIVERIES, deadline=_clock() + seconds)

    def take(self) -> float | None:
        """The timeout of one more delivery (never past the deadline), or None, counted as
        skipped, when the budget is spent."""
        remaining = self.deadline - _clock()
        if self.left <= 0 or remaining <= 0:
            self.skipped += 1
            return None
        self.left -= 1
        return min(DELIVERY_TIMEOUT_SECONDS, remaining)

    def limit(self) -> str:
        return (
            f"{self.skipped} deliveries skipped: one event sends at most "
            f"{settings.SIMULATOR_FIRE_MAX_DELIVERIES} notifications within "
            f"{settings.SIMULATOR_FIRE_SECONDS:g} s"
        )


def _deliver_all(url: str, payloads: list[Any], budget: DeliveryBudget) -> int:
    """POST each payload to ``url``, which must be this app's own callback receiver: the one
    place the simulator sends from, so no path makes this server call anywhere else; what the
    budget no longer allows is skipped."""
    if _receiver_token(url) is None:
        logger.warning("simulator delivery refused: %s is not this app's receiver", url[:200])
        return 0
    delivered = 0
    with httpx.Client(follow_redirects=False) as client:
        for payload in payloads:
            timeout = budget.take()
            if timeout is None:
                continue
            try:
                response = client.post(url, json=payload, timeout=timeout)
            except httpx.HTTPError as exc:
                logger.info("simulator delivery to %s failed: %s", url, type(exc).__name__)
                continue
            delivered += response.is_success
    return delivered


def simulator_fire(*, session: SimulatorSession) -> dict[str, int | str]:
    """Make the event happen: deliver to every live hook (within one ``DeliveryBudget``), add
    items for the polling triggers."""
    with transaction.atomic():
        locked = SimulatorSession.objects.select_for_update().get(pk=session.pk)
        locked.cursor += simulation.ITEMS_PER_EVENT
        locked.save(update_fields=["cursor"])
        hooks = [hook for hook in locked.hooks.values() if not hook["deleted"]]
    own = _own_hooks(session, [hook["callback"] for hook in hooks])
    triggers = {t["operationId"]: t for t in session.design["triggers"]}
    payloads: dict[str, list[Any]] = {}  # per trigger: each export of the design costs
    budget = DeliveryBudget.for_one_event()
    delivered = refused = 0
    for hook in hooks:
        trigger = triggers.get(hook["trigger"])
        if hook["callback"] not in own:
            refused += 1
        elif trigger is not None:
            if hook["trigger"] not in payloads:
                payloads[hook["trigger"]] = _payloads(session, trigger)
            delivered += _deliver_all(hook["callback"], payloads[hook["trigger"]], budget)
    answer: dict[str, int | str] = {
        "hooks": len(hooks),
        "delivered": delivered,
        "refused": refused,
        "skipped": budget.skipped,
    }
    if budget.skipped:
        answer["limit"] = budget.limit()
    return answer


def simulator_hooks(*, session: SimulatorSession) -> list[dict[str, Any]]:
    """The registered hooks without their callback URLs (what the control endpoint lists),
    oldest first (``session`` is the one the view just loaded)."""
    hooks = sorted(session.hooks.items(), key=lambda item: item[1].get("seq", 0))
    return [
        {"id": hook_id, "trigger": hook["trigger"], "deleted": hook["deleted"]}
        for hook_id, hook in hooks
    ]


def _state_name(trigger: dict[str, Any]) -> str:
    polling = trigger.get("polling") or {}
    policy = polling.get("policy") or {}
    return polling.get("stateParameter") or next(iter(policy.get("triggerConfig") or {}), "state")


def _state_number(value: str | None) -> int | None:
    """``s3`` (what the simulator puts in Location) or ``3`` (an item's value): 3."""
    text = (value or "").removeprefix("s")
    return int(text) if text.isascii() and text.isdigit() else None


def simulator_poll(
    *,
    session: SimulatorSession,
    route: simulation.Route,
    query: dict[str, str],
    path: str,
) -> SimAnswer:
    """The 202/200 polling protocol; ``path`` is the path polled, without its query."""
    if session.fault == Fault.SLOW:
        _slow(session)
        session.refresh_from_db(fields=["cursor"])  # an event may have happened meanwhile
    trigger = session.design["triggers"][route.trigger_index]
    name = _state_name(trigger)
    state = query.get(name)
    seen = _state_number(state) if state is not None and state.startswith("s") else None
    if seen is None and state is not None and not _is_default(trigger, name, state):
        seen = _state_number(state)
    retry = str((trigger.get("polling") or {}).get("retryInterval") or 60)

    def location(number: int) -> dict[str, str]:
        return {
            "Location": f"{site_url()}{path}?{urlencode({**query, name: f's{number}'})}",
            "Retry-After": retry,
        }

    if seen is None:  # the first poll: the baseline, nothing before now counts
        return SimAnswer(202, None, location(0))
    # Under repeats_items the poll before's newest item comes again, within the page.
    repeat = seen if session.fault == Fault.REPEATS_ITEMS and seen > 0 else None
    last = _last_item(session, trigger, query, seen, repeat is not None)
    if last <= seen and repeat is None:
        return SimAnswer(202, None, location(seen))
    body = simulation.polling_items(
        trigger,
        _swagger(session),
        seen + 1,
        last,
        newest_first=session.fault != Fault.OLDEST_FIRST,
        repeat=repeat,
    )
    advanced = seen if session.fault == Fault.STATE_STUCK else max(seen, last)
    return SimAnswer(200, body, location(advanced))


def _last_item(
    session: SimulatorSession,
    trigger: dict[str, Any],
    query: dict[str, str],
    seen: int,
    repeats: bool,
) -> int:
    """The newest item one answer holds: all up to the cursor, or one page of the size the
    page-size parameter asks for (the batch size without one); ``ignores_batch_size`` sends one
    more than the page, made up if need be."""
    name = (trigger.get("polling") or {}).get("pageSizeParameter")
    asked = str(query.get(name, "")) if name else ""
    page = int(asked) if asked.isascii() and asked.isdigit() and int(asked) > 0 else None
    page = page or trigger.get("batchSize")
    if not page:
        return session.cursor
    if _ignores(session):
        return max(session.cursor, seen + page + 1)
    return min(session.cursor, seen + page - (1 if repeats else 0))


def _is_default(trigger: dict[str, Any], name: str, value: str) -> bool:
    for parameter in trigger["request"]["parameters"]:
        if parameter.get("name") == name:
            return str(parameter.get("default", "")) == value
    return False
