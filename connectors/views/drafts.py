"""The team's drafts: list and search, create, import, duplicate, trash, history and diff.

Every view gets its draft through ``draft_access`` (another team's draft is a 404, a too-low
role a 403) or the current team through ``team_membership``; writes go through one service each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from connectors import selectors, services
from connectors.domain.design import DesignError
from connectors.domain.documents import DocumentError
from connectors.domain.swagger.exporting.definition import dump_json
from connectors.domain.swagger.importing.connector import PROPERTIES_NAME, SwaggerImportError
from connectors.forms_drafts import (
    MAX_UPLOAD_BYTES,
    DraftCreateForm,
    DraftImportForm,
    DraftSearchForm,
    RevisionCompareForm,
    RevisionRestoreForm,
)
from connectors.models import ConnectorDraft, Revision

from .access import draft_access, wants_fragment
from .limits import body_limited
from .teams import current_membership, team_membership


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware (the reports' views type theirs with it)."""

    htmx: HtmxDetails


def draft_edit_url(draft: ConnectorDraft) -> str:
    return reverse("connectors:wizard", args=[draft.pk])


@require_http_methods(["GET"])
@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    team = membership.team if membership else None
    form = DraftSearchForm(request.GET)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = (
        selectors.draft_page(
            user=request.user,
            team=team,
            query=query,
            order=form.ordering(),
            page=request.GET.get("page"),
        )
        if team
        else None
    )
    template = "connectors/drafts/list.html" + ("#rows" if wants_fragment(request) else "")
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "page": page,
        "drafts": page.object_list if page else ConnectorDraft.objects.none(),
        "page_query": _page_query(request),
        "page_numbers": _page_numbers(page),
    }
    return render(request, template, context)


def _page_numbers(page: Page[Any] | None) -> list[int | str]:
    """The page links to show: the first and last, and those around the current one."""
    if page is None:
        return []
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return list(numbers)


def _page_query(request: HttpRequest) -> str:
    """The address's query without its page number, for the page links to keep the rest."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_http_methods(["GET", "POST"])
@login_required
def draft_create(request: HttpRequest) -> HttpResponse:
    membership = team_membership(request, role="editor")
    form = DraftCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = services.draft_create(
            team=membership.team, user=request.user, title=form.cleaned_data["title"]
        )
        return redirect(draft_edit_url(draft))
    status = 400 if form.errors else 200
    context = {"form": form, "team": membership.team}
    return render(request, "connectors/drafts/create.html", context, status=status)


# The two files and room for the rest of the form.
MAX_IMPORT_POST_BYTES = 2 * MAX_UPLOAD_BYTES + 64 * 1024


def _import_too_large(request: HttpRequest) -> HttpResponse:
    membership = team_membership(request, role="editor")
    # Said on the form itself, above the file fields, rather than as a toast: the files have
    # to be chosen again there.
    too_large = (
        f"The files sent are larger than {MAX_IMPORT_POST_BYTES // (1024 * 1024)} MB together "
        f"(each may be {MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most): nothing was imported."
    )
    context = {"form": DraftImportForm(), "team": membership.team, "too_large": too_large}
    return render(request, "connectors/drafts/import.html", context, status=413)


@require_http_methods(["GET", "POST"])
@login_required
@body_limited(MAX_IMPORT_POST_BYTES, _import_too_large)
def draft_import(request: HttpRequest) -> HttpResponse:
    membership = team_membership(request, role="editor")
    form = DraftImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = services.draft_import(
                team=membership.team,
                user=request.user,
                swagger=form.cleaned_data["swagger"],
                properties=form.cleaned_data["properties"],
                title=form.cleaned_data["title"] or None,
            )
        except (SwaggerImportError, DocumentError) as exc:
            field = "properties" if getattr(exc, "name", None) == PROPERTIES_NAME else "swagger"
            form.add_error(field, str(exc))
        except DesignError as exc:
            form.add_error("swagger", f"The imported design is not valid: {exc}")
        else:
            for note in imported.notes:
                messages.info(request, note)
            messages.success(request, f"Imported {imported.draft.title}.")
            return redirect(draft_edit_url(imported.draft))
    status = 400 if form.errors else 200
    context = {"form": form, "team": membership.team}
    return render(request, "connectors/drafts/import.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def draft_duplicate(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id, role="editor")
    copy = services.draft_duplicate(draft=access.draft, user=request.user)
    messages.success(request, f"Created {copy.title}.")
    return redirect("connectors:draft_list")


@require_http_methods(["POST"])
@login_required
def draft_delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id, role="owner")
    services.draft_trash(draft=access.draft, user=request.user)
    messages.success(request, f"Moved {access.draft.title} to the trash.")
    return redirect("connectors:draft_list")


@require_http_methods(["GET"])
@login_required
def draft_trash(request: HttpRequest) -> HttpResponse:
    membership = team_membership(request)
    drafts = selectors.draft_trash_list(user=request.user, team=membership.team)
    context = {"team": membership.team, "membership": membership, "drafts": drafts}
    return render(request, "connectors/drafts/trash.html", context)


@require_http_methods(["POST"])
@login_required
def draft_restore(request: HttpRequest, draft_id: int) -> HttpResponse:
    try:
        draft = selectors.draft_trashed_get(user=request.user, draft_id=draft_id)
    except ConnectorDraft.DoesNotExist as exc:
        raise Http404("No such draft in the trash.") from exc
    team_membership(request, draft.team_id, role="owner")
    services.draft_untrash(draft=draft)
    messages.success(request, f"Restored {draft.title}.")
    return redirect("connectors:draft_list")


@require_http_methods(["GET"])
@login_required
def draft_history(request: HttpRequest, draft_id: int) -> HttpResponse:
    access = draft_access(request, draft_id)
    history = selectors.revision_history(draft=access.draft, page=request.GET.get("page"))
    context = {
        "access": access,
        "draft": access.draft,
        "entries": history.entries,
        "page": history.page,
        "page_query": "",
        "page_numbers": _page_numbers(history.page),
        "compare": RevisionCompareForm(
            initial={"old": max(access.draft.version - 1, 1), "new": access.draft.version}
        ),
        "edit_url": draft_edit_url(access.draft),
    }
    return render(request, "connectors/drafts/history.html", context)


@require_http_methods(["GET"])
@login_required
def revision_diff(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The difference between two revisions; bad input is shown next to its field."""
    access = draft_access(request, draft_id)
    form = RevisionCompareForm(request.GET)
    comparison, status = None, 400
    if form.is_valid():
        try:
            comparison = selectors.revision_compare(
                draft=access.draft, old=form.cleaned_data["old"], new=form.cleaned_data["new"]
            )
            status = 200
        except selectors.RevisionNotFound as missing:
            _no_such_revisions(form, missing.numbers, newest=access.draft.version)
            status = 404
    context = {"draft": access.draft, "compare": form, "comparison": comparison}
    if not wants_fragment(request):
        return render(request, "connectors/drafts/diff.html", context, status=status)
    # htmx swaps no 4xx answer: the fragment with the form's errors comes as a 200 (and leaves
    # the address bar alone, since there is no difference to link to).
    response = render(request, "connectors/drafts/diff.html#diff", context)
    return response if comparison else push_url(response, False)


