"""Body-size limits checked before the body is read.

Django's CSRF check reads ``request.POST``, and reading it streams any upload to memory or the
temporary folder. A view that accepts uploads therefore checks the declared size first, then
CSRF, then its form: ``body_limited`` puts the three in that order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from designer.middleware import declared_body_bytes

View = Callable[..., HttpResponse]


def body_limited(max_bytes: int, too_large: View) -> Callable[[View], View]:
    """Answer ``too_large(request, *args, **kwargs)`` for a POST declaring more than
    ``max_bytes``, unread; otherwise check CSRF and call the view."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and declared_body_bytes(request) > max_bytes:
                return too_large(request, *args, **kwargs)
            return protected(request, *args, **kwargs)

        # CSRF is checked inside, once the size is known to be sane.
        return csrf_exempt(wrapper)

    return decorate
