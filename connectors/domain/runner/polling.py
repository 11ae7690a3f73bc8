"""The polling lifecycle, as the platform runs it: baseline, then follow Location.

Purpose: two steps per polling trigger. The first call must answer 202 with Location and a
retry interval (the baseline) or 200; then the runner follows Location at most
``plan.max_polls`` times. New items come as 200 with an array, newest first, and a Location
whose state moved on; no item may come twice (by its external id when the trigger names one);
no answer holds more than the trigger's batch size; Retry-After must be a whole number of seconds in
[1, cap] (bigger ones are capped). The runner sleeps at most ``plan.max_sleep_seconds`` between
polls, whatever the API asks for.

Input: the plan, one design trigger, the exported swagger and the ``Recorder``.
Output: the steps, appended to the recorder.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from connectors.domain.runner.batches import Seen, check_batch_size, check_repeats
from connectors.domain.runner.build import on_api_host, send_trigger_request, with_query
from connectors.domain.runner.model import Exchange, Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.steps import Recorder

_POLICY_VALUE = re.compile(r"\[0\]\.([^}\s]+)\}")  # @{triggerBody().value[0].id}


@dataclass
class PollState:
    """What the runner remembers between polls, as the platform does."""

    next_url: str | None = None
    seen: dict[str, int] = field(default_factory=dict)  # item key -> poll that delivered it
    items: int = 0
    ids: Seen = field(default_factory=Seen)  # external ids, when the trigger names them
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # an API key in the query


def run_polling(
    plan: Plan, trigger: dict[str, Any], swagger: dict[str, Any], recorder: Recorder
) -> None:
    key = f"polling:{trigger.get('operationId')}"
    state = PollState()
    with recorder.step(f"{key}:baseline", "First call (baseline)") as step:
        first_call(plan, trigger, swagger, recorder, step, state)
    if not state.next_url:
        recorder.skip(f"{key}:polls", "Follow Location", "The first call gave no Location.")
        return
    with recorder.step(f"{key}:polls", "Follow Location") as step:
        for number in range(1, plan.max_polls + 1):
            url = _with_params(state.next_url, state.params)
            exchange = recorder.call(step, "GET", url, headers=state.headers)
            if not answer(plan, trigger, step, exchange, state, number) or not state.next_url:
                break
        step.detail = f"{len(step.exchanges)} poll(s), {state.items} new item(s)."
        if not state.items and not step.has_errors():
            step.add(
                "NoNewItems",
                "info",
                f"No new item came in {len(step.exchanges)} poll(s), so ordering and state were "
                "not checked: create an item while the test runs.",
            )


def first_call(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    step: Step,
    state: PollState,
) -> None:
    exchange = send_trigger_request(plan, trigger, swagger, recorder, step)
    if exchange is None:
        return
    # The platform keeps the connection's authentication on every poll; the URL is Location's.
    plan.authenticate(state.headers, state.params)
    answer(plan, trigger, step, exchange, state, 0)


def answer(
    plan: Plan,
    trigger: dict[str, Any],
    step: Step,
    exchange: Exchange,
    state: PollState,
    number: int,
) -> bool:
    """Check one answer and set ``state.next_url``; False when polling cannot go on."""
    if exchange.error or exchange.status is None:
        return False
    if exchange.status not in (200, 202):
        _add_once(
            step,
            "PollingUnexpectedStatus",
            f"A poll was answered {exchange.status}; a polling trigger answers 202 (nothing new) "
            "or 200 with the new items.",
        )
        return False
    polled = exchange.url
    state.next_url = _next_url(plan, step, exchange)
    _check_retry_after(plan, step, exchange)
    if exchange.status == 200:
        new = _check_items(trigger, step, exchange, state, number)
        if (
            new
            and state.next_url
            and number > 0
            and _state_of(trigger, state.next_url) == _state_of(trigger, polled)
        ):
            _add_once(
                step,
                "StateDidNotAdvance",
                "New items came but the Location carries the same state as the poll before, so "
                "the next poll returns the same items again: put the newest item's value in the "
                "state parameter of Location.",
            )
    return True


def _next_url(plan: Plan, step: Step, exchange: Exchange) -> str | None:
    location = (exchange.header("location") or "").strip()
    if not location:
        _add_once(
            step,
            "PollingMissingLocation",
            f"The {exchange.status} answer has no Location header: the platform does not know "
            "what to call next. Answer with Location: the trigger's URL with the current state.",
        )
        return None
    target = urljoin(exchange.url, location)
    if target != location:
        _add_once(
            step,
            "PollingRelativeLocation",
            f"The Location {location!r} is relative; answer with the absolute URL.",
            "warning",
        )
    return target if on_api_host(step, target, plan.base_url) else None


def _check_retry_after(plan: Plan, step: Step, exchange: Exchange) -> None:
    raw = (exchange.header("retry-after") or "").strip()
    if not raw:
        _add_once(
            step,
            "RetryAfterMissing",
            "The answer has no Retry-After header; the platform then polls at its own default "
            "interval. Send Retry-After with the seconds to wait.",
            "warning",
        )
        return
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        _add_once(
            step,
            "RetryAfterNotValid",
            f"Retry-After is {raw!r}; it must be a whole number of seconds, at least 1.",
        )
        return
    seconds = int(raw)
    if seconds > plan.retry_cap_seconds:
        _add_once(
            step,
            "RetryAfterCapped",
            f"Retry-After asks for {seconds} s; the runner caps it at {plan.retry_cap_seconds} s. "
            "Use a shorter interval, or new items wait that long.",
            "warning",
        )
        seconds = plan.retry_cap_seconds
    # The report only needs the protocol, not the real cadence: sleep a bounded moment.
    time.sleep(max(0.0, min(seconds, plan.max_sleep_seconds)))


def _check_items(
    trigger: dict[str, Any], step: Step, exchange: Exchange, state: PollState, number: int
) -> int:
    """Check the 200 answer's items (array, order, duplicates); return how many are new."""
    is_json, body = exchange.json_body()
    polling = trigger.get("polling") or {}
    collection, value_path = collection_and_value(polling)
    items = body.get(collection) if collection and isinstance(body, dict) else body
    if not is_json or not isinstance(items, list):
        where = f"the {collection!r} property" if collection else "the body"
        _add_once(
            step,
            "PollingItemsNotArray",
            f"A 200 answer must carry the new items as an array in {where}; it does not.",
        )
        return 0
    _check_order(step, items, value_path)
    check_batch_size(trigger, step, len(items), f"Poll {number}" if number else "The first call")
    if trigger.get("externalId"):  # the design says what identifies an item
        label = f"poll {number}" if number else "the first call"
        new = check_repeats(trigger, step, items, state.ids, label)
    else:
        new = _count_new(step, items, value_path, state, number)
    state.items += new if number > 0 else 0
    return new


