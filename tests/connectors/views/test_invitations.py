"""Invitations: owners invite and revoke on the members page; the link signs up or joins."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from connectors import selectors, services
from connectors.invitation_links import invitation_token, invitation_url
from connectors.models import Invitation, Membership, Team
from connectors.views.access import CURRENT_TEAM_SESSION_KEY
from tests.connectors.views.conftest import World
from tests.factories import client_for, make_user

pytestmark = pytest.mark.django_db

SITE = "https://designer.example.com"
GOOD_PASSWORD = "plum-orchard-sails-42"


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_URL = SITE


def members_url(team: Team) -> str:
    return reverse("connectors:team_members", args=[team.pk])


def invite_url(team: Team) -> str:
    return reverse("connectors:team_invite", args=[team.pk])


def revoke_url(invitation: Invitation) -> str:
    return reverse("connectors:invitation_revoke", args=[invitation.team_id, invitation.pk])


def link_path(invitation: Invitation) -> str:
    return reverse("connectors:invitation_open", args=[invitation_token(invitation)])


def invite(team: Team, email: str = "newbie@example.com", role: str = "viewer") -> Invitation:
    owner = team.memberships.get(role=Membership.Role.OWNER).user
    return services.invitation_send(team=team, email=email, role=role, invited_by=owner)


def sign_up(client: Client, invitation: Invitation, **fields: str) -> Any:
    data = {"username": "newbie", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(link_path(invitation), {**data, **fields})


def role_of(user: Any, team: Team) -> str | None:
    membership = selectors.membership_get(user=user, team=team)
    return membership.role if membership else None


# --- inviting -----------------------------------------------------------------------------------


def test_the_owner_invites_and_the_mail_and_the_page_show_the_same_absolute_link(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        # The request's Host is not this app's address: the link never comes from it.
        response = client.post(
            invite_url(world.team), {"email": "NewBie@Example.com"}, HTTP_HOST="localhost"
        )
    assert response.status_code == 302
    assert response["Location"] == members_url(world.team) + "#invitations"
    invitation = Invitation.objects.get(team=world.team)
    assert (invitation.email, invitation.role) == ("newbie@example.com", "viewer")
    assert (invitation.invited_by, invitation.mail_status) == (world.owner, "sent")
    link = invitation_url(invitation)
    assert link.startswith(f"{SITE}/invitations/")
    (mail,) = mailoutbox
    assert mail.to == ["newbie@example.com"]
    assert mail.subject == "olga invited you to Acme on Trigger Designer"
    assert link in mail.body and "as viewer" in mail.body
    page = client.get(response["Location"]).content.decode()
    expires = invitation.expires_at.strftime("%Y-%m-%d %H:%M")
    assert f'value="{link}"' in page
    assert "newbie@example.com" in page and f"{expires} UTC" in page
    assert f'action="{revoke_url(invitation)}"' in page


def test_the_link_expires_after_the_configured_days(world: World, settings: Any) -> None:
    settings.INVITATION_MAX_AGE_DAYS = 3
    invitation = invite(world.team)
    assert invitation.expires_at == invitation.sent_at + timedelta(days=3)


def test_inviting_an_address_again_refreshes_its_open_invitation(
    world: World, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(world.team), {"email": "newbie@example.com", "role": "viewer"})
    first = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(world.team), {"email": "newbie@example.com", "role": "editor"})
    again = Invitation.objects.get()  # still one invitation
    assert again.pk == first.pk and again.role == "editor"
    assert again.sent_at > first.sent_at
    assert len(mailoutbox) == 2
    assert invitation_url(again) in mailoutbox[1].body  # the same link as before


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_keeps_the_invitation_and_the_page_says_so(
    world: World, settings: Any
) -> None:
    with socket.socket() as closed:  # a port nobody listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    client = client_for(world.owner)
    response = client.post(invite_url(world.team), {"email": "newbie@example.com"}, follow=True)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.mail_status == "failed"
    page = response.content.decode()
    assert "The mail to newbie@example.com could not be sent" in page
    assert f'value="{invitation_url(invitation)}"' in page
    assert "Mail not sent: copy the link" in page


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-address", "Enter a valid email address."),
        ("", "This field is required."),
        ("VERA@example.com", "vera has this address and is a member of Acme already."),
    ],
)
def test_a_bad_or_members_address_is_a_field_error(world: World, email: str, error: str) -> None:
    response = client_for(world.owner).post(invite_url(world.team), {"email": email})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_role_is_a_field_error(world: World) -> None:
    response = client_for(world.owner).post(
        invite_url(world.team), {"email": "newbie@example.com", "role": "admin"}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_invite_revoke_and_see_the_invitations(world: World, role: str) -> None:
    invitation = invite(world.team, "listed@example.com")
    client = client_for(getattr(world, role))
    page = client.get(members_url(world.team)).content.decode()
    assert "listed@example.com" not in page and invitation_token(invitation) not in page
    added = client.post(invite_url(world.team), {"email": "newbie@example.com"})
    assert added.status_code == 403
    assert client.post(revoke_url(invitation)).status_code == 403
    assert Invitation.objects.get().state == "open"
    assert not Invitation.objects.filter(email="newbie@example.com").exists()


def test_invitations_of_another_team_are_404(world: World) -> None:
    invitation = invite(world.team)
    client = client_for(world.stranger)
    assert client.post(invite_url(world.team), {"email": "x@example.com"}).status_code == 404
    assert client.post(revoke_url(invitation)).status_code == 404
    # Another team's invitation id, through one's own team: also a 404.
    own = world.stranger.teams.get()
    crossed = reverse("connectors:invitation_revoke", args=[own.pk, invitation.pk])
    assert client.post(crossed).status_code == 404
    assert client_for(world.owner).post(crossed).status_code == 404
    assert Invitation.objects.get().state == "open"
    assert not Invitation.objects.filter(email="x@example.com").exists()


def test_the_owner_revokes_and_the_link_then_says_so(world: World) -> None:
    invitation = invite(world.team)
    client = client_for(world.owner)
    response = client.post(revoke_url(invitation), follow=True)
    body = response.content.decode()
    assert "Revoked the invitation of newbie@example.com." in body
    assert "No open invitations." in body
    closed = Client().get(link_path(invitation))
    assert closed.status_code == 410
    assert "This invitation was revoked" in closed.content.decode()


def test_invitation_forms_enforce_csrf(world: World) -> None:
    invitation = invite(world.team)
    owner = client_for(world.owner, csrf=True)
    assert owner.post(invite_url(world.team), {"email": "x@example.com"}).status_code == 403
    assert owner.post(revoke_url(invitation)).status_code == 403
    anonymous = Client(enforce_csrf_checks=True)
    assert sign_up(anonymous, invitation).status_code == 403
    joining = client_for(make_user("joiner"), csrf=True)
    assert joining.post(link_path(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == "open" and not Invitation.objects.filter(email="x@example.com")
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_the_invitation_form_defaults_to_viewer(world: World) -> None:
    page = client_for(world.owner).get(members_url(world.team)).content.decode()
    invite_form = page[page.index('id="invite"') : page.index('id="invitations"')]
    assert 'name="role"' in invite_form and 'id="id_invite_role"' in invite_form
    assert '<option value="viewer" selected>Viewer</option>' in invite_form


def test_an_invitation_without_a_role_is_for_a_viewer(world: World) -> None:
    response = client_for(world.owner).post(invite_url(world.team), {"email": "x@example.com"})
    assert response.status_code == 302
    assert Invitation.objects.get().role == Membership.Role.VIEWER


# --- opening the link ---------------------------------------------------------------------------


def test_a_new_colleague_signs_up_and_lands_in_the_teams_drafts(world: World) -> None:
    invitation = invite(world.team, role="editor")
    client = Client()
    page = client.get(link_path(invitation))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Join Acme" in body and "newbie@example.com" in body and "as editor" in body
    login = f"{reverse('login')}?next={link_path(invitation).replace(':', '%3A')}"
    assert f'href="{login}"' in body and "I already have an account" in body

    response = sign_up(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("connectors:draft_list")
    user = get_user_model().objects.get(username="newbie")
    assert user.email == "newbie@example.com" and user.check_password(GOOD_PASSWORD)
    assert role_of(user, world.team) == Membership.Role.EDITOR
    assert client.session[CURRENT_TEAM_SESSION_KEY] == world.team.pk
    drafts = client.get(response["Location"]).content.decode()
    assert "Connector drafts of Acme" in drafts and "Orders" in drafts
    invitation.refresh_from_db()
    assert (invitation.state, invitation.accepted_by) == ("used", user)

    again = Client().get(link_path(invitation))
    assert again.status_code == 410
    assert "This invitation has been used" in again.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "83920174", "password2": "83920174"}, "password2", "entirely numeric"),
        # Similar to the invitation's address (not to the username): the form's user has it.
        (
            {"username": "zed", "password1": "newbie-example", "password2": "newbie-example"},
            "password2",
            "too similar to the email address",
        ),
        ({"password2": "another-pass-123"}, "password2", "The two password fields"),
        ({"username": "VERA"}, "username", "A user with that username already exists."),
        ({"username": "no spaces!"}, "username", "Enter a valid username."),
        ({"username": ""}, "username", "This field is required."),
    ],
)
def test_bad_sign_up_input_is_a_field_error(
    world: World, fields: dict[str, str], field: str, error: str
) -> None:
    invitation = invite(world.team)
    response = sign_up(Client(), invitation, **fields)
    assert response.status_code == 400
    form = response.context["form"]
    assert error in " ".join(form.errors[field])
    assert get_user_model().objects.count() == 4  # the world's four, nobody new
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_a_username_taken_at_the_last_moment_is_a_field_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = invite(world.team)

    def taken(**kwargs: Any) -> Any:
        raise services.UsernameTaken("newbie is taken.")

    monkeypatch.setattr(services, "invitation_sign_up", taken)
    response = sign_up(Client(), invitation)
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()


def test_someone_with_an_account_logs_in_and_confirms_joining(world: World) -> None:
    invitation = invite(world.team, role="editor")
    joiner = make_user("joiner")
    client = Client()
    login = client.post(
        reverse("login"),
        {"username": "joiner", "password": "pw-for-tests-1", "next": link_path(invitation)},
    )
    assert login.status_code == 302 and login["Location"] == link_path(invitation)
    page = client.get(link_path(invitation)).content.decode()
    assert re.search(r'<button type="submit"[^>]*>Join Acme</button>', page)
    assert "logged in as <strong>joiner</strong>" in page
    assert role_of(joiner, world.team) is None  # opening the link changes nothing
    response = client.post(link_path(invitation))
    assert response.status_code == 302 and response["Location"] == reverse("connectors:draft_list")
    assert role_of(joiner, world.team) == Membership.Role.EDITOR
    assert client.session[CURRENT_TEAM_SESSION_KEY] == world.team.pk
    assert "Welcome to Acme" in client.get(response["Location"]).content.decode()
    assert client.post(link_path(invitation)).status_code == 410


def test_a_member_opening_an_invitation_keeps_their_role(world: World) -> None:
    invitation = invite(world.team, "someone@example.com", role="viewer")
    client = client_for(world.owner)
    page = client.get(link_path(invitation)).content.decode()
    assert "You are in Acme already" in page
    assert "as owner. The invitation (as viewer) does not change your role." in page
    response = client.post(link_path(invitation), follow=True)
    assert "the invitation did not change your role" in response.content.decode()
    assert role_of(world.owner, world.team) == Membership.Role.OWNER
    invitation.refresh_from_db()
    assert invitation.state == "open"  # still there for the person it was meant for


def tampered(invitation: Invitation, how: str) -> str:
    token = invitation_token(invitation)
    return {
        "signature changed": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "id changed": token.replace(f"{invitation.pk}:", f"{invitation.pk + 1}:", 1),
        "another salt": signing.Signer(salt="another.purpose").sign(str(invitation.pk)),
        "no salt": signing.Signer().sign(str(invitation.pk)),
        "bare id": str(invitation.pk),
        "garbage": "garbage::",
    }[how]


@pytest.mark.parametrize(
    "how", ["signature changed", "id changed", "another salt", "no salt", "bare id", "garbage"]
)
def test_a_tampered_link_is_a_friendly_404(world: World, how: str) -> None:
    url = reverse("connectors:invitation_open", args=[tampered(invite(world.team), how)])
    response = Client().get(url)
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()
    signed_up = Client().post(url, {"username": "newbie", "password1": GOOD_PASSWORD})
    assert signed_up.status_code == 404
    assert client_for(world.stranger).post(url).status_code == 404
    assert not get_user_model().objects.filter(username="newbie").exists()
    assert role_of(world.stranger, world.team) is None


def test_a_signed_link_to_a_deleted_team_is_a_404(world: World) -> None:
    invitation = invite(world.team)
    path = link_path(invitation)
    world.team.delete()
    response = Client().get(path)
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_an_expired_link_says_so_and_signs_nobody_up(world: World) -> None:
    invitation = invite(world.team)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=7, seconds=1)
    )
    response = Client().get(link_path(invitation))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert sign_up(Client(), invitation).status_code == 410
    assert client_for(world.stranger).post(link_path(invitation)).status_code == 410
    assert not get_user_model().objects.filter(username="newbie").exists()
    assert role_of(world.stranger, world.team) is None
    # The owner sees it expired, without its link, and renews it by inviting again.
    page = client_for(world.owner).get(members_url(world.team)).content.decode()
    assert re.search(r'<span class="status-badge[^"]*">Expired</span>', page)
    assert invitation_token(invitation) not in page
    invite(world.team)
    assert Client().get(link_path(invitation)).status_code == 200


def test_a_link_used_while_the_form_was_open_says_so(world: World) -> None:
    invitation = invite(world.team)
    client = Client()
    assert client.get(link_path(invitation)).status_code == 200
    services.invitation_accept(invitation=invitation, user=world.stranger)
    response = sign_up(client, invitation)
    assert response.status_code == 410
    assert "This invitation has been used" in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_an_invitation_deleted_while_the_request_ran_is_a_404(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = invite(world.team)
    path = link_path(invitation)
    stale = Invitation.objects.select_related("team").get(pk=invitation.pk)
    Invitation.objects.filter(pk=invitation.pk).delete()
    monkeypatch.setattr(selectors, "invitation_by_token", lambda token: stale)
    signed_up = sign_up(Client(), invitation)
    assert signed_up.status_code == 404
    assert "This invitation link is not valid" in signed_up.content.decode()
    assert client_for(world.stranger).post(path).status_code == 404
    assert not get_user_model().objects.filter(username="newbie").exists()
