"""Every write to the connectors app: drafts and revisions here, teams in ``services_teams``.

Services are keyword-only, run in one transaction each, and leave permission checks to the views
(the command-line tools act as the system, with no user). ``draft_save`` is the one way a design
changes: it validates the design, bumps the version only if nobody saved in between (optimistic
concurrency) and records a revision; a new or removed icon rides on the same save.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F, TextField, Value
from django.utils import timezone

from .domain.design import Design, migrate_design, new_design, validate_design
from .domain.design_parts import split
from .domain.lint import Finding
from .domain.lint.incremental import lint_design_cached
from .domain.swagger.exporting.package import Icon
from .domain.swagger.importing.connector import import_connector
from .models import ConnectorDraft, DraftIcon, Revision, Team
from .models_parts import parts_store


class DraftConflict(Exception):
    """Someone saved the draft after the version this save was based on."""

    def __init__(self, *, current: ConnectorDraft, based_on_version: int):
        self.current = current
        self.based_on_version = based_on_version
        super().__init__(
            f"Draft {current.pk} is at version {current.version}; "
            f"this save was based on version {based_on_version}."
        )


@dataclass(frozen=True)
class ImportedDraft:
    draft: ConnectorDraft
    notes: list[str]


def _actor(user: AbstractBaseUser | AnonymousUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def draft_summary(*, design: Design, findings: Sequence[Finding] | None = None) -> dict[str, int]:
    """What the draft list shows, computed on save so that listing never exports or lints.

    ``findings``: the lint findings of ``design`` when the caller already has them; else the
    design is linted through the part cache (only what changed since a recent lint is re-run).
    """
    if findings is None:
        findings = lint_design_cached(design)
    return {
        "trigger_count": len(design["triggers"]),
        "lint_errors": sum(f.severity == "error" for f in findings),
        "lint_warnings": sum(f.severity == "warning" for f in findings),
    }


def draft_design(*, draft: ConnectorDraft, copy: bool = True) -> Design:
    """The draft's design, brought up to the current design version.

    ``copy=False`` skips the copy when no migration is needed: the result may then be
    ``draft.design`` itself, for a caller that only reads it (or owns the instance).
    """
    return migrate_design(draft.design, copy=copy)


@transaction.atomic
def draft_create(
    *,
    team: Team,
    user: AbstractBaseUser | AnonymousUser | None,
    title: str,
    design: Design | None = None,
    message: str = "Created",
) -> ConnectorDraft:
    design = validate_design(design if design is not None else new_design(title))
    cut = split(design)
    draft = ConnectorDraft.objects.create(
        team=team,
        title=design["general"]["title"] or title,
        design=Value(cut.text, TextField()),
        version=1,
        created_by=_actor(user),
        updated_by=_actor(user),
        **draft_summary(design=design),
    )
    draft.design = design
    parts_store(draft_id=draft.pk, split=cut)
    Revision.objects.create(
        draft=draft, number=1, root=cut.root, author=_actor(user), message=message
    )
    return draft


@transaction.atomic
def draft_save(
    *,
    draft: ConnectorDraft,
    user: AbstractBaseUser | AnonymousUser | None,
    design: Design,
    based_on_version: int,
    message: str = "",
    findings: Sequence[Finding] | None = None,
    icon: Icon | None = None,
    remove_icon: bool = False,
) -> ConnectorDraft:
    """Save ``design`` as the next version, or raise ``DraftConflict`` if the draft moved on.

    The conditional UPDATE is the lock: of two saves based on the same version exactly one
    matches the row, the other gets the conflict and nothing of its edit is written.
    ``design`` is stored as given (not copied) and becomes ``draft.design``; ``findings`` are
    its lint findings when the caller already linted it (the wizard shows them). ``icon``
    (already checked by ``read_icon``) replaces the draft's icon, ``remove_icon`` drops it; the
    revision's message says so (revisions keep designs, not images).

    The revision stores only the parts of the design the draft does not hold yet (see
    ``domain.design_parts``): a one-field edit of a large connector costs a few kilobytes.
    """
    design = validate_design(migrate_design(design, copy=False))
    new_version = based_on_version + 1
    # Cut once: the parts for the revision, and the whole text for the draft's row.
    cut = split(design)
    text = Value(cut.text, TextField())
    # Every column this save writes; the same values go onto ``draft`` once the save is sure.
    columns = {
        "title": design["general"]["title"] or draft.title,
        "updated_by": _actor(user),
        "updated_at": timezone.now(),
        **draft_summary(design=design, findings=findings),
    }
    updated = ConnectorDraft.objects.filter(pk=draft.pk, version=based_on_version).update(
        design=text, version=F("version") + 1, **columns
    )
    if not updated:
        current = ConnectorDraft.objects.get(pk=draft.pk)
        raise DraftConflict(current=current, based_on_version=based_on_version)
    if icon is not None:
        _icon_store(draft=draft, icon=icon)
        message = f"{message} (new icon)" if message else "New icon"
    elif remove_icon:
        DraftIcon.objects.filter(draft=draft).delete()
        message = f"{message} (icon removed)" if message else "Icon removed"
    parts_store(draft_id=draft.pk, split=cut)
    Revision.objects.create(
        draft=draft, number=new_version, root=cut.root, author=_actor(user), message=message[:300]
    )
    # The row is what this save wrote (the UPDATE matched it): no need to read it back.
    for name, value in columns.items():
        setattr(draft, name, value)
    draft.version = new_version
    draft.design = design
    return draft


def draft_mark_downloaded(*, draft: ConnectorDraft, version: int) -> ConnectorDraft:
    """Record that ``version`` of the draft was downloaded (its files, or its package).

    From then on flows may be built on that version, so the history measures breaking changes
    against it. A download is no edit: the version, ``updated_at`` and the revisions stay; one
    UPDATE of the one column, so a save landing at the same moment is not undone.
    """
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{version!r} is not a version of a draft")
    ConnectorDraft.objects.filter(pk=draft.pk).update(downloaded_version=version)
    draft.downloaded_version = version
    return draft


def _icon_store(*, draft: ConnectorDraft, icon: Icon) -> None:
    DraftIcon.objects.update_or_create(
        draft=draft,
        defaults={
            "data": icon.data,
            "content_type": icon.content_type,
            "width": icon.width,
            "height": icon.height,
            "digest": hashlib.sha256(icon.data).hexdigest(),
        },
    )


def draft_import(
    *,
    team: Team,
    user: AbstractBaseUser | AnonymousUser | None,
    swagger: bytes | str,
    properties: bytes | str | None = None,
    title: str | None = None,
) -> ImportedDraft:
    """Import an apiDefinition (and apiProperties) into a new draft.

    Raises the importer's errors (``SwaggerImportError``, ``DocumentError``) unchanged: they
    name the line and column or the JSON pointer, and nothing is written when they happen.
    """
    result = import_connector(swagger, properties)
    design = result.design
    if title:
        design["general"]["title"] = title
    draft = draft_create(
        team=team,
        user=user,
        title=design["general"]["title"] or "Imported connector",
        design=design,
        message="Imported",
    )
    return ImportedDraft(draft=draft, notes=result.notes)


@transaction.atomic
def draft_duplicate(
    *, draft: ConnectorDraft, user: AbstractBaseUser | AnonymousUser | None
) -> ConnectorDraft:
    """A new draft of the same team with the current design, its icon and a "(copy)" title."""
    design = draft_design(draft=draft)
    title = f"{draft.title} (copy)"[:200]
    design["general"]["title"] = title
    copy = draft_create(
        team=draft.team,
        user=user,
        title=title,
        design=design,
        message=f"Duplicated from {draft.title}"[:300],
    )
    icon = DraftIcon.objects.filter(draft=draft).first()
    if icon is not None:
        fields = ("data", "content_type", "width", "height", "digest")
        DraftIcon.objects.create(draft=copy, **{name: getattr(icon, name) for name in fields})
    return copy


@transaction.atomic
def draft_trash(
    *, draft: ConnectorDraft, user: AbstractBaseUser | AnonymousUser | None
) -> ConnectorDraft:
    """Move the draft to its team's trash (soft delete: it can be restored)."""
    draft.deleted_at = timezone.now()
    draft.deleted_by = _actor(user)
    draft.save(update_fields=["deleted_at", "deleted_by"])
    return draft


