"""The wizard: General, Security, Definition (with one page per trigger), Test and Review.

Every page is one URL that serves the full page and, for htmx, its ``#wizard`` partial. Every
save is a plain form POST carrying the version it was based on: it redirects on success, shows
the form again with its errors (400) on bad input, and shows the conflict page (409) when
someone saved in between. The same POST with ``preview=1`` (sent by htmx while the user types)
saves nothing and answers the validation panel for the design as edited.

The General step's form is multipart: its icon is saved by the same ``draft_save`` as the rest
of the step; ``wizard_icon`` serves it to the team (the draft row never carries the image). A
step POST larger than ``MAX_STEP_POST_BYTES`` is refused (413) before its body is read.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from connectors import forms, selectors, services
from connectors.domain.authoring import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import DesignError, migrate_design
from connectors.domain.lint import Finding, lint_design
from connectors.domain.package import ICON_MAX_BYTES, build_package
from connectors.domain.properties_export import export_properties
from connectors.domain.swagger_export import dump_json, dump_yaml, export_swagger
from connectors.domain.wizard_edit import (
    design_changes,
    duplicate_trigger,
    field_location,
    is_missing,
    move_trigger,
    taken_operation_ids,
    unique_operation_id,
)
from connectors.models import ConnectorDraft, Revision

from .access import DraftAccess, draft_access, wants_fragment
from .limits import body_limited
from .reports import test_step_context

STEPS = [
    ("general", "General"),
    ("security", "Security"),
    ("definition", "Definition"),
    ("test", "Test"),
    ("review", "Review"),
]
STEP_FORMS: dict[str, type[forms.StepForm]] = {
    "general": forms.GeneralForm,
    "security": forms.SecurityForm,
}
DOWNLOADS = {
    "apiDefinition.swagger.json": "application/json",
    "apiDefinition.swagger.yaml": "application/yaml",
    "apiProperties.json": "application/json",
    "package.zip": "application/zip",
}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# -- reads -------------------------------------------------------------------------------------


def _findings_key(draft: ConnectorDraft) -> str:
    return f"wizard-findings:{draft.pk}:{draft.version}"


def _findings(draft: ConnectorDraft, design: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Lint findings with their wizard links; the saved design's are cached per version."""
    if design is None:
        cached = cache.get(_findings_key(draft))
        if cached is not None:
            return cached
    current = design if design is not None else services.draft_design(draft=draft, copy=False)
    try:
        found = lint_design(current)
    except Exception as error:  # an export bug must not cost the user the page
        return [{"severity": "error", "rule": "ExportFailed", "message": str(error), "fix": ""}]
    rows = _finding_rows(draft.pk, found)
    if design is None:
        cache.set(_findings_key(draft), rows, 3600)
    return rows


