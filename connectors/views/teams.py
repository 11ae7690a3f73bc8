"""Teams: the header's switcher, creating a team, and the owners' member management (the
members page also lists the open invitations, which ``views.invitations`` sends and revokes).

A team the user is not in is a 404; managing members needs the owner role (403 otherwise).
``team_membership`` is that check for every view of a team (the drafts' views use it for the
current team); the user's memberships are read once per request, the switcher included.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from connectors import selectors, services
from connectors.forms_drafts import (
    InvitationForm,
    MemberAddForm,
    MemberRoleForm,
    TeamCreateForm,
    TeamSwitchForm,
)
from connectors.invitation_links import invitation_url
from connectors.models import Membership, Team

from .access import CURRENT_TEAM_SESSION_KEY, require_role

_MEMBERSHIPS_ATTRIBUTE = "_connectors_memberships"


def memberships(request: HttpRequest) -> list[Membership]:
    """The user's memberships with their teams, by team name; read once per request and kept
    on it, so the view's role check and the header's team switcher share one query."""
    cached: list[Membership] | None = getattr(request, _MEMBERSHIPS_ATTRIBUTE, None)
    if cached is None:
        cached = list(selectors.membership_list_of(user=request.user))
        setattr(request, _MEMBERSHIPS_ATTRIBUTE, cached)
    return cached


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership of the team chosen in the header's switcher, else of the user's first
    team; None for a user in no team."""
    mine = memberships(request)
    chosen = request.session.get(CURRENT_TEAM_SESSION_KEY)
    return next((m for m in mine if m.team_id == chosen), mine[0] if mine else None)


def team_membership(
    request: HttpRequest, team_id: int | None = None, role: str = "viewer"
) -> Membership:
    """The user's membership of team ``team_id`` (default: the current team): 404 if the user
    is not in it (or in no team at all), 403 if its role is below ``role``."""
    if team_id is None:
        membership, missing = current_membership(request), "You are not in a team yet."
    else:
        mine = memberships(request)
        membership, missing = next((m for m in mine if m.team_id == team_id), None), "No such team."
    if membership is None:
        raise Http404(missing)
    require_role(membership, role)
    return membership


def _member(team: Team, membership_id: int) -> Membership:
    try:
        return selectors.membership_get_by_id(team=team, membership_id=membership_id)
    except Membership.DoesNotExist as exc:
        raise Http404("No such member.") from exc


@require_http_methods(["POST"])
@login_required
def team_switch(request: HttpRequest) -> HttpResponse:
    form = TeamSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404("No such team.")
    membership = team_membership(request, form.cleaned_data["team"])
    request.session[CURRENT_TEAM_SESSION_KEY] = membership.team.pk
    return redirect("connectors:draft_list")


@require_http_methods(["GET", "POST"])
@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = services.team_create(name=form.cleaned_data["name"], owner=request.user)
        request.session[CURRENT_TEAM_SESSION_KEY] = team.pk
        messages.success(request, f"Created {team.name}; you are its owner.")
        return redirect("connectors:team_members", team_id=team.pk)
    status = 400 if form.errors else 200
    return render(request, "connectors/teams/create.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def team_members(request: HttpRequest, team_id: int) -> HttpResponse:
    """The member list for every member; owners also add members here (POST)."""
    role = "owner" if request.method == "POST" else "viewer"
    membership = team_membership(request, team_id, role)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.user_find(identifier=form.cleaned_data["identifier"])
        if user is None:
            form.add_error("identifier", "No user has this username or email.")
        else:
            try:
                services.team_member_add(
                    team=membership.team, user=user, role=form.cleaned_data["role"]
                )
            except ValueError as exc:
                form.add_error("identifier", str(exc))
            else:
                messages.success(request, f"Added {user.get_username()}.")
                return redirect("connectors:team_members", team_id=team_id)
    return members_page(request, membership, form=form)


def members_page(
    request: HttpRequest,
    membership: Membership,
    *,
    form: MemberAddForm | None = None,
    invite_form: InvitationForm | None = None,
) -> HttpResponse:
    """The members page with the owners' two forms (as posted, with their errors: then it is a
    400). Only owners get the team's open invitations and their links."""
    form = form or MemberAddForm()
    invite_form = invite_form or InvitationForm()
    team = membership.team
    invitations = (
        [(i, invitation_url(i)) for i in selectors.invitation_list_open(team=team)]
        if membership.role == Membership.Role.OWNER
        else []
    )
    context = {
        "team": team,
        "membership": membership,
        "members": selectors.membership_list(team=team),
        "form": form,
        "invite_form": invite_form,
        "invitations": invitations,
        "invitation_days": settings.INVITATION_MAX_AGE_DAYS,
        "roles": Membership.Role.choices,
    }
    status = 400 if form.errors or invite_form.errors else 200
    return render(request, "connectors/teams/members.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def team_member_role(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    membership = team_membership(request, team_id, "owner")
    member = _member(membership.team, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
    else:
        try:
            services.team_member_role_change(membership=member, role=form.cleaned_data["role"])
        except Membership.DoesNotExist as exc:  # removed while this request waited for the lock
            raise Http404("No such member.") from exc
        except services.LastOwnerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{member.user.get_username()} is now {member.role}.")
    return redirect("connectors:team_members", team_id=team_id)


@require_http_methods(["POST"])
@login_required
def team_member_remove(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    membership = team_membership(request, team_id, "owner")
    member = _member(membership.team, membership_id)
    leaving = member.pk == membership.pk
    try:
        services.team_member_remove(membership=member)
    except services.LastOwnerError as exc:
        messages.error(request, str(exc))
    else:
        if leaving:  # the team's pages are no longer theirs to see: back to their drafts
            if request.session.get(CURRENT_TEAM_SESSION_KEY) == team_id:
                del request.session[CURRENT_TEAM_SESSION_KEY]
            messages.success(request, f"You left {membership.team.name}.")
            return redirect("connectors:draft_list")
        messages.success(request, f"Removed {member.user.get_username()}.")
    return redirect("connectors:team_members", team_id=team_id)


urlpatterns = [
    path("teams/switch/", team_switch, name="team_switch"),
    path("teams/new/", team_create, name="team_create"),
    path("teams/<int:team_id>/members/", team_members, name="team_members"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/role/",
        team_member_role,
        name="team_member_role",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/remove/",
        team_member_remove,
        name="team_member_remove",
    ),
]
