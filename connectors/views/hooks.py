"""The callback receiver: ``/hooks/<token>/``, where APIs (and the simulator) deliver events.

A machine endpoint: no login, no CSRF token (the caller is an API, not a browser). POST only,
the headers are stored without their credentials. An unknown token is a 404; a token whose
report has ended is a 410, so a publisher that keeps delivering after the DELETE learns that
the subscription is gone. Anyone may POST here, so everything is bounded: one body
(HOOK_MAX_BODY_BYTES, 413, also for a chunked body), and what one hook keeps
(HOOK_MAX_NOTIFICATIONS notifications, HOOK_MAX_TOTAL_BYTES in all; 429 beyond, nothing stored).
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from connectors import services
from designer.middleware import declared_body_bytes


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def _read_at_most(stream: _Readable, limit: int) -> bytes | None:
    """The rest of ``stream``, or None when it holds more than ``limit`` bytes (reading no more
    than ``limit + 1``)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


def _body(request: HttpRequest, limit: int) -> bytes | None:
    """The request's body, or None when it is larger than ``limit`` bytes."""
    declared = request.META.get("CONTENT_LENGTH")
    if not declared and request.META.get("wsgi.input_terminated"):
        # A chunked body has no Content-Length, and Django then reads nothing; a server that
        # sets wsgi.input_terminated (gunicorn) ends the raw input with the body, so read it.
        return _read_at_most(request.META["wsgi.input"], limit)
    if declared_body_bytes(request) > limit:  # refused before reading a byte
        return None
    return _read_at_most(request, limit)


@csrf_exempt
@require_http_methods(["POST"])
def hook_receive(request: HttpRequest, token: str) -> HttpResponse:
    limit = services.hook_body_limit()
    body = _body(request, limit)
    if body is None:
        return JsonResponse({"error": f"the body is larger than {limit} bytes"}, status=413)
    outcome = services.hook_receive(token=token, headers=dict(request.headers), body=body)
    if outcome == "unknown":
        return JsonResponse({"error": "no such callback"}, status=404)
    if outcome == "gone":
        return JsonResponse({"error": "this callback's report has ended"}, status=410)
    if outcome == "too_many":
        most = settings.HOOK_MAX_NOTIFICATIONS
        error = f"this callback has received {most} notifications, the most it keeps"
        return JsonResponse({"error": error}, status=429)
    if outcome == "too_large":
        most = settings.HOOK_MAX_TOTAL_BYTES
        error = f"this callback keeps at most {most} bytes of notifications in all"
        return JsonResponse({"error": error}, status=429)
    return JsonResponse({"received": True}, status=202)


urlpatterns = [path("hooks/<str:token>/", hook_receive, name="hook_receive")]
