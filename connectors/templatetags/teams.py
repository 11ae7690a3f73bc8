"""``{% team_switcher %}``: the header's team picker, on every page that extends base.html."""

from __future__ import annotations

from typing import Any

from django import template

from connectors import selectors
from connectors.views.access import CURRENT_TEAM_SESSION_KEY

register = template.Library()


@register.inclusion_tag("connectors/teams/switcher.html", takes_context=True)
def team_switcher(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"teams": []}
    teams = list(selectors.team_list(user=user))
    chosen = request.session.get(CURRENT_TEAM_SESSION_KEY)  # type: ignore[union-attr]
    # The same choice as access.current_team, without querying again.
    current = next((t for t in teams if t.pk == chosen), teams[0] if teams else None)
    return {"teams": teams, "current": current, "csrf_token": context.get("csrf_token")}
