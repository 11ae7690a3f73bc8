"""Project-level views: the home page, a health check for load balancers, the lockout page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from . import health


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The current team's draft list is the start page."""
    return redirect("connectors:draft_list")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503 naming the one that failed."""
    checks = {"database": health.check_database(), "broker": health.check_broker()}
    failing = {name: reason for name, reason in checks.items() if reason}
    body = {
        "status": "failing" if failing else "ok",
        "checks": {name: reason or "ok" for name, reason in checks.items()},
    }
    response = JsonResponse(body, status=503 if failing else 200)
    response["Cache-Control"] = "no-store"
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes' answer to a login from a username + address that is locked out (429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
