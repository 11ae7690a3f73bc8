"""Invitations: owners invite an email address or revoke an invitation; the invited person opens
the link, signs up (or logs in) and joins the team.

Inviting and revoking are the owners' (the members page lists the open invitations with their
links, for owners only): a team the user is not in is a 404, and so is another team's
invitation; a viewer's or editor's POST is a 403, as for the members' forms. Opening the link
needs no login, its signed token is the key: a tampered link is a 404, a used, revoked or
expired one a 410, each on a page that says what happened and what to do.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from connectors import selectors, services
from connectors.forms_drafts import InvitationForm, InvitationSignUpForm
from connectors.models import Invitation, Membership

from .access import CURRENT_TEAM_SESSION_KEY
from .teams import members_page, team_membership

# A new account logs in with Django's own backend; ``login`` must be told which when several
# backends are configured (a login-lockout backend, for one).
SIGN_UP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _invitations_url(team_id: int) -> str:
    return reverse("connectors:team_members", args=[team_id]) + "#invitations"


@require_http_methods(["POST"])
@login_required
def invitation_create(request: HttpRequest, team_id: int) -> HttpResponse:
    membership = team_membership(request, team_id, "owner")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_send(
                team=membership.team,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.InviteeIsMember as exc:
            form.add_error("email", str(exc))
        else:
            _say_how_the_mail_went(request, invitation)
            return redirect(_invitations_url(team_id))
    return members_page(request, membership, invite_form=form)


def _say_how_the_mail_went(request: HttpRequest, invitation: Invitation) -> None:
    email = invitation.email
    if invitation.mail_status == Invitation.MailStatus.SENT:
        messages.success(request, f"Invitation mailed to {email}; its link is also below.")
    elif invitation.mail_status == Invitation.MailStatus.FAILED:
        messages.error(
            request,
            f"The mail to {email} could not be sent. The invitation is saved: "
            "copy its link below and send it yourself.",
        )
    else:  # inside a larger transaction: the mail goes when that commits
        messages.success(request, f"Invited {email}; its link is below.")


@require_http_methods(["POST"])
@login_required
def invitation_revoke(request: HttpRequest, team_id: int, invitation_id: int) -> HttpResponse:
    membership = team_membership(request, team_id, "owner")
    try:
        invitation = selectors.invitation_get(team=membership.team, invitation_id=invitation_id)
    except Invitation.DoesNotExist as exc:
        raise Http404("No such invitation.") from exc
    try:
        services.invitation_revoke(invitation=invitation)
    except Invitation.DoesNotExist as exc:  # the team was deleted in the meantime
        raise Http404("No such invitation.") from exc
    except services.InvitationClosed:
        messages.error(request, f"{invitation.email} has joined already with this invitation.")
    else:
        messages.success(request, f"Revoked the invitation of {invitation.email}.")
    return redirect(_invitations_url(team_id))


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link: someone logged in confirms joining, anyone else signs up (or logs in first)."""
    try:
        invitation = selectors.invitation_by_token(token=token)
    except Invitation.DoesNotExist:
        return _closed(request, None, "invalid")
    if invitation.state != Invitation.State.OPEN:
        return _closed(request, invitation, invitation.state)
    if request.user.is_authenticated:
        return _join(request, invitation)
    return _sign_up(request, invitation)


def _closed(request: HttpRequest, invitation: Invitation | None, state: str) -> HttpResponse:
    """Why the link does not work: "invalid" (no invitation: 404) or the invitation's state."""
    context = {"invitation": invitation, "state": state}
    status = 404 if invitation is None else 410
    return render(request, "connectors/invitations/closed.html", context, status=status)


def _join(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method == "POST":
        try:
            acceptance = services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationClosed as exc:  # used by someone else in the meantime
            return _closed(request, invitation, exc.state)
        except Invitation.DoesNotExist:  # its team was deleted in the meantime
            return _closed(request, None, "invalid")
        return _enter(request, invitation, acceptance.membership, joined=acceptance.joined)
    membership = selectors.membership_get(user=request.user, team=invitation.team)
    context = {"invitation": invitation, "membership": membership}
    return render(request, "connectors/invitations/open.html", context)


def _sign_up(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_sign_up(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationClosed as exc:
            return _closed(request, invitation, exc.state)
        except Invitation.DoesNotExist:
            return _closed(request, None, "invalid")
        except services.UsernameTaken:
            form.add_error("username", "A user with that username already exists.")
        else:
            login(request, user, backend=SIGN_UP_BACKEND)
            membership = Membership(team=invitation.team, user=user, role=invitation.role)
            return _enter(request, invitation, membership, joined=True)
    context = {"invitation": invitation, "form": form}
    status = 400 if form.errors else 200
    return render(request, "connectors/invitations/open.html", context, status=status)


def _enter(
    request: HttpRequest, invitation: Invitation, membership: Membership, *, joined: bool
) -> HttpResponse:
    """The invitation's team becomes the current one; its draft list is the next page."""
    request.session[CURRENT_TEAM_SESSION_KEY] = invitation.team.pk
    role = membership.get_role_display().lower()
    if joined:
        messages.success(request, f"Welcome to {invitation.team.name}: you are its new {role}.")
    else:
        messages.info(
            request,
            f"You were a member of {invitation.team.name} already, as {role}; "
            "the invitation did not change your role.",
        )
    return redirect("connectors:draft_list")


urlpatterns = [
    path("teams/<int:team_id>/invitations/", invitation_create, name="team_invite"),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/revoke/",
        invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", invitation_open, name="invitation_open"),
]
