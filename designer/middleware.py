"""Project-wide middleware: the request-size gate in front of everything that reads a body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def declared_body_bytes(request: HttpRequest) -> int:
    """The body size the client declared (Content-Length), 0 when absent or not a number.

    Django reads no more than this from the socket, so checking it before anything touches
    ``request.POST``/``request.FILES`` bounds what reaches memory and the temporary folder.
    """
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """413 for any request whose body is over ``MAX_REQUEST_BODY_BYTES``, unread.

    Without it Django's upload handlers stream a file of any size to the temporary folder
    before a form can say it is too large. Views with a smaller limit (the import, a wizard
    step, the callback receiver) check theirs with a message of their own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BODY_BYTES
        if declared_body_bytes(request) > limit:
            return HttpResponse(
                f"The request is larger than {limit // (1024 * 1024)} MB; nothing was read.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
