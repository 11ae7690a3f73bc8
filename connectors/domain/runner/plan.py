"""What one run does: the design snapshot, which triggers, where, with which credentials.

Purpose: one immutable value the Django side builds from a ``Report`` (and
``run_trigger_test``) and hands to ``run_report``.
Input: the design (``connectors.domain.design``), operationIds, the target base URL (scheme,
host and base path: the operation paths are appended to it), credentials and the bounds.
Output: ``Plan`` (``Plan.authenticate`` adds the connection's authentication to a request);
``base_path(design)``, the design's basePath without its trailing slash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.domain.runner.credentials import Credentials, apply


@dataclass(frozen=True)
class Plan:
    """One run. Every wait and loop the runner does is bounded by a field here."""

    design: dict[str, Any]
    trigger_ids: list[str]
    base_url: str
    credentials: Credentials | None = None
    # How long to wait for a notification after registering (a person may be triggering it).
    callback_wait_seconds: float = 60.0
    # Polls after the first call; the platform polls forever, a report does not.
    max_polls: int = 5
    # Retry-After answers above this are capped (RetryAfterCapped); also the accepted maximum.
    retry_cap_seconds: int = 3600
    # The runner sleeps min(retry interval, this) between polls: a report must not take an hour.
    max_sleep_seconds: float = 1.0
    # After the DELETE, how long to watch the callback for a delivery that should not come.
    after_delete_wait_seconds: float = 1.0
    # Values typed in for the run (the Test step's form, ``--param``): parameters without a
    # default by name, request body properties by JSON pointer (see ``inputs``).
    parameter_values: dict[str, str] = field(default_factory=dict)
    body_values: dict[str, Any] = field(default_factory=dict)

    def triggers(self) -> list[dict[str, Any]]:
        """The design's triggers this run covers, in design order (all when none named)."""
        every = self.design.get("triggers") or []
        if not self.trigger_ids:
            return list(every)
        return [trigger for trigger in every if trigger.get("operationId") in self.trigger_ids]

    def authenticate(self, headers: dict[str, str], params: dict[str, str]) -> None:
        """Add the connection's authentication (only that) to a request, in place."""
        apply(self.credentials, self.design.get("security") or {}, headers, params)


def base_path(design: dict[str, Any]) -> str:
    """The design's basePath without a trailing slash ("" for "/" or none)."""
    return ((design.get("general") or {}).get("basePath") or "/").rstrip("/")
