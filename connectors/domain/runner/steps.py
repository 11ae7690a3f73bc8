"""Running a step: announcing it, timing it, recording its exchanges redacted.

Purpose: the bookkeeping every check shares, so that webhook, polling and static checks read
as the checks they are. ``Recorder.step`` announces a step (status running), times it, turns
an unexpected exception into status ``error`` (``RunnerError``) and sets passed/failed from the
findings (and clears ``wait_until``); ``Recorder.publish`` reports a running step's progress (a
countdown: ``Step.wait_until``) before a long wait; ``Recorder.call`` sends one request through
the ``OutboundClient``, stores it redacted on the step and reports a transport problem as a
finding.

``fatal`` names exceptions that must stop the run instead (a time limit of the caller's, such
as Celery's ``SoftTimeLimitExceeded``: the domain does not import it): the step ends ``error``
and the exception goes on, so ``finally`` blocks (the webhook DELETE) still run.

Input: the ``on_step`` callback, the client and the secrets of the run.
Output: ``Step``s in ``Recorder.steps``; the *unredacted* exchange to the caller (its logic
needs the real answer; only the stored copy is redacted).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from connectors.domain.runner.client import OutboundClient
from connectors.domain.runner.credentials import redact, scrub, secret_headers
from connectors.domain.runner.model import Exchange, Step
from connectors.domain.runner.plan import Plan

OnStep = Callable[[Step], None]


class Recorder:
    """Collects the steps of one run and reports each to ``on_step`` as it starts and ends.

    ``on_step`` always gets a step whose ``key`` names it; it may get several snapshots of the
    same step (start, ``publish``, end): the last one with a given key is the current one.
    """

    def __init__(
        self,
        on_step: OnStep,
        client: OutboundClient,
        secrets: list[str],
        secret_headers: tuple[str, ...] = (),
        fatal: tuple[type[BaseException], ...] = (),
    ) -> None:
        self.on_step = on_step
        self.client = client
        self.secrets = secrets
        self.secret_headers = secret_headers
        self.fatal = fatal
        self.steps: list[Step] = []

    @classmethod
    def for_plan(
        cls,
        plan: Plan,
        on_step: OnStep,
        client: OutboundClient,
        fatal: tuple[type[BaseException], ...] = (),
    ) -> Recorder:
        """A recorder that hides the plan's credentials (and its API-key header)."""
        secrets = plan.credentials.secrets() if plan.credentials else []
        return cls(on_step, client, secrets, secret_headers(plan.design), fatal)

    @contextmanager
    def step(self, key: str, title: str) -> Iterator[Step]:
        step = Step(key, title)
        self.on_step(Step(key, title))  # a snapshot: the caller may keep it while this one fills
        started = time.monotonic()
        try:
            yield step
        except Exception as exc:  # one broken step must not lose the report (nor the DELETE)
            text = scrub(f"{type(exc).__name__}: {exc}", self.secrets)
            if isinstance(exc, self.fatal):
                step.status = "error"
                step.detail = f"The run was stopped during this step ({text})."
                raise
            step.add(
                "RunnerError",
                "error",
                f"The runner could not finish this step ({text}). This is a bug in Trigger "
                "Designer, not in your API; the other steps are still valid.",
            )
            step.status = "error"
        finally:
            step.duration_ms = round((time.monotonic() - started) * 1000)
            step.wait_until = None  # an ended step waits for nobody
            if step.status == "running":
                step.status = "failed" if step.has_errors() else "passed"
            self.steps.append(step)
            self.on_step(step)

    def publish(self, step: Step) -> None:
        """Report a running step as it is now (a snapshot), e.g. before waiting for a person."""
        self.on_step(copy.deepcopy(step))

    def skip(self, key: str, title: str, why: str) -> Step:
        step = Step(key, title, status="skipped", detail=why)
        self.steps.append(step)
        self.on_step(step)
        return step

    def call(
        self,
        step: Step,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
    ) -> Exchange:
        exchange = self.client.send(method, url, headers=headers, json=json)
        step.exchanges.append(redact(exchange, self.secrets, self.secret_headers))
        if exchange.error:
            transport_finding(step, exchange)
        return exchange


def transport_finding(step: Step, exchange: Exchange) -> None:
    """The finding for a request that got no answer: slow, refused, or failed."""
    # The stored copy is the redacted one: quote it, never the raw exchange.
    stored = step.exchanges[-1] if step.exchanges else exchange
    error = stored.error or ""
    where = f"{stored.method} {stored.url}"
    if error.startswith("timed out"):
        step.add(
            "SlowResponse",
            "error",
            f"{where} {error}. The platform gives up on slow answers: answer quickly and do "
            "the slow work after responding (or in the background).",
        )
    elif error.startswith("refused"):
        step.add(
            "AddressRefused",
            "error",
            f"{where} was not sent: {error}. The runner only calls public addresses; use a "
            "public host name for the API and absolute public URLs in Location headers.",
        )
    else:
        step.add(
            "RequestFailed",
            "error",
            f"{where} got no answer: {error}. Check that the API is reachable from the "
            "internet at this address.",
        )
