"""The draft's test reports: history and start form, the live report, its downloads.

Team scoped through ``draft_access`` (another team's draft is a 404; starting needs the
editor role, a viewer gets 403). The report page polls its own URL with htmx for the progress
fragment; once the report has ended the fragment comes with status 286 and polling stops.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseStopPolling

from connectors import selectors, services, services_reports
from connectors.domain.runner.diagram import NARROW, WIDE, sequence_svg
from connectors.domain.runner.inputs import RunValues, value_text
from connectors.domain.runner.samples import received_payloads
from connectors.forms_reports import ReportStartForm
from connectors.models import Report

from .access import DraftAccess, draft_access
from .drafts import HtmxHttpRequest


def _report(request: HttpRequest, draft_id: int, report_id: int, role: str = "viewer") -> Report:
    access = draft_access(request, draft_id, role=role)
    try:
        return selectors.report_get(draft=access.draft, report_id=report_id)
    except Report.DoesNotExist as exc:
        raise Http404("No such report.") from exc


WIZARD_RECENT_REPORTS = 5
# The order in which the report's summary counts its steps.
STEP_STATUSES = ("passed", "failed", "error", "skipped", "running")


def step_counts(steps: Any) -> list[tuple[str, int]]:
    """How many steps have each status, for the summary above the steps (stored steps are
    JSON: anything that is not a step with a status is not counted)."""
    counts = Counter(step.get("status") for step in steps or [] if isinstance(step, dict))
    return [(status, counts[status]) for status in STEP_STATUSES if counts[status]]


# A step opens by itself when it needs the reader: it went wrong, or it is under way.
OPEN_STATUSES = frozenset({"failed", "error", "running"})


def step_items(steps: Any) -> list[dict[str, Any]]:
    """The steps as the page lists them: numbered (the diagram names them by number), open
    when they went wrong or run, when they warn or offer something to take (choices, a
    notification to use as a sample); the other ones folded."""
    items = []
    for number, step in enumerate(steps or [], start=1):
        if not isinstance(step, dict):
            continue
        warns = any(f.get("severity") == "warning" for f in step.get("findings") or [])
        data = step.get("data")
        # What the maker can take from a step is shown, not folded: a dynamic-values step's
        # choices, the notifications a step received (each can become a sample).
        offers = (isinstance(data, dict) and bool(data.get("choices"))) or bool(
            received_payloads(step)
        )
        items.append(
            {
                "number": number,
                "step": step,
                "open": step.get("status") in OPEN_STATUSES or warns or offers,
            }
        )
    return items


def _duration(report: Report) -> str:
    """How long the report ran (or has been running), in words a person reads at once."""
    if report.started_at is None:
        return ""
    end = report.finished_at or timezone.now()
    seconds = max(0.0, (end - report.started_at).total_seconds())
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def tested_triggers(report: Report) -> list[dict[str, str]]:
    """The design's triggers that the report tests (no choice made: all of them)."""
    chosen = set(report.trigger_ids or [])
    triggers = (report.design or {}).get("triggers") or []
    return [
        {
            "name": str(t.get("summary") or t.get("operationId") or "?"),
            "kind": str(t.get("kind") or ""),
        }
        for t in triggers
        if isinstance(t, dict) and (not chosen or t.get("operationId") in chosen)
    ]


def progress_context(report: Report) -> dict[str, Any]:
    """What the progress fragment needs: the report, its summary, steps and diagram (drawn
    twice: for a wide box and for a phone, the CSS shows the one that fits), the countdown.

    The page asks the user to trigger the event only while a running step waits for it (it
    has a ``wait_until``), not during the other steps of a running report."""
    deadlines = []
    if report.status == Report.Status.RUNNING:
        deadlines = [
            step["wait_until"]
            for step in report.steps
            if step.get("status") == "running" and step.get("wait_until")
        ]
    waiting = bool(deadlines)
    seconds_left = max(0, math.ceil(max(deadlines) - time.time())) if deadlines else None
    target = "Simulator" if report.target_kind == Report.Target.SIMULATOR else "API"
    items = step_items(report.steps)
    diagrams = {
        layout.name: mark_safe(
            sequence_svg(
                report.steps,
                title=f"Report {report.pk}: what went over the wire, step by step",
                target_name=target,
                layout=layout,
                id_prefix=f"report-{report.pk}",
            )
        )
        for layout in (WIDE, NARROW)
    }
    return {
        "report": report,
        "step_counts": step_counts(report.steps),
        "step_items": items,
        "failing_steps": [i for i in items if i["step"].get("status") in ("failed", "error")],
        "tested_triggers": tested_triggers(report),
        "duration": _duration(report),
        "diagram_wide": diagrams["wide"],
        "diagram_narrow": diagrams["narrow"],
        "waiting_for_event": waiting,
        "seconds_left": seconds_left,
        "run_values": run_values(report),
    }


