"""``{% team_switcher %}``: the header's team picker, on every page that extends base.html.

Both tags read the user's memberships through ``views.teams.memberships``: the list the view
already fetched for its role check when it did, else one query shared by the two.
"""

from __future__ import annotations

from typing import Any

from django import template

from connectors.views.teams import current_membership, memberships

register = template.Library()


def _request_of(context: template.Context) -> Any:
    """The request of a logged-in user, else None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return request if user is not None and user.is_authenticated else None


@register.inclusion_tag("connectors/teams/switcher.html", takes_context=True)
def team_switcher(context: template.Context) -> dict[str, Any]:
    request = _request_of(context)
    if request is None:
        return {"teams": []}
    teams = [membership.team for membership in memberships(request)]
    current = current_membership(request)
    return {
        "teams": teams,
        "current": current.team if current else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def in_a_team(context: template.Context) -> bool:
    """Whether the user is in a team (pages of the current team, the trash, need one)."""
    request = _request_of(context)
    return request is not None and bool(memberships(request))
