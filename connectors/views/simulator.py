"""The simulated publisher of a design: ``/sim/<token>/...`` (no login, no CSRF: an API).

``/sim/<token>/_control/fire`` (POST) makes the event happen: every live hook gets the
notification samples, the polling triggers get new items. ``/sim/<token>/_control/hooks`` (GET)
lists the hooks, oldest first, and whether they were deleted (a trigger may have several: the
platform registers again when a flow's trigger inputs change). Everything else under the token
is the design's own API: its registration, DELETE and polling paths (with or without the
basePath).

Every absolute URL it answers with (Location headers) is built on ``settings.SITE_URL`` by the
service, never on the request's Host (whose port Django does not check). A simulator answers
only while its report is queued or running, and SIMULATOR_GRACE_SECONDS after it ended; then
every call is a 410 (``live_session``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from connectors import selectors
from connectors import services_simulator as sim
from connectors.domain.documents import DocumentError, load_json_text
from connectors.domain.simulation import simulator as simulation
from connectors.models import SimulatorSession

MAX_BODY_BYTES = 256 * 1024


def _session(token: str) -> SimulatorSession:
    try:
        return selectors.simulator_session_get(token=token)
    except SimulatorSession.DoesNotExist as exc:
        raise Http404("No such simulator.") from exc


SimulatorView = Callable[..., HttpResponse]


def live_session(view: SimulatorView) -> SimulatorView:
    """Hands ``view`` the simulator of the URL's token instead of the token: 404 when there is
    none, 410 once its report ended (and the grace passed)."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        session = _session(token)
        if not selectors.simulator_session_open(session=session):
            grace = f"{settings.SIMULATOR_GRACE_SECONDS:g}"
            error = (
                "this simulator has closed: it answers only while its report is queued or "
                f"running, and {grace} s after the report ended; start a new report"
            )
            return JsonResponse({"error": error}, status=410)
        return view(request, session, **kwargs)

    return wrapped


def _respond(answer: sim.SimAnswer) -> HttpResponse:
    if answer.body is None:
        response = HttpResponse(status=answer.status)
    else:
        response = JsonResponse(answer.body, status=answer.status, safe=False)
    for name, value in answer.headers.items():
        response[name] = value
    return response


@csrf_exempt
@require_http_methods(["POST"])
@live_session
def simulator_fire(request: HttpRequest, session: SimulatorSession) -> HttpResponse:
    return JsonResponse(sim.simulator_fire(session=session))


@require_http_methods(["GET"])
@live_session
def simulator_hooks(request: HttpRequest, session: SimulatorSession) -> HttpResponse:
    return JsonResponse({"hooks": sim.simulator_hooks(session=session)})


@csrf_exempt
@require_http_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
@live_session
def simulator_api(request: HttpRequest, session: SimulatorSession, rest: str = "") -> HttpResponse:
    found = simulation.route(session.design, request.method or "GET", "/" + rest)
    if found is None:
        return JsonResponse({"error": f"no operation at {request.method} /{rest}"}, status=404)
    if found.role == "delete":
        return _respond(
            sim.simulator_delete(
                session=session,
                route=found,
                headers=dict(request.headers),
            )
        )
    if found.role == "poll":
        query = {key: request.GET[key] for key in request.GET}
        return _respond(
            sim.simulator_poll(session=session, route=found, query=query, path=request.path)
        )
    raw = request.read(MAX_BODY_BYTES + 1)
    try:  # the app's own loader: bounded nesting and digits, and where the JSON breaks
        body = load_json_text(raw.decode("utf-8") or "null", name="body")
    except UnicodeDecodeError:
        return JsonResponse({"error": "the body is not UTF-8 text"}, status=400)
    except DocumentError as error:
        return JsonResponse({"error": f"the body is not JSON: {error}"}, status=400)
    return _respond(sim.simulator_register(session=session, route=found, body=body))


urlpatterns = [
    path("sim/<str:token>/_control/fire", simulator_fire, name="simulator_fire"),
    path("sim/<str:token>/_control/hooks", simulator_hooks, name="simulator_hooks"),
    path("sim/<str:token>/", simulator_api, name="simulator_root"),
    path("sim/<str:token>/<path:rest>", simulator_api, name="simulator_api"),
]