@transaction.atomic
def draft_untrash(*, draft: ConnectorDraft) -> ConnectorDraft:
    """Bring a trashed draft back into the team's list."""
    draft.deleted_at = None
    draft.deleted_by = None
    draft.save(update_fields=["deleted_at", "deleted_by"])
    return draft


def revision_restore(
    *,
    draft: ConnectorDraft,
    revision: Revision,
    user: AbstractBaseUser | AnonymousUser | None,
    based_on_version: int,
) -> ConnectorDraft:
    """Save an old revision's design as the newest one (history is never rewritten).

    Based on the version the user saw, so a save that landed in between is a
    ``DraftConflict``, not a silent overwrite.
    """
    return draft_save(
        draft=draft,
        user=user,
        design=revision.design,
        based_on_version=based_on_version,
        message=f"Restored revision {revision.number}",
    )


# Teams, the test report and its simulator live in their own modules (this one would pass 300
# lines); they are part of the service layer all the same.
from .services_reports import (  # noqa: E402
    ReportTargetError,
    credentials_open,
    credentials_seal,
    hook_body_limit,
    hook_receive,
    report_execute,
    report_mark_lost,
    report_reap_stuck,
    report_start,
)
from .services_simulator import simulator_session_create  # noqa: E402
from .services_teams import (  # noqa: E402
    DEFAULT_TEAM_SLUG,
    Acceptance,
    InvitationClosed,
    InviteeIsMember,
    LastOwnerError,
    UsernameTaken,
    invitation_accept,
    invitation_mail,
    invitation_revoke,
    invitation_send,
    invitation_sign_up,
    membership_set,
    team_create,
    team_default,
    team_member_add,
    team_member_remove,
    team_member_role_change,
)

__all__ = [
    "DEFAULT_TEAM_SLUG",
    "Acceptance",
    "InvitationClosed",
    "InviteeIsMember",
    "LastOwnerError",
    "ReportTargetError",
    "UsernameTaken",
    "credentials_open",
    "credentials_seal",
    "hook_body_limit",
    "hook_receive",
    "invitation_accept",
    "invitation_mail",
    "invitation_revoke",
    "invitation_send",
    "invitation_sign_up",
    "membership_set",
    "report_execute",
    "report_mark_lost",
    "report_reap_stuck",
    "report_start",
    "simulator_session_create",
    "team_create",
    "team_default",
    "team_member_add",
    "team_member_remove",
    "team_member_role_change",
]
