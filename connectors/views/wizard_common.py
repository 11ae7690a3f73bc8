"""What every wizard page shares: the step list, findings, context, rendering and saving.

Every page of the wizard is one URL that serves the full page and, for htmx, its ``#wizard``
partial, and holds ONE form (``id="wizard-form"``) with one Save: the connector's title in the
header bar joins it through its ``form`` attribute. A save is a plain POST carrying the version
it was based on: it redirects on success, shows the page again with its errors (400) on bad
input, and shows the conflict page (409) when someone saved in between. The same POST with
``preview=1`` (sent by htmx while the user types) saves nothing and answers the validation
panel for the design as edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from connectors import forms, forms_pages, selectors, services
from connectors.domain.design import DesignError, migrate_design
from connectors.domain.lint import Finding
from connectors.domain.lint.incremental import lint_design_cached
from connectors.domain.wizard.edit import design_changes, field_location, is_missing
from connectors.models import ConnectorDraft, Revision

from .access import DraftAccess, wants_fragment

STEPS = [
    ("general", "General"),
    ("security", "Security"),
    ("definition", "Definition"),
    ("test", "Test"),
    ("review", "Review"),
]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# The tab of a trigger's page that holds a field, by the anchor ``field_location`` gives it.
_ANCHOR_TABS = {
    "request": "request",
    "notification": "response",
    "callback": "config",
    "delete": "config",
    "polling": "config",
}
Apply = Callable[[dict[str, Any]], "str | None"]


def step_url(draft_id: int, step: str) -> str:
    return reverse("connectors:wizard_step", args=[draft_id, step])


def trigger_url(draft_id: int, index: int, tab: str | None = None) -> str:
    url = reverse("connectors:wizard_trigger", args=[draft_id, index])
    return f"{url}?tab={tab}" if tab else url


# -- reads -------------------------------------------------------------------------------------


def _findings_key(draft: ConnectorDraft) -> str:
    return f"wizard-findings:{draft.pk}:{draft.version}"


def findings(draft: ConnectorDraft, design: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Lint findings with their wizard links; the saved design's are cached per version."""
    if design is None:
        cached = cache.get(_findings_key(draft))
        if cached is not None:
            return cached
    current = design if design is not None else services.draft_design(draft=draft, copy=False)
    try:
        found = lint_design_cached(current)
    except Exception as error:  # an export bug must not cost the user the page
        return [{"severity": "error", "rule": "ExportFailed", "message": str(error), "fix": ""}]
    rows = finding_rows(draft.pk, found)
    if design is None:
        cache.set(_findings_key(draft), rows, 3600)
    return rows


