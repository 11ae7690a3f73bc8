"""Every write to the connectors app: drafts, revisions, teams.

Services are keyword-only, run in one transaction each, and leave permission checks to the views
(the command-line tools act as the system, with no user). ``draft_save`` is the one way a design
changes: it validates the design, bumps the version only if nobody saved in between (optimistic
concurrency) and records a revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from .domain.design import Design, migrate_design, new_design, validate_design
from .domain.swagger_import import import_connector
from .models import ConnectorDraft, Membership, Revision, Team

DEFAULT_TEAM_SLUG = "default"


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


def _actor(user: AbstractBaseUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def draft_design(*, draft: ConnectorDraft) -> Design:
    """The draft's design, brought up to the current design version."""
    return migrate_design(draft.design)


@transaction.atomic
def draft_create(
    *,
    team: Team,
    user: AbstractBaseUser | None,
    title: str,
    design: Design | None = None,
    message: str = "Created",
) -> ConnectorDraft:
    design = validate_design(design if design is not None else new_design(title))
    draft = ConnectorDraft.objects.create(
        team=team,
        title=design["general"]["title"] or title,
        design=design,
        version=1,
        created_by=_actor(user),
        updated_by=_actor(user),
    )
    Revision.objects.create(
        draft=draft, number=1, design=design, author=_actor(user), message=message
    )
    return draft


@transaction.atomic
def draft_save(
    *,
    draft: ConnectorDraft,
    user: AbstractBaseUser | None,
    design: Design,
    based_on_version: int,
    message: str = "",
) -> ConnectorDraft:
    """Save ``design`` as the next version, or raise ``DraftConflict`` if the draft moved on.

    The conditional UPDATE is the lock: of two saves based on the same version exactly one
    matches the row, the other gets the conflict and nothing of its edit is written.
    """
    design = validate_design(migrate_design(design))
    new_version = based_on_version + 1
    updated = ConnectorDraft.objects.filter(pk=draft.pk, version=based_on_version).update(
        design=design,
        title=design["general"]["title"] or draft.title,
        version=F("version") + 1,
        updated_by=_actor(user),
        updated_at=timezone.now(),
    )
    if not updated:
        current = ConnectorDraft.objects.get(pk=draft.pk)
        raise DraftConflict(current=current, based_on_version=based_on_version)
    Revision.objects.create(
        draft=draft, number=new_version, design=design, author=_actor(user), message=message
    )
    draft.refresh_from_db()
    return draft


def draft_import(
    *,
    team: Team,
    user: AbstractBaseUser | None,
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
def team_create(*, name: str, owner: AbstractBaseUser | None, slug: str | None = None) -> Team:
    team = Team.objects.create(name=name, slug=slug or slugify(name))
    if owner is not None:
        Membership.objects.create(team=team, user=owner, role=Membership.Role.OWNER)
    return team


def team_default() -> Team:
    """The team the command-line tools use when none is named; created on first use."""
    team, _ = Team.objects.get_or_create(
        slug=DEFAULT_TEAM_SLUG, defaults={"name": "Default team"}
    )
    return team


@transaction.atomic
def membership_set(*, team: Team, user: AbstractBaseUser, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership
