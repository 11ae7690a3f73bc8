"""A notification a test report received, used as a notification sample of its trigger.

GET shows the payload and what inferring the notification schema again with it changes
(properties added, removed, retyped); any member of the draft's team may look. POST (editor
role) saves it, with the version the page was based on: a stale version ends on the wizard's
conflict page (409), like every save. The payload is always the one the report stored (scrubbed
of the run's secrets), never one sent by the browser. A report, step or notification that does
not exist, or belongs to another team, is a 404; a design that can no longer take the sample
(its trigger removed, renamed or no longer a webhook) gets a page that says so (409).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from connectors import selectors, services, services_samples
from connectors.domain.runner.samples import (
    ReceivedPayload,
    SamplePreview,
    SampleTargetError,
    received_payload,
    sample_preview,
)
from connectors.forms_samples import ReportSampleForm
from connectors.models import Report

from .access import DraftAccess, draft_access
from .wizard_common import conflict_page, trigger_url


def _received(
    access: DraftAccess, report_id: int, step: int, number: int
) -> tuple[Report, ReceivedPayload]:
    try:
        report = selectors.report_get(draft=access.draft, report_id=report_id)
        return report, received_payload(report.steps, step, number)
    except (Report.DoesNotExist, LookupError) as exc:
        raise Http404("This report received no such notification.") from exc


def _unavailable(
    request: HttpRequest, context: dict[str, Any], error: SampleTargetError
) -> HttpResponse:
    context["problem"] = str(error)
    return render(request, "connectors/reports/sample_unavailable.html", context, status=409)


@require_http_methods(["GET", "POST"])
@login_required
def report_sample(
    request: HttpRequest, draft_id: int, report_id: int, step: int, number: int
) -> HttpResponse:
    role = "editor" if request.method == "POST" else "viewer"
    access = draft_access(request, draft_id, role=role)
    report, payload = _received(access, report_id, step, number)
    context: dict[str, Any] = {
        "access": access,
        "draft": access.draft,
        "report": report,
        "step": step,
        "payload": payload,
        "payload_json": json.dumps(payload.value, indent=2, ensure_ascii=False),
    }
    design = services.draft_design(draft=access.draft)
    try:
        preview = sample_preview(design, payload.operation_id, payload.value)
    except SampleTargetError as error:
        return _unavailable(request, context, error)
    initial = {"based_on_version": access.draft.version}
    form = ReportSampleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save(request, access, context, preview, form.cleaned_data["based_on_version"])
    notification = preview.design["triggers"][preview.index]["notification"]
    context.update(
        form=form,
        preview=preview,
        sample_count=len(notification["samples"]) - 1,
        received_at=parse_datetime(payload.received_at or "") if payload.received_at else None,
        trigger_page=trigger_url(access.draft.pk, preview.index, "response"),
        schema_json=json.dumps(notification["schema"], indent=2, ensure_ascii=False),
    )
    status = 400 if form.errors else 200
    return render(request, "connectors/reports/sample.html", context, status=status)


def _save(
    request: HttpRequest,
    access: DraftAccess,
    context: dict[str, Any],
    preview: SamplePreview,
    based_on_version: int,
) -> HttpResponse:
    payload: ReceivedPayload = context["payload"]
    try:
        services_samples.notification_sample_add(
            draft=access.draft,
            report=context["report"],
            step_index=context["step"],
            number=payload.number,
            user=request.user,
            based_on_version=based_on_version,
        )
    except services.DraftConflict as conflict:
        return _conflict(request, access, conflict, payload)
    except SampleTargetError as error:
        return _unavailable(request, context, error)
    added = "Sample added; the notification schema was inferred again."
    messages.success(request, added)
    url = trigger_url(access.draft.pk, preview.index, "response")
    return redirect(f"{url}#notification")


def _conflict(
    request: HttpRequest,
    access: DraftAccess,
    conflict: services.DraftConflict,
    payload: ReceivedPayload,
) -> HttpResponse:
    """The wizard's conflict page; "your edit" is the sample added to their version."""
    theirs = services.draft_design(draft=conflict.current)
    try:
        yours = sample_preview(theirs, payload.operation_id, payload.value).design
    except SampleTargetError:
        yours = theirs  # their change took the trigger away: nothing of yours applies
    return conflict_page(request, access, conflict, yours, request.path)


urlpatterns = [
    path(
        "drafts/<int:draft_id>/reports/<int:report_id>/steps/<int:step>/notifications/<int:number>/sample/",
        report_sample,
        name="report_sample",
    ),
]