def finding_rows(draft_id: int, found: list[Finding]) -> list[dict[str, Any]]:
    return [
        {**finding.as_dict(), "url": _field_url(draft_id, finding.field)}
        for finding in sorted(found, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    ]


def _field_url(draft_id: int, pointer: str | None) -> str:
    step, index, anchor = field_location(pointer)
    if index is None:
        return f"{step_url(draft_id, step)}#{anchor}"
    tab = (
        "request"
        if anchor.startswith(("id_params-", "dynamic-"))
        else _ANCHOR_TABS.get(anchor, "general")
    )
    return f"{trigger_url(draft_id, index, tab)}#{anchor}"


def counts(found: list[dict[str, Any]]) -> dict[str, int]:
    totals = {"error": 0, "warning": 0, "info": 0}
    for finding in found:
        totals[finding["severity"]] = totals.get(finding["severity"], 0) + 1
    return totals


def page_context(
    request: HttpRequest, access: DraftAccess, step: str, design: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """What every wizard page shows: the header bar, the stepper and the validation panel."""
    found = extra.pop("findings", None)
    if found is None:
        found = findings(access.draft)
    form = extra.get("form")
    return {
        "draft": access.draft,
        "design": design,
        "can_edit": access.can_edit,
        "steps": STEPS,
        "step": step,
        "findings": found,
        "counts": counts(found),
        "icon": icon_shown(access.draft),
        "title_field": form["title"] if form is not None and "title" in form.fields else None,
        **extra,
    }


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    name = f"connectors/wizard/{template}.html"
    if wants_fragment(request):
        name += "#wizard"
    # A refused save (400) shows the page with what was typed, not yet saved: it starts
    # "dirty". (A 413 read nothing: it shows the saved values. A refused form that is not an
    # edit of the design, such as the Test step's, says so by setting ``unsaved_edits``.)
    context.setdefault("unsaved_edits", request.method == "POST" and status == 400)
    return render(request, name, context, status=status)


def icon_shown(draft: ConnectorDraft) -> dict[str, Any] | None:
    """The current icon's size and URL (the URL changes with the image), never its bytes.

    Cached per draft version like the findings: an icon changes only with a save, and every
    wizard page shows it in its header bar.
    """
    key = f"wizard-icon:{draft.pk}:{draft.version}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    found = selectors.icon_meta(draft=draft)
    shown: dict[str, Any] = {}
    if found is not None:
        url = reverse("connectors:wizard_icon", args=[draft.pk])
        shown = {
            "url": f"{url}?v={found.digest[:16]}",
            "width": found.width,
            "height": found.height,
            "format": "PNG" if found.content_type == "image/png" else "JPEG",
        }
    cache.set(key, shown, 3600)
    return shown or None


def design_seen(request: HttpRequest, access: DraftAccess) -> dict[str, Any]:
    """The design the posted form was built from, for its edit to apply to.

    The current design, or, when the form comes from an older version (another tab, or a
    teammate saved since), that revision's: the edit then applies to what the user saw, not
    to a trigger that has since moved, changed type or gone, and the save ends on the conflict
    page. The current one is decoded for this request alone (``save`` edits it in place).
    """
    current = services.draft_design(draft=access.draft, copy=False)
    seen = request.POST.get("based_on_version", "")
    if not seen.isascii() or not seen.isdigit() or int(seen) == access.draft.version:
        return current
    try:
        revision = selectors.revision_get(draft=access.draft, number=int(seen))
    except Revision.DoesNotExist:
        return current  # the form's own validation names the bad version
    return migrate_design(revision.design, copy=False)


def trigger_of(design: dict[str, Any], index: int) -> dict[str, Any]:
    try:
        return design["triggers"][index]
    except IndexError:
        raise Http404("No such trigger.") from None


# -- saving ------------------------------------------------------------------------------------


def save(
    request: HttpRequest,
    access: DraftAccess,
    edited: dict[str, Any],
    form: Any,
    apply: Apply,
    success_url: str,
    invalid: Callable[[list[str]], HttpResponse],
    message: str,
) -> HttpResponse:
    """Validate, apply, then preview (htmx) or save; 400, 409 or a redirect.

    ``form`` is a page's form or ``forms_pages.PageForms`` (every form of a trigger's page).
    ``edited`` (from ``design_seen``) was decoded for this request alone, so the edit goes into
    it without a copy; the paths that show the saved design again (bad input, a design the
    schema refuses) reload it from the row first. ``apply`` may return where to land instead of
    ``success_url``.
    """
    preview = request.POST.get("preview") == "1"
    if not form.is_valid():
        if preview:
            return _panel(request, access, None, form_errors(form))
        return invalid([])

    def saved_design_again() -> None:
        access.draft.refresh_from_db(fields=["design"])

    try:
        landing = apply(edited)
    except (ValueError, django_forms.ValidationError) as error:
        messages_ = getattr(error, "messages", None) or [str(error)]
        saved_design_again()
        return _panel(request, access, None, messages_) if preview else invalid(messages_)
    if preview:
        return _panel(request, access, edited, [])
    options = form.save_options()  # the General step's icon
    found = lint_design_cached(edited)  # reports a failing rule, never raises
    try:
        saved = services.draft_save(
            draft=access.draft,
            user=request.user,
            design=edited,
            based_on_version=form.cleaned_data["based_on_version"],
            message=message,
            findings=found,
            **options,
        )
    except services.DraftConflict as conflict:
        if options.get("icon") or options.get("remove_icon"):
            # The conflict page can carry the design, not a file: say what was not saved.
            messages.warning(request, "Your icon change was not saved: make it again.")
        return conflict_page(request, access, conflict, edited, success_url)
    except DesignError as error:
        saved_design_again()
        return invalid([f"{pointer or '/'}: {text}" for pointer, text in error.errors])
    # The page we redirect to shows these findings: no second lint.
    cache.set(_findings_key(saved), finding_rows(saved.pk, found), 3600)
    messages.success(request, "Saved.")
    return redirect(landing or success_url)


def form_errors(form: Any) -> list[str]:
    """Every error of a form (or of every form of a page), each with its field's label."""
    if isinstance(form, forms_pages.PageForms):
        return form.error_messages()
    return forms_pages.labelled_errors(form)


def _panel(
    request: HttpRequest,
    access: DraftAccess,
    design: dict[str, Any] | None,
    errors: list[str],
) -> HttpResponse:
    found = findings(access.draft, design)
    context = {
        "draft": access.draft,
        "findings": found,
        "counts": counts(found),
        "form_errors": errors,
        "unsaved": design is not None,
    }
    return render(request, "connectors/wizard/panel.html", context)


def validation_panel(request: HttpRequest, access: DraftAccess) -> HttpResponse:
    return _panel(request, access, None, [])


def conflict_page(
    request: HttpRequest,
    access: DraftAccess,
    conflict: services.DraftConflict,
    yours: dict[str, Any],
    back: str,
) -> HttpResponse:
    current = conflict.current
    base = access.draft.revisions.filter(number=conflict.based_on_version).first()
    theirs = services.draft_design(draft=current)
    overwrite = forms.OverwriteForm(
        initial={"design": yours, "based_on_version": current.version, "next": back}
    )
    context = {
        "draft": current,
        "updated_by": current.updated_by,
        "based_on_version": conflict.based_on_version,
        "their_changes": _shown(design_changes(base.design if base else {}, theirs)),
        "your_changes": _shown(design_changes(theirs, yours)),
        "overwrite": overwrite,
        "reload_url": back,
    }
    return render(request, "connectors/wizard/conflict.html", context, status=409)


def _shown(changes: list[Any]) -> list[dict[str, str]]:
    def show(value: Any) -> str:
        if is_missing(value):
            return "(none)"
        text = value if isinstance(value, str) else json.dumps(value)
        return text if len(text) <= 300 else text[:300] + "…"

    return [
        {"pointer": c.pointer, "before": show(c.before), "after": show(c.after)} for c in changes
    ]
