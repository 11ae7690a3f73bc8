"""Project-level views: the home page and a health check for load balancers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from connectors import selectors


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    drafts = selectors.draft_list(user=request.user)
    return render(request, "home.html", {"drafts": drafts})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