def _finding_rows(draft_id: int, found: list[Finding]) -> list[dict[str, Any]]:
    return [
        {**finding.as_dict(), "url": _field_url(draft_id, finding.field)}
        for finding in sorted(found, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    ]


def _field_url(draft_id: int, pointer: str | None) -> str:
    step, index, anchor = field_location(pointer)
    if index is not None:
        url = reverse("connectors:wizard_trigger", args=[draft_id, index])
    else:
        url = reverse("connectors:wizard_step", args=[draft_id, step])
    return f"{url}#{anchor}"


def _context(
    request: HttpRequest, access: DraftAccess, step: str, design: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    findings = extra.pop("findings", None)
    if findings is None:
        findings = _findings(access.draft)
    return {
        "draft": access.draft,
        "design": design,
        "can_edit": access.can_edit,
        "steps": STEPS,
        "step": step,
        "findings": findings,
        "counts": _counts(findings),
        **extra,
    }


def _counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    name = f"connectors/wizard/{template}.html"
    if wants_fragment(request):
        name += "#wizard"
    return render(request, name, context, status=status)


def _step_context(
    request: HttpRequest, access: DraftAccess, step: str, form: Any = None
) -> dict[str, Any]:
    # Read only: the design decoded from this request's row needs no copy (saves clone it).
    design = services.draft_design(draft=access.draft, copy=False)
    form_class = STEP_FORMS.get(step, forms.StepForm)
    if form is None:
        form = form_class(initial=form_class.initial_for(design, access.draft.version))
    extra: dict[str, Any] = {"form": form}
    if step == "general":
        extra["icon"] = _icon_shown(access.draft)
    if step == "test":
        extra.update(test_step_context(request, access, design))
    if step == "review":
        fmt = "yaml" if request.GET.get("format") == "yaml" else "json"
        swagger = export_swagger(design, share=True)
        extra.update(
            format=fmt,
            preview=dump_yaml(swagger) if fmt == "yaml" else dump_json(swagger),
            downloads=list(DOWNLOADS),
        )
    return _context(request, access, step, design, **extra)


def _icon_shown(draft: ConnectorDraft) -> dict[str, Any] | None:
    """The current icon's size and URL (the URL changes with the image), never its bytes."""
    found = selectors.icon_meta(draft=draft)
    if found is None:
        return None
    url = reverse("connectors:wizard_icon", args=[draft.pk])
    return {
        "url": f"{url}?v={found.digest[:16]}",
        "width": found.width,
        "height": found.height,
        "format": "PNG" if found.content_type == "image/png" else "JPEG",
    }


def _design_seen(request: HttpRequest, access: DraftAccess, field: str) -> dict[str, Any]:
    """The design the posted form was built from, for its edit to apply to.

    The current design, or, when the form comes from an older version (another tab, or a
    teammate saved since), that revision's: the edit then applies to what the user saw, not
    to a trigger that has since moved, changed type or gone, and the save ends on the conflict
    page. The current one is decoded for this request alone (``_save`` edits it in place).
    """
    current = services.draft_design(draft=access.draft, copy=False)
    seen = request.POST.get(field, "")
    if not seen.isdigit() or int(seen) == access.draft.version:
        return current
    try:
        revision = selectors.revision_get(draft=access.draft, number=int(seen))
    except Revision.DoesNotExist:
        return current  # the form's own validation names the bad version
    return migrate_design(revision.design, copy=False)


def _trigger(design: dict[str, Any], index: int) -> dict[str, Any]:
    try:
        return design["triggers"][index]
    except IndexError:
        raise Http404("No such trigger.") from None


# The trigger page's collapsed dialogs: their forms come when a dialog opens (htmx), or on a
# page of their own without JavaScript, and inline only when sent back with errors.
DIALOGS: dict[str, dict[str, str]] = {
    "sample": {
        "section": "sample",
        "id": "sample",
        "title": "Import from sample",
        "legend": "Import a request from a sample call",
        "label": "Import",
    },
    "parameter": {
        "section": "parameter",
        "id": "add-parameter",
        "title": "Add parameter",
        "legend": "A path, query or header parameter of the request",
        "label": "Add parameter",
    },
}


def _trigger_context(
    request: HttpRequest, access: DraftAccess, index: int, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    design = services.draft_design(draft=access.draft, copy=False)
    trigger = _trigger(design, index)
    version, bound = access.draft.version, bound or {}
    sections: dict[str, Any] = {}
    # The sections of this kind of trigger; a dialog's only when sent back with errors.
    shown = [
        name
        for name in forms.trigger_sections(trigger["kind"])
        if name not in DIALOGS or name in bound
    ]
    for name in shown:
        form_class = forms.TRIGGER_FORMS[name]
        if name not in bound:
            initial = form_class.initial_for(design, version, trigger=trigger)
            bound[name] = form_class(initial=initial, trigger=trigger, design=design, prefix=name)
        sections[name] = bound[name]
    params = bound.get("params") or forms.ParameterFormSet(
        initial=forms.parameter_initial(trigger), prefix="params"
    )
    return _context(
        request,
        access,
        "definition",
        design,
        trigger=trigger,
        index=index,
        sections=sections,
        params=params,
        dialogs=DIALOGS,
        form=sections["general"],
    )


# -- pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def wizard(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft_access(request, draft_id)
    return redirect("connectors:wizard_step", draft_id=draft_id, step="general")


# A step's form: the icon (the largest field) and room for the rest.
MAX_STEP_POST_BYTES = ICON_MAX_BYTES + 256 * 1024


def _step_too_large(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    if step not in dict(STEPS):
        raise Http404("No such step.")
    access = draft_access(request, draft_id, role="editor")
    messages.error(
        request,
        f"The form sent is larger than {MAX_STEP_POST_BYTES // 1024} KB (the icon may be "
        f"{ICON_MAX_BYTES // 1024} KB at most): nothing was saved.",
    )
    return _render(request, step, _step_context(request, access, step), status=413)


@login_required
@require_http_methods(["GET", "POST"])
@body_limited(MAX_STEP_POST_BYTES, _step_too_large)
def wizard_step(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    if step not in dict(STEPS):
        raise Http404("No such step.")
    if request.method == "GET":
        access = draft_access(request, draft_id)
        return _render(request, step, _step_context(request, access, step))
    access = draft_access(request, draft_id, role="editor")
    design = _design_seen(request, access, "based_on_version")
    form = STEP_FORMS.get(step, forms.StepForm)(request.POST, request.FILES)

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            form.add_error(None, error)
        return _render(request, step, _step_context(request, access, step, form), status=400)

    url = step_url(draft_id, step)
    return _save(request, access, design, form, form.apply, url, invalid)


def step_url(draft_id: int, step: str) -> str:
    return reverse("connectors:wizard_step", args=[draft_id, step])


@login_required
@require_GET
def wizard_trigger(request: HttpRequest, draft_id: int, index: int) -> HttpResponse:
    access = draft_access(request, draft_id)
    return _render(request, "trigger", _trigger_context(request, access, index))


@login_required
@require_http_methods(["GET", "POST"])
def wizard_trigger_section(
    request: HttpRequest, draft_id: int, index: int, section: str
) -> HttpResponse:
    form_class = forms.TRIGGER_FORMS.get(section)
    if form_class is None:
        raise Http404("No such section.")
    if request.method == "GET":
        return _dialog(request, draft_id, index, section)
    access = draft_access(request, draft_id, role="editor")
    design = _design_seen(request, access, f"{section}-based_on_version")
    trigger = _trigger(design, index)
    if section not in forms.trigger_sections(trigger["kind"]):
        messages.error(
            request, f"A {trigger['kind']} trigger has no {section} section: nothing was saved."
        )
        return _render(request, "trigger", _trigger_context(request, access, index), status=400)
    form = form_class(request.POST, trigger=trigger, design=design, prefix=section)
    bound: dict[str, Any] = {section: form}
    params = None
    if section == "request":
        params = forms.ParameterFormSet(request.POST, prefix="params")
        bound["params"] = params

    def apply(edited: dict[str, Any]) -> None:
        target = edited["triggers"][index]
        form.apply(edited)
        if params is not None:
            if not params.is_valid():
                raise django_forms.ValidationError("Check the parameters below.")
            forms.apply_parameters(params, target, path=form.cleaned_data["path"])
        form.apply_trigger(target, edited)

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            form.add_error(None, error)
        context = _trigger_context(request, access, index, bound)
        return _render(request, "trigger", context, status=400)

    url = reverse("connectors:wizard_trigger", args=[draft_id, index])
    return _save(request, access, design, form, apply, f"{url}#{section}", invalid)


def _dialog(request: HttpRequest, draft_id: int, index: int, section: str) -> HttpResponse:
    """A dialog's form: the fragment htmx puts in the opened dialog, or a page of its own."""
    if section not in DIALOGS:
        raise Http404("This section has no page of its own.")
    access = draft_access(request, draft_id)
    design = services.draft_design(draft=access.draft, copy=False)
    trigger = _trigger(design, index)
    form_class = forms.TRIGGER_FORMS[section]
    initial = form_class.initial_for(design, access.draft.version, trigger=trigger)
    form = form_class(initial=initial, trigger=trigger, design=design, prefix=section)
    context = _context(
        request,
        access,
        "definition",
        design,
        trigger=trigger,
        index=index,
        dialog=DIALOGS[section],
        form=form,
        findings=[],  # the dialog's page shows no validation panel
    )
    name = "connectors/wizard/trigger_section.html"
    if wants_fragment(request):
        name += "#dialog"
    return render(request, name, context)


@login_required
@require_POST
def wizard_trigger_action(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id, role="editor")
    design = _design_seen(request, access, "based_on_version")
    form = forms.TriggerActionForm(request.POST, count=len(design["triggers"]))

    def apply(edited: dict[str, Any]) -> str | None:
        """Add, duplicate, delete or move; a new trigger's page is where the save lands."""
        form.apply(edited)
        action, index = form.cleaned_data["action"], form.cleaned_data["index"]
        if action.startswith("add"):
            edited["triggers"].append(_new_trigger(edited, action))
            return reverse(
                "connectors:wizard_trigger", args=[draft_id, len(edited["triggers"]) - 1]
            )
        if action == "duplicate":
            duplicate_trigger(edited, index)
        elif action == "delete":
            del edited["triggers"][index]
        else:
            move_trigger(edited, index, -1 if action == "up" else 1)
        return None

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            form.add_error(None, error)
        context = _step_context(request, access, "definition")
        context["action_errors"] = form.errors
        return _render(request, "definition", context, status=400)

    return _save(request, access, design, form, apply, step_url(draft_id, "definition"), invalid)


def _new_trigger(design: dict[str, Any], action: str) -> dict[str, Any]:
    taken = taken_operation_ids(design["triggers"])
    if action == "add-webhook":
        trigger = new_webhook_trigger(summary="When an event happens", path="/hooks")
    else:
        trigger = new_polling_trigger(
            summary="When an item is created", path="/items", state_parameter="since"
        )
    # Several webhooks on one registration path share its DELETE action: export writes it once.
    trigger["operationId"] = unique_operation_id(trigger["operationId"], taken)
    return trigger


# -- saving ------------------------------------------------------------------------------------


def _save(
    request: HttpRequest,
    access: DraftAccess,
    edited: dict[str, Any],
    form: Any,
    apply: Any,
    success_url: str,
    invalid: Any,
) -> HttpResponse:
    """Validate, apply, then preview (htmx) or save; 400, 409 or a redirect.

    ``edited`` (from ``_design_seen``) was decoded for this request alone, so the edit goes
    into it without a copy; the paths that show the saved design again (bad input, a design
    the schema refuses) reload it from the row first. ``apply`` may return where to land
    instead of ``success_url``.
    """
    preview = request.POST.get("preview") == "1"
    if not form.is_valid():
        if preview:
            return _panel(request, access, None, _form_errors(form))
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
    based_on = form.cleaned_data["based_on_version"]
    options = form.save_options()  # the General step's icon
    found = lint_design(edited)  # the linter reports a failing rule, it never raises
    try:
        saved = services.draft_save(
            draft=access.draft,
            user=request.user,
            design=edited,
            based_on_version=based_on,
            message=_message(request),
            findings=found,
            **options,
        )
    except services.DraftConflict as conflict:
        if options.get("icon") or options.get("remove_icon"):
            # The conflict page can carry the design, not a file: say what was not saved.
            messages.warning(request, "Your icon change was not saved: make it again.")
        return _conflict(request, access, conflict, edited, success_url)
    except DesignError as error:
        saved_design_again()
        return invalid([f"{pointer or '/'}: {message}" for pointer, message in error.errors])
    # The page we redirect to shows these findings: no second lint.
    cache.set(_findings_key(saved), _finding_rows(saved.pk, found), 3600)
    messages.success(request, "Saved.")
    return redirect(landing or success_url)


def _message(request: HttpRequest) -> str:
    parts = [part for part in request.path.strip("/").split("/") if not part.isdigit()]
    return "Wizard: " + " / ".join(parts[-2:])


def _form_errors(form: Any) -> list[str]:
    errors = []
    for name, field_errors in form.errors.items():
        label = form.fields[name].label or name if name in form.fields else ""
        errors += [f"{label}: {error}" if label else error for error in field_errors]
    return errors


def _panel(
    request: HttpRequest,
    access: DraftAccess,
    design: dict[str, Any] | None,
    form_errors: list[str],
) -> HttpResponse:
    findings = _findings(access.draft, design)
    context = {
        "draft": access.draft,
        "findings": findings,
        "counts": _counts(findings),
        "form_errors": form_errors,
        "unsaved": design is not None,
    }
    return render(request, "connectors/wizard/panel.html", context)


def _conflict(
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


@login_required
@require_POST
def wizard_overwrite(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Save the design from the conflict page, now based on the version that won."""
    access = draft_access(request, draft_id, role="editor")
    form = forms.OverwriteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The overwrite form was damaged, so nothing was saved: reload.")
        return _render(request, "general", _step_context(request, access, "general"), status=400)
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = step_url(draft_id, "general")
    try:
        services.draft_save(
            draft=access.draft,
            user=request.user,
            design=form.cleaned_data["design"],
            based_on_version=form.cleaned_data["based_on_version"],
            message="Wizard: overwrite after a conflict",
        )
    except services.DraftConflict as conflict:
        return _conflict(request, access, conflict, form.cleaned_data["design"], target)
    except DesignError as error:
        text = "; ".join(f"{pointer or '/'}: {message}" for pointer, message in error.errors)
        messages.error(request, f"Your edit is not a valid design, so it was not saved: {text}")
        return _render(request, "general", _step_context(request, access, "general"), status=400)
    messages.success(request, "Saved over the other change (it stays in the history).")
    return redirect(target)


# -- the validation panel and downloads ---------------------------------------------------------


@login_required
@require_GET
def wizard_validation(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id)
    if not wants_fragment(request):  # the panel alone is no page: show it beside Review
        return redirect("connectors:wizard_step", draft_id=draft_id, step="review")
    return _panel(request, access, None, [])


@login_required
@require_GET
def wizard_download(request: HttpRequest, draft_id: int, filename: str) -> HttpResponse:
    if filename not in DOWNLOADS:
        raise Http404("No such file.")
    access = draft_access(request, draft_id)
    design = services.draft_design(draft=access.draft)
    content: str | bytes
    if filename == "apiDefinition.swagger.json":
        content = dump_json(export_swagger(design, share=True))
    elif filename == "apiDefinition.swagger.yaml":
        content = dump_yaml(export_swagger(design, share=True))
    elif filename == "apiProperties.json":
        content = dump_json(export_properties(design))
    else:
        content = build_package(design, icon=selectors.icon_bytes(draft=access.draft))
    response = HttpResponse(content, content_type=DOWNLOADS[filename])
    name = (
        filename
        if filename != "package.zip"
        else f"{slugify(access.draft.title) or 'connector'}.zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def wizard_icon(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The draft's icon as uploaded, for its team only (another team's draft is a 404)."""
    access = draft_access(request, draft_id)
    icon = selectors.icon_get(draft=access.draft)
    if icon is None:
        raise Http404("This draft has no icon.")
    etag = f'"{icon.digest}"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(bytes(icon.data), content_type=icon.content_type)
        # Checked to be a PNG or JPEG, and served so that nothing reads it as anything else.
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # a team's image: revalidate, never share
    return response


urlpatterns = [
    path("drafts/<int:draft_id>/wizard/", wizard, name="wizard"),
    path(
        "drafts/<int:draft_id>/wizard/triggers/<int:index>/",
        wizard_trigger,
        name="wizard_trigger",
    ),
    path(
        "drafts/<int:draft_id>/wizard/triggers/<int:index>/<slug:section>/",
        wizard_trigger_section,
        name="wizard_trigger_section",
    ),
    path(
        "drafts/<int:draft_id>/wizard/triggers/",
        wizard_trigger_action,
        name="wizard_trigger_action",
    ),
    path("drafts/<int:draft_id>/wizard/overwrite/", wizard_overwrite, name="wizard_overwrite"),
    path("drafts/<int:draft_id>/wizard/validation/", wizard_validation, name="wizard_validation"),
    path("drafts/<int:draft_id>/wizard/icon/", wizard_icon, name="wizard_icon"),
    path(
        "drafts/<int:draft_id>/download/<str:filename>",
        wizard_download,
        name="wizard_download",
    ),
    path("drafts/<int:draft_id>/wizard/<slug:step>/", wizard_step, name="wizard_step"),
]
