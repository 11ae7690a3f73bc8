"""The callback receiver: ``/hooks/<token>/``, where APIs (and the simulator) deliver events.

A machine endpoint: no login, no CSRF token (the caller is an API, not a browser). POST only,
the body is capped, the headers are stored without their credentials. An unknown token is a
404; a token whose report has ended is a 410, so a publisher that keeps delivering after the
DELETE learns that the subscription is gone.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from connectors import services


@csrf_exempt
@require_http_methods(["POST"])
def hook_receive(request: HttpRequest, token: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = services.hook_body_limit()
    if length > limit:
        return JsonResponse({"error": f"the body is larger than {limit} bytes"}, status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return JsonResponse({"error": f"the body is larger than {limit} bytes"}, status=413)
    outcome = services.hook_receive(token=token, headers=dict(request.headers), body=body)
    if outcome == "unknown":
        return JsonResponse({"error": "no such callback"}, status=404)
    if outcome == "gone":
        return JsonResponse({"error": "this callback's report has ended"}, status=410)
    return JsonResponse({"received": True}, status=202)


urlpatterns = [path("hooks/<str:token>/", hook_receive, name="hook_receive")]
