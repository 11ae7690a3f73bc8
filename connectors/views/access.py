"""Who may see and change what: every view gets its draft and team through these helpers.

Reads are scoped by team membership (another team's draft is a 404, never a 403 that would
confirm it exists); writes need the editor or owner role (a viewer's write is a 403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from connectors import selectors
from connectors.models import ConnectorDraft, Membership

CURRENT_TEAM_SESSION_KEY = "current_team_id"


@dataclass(frozen=True)
class DraftAccess:
    draft: ConnectorDraft
    membership: Membership

    @property
    def can_edit(self) -> bool:
        return self.membership.can_edit

    @property
    def is_owner(self) -> bool:
        return self.membership.role == Membership.Role.OWNER


def draft_access(request: HttpRequest, draft_id: int, *, role: str = "viewer") -> DraftAccess:
    """The draft and the user's membership in its team; 404 if not a member, 403 if the role
    is too low for ``role`` ("viewer", "editor" or "owner")."""
    try:
        draft, membership = selectors.draft_with_membership(user=request.user, draft_id=draft_id)
    except ConnectorDraft.DoesNotExist as exc:
        raise Http404("No such draft.") from exc
    require_role(membership, role)
    return DraftAccess(draft=draft, membership=membership)


def require_role(membership: Membership, role: str) -> None:
    allowed = {
        "viewer": {Membership.Role.VIEWER, Membership.Role.EDITOR, Membership.Role.OWNER},
        "editor": {Membership.Role.EDITOR, Membership.Role.OWNER},
        "owner": {Membership.Role.OWNER},
    }[role]
    if membership.role not in allowed:
        raise PermissionDenied(f"This needs the {role} role in {membership.team.name}.")


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asked for part of a page (its own request, not a boosted page load)."""
    htmx: Any = getattr(request, "htmx", None)  # set by django-htmx's middleware
    return bool(htmx) and not htmx.boosted
