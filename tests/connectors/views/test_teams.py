"""Team switcher, team creation and the owners' member management."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors import selectors
from connectors.models import Membership, Team
from connectors.views.access import CURRENT_TEAM_SESSION_KEY
from tests.connectors.views.conftest import World
from tests.factories import add_member, client_for, make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def role_of(user, team: Team) -> str | None:
    membership = selectors.membership_get(user=user, team=team)
    return membership.role if membership else None


# --- switcher ---------------------------------------------------------------------------------


def test_switcher_changes_the_current_team_and_the_list(world: World) -> None:
    second = make_team("Beta", owner=world.viewer)
    make_draft(second, world.viewer, "Beta draft")
    client = client_for(world.viewer)
    body = client.get(reverse("connectors:draft_list")).content.decode()
    assert 'name="team"' in body and "Beta" in body
    response = client.post(reverse("connectors:team_switch"), {"team": second.pk})
    assert response.status_code == 302
    assert client.session[CURRENT_TEAM_SESSION_KEY] == second.pk
    titles = [d.title for d in client.get(reverse("connectors:draft_list")).context["drafts"]]
    assert titles == ["Beta draft"]


def test_switching_to_another_teams_id_is_a_404(world: World) -> None:
    evil = world.stranger.teams.get()
    client = client_for(world.viewer)
    assert client.post(reverse("connectors:team_switch"), {"team": evil.pk}).status_code == 404
    assert CURRENT_TEAM_SESSION_KEY not in client.session


def test_switcher_enforces_csrf(world: World) -> None:
    client = client_for(world.viewer, csrf=True)
    response = client.post(reverse("connectors:team_switch"), {"team": world.team.pk})
    assert response.status_code == 403


# --- create -----------------------------------------------------------------------------------


def test_creator_becomes_owner_and_the_team_becomes_current(world: World) -> None:
    client = client_for(world.viewer)
    response = client.post(reverse("connectors:team_create"), {"name": "Gamma <b>"})
    team = Team.objects.get(name="Gamma <b>")
    assert response.status_code == 302
    assert role_of(world.viewer, team) == Membership.Role.OWNER
    assert client.session[CURRENT_TEAM_SESSION_KEY] == team.pk
    body = client.get(response["Location"]).content.decode()
    assert "Gamma &lt;b&gt;" in body


def test_team_create_enforces_csrf(world: World) -> None:
    response = client_for(world.viewer, csrf=True).post(
        reverse("connectors:team_create"), {"name": "Gamma"}
    )
    assert response.status_code == 403
    assert not Team.objects.filter(name="Gamma").exists()


# --- members ----------------------------------------------------------------------------------


def members_url(world: World) -> str:
    return reverse("connectors:team_members", args=[world.team.pk])


@pytest.mark.parametrize("identifier", ["newbie", "NEWBIE@example.com"])
def test_owner_adds_an_existing_user_by_username_or_email(world: World, identifier: str) -> None:
    newbie = make_user("newbie")
    response = client_for(world.owner).post(
        members_url(world), {"identifier": identifier, "role": "viewer"}
    )
    assert response.status_code == 302
    assert role_of(newbie, world.team) == Membership.Role.VIEWER


def test_the_add_member_form_offers_viewer_first_chosen(world: World) -> None:
    page = client_for(world.owner).get(members_url(world)).content.decode()
    add_form = page[page.index("<h2>Add a member</h2>") :]
    assert '<option value="viewer" selected>Viewer</option>' in add_form
    assert '<option value="owner">Owner</option>' in add_form


def test_adding_an_unknown_user_is_a_form_error(world: World) -> None:
    response = client_for(world.owner).post(
        members_url(world), {"identifier": "ghost", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "No user has this username or email." in response.content.decode()


def test_adding_a_member_twice_is_a_form_error(world: World) -> None:
    response = client_for(world.owner).post(
        members_url(world), {"identifier": "eddie", "role": "owner"}
    )
    assert response.status_code == 400
    assert role_of(world.editor, world.team) == Membership.Role.EDITOR


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_manage_members(world: World, role: str) -> None:
    newbie = make_user("newbie")
    client = client_for(getattr(world, role))
    assert client.get(members_url(world)).status_code == 200
    added = client.post(members_url(world), {"identifier": "newbie", "role": "owner"})
    assert added.status_code == 403
    viewer = selectors.membership_get(user=world.viewer, team=world.team)
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, viewer.pk])
    remove_url = reverse("connectors:team_member_remove", args=[world.team.pk, viewer.pk])
    assert client.post(role_url, {"role": "owner"}).status_code == 403
    assert client.post(remove_url).status_code == 403
    assert role_of(newbie, world.team) is None
    assert role_of(world.viewer, world.team) == Membership.Role.VIEWER


def test_member_pages_of_another_team_are_404(world: World) -> None:
    client = client_for(world.stranger)
    viewer = selectors.membership_get(user=world.viewer, team=world.team)
    assert client.get(members_url(world)).status_code == 404
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, viewer.pk])
    assert client.post(role_url, {"role": "owner"}).status_code == 404
    # A membership id of another team, through one's own team: also a 404.
    own = world.stranger.teams.get()
    crossed = reverse("connectors:team_member_remove", args=[own.pk, viewer.pk])
    assert client.post(crossed).status_code == 404
    assert role_of(world.viewer, world.team) == Membership.Role.VIEWER


def test_owner_changes_a_role_and_removes_a_member(world: World) -> None:
    client = client_for(world.owner)
    viewer = selectors.membership_get(user=world.viewer, team=world.team)
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, viewer.pk])
    assert client.post(role_url, {"role": "editor"}).status_code == 302
    assert role_of(world.viewer, world.team) == Membership.Role.EDITOR
    remove_url = reverse("connectors:team_member_remove", args=[world.team.pk, viewer.pk])
    assert client.post(remove_url).status_code == 302
    assert role_of(world.viewer, world.team) is None


def test_the_last_owner_can_be_neither_demoted_nor_removed(world: World) -> None:
    client = client_for(world.owner)
    mine = selectors.membership_get(user=world.owner, team=world.team)
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, mine.pk])
    response = client.post(role_url, {"role": "viewer"}, follow=True)
    assert "needs at least one owner" in response.content.decode()
    remove_url = reverse("connectors:team_member_remove", args=[world.team.pk, mine.pk])
    client.post(remove_url)
    assert role_of(world.owner, world.team) == Membership.Role.OWNER


def test_with_a_second_owner_the_first_may_step_down(world: World) -> None:
    add_member(world.team, world.editor, Membership.Role.OWNER)
    mine = selectors.membership_get(user=world.owner, team=world.team)
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, mine.pk])
    assert client_for(world.owner).post(role_url, {"role": "viewer"}).status_code == 302
    assert role_of(world.owner, world.team) == Membership.Role.VIEWER


def test_member_forms_enforce_csrf(world: World) -> None:
    client = client_for(world.owner, csrf=True)
    make_user("newbie")
    added = client.post(members_url(world), {"identifier": "newbie", "role": "viewer"})
    assert added.status_code == 403
    viewer = selectors.membership_get(user=world.viewer, team=world.team)
    role_url = reverse("connectors:team_member_role", args=[world.team.pk, viewer.pk])
    remove_url = reverse("connectors:team_member_remove", args=[world.team.pk, viewer.pk])
    assert client.post(role_url, {"role": "owner"}).status_code == 403
    assert client.post(remove_url).status_code == 403
    assert role_of(world.viewer, world.team) == Membership.Role.VIEWER


def test_member_names_are_escaped(world: World) -> None:
    add_member(world.team, make_user("<i>x</i>"), Membership.Role.VIEWER)
    body = client_for(world.owner).get(members_url(world)).content.decode()
    assert "&lt;i&gt;x&lt;/i&gt;" in body


def test_an_owner_who_leaves_lands_on_the_draft_list(world: World) -> None:
    add_member(world.team, world.editor, Membership.Role.OWNER)
    client = client_for(world.owner)
    client.post(reverse("connectors:team_switch"), {"team": world.team.pk})
    mine = selectors.membership_get(user=world.owner, team=world.team)
    remove_url = reverse("connectors:team_member_remove", args=[world.team.pk, mine.pk])
    response = client.post(remove_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("connectors:draft_list")
    assert role_of(world.owner, world.team) is None
    assert CURRENT_TEAM_SESSION_KEY not in client.session
    body = client.get(response["Location"]).content.decode()
    assert "You left Acme." in body
    assert "not in a team yet" in body


# --- one read of the user's memberships per request -------------------------------------------


def membership_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if 'FROM "connectors_membership"' in q["sql"]]


def test_members_page_reads_the_users_memberships_once(world: World) -> None:
    client = client_for(world.owner)
    queries = membership_queries(client, members_url(world))
    # The user's memberships (role check and switcher), then the team's member list.
    assert len(queries) == 2
    assert not any('FROM "connectors_team"' in q for q in queries)


def test_the_switcher_reuses_the_memberships_of_the_draft_list(world: World) -> None:
    make_team("Beta", owner=world.viewer)
    client = client_for(world.viewer)
    assert len(membership_queries(client, reverse("connectors:draft_list"))) == 1
    body = client.get(reverse("connectors:draft_list")).content.decode()
    assert body.index(">Acme</option>") < body.index(">Beta</option>")