def _no_such_revisions(form: RevisionCompareForm, numbers: list[int], *, newest: int) -> None:
    for name in ("old", "new"):
        number = form.cleaned_data[name]
        if number in numbers:
            form.add_error(name, f"There is no revision {number}; the newest is {newest}.")


@require_http_methods(["POST"])
@login_required
def revision_restore(request: HttpRequest, draft_id: int, number: int) -> HttpResponse:
    """Save an old revision as the newest, based on the version the user saw (a save in
    between is the conflict page, never a silent overwrite)."""
    access = draft_access(request, draft_id, role="editor")
    try:
        revision = selectors.revision_get(draft=access.draft, number=number)
    except Revision.DoesNotExist as exc:
        raise Http404("No such revision.") from exc
    form = RevisionRestoreForm(request.POST)
    if not form.is_valid():
        context = {"draft": access.draft, "revision": revision, "form": form}
        return render(request, "connectors/drafts/restore_invalid.html", context, status=400)
    try:
        services.revision_restore(
            draft=access.draft,
            revision=revision,
            user=request.user,
            based_on_version=form.cleaned_data["based_on_version"],
        )
    except services.DraftConflict as conflict:
        return render(
            request, "connectors/drafts/conflict.html", {"conflict": conflict}, status=409
        )
    messages.success(request, f"Restored revision {number} as a new revision.")
    return redirect("connectors:draft_history", draft_id=access.draft.pk)


@require_http_methods(["GET"])
@login_required
def revision_download(request: HttpRequest, draft_id: int, number: int) -> HttpResponse:
    access = draft_access(request, draft_id)
    try:
        revision = selectors.revision_get(draft=access.draft, number=number)
    except Revision.DoesNotExist as exc:
        raise Http404("No such revision.") from exc
    text = dump_json(selectors.revision_swagger(revision=revision))
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    filename = f"apiDefinition.r{number}.swagger.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("drafts/", draft_list, name="draft_list"),
    path("drafts/new/", draft_create, name="draft_create"),
    path("drafts/import/", draft_import, name="draft_import"),
    path("drafts/trash/", draft_trash, name="draft_trash"),
    path("drafts/trash/<int:draft_id>/restore/", draft_restore, name="draft_restore"),
    path("drafts/<int:draft_id>/duplicate/", draft_duplicate, name="draft_duplicate"),
    path("drafts/<int:draft_id>/delete/", draft_delete, name="draft_delete"),
    path("drafts/<int:draft_id>/history/", draft_history, name="draft_history"),
    path("drafts/<int:draft_id>/history/diff/", revision_diff, name="revision_diff"),
    path(
        "drafts/<int:draft_id>/history/<int:number>/restore/",
        revision_restore,
        name="revision_restore",
    ),
    path(
        "drafts/<int:draft_id>/history/<int:number>/apiDefinition.swagger.json",
        revision_download,
        name="revision_download",
    ),
]
