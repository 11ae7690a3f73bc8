"""Every write of teams: creating one, its members and their roles.

Lock order (finding L6). Every service that changes a team's memberships first locks the team
row, then the memberships it decides on, in primary-key order. Two owners demoting or removing
each other at once used to lock their two membership rows in opposite orders and deadlock on
PostgreSQL; now the second waits for the first, then decides on what the first wrote, so "a
team always has an owner" holds under concurrency. The team lock is FOR NO KEY UPDATE: it
queues these services without blocking the inserts that merely reference the team (new
drafts). SQLite ignores row locks; there every write transaction takes the database lock up
front (``settings.DATABASES``), which serialises them the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .models import Membership, Team

DEFAULT_TEAM_SLUG = "default"
OWNER = Membership.Role.OWNER


class LastOwnerError(Exception):
    """The change would leave a team without an owner."""


def _actor(user: AbstractBaseUser | AnonymousUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _lock_team(team_id: int) -> None:
    """The first lock of every membership or invitation change of the team (see above)."""
    list(Team.objects.select_for_update(no_key=True).filter(pk=team_id).values_list("pk"))


def _lock_member_and_owners(team_id: int, member_id: int) -> tuple[Membership | None, int]:
    """Lock the team, then the member and the team's owners in primary-key order; the member as
    it is now (None if it left) and how many owners the team has now."""
    _lock_team(team_id)
    rows = list(
        Membership.objects.select_for_update()
        .filter(Q(pk=member_id) | Q(role=OWNER), team_id=team_id)
        .order_by("pk")
    )
    member = next((row for row in rows if row.pk == member_id), None)
    return member, sum(row.role == OWNER for row in rows)


@transaction.atomic
def team_create(
    *, name: str, owner: AbstractBaseUser | AnonymousUser | None, slug: str | None = None
) -> Team:
    team = Team.objects.create(name=name, slug=slug or _unique_slug(name))
    if _actor(owner) is not None:
        Membership.objects.create(team=team, user=_actor(owner), role=OWNER)
    return team


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def team_default() -> Team:
    """The team the command-line tools use when none is named; created on first use."""
    team, _ = Team.objects.get_or_create(slug=DEFAULT_TEAM_SLUG, defaults={"name": "Default team"})
    return team


@transaction.atomic
def membership_set(*, team: Team, user: AbstractBaseUser, role: str) -> Membership:
    """Give ``user`` ``role`` in ``team``, adding them if needed (the system's tool: the demo,
    fixtures; it does not guard the last owner)."""
    _lock_team(team.pk)
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def team_member_add(*, team: Team, user: Any, role: str) -> Membership:
    """Add an existing user; ``ValueError`` if already a member (roles change elsewhere)."""
    _lock_team(team.pk)
    if Membership.objects.filter(team=team, user=user).exists():
        raise ValueError(f"{user.get_username()} is already a member of {team.name}.")
    return Membership.objects.create(team=team, user=user, role=role)


@transaction.atomic
def team_member_role_change(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; the last owner cannot be demoted (``LastOwnerError``).

    Decides on the rows as they are once locked, not as the caller read them;
    ``Membership.DoesNotExist`` if the member left in between. ``membership`` gets the role.
    """
    current, owners = _lock_member_and_owners(membership.team_id, membership.pk)
    if current is None:
        raise Membership.DoesNotExist("The member left the team.")
    if current.role == OWNER and role != OWNER and owners < 2:
        raise LastOwnerError(f"{membership.team.name} needs at least one owner.")
    Membership.objects.filter(pk=current.pk).update(role=role)
    membership.role = role
    return membership


@transaction.atomic
def team_member_remove(*, membership: Membership) -> None:
    """Remove a member (or let them leave); the last owner cannot (``LastOwnerError``).

    A member who is gone already stays gone: removing twice is removing once.
    """
    current, owners = _lock_member_and_owners(membership.team_id, membership.pk)
    if current is None:
        return
    if current.role == OWNER and owners < 2:
        raise LastOwnerError(f"{membership.team.name} needs at least one owner.")
    current.delete()
