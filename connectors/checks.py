"""System checks of the connectors app (``manage.py check`` and every server start).

``connectors.W001``: ``"*"`` in ALLOWED_HOSTS while DEBUG is off. Django then accepts any
``Host`` header, so anything built from the request's host would point wherever a caller
likes. This app builds its absolute URLs on SITE_URL only, but a wildcard still opens the door
to Host header poisoning (password reset links, cache keys) and should be a list of names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register()
def check_allowed_hosts(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.DEBUG or "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        checks.Warning(
            'ALLOWED_HOSTS contains "*" while DEBUG is off: any Host header is accepted.',
            hint="Set ALLOWED_HOSTS to the host names this app is served under.",
            id="connectors.W001",
        )
    ]
