"""Every write of teams: creating one, its members and their roles, and invitations.

Lock order (finding L6). Every service that changes a team's memberships first locks the team
row, then the memberships it decides on, in primary-key order. Two owners demoting or removing
each other at once used to lock their two membership rows in opposite orders and deadlock on
PostgreSQL; now the second waits for the first, then decides on what the first wrote, so "a
team always has an owner" holds under concurrency. The team lock is FOR NO KEY UPDATE: it
queues these services without blocking the inserts that merely reference the team (new
drafts). SQLite ignores row locks; there every write transaction takes the database lock up
front (``settings.DATABASES``), which serialises them the same way.

Invitations take the same team lock first, then the invitation's row: of two requests posting
one link at once, the second finds it used, so one invitation makes one membership. The mail
goes when the transaction commits; a failing mail server loses nothing: the invitation stays,
its ``mail_status`` says the mail was not sent, and the members page shows the owner its link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .invitation_links import invitation_url
from .models import Invitation, Membership, Team

logger = logging.getLogger(__name__)
DEFAULT_TEAM_SLUG = "default"
OWNER = Membership.Role.OWNER


class LastOwnerError(Exception):
    """The change would leave a team without an owner."""


class InviteeIsMember(ValueError):
    """A member of the team already has the address invited."""


class InvitationClosed(Exception):
    """The invitation was used, revoked or has expired: ``state`` says which."""

    def __init__(self, state: str):
        self.state = state
        super().__init__(f"The invitation is {state}.")


class UsernameTaken(ValueError):
    """Someone took the username between the sign-up form's check and the sign-up."""


@dataclass(frozen=True)
class Acceptance:
    membership: Membership
    # False when the user was a member already: their membership and role stay as they were.
    joined: bool


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


@transaction.atomic
def invitation_send(
    *, team: Team, email: str, role: str, invited_by: AbstractBaseUser | AnonymousUser | None
) -> Invitation:
    """Invite ``email`` into ``team`` with ``role``, or send its open invitation again.

    Again means the same invitation and link, with the new role and inviter and a fresh expiry
    (an expired one comes back to life). ``InviteeIsMember`` if a member of the team has the
    address. The mail goes once the transaction commits; the returned invitation's
    ``mail_status`` then says whether it went.
    """
    email = email.strip().lower()
    _lock_team(team.pk)
    member = Membership.objects.filter(team=team, user__email__iexact=email).first()
    if member is not None:
        name = member.user.get_username()
        raise InviteeIsMember(f"{name} has this address and is a member of {team.name} already.")
    invitation = (
        Invitation.objects.select_for_update()
        .filter(team=team, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    ) or Invitation(team=team, email=email)
    invitation.role = role
    invitation.invited_by = _actor(invited_by)
    invitation.sent_at = timezone.now()
    invitation.mail_status = Invitation.MailStatus.PENDING
    invitation.save()
    transaction.on_commit(lambda: invitation_mail(invitation=invitation))
    return invitation


def invitation_mail(*, invitation: Invitation) -> bool:
    """Mail the invitation's link; record (on the row and on ``invitation``) whether it went.

    Never raises: whatever the mail backend fails with (refused connection, timeout, login,
    an address the server refuses) is logged, and the owner passes the link on instead.
    """
    inviter = invitation.invited_by.get_username() if invitation.invited_by else "An owner"
    context = {
        "invitation": invitation,
        "team": invitation.team,
        "inviter": inviter,
        "link": invitation_url(invitation),
    }
    # One line whatever the team's name holds: a line break in a subject is refused.
    subject = " ".join(f"{inviter} invited you to {invitation.team.name}".split())
    body = render_to_string("connectors/invitations/mail.txt", context)
    try:
        send_mail(f"{subject} on Trigger Designer", body, None, [invitation.email])
    except Exception as exc:  # any backend's failure: the invitation and its link stay
        logger.warning("invitation %s not mailed: %s: %s", invitation.pk, type(exc).__name__, exc)
        status = Invitation.MailStatus.FAILED
    else:
        status = Invitation.MailStatus.SENT
    Invitation.objects.filter(pk=invitation.pk).update(mail_status=status)
    invitation.mail_status = status
    return status == Invitation.MailStatus.SENT


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Revoke an open or expired invitation: its link stops working at once.

    ``InvitationClosed`` if it was used; revoking twice is revoking once.
    """
    _lock_team(invitation.team_id)
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.accepted_at is not None:
        raise InvitationClosed(Invitation.State.USED)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
    return current


def _lock_open(invitation: Invitation) -> Invitation:
    """Lock the team, then the invitation; the invitation as it is now if still open, else
    ``InvitationClosed``: of two requests with one link, the second finds it used."""
    _lock_team(invitation.team_id)
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if current.state != Invitation.State.OPEN:
        raise InvitationClosed(current.state)
    return current


def _use(invitation: Invitation, user: Any) -> Membership:
    membership = Membership.objects.create(
        team_id=invitation.team_id, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Acceptance:
    """``user`` joins the team with the invitation's role (``InvitationClosed`` if it is not
    open any more). A member already keeps their role, and the invitation stays open."""
    current = _lock_open(invitation)
    existing = (
        Membership.objects.select_for_update().filter(team_id=current.team_id, user=user).first()
    )
    if existing is not None:
        return Acceptance(membership=existing, joined=False)
    return Acceptance(membership=_use(current, user), joined=True)


@transaction.atomic
def invitation_sign_up(*, invitation: Invitation, username: str, password: str) -> Any:
    """A new user with the invitation's address joins the team with its role; the new user.

    ``password`` has passed the password validators (the sign-up form's job).
    ``InvitationClosed`` if the invitation is not open any more, ``UsernameTaken`` if the name
    went in between; either way no user is created.
    """
    current = _lock_open(invitation)
    try:
        with transaction.atomic():  # a savepoint: the error must not end the transaction
            user = get_user_model().objects.create_user(
                username=username, email=current.email, password=password
            )
    except IntegrityError as exc:
        raise UsernameTaken(f"{username} is taken.") from exc
    _use(current, user)
    return user
