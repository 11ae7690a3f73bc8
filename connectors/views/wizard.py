"""The wizard: General, Security, Definition, Test and Review, and its downloads.

``wizard_common`` holds what every page shares (one form per page, saving, the validation
panel, the conflict page); ``wizard_trigger`` the Definition step's trigger pages. The General
step's form is multipart: its icon is saved by the same ``draft_save`` as the rest of the step;
``wizard_icon`` serves it to the team (the draft row never carries the image). A step POST
larger than ``MAX_STEP_POST_BYTES`` is refused (413) before its body is read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from connectors import forms, selectors, services
from connectors.domain.design import DesignError
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.domain.swagger.exporting.package import ICON_MAX_BYTES, build_package
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.exporting.tray import build_tray_package
from connectors.domain.wizard.messages import revision_message

from .access import DraftAccess, draft_access, wants_fragment
from .limits import body_limited
from .wizard_common import (
    STEPS,
    conflict_page,
    design_seen,
    page_context,
    render_page,
    save,
    step_url,
    validation_panel,
)
from .wizard_editor import wizard_swagger
from .wizard_test import test_step_context
from .wizard_trigger import (
    apply_trigger_action,
    trigger_action_message,
    trigger_page_context,
    wizard_trigger,
)

STEP_FORMS: dict[str, type[forms.StepForm]] = {
    "general": forms.GeneralForm,
    "security": forms.SecurityForm,
}
DOWNLOADS = {
    "apiDefinition.swagger.json": "application/json",
    "apiDefinition.swagger.yaml": "application/yaml",
    "apiProperties.json": "application/json",
    "package.zip": "application/zip",
    "tray-connector.zip": "application/zip",  # the tray.io (Falafel) trigger connector
}
# A step's form: the icon (the largest field) and room for the rest.
MAX_STEP_POST_BYTES = ICON_MAX_BYTES + 256 * 1024


def _step_context(
    request: HttpRequest, access: DraftAccess, step: str, form: Any = None
) -> dict[str, Any]:
    # Read only: the design decoded from this request's row needs no copy (saves clone it).
    design = services.draft_design(draft=access.draft, copy=False)
    form_class = STEP_FORMS.get(step, forms.StepForm)
    if form is None:
        form = form_class(initial=form_class.initial_for(design, access.draft.version))
    extra: dict[str, Any] = {"form": form}
    if step == "test":
        extra.update(test_step_context(request, access, design))
    if step == "review":  # the text itself is in the Swagger editor (wizard_editor)
        extra.update(downloads=list(DOWNLOADS))
    return page_context(request, access, step, design, **extra)


# -- pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def wizard(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft_access(request, draft_id)
    return redirect("connectors:wizard_step", draft_id=draft_id, step="general")


def _step_too_large(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    if step not in dict(STEPS):
        raise Http404("No such step.")
    access = draft_access(request, draft_id, role="editor")
    messages.error(
        request,
        f"The form sent is larger than {MAX_STEP_POST_BYTES // 1024} KB (the icon may be "
        f"{ICON_MAX_BYTES // 1024} KB at most): nothing was saved.",
    )
    return render_page(request, step, _step_context(request, access, step), status=413)


@login_required
@require_http_methods(["GET", "POST"])
@body_limited(MAX_STEP_POST_BYTES, _step_too_large)
def wizard_step(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    if step not in dict(STEPS):
        raise Http404("No such step.")
    if request.method == "GET":
        access = draft_access(request, draft_id)
        if step == "definition" and access.draft.trigger_count:
            # The Definition step opens on its first trigger, beside the trigger list.
            context = trigger_page_context(request, access, 0)
            return render_page(request, "trigger", context)
        return render_page(request, step, _step_context(request, access, step))
    access = draft_access(request, draft_id, role="editor")
    design = design_seen(request, access)
    form = STEP_FORMS.get(step, forms.StepForm)(request.POST, request.FILES)
    action = request.POST.get("action", "")

    def apply(edited: dict[str, Any]) -> str | None:
        form.apply(edited)
        if step == "definition":
            return apply_trigger_action(edited, draft_id, action, current=None)
        return None

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            form.add_error(None, error)
        return render_page(request, step, _step_context(request, access, step, form), status=400)

    url = step_url(draft_id, step)
    # The Test and Review steps hold only the title (in the header bar).
    message = trigger_action_message(design, action) or (
        "Renamed the connector" if step in ("test", "review") else revision_message(step)
    )
    return save(request, access, design, form, apply, url, invalid, message)


@login_required
@require_POST
def wizard_overwrite(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Save the design from the conflict page, now based on the version that won."""
    access = draft_access(request, draft_id, role="editor")
    form = forms.OverwriteForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(
            request, f"The overwrite form was damaged, so nothing was saved ({problems}): reload."
        )
        return render_page(
            request, "general", _step_context(request, access, "general"), status=400
        )
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = step_url(draft_id, "general")
    try:
        services.draft_save(
            draft=access.draft,
            user=request.user,
            design=form.cleaned_data["design"],
            based_on_version=form.cleaned_data["based_on_version"],
            message=revision_message("overwrite"),
        )
    except services.DraftConflict as conflict:
        return conflict_page(request, access, conflict, form.cleaned_data["design"], target)
    except DesignError as error:
        text = "; ".join(f"{pointer or '/'}: {message}" for pointer, message in error.errors)
        messages.error(request, f"Your edit is not a valid design, so it was not saved: {text}")
        return render_page(
            request, "general", _step_context(request, access, "general"), status=400
        )
    messages.success(request, "Saved over the other change (it stays in the history).")
    return redirect(target)


# -- the validation panel and downloads ---------------------------------------------------------


@login_required
@require_GET
def wizard_validation(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id)
    if not wants_fragment(request):  # the panel alone is no page: show it beside Review
        return redirect("connectors:wizard_step", draft_id=draft_id, step="review")
    return validation_panel(request, access)


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
    elif filename == "tray-connector.zip":
        content = build_tray_package(design)
    else:
        content = build_package(design, icon=selectors.icon_bytes(draft=access.draft))
    # Breaking changes are measured against what was last downloaded (the history page).
    services.draft_mark_downloaded(draft=access.draft, version=access.draft.version)
    response = HttpResponse(content, content_type=DOWNLOADS[filename])
    slug = slugify(access.draft.title) or "connector"
    names = {"package.zip": f"{slug}.zip", "tray-connector.zip": f"{slug}-tray.zip"}
    name = names.get(filename, filename)
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
    path("drafts/<int:draft_id>/wizard/overwrite/", wizard_overwrite, name="wizard_overwrite"),
    path("drafts/<int:draft_id>/wizard/validation/", wizard_validation, name="wizard_validation"),
    path("drafts/<int:draft_id>/wizard/icon/", wizard_icon, name="wizard_icon"),
    path("drafts/<int:draft_id>/wizard/review/swagger/", wizard_swagger, name="wizard_swagger"),
    path(
        "drafts/<int:draft_id>/download/<str:filename>",
        wizard_download,
        name="wizard_download",
    ),
    path("drafts/<int:draft_id>/wizard/<slug:step>/", wizard_step, name="wizard_step"),
]
