from __future__ import annotations

import pytest

from connectors import selectors, services
from connectors.domain.design import DesignError
from connectors.models import ConnectorDraft, Membership, Revision
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def test_draft_create_records_revision_one() -> None:
    user = make_user()
    team = make_team(owner=user)
    draft = make_draft(team, user, title="Orders")
    assert draft.version == 1
    assert draft.created_by == user
    revision = draft.revisions.get()
    assert (revision.number, revision.author, revision.message) == (1, user, "Created")
    assert revision.design == draft.design


def test_draft_save_bumps_version_and_adds_revision() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    design = services.draft_design(draft=draft)
    design["general"]["title"] = "Orders v2"
    saved = services.draft_save(
        draft=draft, user=user, design=design, based_on_version=1, message="Renamed"
    )
    assert saved.version == 2
    assert saved.title == "Orders v2"
    assert list(draft.revisions.values_list("number", "message")) == [
        (2, "Renamed"),
        (1, "Created"),
    ]


def test_stale_save_conflicts_and_writes_nothing() -> None:
    alice, bob = make_user("alice"), make_user("bob")
    team = make_team(owner=alice)
    add_member(team, bob)
    draft = make_draft(team, alice)
    first = services.draft_design(draft=draft)
    first["general"]["host"] = "alice.example.com"
    services.draft_save(draft=draft, user=alice, design=first, based_on_version=1)
    second = services.draft_design(draft=ConnectorDraft.objects.get(pk=draft.pk))
    second["general"]["host"] = "bob.example.com"
    with pytest.raises(services.DraftConflict) as caught:
        services.draft_save(draft=draft, user=bob, design=second, based_on_version=1)
    assert caught.value.current.version == 2
    assert caught.value.current.design["general"]["host"] == "alice.example.com"
    assert Revision.objects.filter(draft=draft).count() == 2


def test_invalid_design_is_refused_and_the_saved_one_stays() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    broken = services.draft_design(draft=draft)
    broken["general"]["schemes"] = ["gopher"]
    with pytest.raises(DesignError) as caught:
        services.draft_save(draft=draft, user=user, design=broken, based_on_version=1)
    assert caught.value.errors[0][0] == "/general/schemes/0"
    draft.refresh_from_db()
    assert draft.version == 1
    assert draft.design["general"]["schemes"] == ["https"]


def test_selectors_scope_drafts_by_team() -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    alice_team, mallory_team = make_team(owner=alice), make_team(owner=mallory)
    mine = make_draft(alice_team, alice, "Mine")
    make_draft(mallory_team, mallory, "Theirs")
    assert [d.title for d in selectors.draft_list(user=alice)] == ["Mine"]
    assert selectors.draft_get(user=alice, draft_id=mine.pk) == mine
    with pytest.raises(ConnectorDraft.DoesNotExist):
        selectors.draft_get(user=mallory, draft_id=mine.pk)


def test_team_default_is_created_once() -> None:
    assert services.team_default() == services.team_default()
    assert services.team_default().slug == services.DEFAULT_TEAM_SLUG


def test_membership_set_changes_role() -> None:
    owner, user = make_user(), make_user()
    team = make_team(owner=owner)
    services.membership_set(team=team, user=user, role=Membership.Role.VIEWER)
    services.membership_set(team=team, user=user, role=Membership.Role.EDITOR)
    membership = selectors.membership_get(user=user, team=team)
    assert membership is not None and membership.role == Membership.Role.EDITOR
    assert membership.can_edit


def test_draft_with_membership_gives_the_callers_own_role_in_one_query(
    django_assert_num_queries,
) -> None:
    owner, viewer, outsider = make_user(), make_user(), make_user()
    team = make_team(owner=owner)
    add_member(team, viewer, Membership.Role.VIEWER)
    draft = make_draft(team, owner, "Shared")
    with django_assert_num_queries(1):
        found, membership = selectors.draft_with_membership(user=viewer, draft_id=draft.pk)
        assert membership.role == Membership.Role.VIEWER and membership.team.pk == team.pk
    assert found == draft
    assert membership == Membership.objects.get(team=team, user=viewer)
    _, own = selectors.draft_with_membership(user=owner, draft_id=draft.pk)
    assert own.role == Membership.Role.OWNER
    with pytest.raises(ConnectorDraft.DoesNotExist):
        selectors.draft_with_membership(user=outsider, draft_id=draft.pk)
    services.draft_trash(draft=draft, user=owner)
    with pytest.raises(ConnectorDraft.DoesNotExist):
        selectors.draft_with_membership(user=owner, draft_id=draft.pk)
