"""The callback side of a webhook run, as the runner sees it (the Django side implements it).

Purpose: ``CallbackFactory.new()`` gives a ``CallbackEndpoint`` with a unique URL of this app
(``/hooks/<token>/``) that stores what arrives; the runner registers that URL, asks the endpoint
to ``fire`` (the simulator makes the event happen at once; a real API cannot, so it returns
False and the page asks the user to trigger the event) and ``wait``s, bounded, for deliveries.

Input/Output: ``Received`` notifications (headers and body as they arrived); ``kept_notifications``
gives what a report step keeps of them: the first ``KEPT_NOTIFICATIONS`` bodies, each up to
``KEPT_BODY_BYTES`` (a larger one is counted, not kept), with the run's secrets scrubbed, so
the report can offer a received payload as a notification sample.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from connectors.domain.runner.credentials import scrub

# What a report step keeps of the notifications it received (the hook keeps them all, bounded).
KEPT_NOTIFICATIONS = 5
KEPT_BODY_BYTES = 64 * 1024

# How often a wait looks again for deliveries (the runner's waits and the database endpoint's).
WAIT_INTERVAL_SECONDS = 0.05


@dataclass(frozen=True)
class Received:
    """One notification that reached the callback URL.

    ``body`` is the raw text (or bytes) as received, or an already parsed JSON value.
    """

    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    received_at: str = ""

    def parsed(self) -> tuple[bool, Any]:
        """(True, JSON value) when the body is JSON, else (False, None)."""
        if isinstance(self.body, bytes | str):
            try:
                return True, json.loads(self.body)
            except (ValueError, RecursionError):  # RecursionError: nested deeper than the stack
                return False, None
        return True, self.body

    def text(self) -> str:
        """The body as text (a parsed JSON value written as JSON)."""
        if isinstance(self.body, bytes):
            return self.body.decode("utf-8", errors="replace")
        return self.body if isinstance(self.body, str) else json.dumps(self.body)


def kept_notifications(received: list[Received], secrets: list[str]) -> list[dict[str, Any]]:
    """What a step keeps of ``received``: number (1-based), time, size, whether it is JSON, and
    the body scrubbed of ``secrets`` (None when larger than ``KEPT_BODY_BYTES``)."""
    kept: list[dict[str, Any]] = []
    for number, item in enumerate(received[:KEPT_NOTIFICATIONS], 1):
        text = scrub(item.text(), secrets)
        size = len(text.encode())
        kept.append(
            {
                "number": number,
                "received_at": item.received_at,
                "bytes": size,
                "json": item.parsed()[0],
                "body": text if size <= KEPT_BODY_BYTES else None,
            }
        )
    return kept


class CallbackEndpoint(Protocol):
    url: str

    def wait(self, seconds: float) -> list[Received]:
        """Notifications received so far, waiting at most ``seconds`` for at least one."""
        ...

    def received(self) -> list[Received]:
        """Notifications received so far, without waiting."""
        ...

    def count(self) -> int:
        """How many notifications were received so far (cheap: the waits call it often)."""
        ...

    def fire(self) -> bool:
        """Make the event happen now (simulator: True); False when a person must do it."""
        ...


class CallbackFactory(Protocol):
    def new(self) -> CallbackEndpoint: ...
