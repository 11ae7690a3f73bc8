"""The wizard's Test step: the start form with the values a run needs, the draft's recent
reports, the chosen report's live progress; and starting a report from the step.

Team scoped through ``draft_access``; starting needs the editor role. A refused start shows
the step again with the form's errors (400); nothing of the design is unsaved then.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from connectors import forms, selectors, services
from connectors.domain.runner.inputs import listed_choices
from connectors.forms_reports import ReportStartForm
from connectors.models import Report

from .access import DraftAccess, draft_access
from .reports import WIZARD_RECENT_REPORTS, progress_context, report_start_from
from .wizard_common import page_context, render_page


def test_step_context(
    request: HttpRequest,
    access: DraftAccess,
    design: dict[str, Any],
    form: ReportStartForm | None = None,
) -> dict[str, Any]:
    """The wizard's Test step: the start form, the recent reports, the chosen one's progress.

    ``?report=N`` picks the report shown live (the one just started redirects there); without
    it the newest report of the draft is shown. ``form``: a refused start form, shown again.
    """
    recent = list(selectors.report_list(draft=access.draft, limit=WIZARD_RECENT_REPORTS))
    shown: Report | None = recent[0] if recent else None
    wanted = request.GET.get("report", "")
    if wanted.isascii() and wanted.isdigit():
        shown = next((r for r in recent if r.pk == int(wanted)), None)
        if shown is None:
            try:
                shown = selectors.report_get(draft=access.draft, report_id=int(wanted))
            except Report.DoesNotExist as exc:
                raise Http404("No such report.") from exc
    if form is None:
        form = ReportStartForm(
            design=design,
            previous=shown.inputs if shown else None,
            choices=listed_choices(shown.steps) if shown else None,
            auto_id="report_%s",
        )
    context: dict[str, Any] = {"report_form": form, "recent_reports": recent}
    if shown is not None:
        context.update(progress_context(shown))
    return context


@require_http_methods(["POST"])
@login_required
def wizard_test_start(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Start a report from the wizard's Test step and come back to it, showing its progress."""
    access = draft_access(request, draft_id, role="editor")
    design = services.draft_design(draft=access.draft, copy=False)
    form = ReportStartForm(request.POST, design=design, auto_id="report_%s")
    if form.is_valid():
        report = report_start_from(request, access, form)
        url = reverse("connectors:wizard_step", args=[access.draft.pk, "test"])
        return redirect(f"{url}?report={report.pk}")
    step_form = forms.StepForm(initial=forms.StepForm.initial_for(design, access.draft.version))
    context = page_context(
        request,
        access,
        "test",
        design,
        form=step_form,
        **test_step_context(request, access, design, form=form),  # shown again with its errors
    )
    context["unsaved_edits"] = False  # the design is as saved: only the run's form was refused
    return render_page(request, "test", context, status=400)


urlpatterns = [
    path("drafts/<int:draft_id>/wizard/test/start/", wizard_test_start, name="wizard_test_start"),
]