def _count_new(
    step: Step, items: list[Any], value_path: str | None, state: PollState, number: int
) -> int:
    new = 0
    for item in items:
        key = _item_key(item, value_path)
        if key in state.seen:
            _add_once(
                step,
                "DuplicateItem",
                f"The item {key} came again (first in poll {state.seen[key]}): flows would run "
                "twice for it. Return only the items newer than the state in Location.",
            )
        else:
            state.seen[key] = number
            new += 1
    return new


def collection_and_value(polling: dict[str, Any]) -> tuple[str | None, str | None]:
    """Where a 200 answer's items are (a property, or None: the body is the array) and the item
    property that orders them: the design's own fields first, else read from the policy."""
    if polling.get("valueCollection") or polling.get("valuePath"):
        return polling.get("valueCollection"), polling.get("valuePath")
    policy = polling.get("policy") or {}
    data_path = str(policy.get("triggerDataPath") or "").removeprefix("@")
    collection = data_path.removeprefix("triggerBody()").lstrip(".") or None
    found = [_POLICY_VALUE.search(str(v)) for v in (policy.get("triggerConfig") or {}).values()]
    return collection, next((m.group(1) for m in found if m), None)


def _item_key(item: Any, value_path: str | None) -> str:
    if value_path and isinstance(item, dict) and value_path in item:
        return json.dumps(item[value_path])
    return json.dumps(item, sort_keys=True)


def _check_order(step: Step, items: list[Any], value_path: str | None) -> None:
    if not value_path or len(items) < 2:
        return
    values: list[Any] = [item.get(value_path) if isinstance(item, dict) else None for item in items]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if not (numbers or all(isinstance(v, str) for v in values)):
        return  # mixed or missing values cannot be ordered: nothing to say
    wrong = next(((a, b) for a, b in pairwise(values) if a < b), None)
    if wrong:
        _add_once(
            step,
            "ItemsNotNewestFirst",
            f"The items are not newest first by {value_path!r} ({wrong[0]!r} comes before "
            f"{wrong[1]!r}); the platform takes the first item's value as the next state. "
            "Sort the answer by that property, descending.",
        )


def _state_of(trigger: dict[str, Any], url: str) -> Any:
    name = (trigger.get("polling") or {}).get("stateParameter")
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return query.get(name) if name and name in query else url


def _with_params(url: str, params: dict[str, str]) -> str:
    query = parse_qs(urlsplit(url).query)
    missing = {name: value for name, value in params.items() if name not in query}
    return with_query(url, missing)


def _add_once(step: Step, code: str, message: str, severity: str = "error") -> None:
    if all(finding.code != code for finding in step.findings):
        step.add(code, severity, message)
