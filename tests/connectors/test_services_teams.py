"""Team services: roles decided on the rows as they are, and the invitations' life."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from connectors import services
from connectors.invitation_links import invitation_url
from connectors.models import Invitation, Membership, Team
from tests.factories import add_member, make_team, make_user

pytestmark = pytest.mark.django_db


class RefusingBackend:
    """A mail backend whose server is down."""

    def __init__(self, **kwargs: Any):
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("Connection refused")


@pytest.fixture
def team() -> Team:
    return make_team("Acme", owner=make_user("olga"))


def invite(team: Team, email: str = "newbie@example.com", role: str = "viewer") -> Invitation:
    return services.invitation_send(team=team, email=email, role=role, invited_by=None)


# --- memberships --------------------------------------------------------------------------------


def test_a_role_change_decides_on_the_row_not_on_the_callers_stale_copy(team: Team) -> None:
    olga = Membership.objects.get(team=team)
    eddie = add_member(team, make_user("eddie"), Membership.Role.EDITOR)
    stale = Membership.objects.get(pk=eddie.pk)  # read while eddie was an editor
    services.team_member_role_change(membership=eddie, role=Membership.Role.OWNER)
    services.team_member_role_change(membership=olga, role=Membership.Role.EDITOR)
    # Eddie is the only owner now, whatever the stale copy says.
    with pytest.raises(services.LastOwnerError):
        services.team_member_role_change(membership=stale, role=Membership.Role.VIEWER)
    assert Membership.objects.get(pk=eddie.pk).role == Membership.Role.OWNER


def test_a_role_change_for_someone_who_left_raises_does_not_exist(team: Team) -> None:
    eddie = add_member(team, make_user("eddie"), Membership.Role.EDITOR)
    services.team_member_remove(membership=eddie)
    with pytest.raises(Membership.DoesNotExist):
        services.team_member_role_change(membership=eddie, role=Membership.Role.VIEWER)


def test_removing_twice_is_removing_once(team: Team) -> None:
    eddie = add_member(team, make_user("eddie"), Membership.Role.EDITOR)
    services.team_member_remove(membership=eddie)
    services.team_member_remove(membership=eddie)
    assert list(team.memberships.values_list("user__username", flat=True)) == ["olga"]


# --- sending ------------------------------------------------------------------------------------


def test_an_invitation_is_one_per_open_address_and_team(team: Team) -> None:
    first = invite(team, " NewBie@Example.COM ")
    assert (first.email, first.role, first.state) == ("newbie@example.com", "viewer", "open")
    again = invite(team, "newbie@example.com", role="editor")
    assert again.pk == first.pk and again.role == "editor"
    other_team = invite(make_team(owner=make_user()), "newbie@example.com")
    assert other_team.pk != first.pk
    services.invitation_revoke(invitation=again)
    assert invite(team).pk != first.pk  # a revoked one is closed: a new one starts
    assert Invitation.objects.filter(team=team).count() == 2


def test_the_database_refuses_a_second_open_invitation(team: Team) -> None:
    invite(team)
    with pytest.raises(IntegrityError):
        Invitation.objects.create(team=team, email="newbie@example.com")


def test_inviting_again_brings_an_expired_invitation_back(team: Team) -> None:
    invitation = invite(team)
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - timedelta(days=8))
    invitation.refresh_from_db()
    assert invitation.state == "expired"
    assert invite(team).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_a_members_address_is_not_invited(team: Team) -> None:
    with pytest.raises(services.InviteeIsMember, match="olga has this address"):
        invite(team, "OLGA@example.com")


def test_the_mail_goes_on_commit_with_one_subject_line(
    team: Team, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    Team.objects.filter(pk=team.pk).update(name="Acme\r\nBcc: everyone@example.com")
    team.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(team)
    assert mailoutbox == [] and invitation.mail_status == "pending"
    callbacks[0]()
    (sent,) = mailoutbox
    injected = "Acme Bcc: everyone@example.com"
    assert sent.subject == f"An owner invited you to {injected} on Trigger Designer"
    assert sent.to == ["newbie@example.com"] and invitation_url(invitation) in sent.body
    assert invitation.mail_status == "sent"
    assert Invitation.objects.get().mail_status == "sent"


def test_a_failing_mail_backend_never_raises_and_leaves_the_invitation(
    team: Team, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(team)
    assert invitation.mail_status == "failed"
    assert Invitation.objects.get().mail_status == "failed"
    assert mail.outbox == []


# --- revoking and accepting ---------------------------------------------------------------------


def test_revoking_closes_the_link_and_a_used_invitation_cannot_be_revoked(team: Team) -> None:
    invitation = invite(team)
    services.invitation_revoke(invitation=invitation)
    services.invitation_revoke(invitation=invitation)  # twice is once
    with pytest.raises(services.InvitationClosed) as closed:
        services.invitation_accept(invitation=invitation, user=make_user())
    assert closed.value.state == "revoked"
    used = invite(team, "other@example.com")
    services.invitation_accept(invitation=used, user=make_user())
    with pytest.raises(services.InvitationClosed):
        services.invitation_revoke(invitation=used)


def test_one_invitation_makes_one_membership(team: Team) -> None:
    invitation = invite(team, role="editor")
    first, second = make_user(), make_user()
    acceptance = services.invitation_accept(invitation=invitation, user=first)
    assert acceptance.joined and acceptance.membership.role == "editor"
    with pytest.raises(services.InvitationClosed) as closed:
        services.invitation_accept(invitation=invitation, user=second)
    assert closed.value.state == "used"
    assert not Membership.objects.filter(team=team, user=second).exists()


def test_a_member_accepting_keeps_their_role_and_the_invitation_stays_open(team: Team) -> None:
    olga = team.memberships.get().user
    invitation = invite(team, role="viewer")
    acceptance = services.invitation_accept(invitation=invitation, user=olga)
    assert not acceptance.joined and acceptance.membership.role == "owner"
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_an_expired_invitation_is_closed(team: Team, settings: Any) -> None:
    settings.INVITATION_MAX_AGE_DAYS = 1
    invitation = invite(team)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=1, seconds=1)
    )
    with pytest.raises(services.InvitationClosed) as closed:
        services.invitation_sign_up(invitation=invitation, username="newbie", password="x-y-z-123")
    assert closed.value.state == "expired"


def test_sign_up_makes_a_user_with_the_invitations_address(team: Team) -> None:
    invitation = invite(team, "NewBie@Example.com", role="editor")
    user = services.invitation_sign_up(
        invitation=invitation, username="newbie", password="plum-orchard-sails-42"
    )
    assert (user.email, user.check_password("plum-orchard-sails-42")) == (
        "newbie@example.com",
        True,
    )
    assert Membership.objects.get(team=team, user=user).role == "editor"
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.state) == (user, "used")


def test_a_taken_username_creates_nothing_and_keeps_the_invitation_open(team: Team) -> None:
    invitation = invite(team)
    with pytest.raises(services.UsernameTaken):
        services.invitation_sign_up(invitation=invitation, username="olga", password="a-b-c-123")
    assert get_user_model().objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.state == "open"