def run_values(report: Report) -> list[tuple[str, str]]:
    """The values typed in for the run (secret ones are sealed apart and never shown)."""
    values = RunValues.from_json(report.inputs)
    shown = [(name, value) for name, value in values.parameters.items()]
    return shown + [(pointer, value_text(value)) for pointer, value in values.body.items()]


def recent_report_ids(report: Report) -> set[int]:
    """The ids in the Test step's list of recent reports of ``report``'s draft."""
    recent = selectors.report_list(draft=report.draft, limit=WIZARD_RECENT_REPORTS)
    return {item.pk for item in recent}


def report_start_from(request: HttpRequest, access: DraftAccess, form: ReportStartForm) -> Report:
    """Start the report ``form`` (a valid ``ReportStartForm``) asks for."""
    return services.report_start(
        draft=access.draft,
        user=request.user,
        trigger_ids=form.cleaned_data["triggers"],
        target=form.target_value(),
        credentials=form.credentials(),
        fault=form.cleaned_data.get("fault") or "none",
        values=form.run_values(),
        secret_values=form.secret_values(),
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(
        request, draft_id, role="editor" if request.method == "POST" else "viewer"
    )
    design = services.draft_design(draft=access.draft)
    form = ReportStartForm(request.POST or None, design=design)
    if request.method == "POST" and form.is_valid():
        report = report_start_from(request, access, form)
        return redirect("connectors:report_detail", draft_id=access.draft.pk, report_id=report.pk)
    context = {
        "access": access,
        "draft": access.draft,
        "form": form,
        "reports": selectors.report_list(draft=access.draft),
    }
    return render(
        request, "connectors/reports/list.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET"])
@login_required
def report_detail(request: HtmxHttpRequest, draft_id: int, report_id: int) -> HttpResponse:
    report = _report(request, draft_id, report_id)
    in_wizard = request.GET.get("in_wizard") == "1"
    context = {"draft": report.draft, "in_wizard": in_wizard, **progress_context(report)}
    if request.htmx:
        # Polled from the wizard's Test step: also refresh the report's badge in the list of
        # recent reports, which holds the newest few only (a missing target is an htmx error).
        context["recent_badge"] = in_wizard and report.pk in recent_report_ids(report)
        response = render(request, "connectors/reports/_progress.html", context)
        if report.ended:
            stop = HttpResponseStopPolling(response.content)
            return stop
        return response
    return render(request, "connectors/reports/detail.html", context)


@require_http_methods(["GET"])
@login_required
def report_json(request: HttpRequest, draft_id: int, report_id: int) -> HttpResponse:
    report = _report(request, draft_id, report_id)
    text = json.dumps(services_reports.report_document(report), indent=2)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.json"'
    return response


@require_http_methods(["GET"])
@login_required
def report_junit(request: HttpRequest, draft_id: int, report_id: int) -> HttpResponse:
    report = _report(request, draft_id, report_id)
    xml = services_reports.report_junit(report)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{report.pk}.junit.xml"'
    return response


urlpatterns = [
    path("drafts/<int:draft_id>/reports/", report_list, name="report_list"),
    path("drafts/<int:draft_id>/reports/<int:report_id>/", report_detail, name="report_detail"),
    path(
        "drafts/<int:draft_id>/reports/<int:report_id>/report.json", report_json, name="report_json"
    ),
    path(
        "drafts/<int:draft_id>/reports/<int:report_id>/report.junit.xml",
        report_junit,
        name="report_junit",
    ),
]
