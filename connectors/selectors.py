"""Every read of the connectors app, always scoped by the user's team memberships.

A view never fetches a draft by primary key alone: another team's draft simply is not in the
queryset, so it is a 404, not a 403 that would confirm it exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ConnectorDraft, Membership, Revision, Team


def team_list(*, user: Any) -> QuerySet[Team]:
    return Team.objects.filter(memberships__user=user).order_by("name")


def membership_get(*, user: Any, team: Team) -> Membership | None:
    return Membership.objects.filter(user=user, team=team).first()


def draft_list(*, user: Any, team: Team | None = None) -> QuerySet[ConnectorDraft]:
    drafts = ConnectorDraft.objects.filter(team__memberships__user=user)
    if team is not None:
        drafts = drafts.filter(team=team)
    return drafts.select_related("team", "updated_by").order_by("-updated_at", "-pk")


def draft_get(*, user: Any, draft_id: int) -> ConnectorDraft:
    """The draft if the user is in its team; ``ConnectorDraft.DoesNotExist`` otherwise."""
    return draft_list(user=user).get(pk=draft_id)


def revision_list(*, draft: ConnectorDraft) -> QuerySet[Revision]:
    return draft.revisions.select_related("author").order_by("-number")
