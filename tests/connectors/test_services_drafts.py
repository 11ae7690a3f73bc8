"""Services of the draft list, trash, revision restore and member management."""

from __future__ import annotations

import pytest

from connectors import selectors, services
from connectors.domain.design import new_design
from connectors.models import Membership
from tests.factories import add_member, make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def design_with_trigger(title: str = "Items") -> dict:
    from connectors.domain.swagger.importing.connector import import_connector
    from tests.connectors.views.conftest import webhook_swagger

    design = import_connector(webhook_swagger()).design
    design["general"]["title"] = title
    return design


def test_create_stores_trigger_count_and_lint_counts() -> None:
    user = make_user()
    team = make_team(owner=user)
    blank = make_draft(team, user)
    with_trigger = services.draft_create(
        team=team, user=user, title="Items", design=design_with_trigger()
    )
    assert blank.trigger_count == 0
    assert with_trigger.trigger_count == 1
    # A blank design has no trigger: the linter says so, and the count reflects it.
    summary = services.draft_summary(design=new_design("x"))
    assert (blank.lint_errors, blank.lint_warnings) == (
        summary["lint_errors"],
        summary["lint_warnings"],
    )


def test_save_recomputes_the_summary() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    saved = services.draft_save(
        draft=draft, user=user, design=design_with_trigger("Orders"), based_on_version=1
    )
    assert saved.trigger_count == 1
    expected = services.draft_summary(design=services.draft_design(draft=saved))
    assert (saved.lint_errors, saved.lint_warnings) == (
        expected["lint_errors"],
        expected["lint_warnings"],
    )


def test_trashed_drafts_leave_every_selector_but_the_trash() -> None:
    user = make_user()
    team = make_team(owner=user)
    draft = make_draft(team, user, "Gone")
    services.draft_trash(draft=draft, user=user)
    assert list(selectors.draft_list(user=user)) == []
    with pytest.raises(type(draft).DoesNotExist):
        selectors.draft_get(user=user, draft_id=draft.pk)
    assert list(selectors.draft_trash_list(user=user, team=team)) == [draft]
    services.draft_untrash(draft=draft)
    assert list(selectors.draft_list(user=user)) == [draft]


def test_revision_restore_adds_a_new_revision() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user, "Orders")
    design = services.draft_design(draft=draft)
    design["general"]["title"] = "Renamed"
    draft = services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    first = selectors.revision_get(draft=draft, number=1)
    restored = services.revision_restore(
        draft=draft, revision=first, user=user, based_on_version=draft.version
    )
    assert (restored.version, restored.title) == (3, "Orders")
    assert restored.revisions.get(number=3).message == "Restored revision 1"


def test_revision_restore_on_a_stale_version_conflicts() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    services.draft_save(
        draft=draft, user=user, design=services.draft_design(draft=draft), based_on_version=1
    )
    first = selectors.revision_get(draft=draft, number=1)
    with pytest.raises(services.DraftConflict):
        services.revision_restore(draft=draft, revision=first, user=user, based_on_version=1)


def test_the_last_owner_can_be_neither_demoted_nor_removed() -> None:
    owner, other = make_user(), make_user()
    team = make_team(owner=owner)
    mine = selectors.membership_get(user=owner, team=team)
    assert mine is not None
    with pytest.raises(services.LastOwnerError):
        services.team_member_role_change(membership=mine, role=Membership.Role.EDITOR)
    with pytest.raises(services.LastOwnerError):
        services.team_member_remove(membership=mine)
    add_member(team, other, Membership.Role.OWNER)
    services.team_member_role_change(membership=mine, role=Membership.Role.VIEWER)
    assert selectors.membership_get(user=owner, team=team).role == Membership.Role.VIEWER


def test_team_create_makes_unique_slugs() -> None:
    assert services.team_create(name="Acme", owner=None).slug == "acme"
    assert services.team_create(name="Acme", owner=None).slug == "acme-2"


def test_duplicate_copies_the_design_into_a_new_draft() -> None:
    user = make_user()
    draft = services.draft_create(
        team=make_team(owner=user), user=user, title="Items", design=design_with_trigger()
    )
    copy = services.draft_duplicate(draft=draft, user=user)
    assert copy.pk != draft.pk
    assert copy.title == "Items (copy)"
    assert copy.trigger_count == 1
    assert copy.design["triggers"] == draft.design["triggers"]


def test_migration_backfills_the_summary_of_existing_drafts() -> None:
    import importlib

    from django.apps import apps

    from connectors.models import ConnectorDraft

    migration = importlib.import_module("connectors.migrations.0002_draft_summary_and_trash")
    user = make_user()
    draft = services.draft_create(
        team=make_team(owner=user), user=user, title="Items", design=design_with_trigger()
    )
    expected = (draft.trigger_count, draft.lint_errors, draft.lint_warnings)
    ConnectorDraft.objects.update(trigger_count=0, lint_errors=0, lint_warnings=0)
    migration.backfill_summaries(apps, None)
    draft.refresh_from_db()
    assert (draft.trigger_count, draft.lint_errors, draft.lint_warnings) == expected
    assert draft.trigger_count == 1


# --- downloads ---------------------------------------------------------------------------------


def test_mark_downloaded_records_the_version_and_is_no_edit() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "Second."
    draft = services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    updated_at = draft.updated_at
    assert draft.downloaded_version is None
    services.draft_mark_downloaded(draft=draft, version=2)
    draft.refresh_from_db()
    assert (draft.downloaded_version, draft.version, draft.updated_at) == (2, 2, updated_at)
    assert draft.revisions.count() == 2
    # The last download counts, whichever it was.
    services.draft_mark_downloaded(draft=draft, version=1)
    draft.refresh_from_db()
    assert draft.downloaded_version == 1


@pytest.mark.parametrize("version", [0, -1, True, "2"])
def test_mark_downloaded_refuses_what_is_no_version(version: object) -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    with pytest.raises(ValueError, match="not a version"):
        services.draft_mark_downloaded(draft=draft, version=version)  # type: ignore[arg-type]
    draft.refresh_from_db()
    assert draft.downloaded_version is None
