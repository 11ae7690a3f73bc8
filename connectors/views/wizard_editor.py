"""The Swagger editor: the whole apiDefinition as text (JSON or YAML), edited and saved back.

A page of the Review step, reached from the header bar's "Swagger editor" link. The text is
the export of the saved design; saving imports it like an uploaded file
(``swagger.importing.text``), through the wizard's one save (the version it was opened at, a
history message, the conflict page when someone saved in between; with ``preview=1`` the
validation panel of the text as edited). The linter's findings travel with the page as diagnostics
placed at the line their JSON pointer names; a refused text comes back as typed, with its line and
column (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from connectors import services
from connectors.domain.documents import MAX_FILE_BYTES
from connectors.domain.pointer_positions import pointer_spans
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.domain.swagger.importing.text import EditorTextError, import_edited_swagger
from connectors.forms_editor import FORMATS, SwaggerEditorForm

from .access import DraftAccess, draft_access
from .limits import body_limited
from .wizard_common import design_seen, findings, page_context, render_page, save

# The text (a file as the importer reads it, sent URL-encoded: JSON's punctuation and line
# breaks take three bytes each) and room for the rest of the form.
MAX_EDITOR_POST_BYTES = 2 * MAX_FILE_BYTES + 64 * 1024
MESSAGE = "Edited in the Swagger editor"


def editor_url(draft_id: int, fmt: str = "json") -> str:
    url = reverse("connectors:wizard_swagger", args=[draft_id])
    return f"{url}?format=yaml" if fmt == "yaml" else url


def swagger_text(design: dict[str, Any], fmt: str) -> str:
    swagger = export_swagger(design, share=True)
    return dump_yaml(swagger) if fmt == "yaml" else dump_json(swagger)


def finding_diagnostics(text: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings whose pointer lies in the swagger, at the line and column it names."""
    spans = pointer_spans(text, [row["pointer"] for row in rows if "pointer" in row])
    diagnostics = []
    for row in rows:
        span = spans.get(row.get("pointer", ""))
        if span is None:
            continue  # an apiProperties finding: the validation panel lists it
        message = f"{row['rule']}: {row['message']}" + (f" {row['fix']}" if row["fix"] else "")
        diagnostics.append(
            _diagnostic(span.line, span.column, span.end - span.start, row["severity"], message)
        )
    return diagnostics


def _diagnostic(line: int, column: int, length: int, severity: str, message: str) -> dict[str, Any]:
    return {
        "line": line,
        "column": column,
        "length": max(length, 1),
        "severity": severity,
        "message": message,
    }


def _context(
    request: HttpRequest,
    access: DraftAccess,
    form: SwaggerEditorForm,
    fmt: str,
    diagnostics: list[dict[str, Any]],
) -> dict[str, Any]:
    design = services.draft_design(draft=access.draft, copy=False)
    return page_context(
        request,
        access,
        "review",
        design,
        form=form,
        format=fmt,
        formats=FORMATS,
        editor_url=editor_url(access.draft.pk),
        diagnostics=diagnostics,
        editor_page=True,
    )


def _too_large(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id, role="editor")
    messages.error(
        request,
        f"The text sent is larger than {MAX_EDITOR_POST_BYTES // (1024 * 1024)} MB: nothing was "
        "saved.",
    )
    return _show(request, access, "json", status=413)


def _show(request: HttpRequest, access: DraftAccess, fmt: str, status: int = 200) -> HttpResponse:
    design = services.draft_design(draft=access.draft, copy=False)
    text = swagger_text(design, fmt)
    form = SwaggerEditorForm(
        initial={"text": text, "based_on_version": access.draft.version, "format": fmt}
    )
    diagnostics = finding_diagnostics(text, findings(access.draft))
    context = _context(request, access, form, fmt, diagnostics)
    return render_page(request, "editor", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@body_limited(MAX_EDITOR_POST_BYTES, _too_large)
def wizard_swagger(request: HttpRequest, draft_id: int) -> HttpResponse:
    if request.method == "GET":
        access = draft_access(request, draft_id)
        fmt = "yaml" if request.GET.get("format") == "yaml" else "json"
        return _show(request, access, fmt)
    access = draft_access(request, draft_id, role="editor")
    seen = design_seen(request, access)
    form = SwaggerEditorForm(request.POST)
    fmt = "yaml" if request.POST.get("format") == "yaml" else "json"
    refused: list[EditorTextError] = []

    def apply(edited: dict[str, Any]) -> str | None:
        try:
            result = import_edited_swagger(form.cleaned_data["text"], edited)
        except EditorTextError as error:
            refused.append(error)
            raise
        edited.clear()
        edited.update(result.design)
        return editor_url(draft_id, fmt)

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            form.add_error("text" if refused else None, error)
        diagnostics = [
            _diagnostic(error.line, error.column, 1, "error", error.reason) for error in refused
        ]
        context = _context(request, access, form, fmt, diagnostics)
        return render_page(request, "editor", context, status=400)

    return save(request, access, seen, form, apply, editor_url(draft_id, fmt), invalid, MESSAGE)
