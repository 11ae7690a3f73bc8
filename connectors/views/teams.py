"""Teams: the header's switcher, creating a team, and the owners' member management.

A team the user is not in is a 404; managing members needs the owner role (403 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from connectors import selectors, services
from connectors.forms_drafts import MemberAddForm, MemberRoleForm, TeamCreateForm, TeamSwitchForm
from connectors.models import Membership, Team

from .access import CURRENT_TEAM_SESSION_KEY, require_role


def _membership(request: HttpRequest, team_id: int, role: str = "viewer") -> Membership:
    """The user's membership in team ``team_id``: 404 if not a member, 403 if below ``role``."""
    team = selectors.team_list(user=request.user).filter(pk=team_id).first()
    membership = selectors.membership_get(user=request.user, team=team) if team else None
    if membership is None:
        raise Http404("No such team.")
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
    membership = _membership(request, form.cleaned_data["team"])
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
    membership = _membership(request, team_id, "owner" if request.method == "POST" else "viewer")
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
    context = {
        "team": membership.team,
        "membership": membership,
        "members": selectors.membership_list(team=membership.team),
        "form": form,
        "roles": Membership.Role.choices,
    }
    status = 400 if form.errors else 200
    return render(request, "connectors/teams/members.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def team_member_role(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    membership = _membership(request, team_id, "owner")
    member = _member(membership.team, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
    else:
        try:
            services.team_member_role_change(membership=member, role=form.cleaned_data["role"])
        except services.LastOwnerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{member.user.get_username()} is now {member.role}.")
    return redirect("connectors:team_members", team_id=team_id)


@require_http_methods(["POST"])
@login_required
def team_member_remove(request: HttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    membership = _membership(request, team_id, "owner")
    member = _member(membership.team, membership_id)
    try:
        services.team_member_remove(membership=member)
    except services.LastOwnerError as exc:
        messages.error(request, str(exc))
    else:
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
