"""Run a report: the static checks, then each covered trigger's dynamic values and lifecycle.

Purpose: the one entry point of the runner (``run_report``); the Celery task and
``manage.py run_trigger_test`` call it through the service layer. It never raises for what the
API does: problems are findings, and a runner bug in a step is that step's ``error`` status.
Input: a ``Plan``, the ``OutboundClient``, a ``CallbackFactory`` and ``on_step`` (called with
each step when it starts, status running, when a running step publishes a countdown
(``Step.wait_until``) and when it ends; the last call for a ``key`` is the step's state).
Output: ``ReportResult`` (status and steps, exchanges already redacted).
"""

from __future__ import annotations

from collections.abc import Callable

from connectors.domain.runner.callbacks import CallbackEndpoint, CallbackFactory, Received
from connectors.domain.runner.client import OutboundClient
from connectors.domain.runner.dynamic_values import run_dynamic_values
from connectors.domain.runner.model import ReportResult, Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.polling import run_polling
from connectors.domain.runner.static import run_static
from connectors.domain.runner.steps import Recorder
from connectors.domain.runner.webhook import run_webhook
from connectors.domain.swagger.exporting.definition import export_swagger

__all__ = ["CallbackEndpoint", "CallbackFactory", "Received", "run_report"]


def run_report(
    plan: Plan,
    *,
    client: OutboundClient,
    callbacks: CallbackFactory,
    on_step: Callable[[Step], None] = lambda step: None,
    fatal: tuple[type[BaseException], ...] = (),
) -> ReportResult:
    """Run every check of ``plan`` in order and return the report; an exception of a ``fatal``
    type (the caller's time limit) stops the run and propagates (see ``Recorder``)."""
    recorder = Recorder.for_plan(plan, on_step, client, fatal)
    with recorder.step("setup", "Export the design") as step:
        swagger = export_swagger(plan.design)
        triggers = plan.triggers()
        missing = sorted(set(plan.trigger_ids) - {t.get("operationId") for t in triggers})
        for operation_id in missing:
            step.add(
                "TriggerNotFound",
                "error",
                f"The design has no trigger {operation_id!r}: pick one of its triggers.",
            )
        step.detail = f"{len(triggers)} trigger(s) to test against {plan.base_url}."
    if step.status != "passed":
        return ReportResult.from_steps(recorder.steps)
    run_static(plan, swagger, recorder)
    for trigger in triggers:
        run_dynamic_values(plan, trigger, swagger, recorder)  # the author picks values first
        if trigger.get("kind") == "webhook":
            run_webhook(plan, trigger, swagger, recorder, callbacks)
        elif trigger.get("kind") == "polling":
            run_polling(plan, trigger, swagger, recorder)
    return ReportResult.from_steps(recorder.steps)
