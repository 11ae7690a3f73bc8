"""Every read of the connectors app, always scoped by the user's team memberships.

A view never fetches a draft by primary key alone: another team's draft simply is not in the
queryset, so it is a 404, not a 403 that would confirm it exists.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import invitation_links
from .domain.design import DesignError, migrate_design
from .domain.swagger.changes import BreakingChange, DiffLine, breaking_changes, diff_lines
from .domain.swagger.exporting.definition import dump_json, export_swagger
from .models import (
    ConnectorDraft,
    DraftIcon,
    Invitation,
    Membership,
    Report,
    Revision,
    SimulatorSession,
    Team,
)
from .models_parts import designs_of

HISTORY_LIMIT = 100
# Rows per page of the draft list and of a draft's history.
DRAFTS_PER_PAGE = 50
REVISIONS_PER_PAGE = 50
# The history's breaking changes per pair of revisions: kept a month, under a key that names
# the version of the comparison (bump it when ``breaking_changes`` finds other things).
BREAKING_CACHE_VERSION = 1
BREAKING_CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class HistoryEntry:
    revision: Revision
    # Breaking changes from the last downloaded revision: empty up to it, and for every
    # revision of a draft never downloaded (no flow can be built on what was never published).
    breaking: list[BreakingChange]
    downloaded: bool = False  # this is the revision last downloaded


@dataclass(frozen=True)
class RevisionComparison:
    old: Revision
    new: Revision
    lines: list[DiffLine]
    breaking: list[BreakingChange]


def membership_list_of(*, user: Any) -> QuerySet[Membership]:
    """The user's memberships with their teams, by team name: in one query, the header's team
    switcher and every role check of a request (views keep the list for the request)."""
    return Membership.objects.filter(user=user).select_related("team").order_by("team__name", "pk")


def membership_get(*, user: Any, team: Team) -> Membership | None:
    # No ordering: the model's default (team and user name) would join both tables for one row.
    return Membership.objects.filter(user=user, team=team).select_related("team").order_by().first()


def _team_drafts(*, user: Any, team: Team | None) -> QuerySet[ConnectorDraft]:
    drafts = ConnectorDraft.objects.filter(team__memberships__user=user)
    if team is not None:
        drafts = drafts.filter(team=team)
    return drafts


def draft_list(
    *,
    user: Any,
    team: Team | None = None,
    query: str = "",
    order: tuple[str, ...] = ("-updated_at", "-pk"),
) -> QuerySet[ConnectorDraft]:
    """The user's drafts (of ``team`` if given), newest change first; trashed ones left out."""
    drafts = _team_drafts(user=user, team=team).filter(deleted_at__isnull=True)
    if query.strip():
        drafts = drafts.filter(title__icontains=query.strip())
    return drafts.select_related("team", "updated_by").order_by(*order)


def draft_page(
    *,
    user: Any,
    team: Team,
    query: str = "",
    order: tuple[str, ...] = ("-updated_at", "-pk"),
    page: str | int | None = None,
) -> Page[ConnectorDraft]:
    """One page of the team's draft list (``page`` as typed in the address: a number out of
    range gives the last page, anything else the first). Two queries whatever the number of
    drafts: their count and the page's rows, without their designs (the list shows the summary
    columns a save keeps)."""
    drafts = draft_list(user=user, team=team, query=query, order=order).defer("design")
    return Paginator(drafts, DRAFTS_PER_PAGE).get_page(page)


def draft_trash_list(*, user: Any, team: Team) -> QuerySet[ConnectorDraft]:
    """The team's trashed drafts, most recently trashed first."""
    drafts = _team_drafts(user=user, team=team).filter(deleted_at__isnull=False)
    return drafts.select_related("team", "deleted_by").order_by("-deleted_at", "-pk")


def draft_trashed_get(*, user: Any, draft_id: int) -> ConnectorDraft:
    """A trashed draft of one of the user's teams; ``ConnectorDraft.DoesNotExist`` otherwise."""
    return (
        _team_drafts(user=user, team=None)
        .filter(deleted_at__isnull=False)
        .select_related("team")
        .get(pk=draft_id)
    )


def draft_get(*, user: Any, draft_id: int) -> ConnectorDraft:
    """The draft if the user is in its team; ``ConnectorDraft.DoesNotExist`` otherwise."""
    return draft_list(user=user).get(pk=draft_id)


def draft_with_membership(*, user: Any, draft_id: int) -> tuple[ConnectorDraft, Membership]:
    """The draft and the user's membership of its team, in one query (every wizard request
    needs both); ``ConnectorDraft.DoesNotExist`` if the user is not in the draft's team."""
    draft = (
        _team_drafts(user=user, team=None)
        .filter(pk=draft_id, deleted_at__isnull=True)
        # The filter's join on the user's membership is reused: one row, the user's role.
        .annotate(
            membership_pk=F("team__memberships__pk"), membership_role=F("team__memberships__role")
        )
        .select_related("team")
        .get()
    )
    membership = Membership(
        pk=draft.membership_pk, team=draft.team, user_id=user.pk, role=draft.membership_role
    )
    return draft, membership


def icon_meta(*, draft: ConnectorDraft) -> DraftIcon | None:
    """The draft's icon without its bytes (type, size, digest), or None."""
    icons = DraftIcon.objects.filter(draft=draft)
    return icons.only("content_type", "width", "height", "digest").first()


def icon_get(*, draft: ConnectorDraft) -> DraftIcon | None:
    """The draft's icon with its bytes, or None (for the draft's team: the caller scoped it)."""
    return DraftIcon.objects.filter(draft=draft).first()


def icon_bytes(*, draft: ConnectorDraft) -> bytes | None:
    data = DraftIcon.objects.filter(draft=draft).values_list("data", flat=True).first()
    return None if data is None else bytes(data)


def revision_designs(*, draft: ConnectorDraft, revisions: list[Revision]) -> None:
    """Read the designs of ``revisions`` (of ``draft``) at once: the parts they share are read
    once, in one query per level of their part trees. Each gets its ``design`` set."""
    designs = designs_of(draft_id=draft.pk, roots=[r.root for r in revisions])
    for revision in revisions:
        revision.design = designs[revision.root]


def revision_list(*, draft: ConnectorDraft) -> QuerySet[Revision]:
    return draft.revisions.select_related("author").order_by("-number")


def revision_get(*, draft: ConnectorDraft, number: int) -> Revision:
    """Revision ``number`` of a draft the caller already got through a scoped selector."""
    return draft.revisions.select_related("author").get(number=number)


def membership_list(*, team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("user__username")


def membership_get_by_id(*, team: Team, membership_id: int) -> Membership:
    return team.memberships.select_related("user", "team").get(pk=membership_id)


def invitation_list_open(*, team: Team) -> QuerySet[Invitation]:
    """The team's invitations neither used nor revoked (expired ones too), newest first."""
    invitations = team.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    return invitations.select_related("invited_by").order_by("-sent_at", "-pk")


def invitation_get(*, team: Team, invitation_id: int) -> Invitation:
    """Invitation ``invitation_id`` of ``team``; ``Invitation.DoesNotExist`` for another team's."""
    return team.invitations.select_related("team").get(pk=invitation_id)


def invitation_by_token(*, token: str) -> Invitation:
    """The invitation a link names, whatever its state: the signed token is the key, as the
    invited person may have no account yet. ``Invitation.DoesNotExist`` for a tampered link."""
    try:
        pk = invitation_links.invitation_id(token)
    except signing.BadSignature as exc:
        raise Invitation.DoesNotExist("No invitation has this link.") from exc
    return Invitation.objects.select_related("team", "invited_by").get(pk=pk)


def user_find(*, identifier: str) -> Any:
    """The active user whose username or email is ``identifier`` (case-insensitive), or None."""
    users = get_user_model().objects.filter(is_active=True)
    identifier = identifier.strip()
    user = users.filter(username__iexact=identifier).first()
    if user is None and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


def revision_swagger(*, revision: Revision) -> dict[str, Any]:
    """The apiDefinition a revision exports to; {} for a design this app can no longer read.

    For reading (diffs, breaking changes): it may share values with ``revision.design``.
    """
    return _design_swagger(revision.design)


def _design_swagger(design: Any) -> dict[str, Any]:
    try:
        return export_swagger(migrate_design(design), share=True)
    except DesignError:
        return {}


def _breaking_key(older: Revision, newer: Revision) -> str:
    # Revisions never change, so neither do a pair's breaking changes. The creation times keep
    # the key unique where ids come back (a database reset under a kept cache, test rollbacks).
    when = f"{older.created_at:%Y%m%d%H%M%S%f}:{newer.created_at:%Y%m%d%H%M%S%f}"
    pair = f"{older.draft_id}:{older.number}:{newer.number}"
    return f"connectors:breaking:{BREAKING_CACHE_VERSION}:{pair}:{when}"


def _breaking_of_pairs(
    draft: ConnectorDraft, pairs: list[tuple[Revision, Revision]]
) -> list[list[BreakingChange]]:
    """The breaking changes of each (older, newer) pair: cached ones from the cache, the others
    computed from the designs of just their revisions, then cached."""
    keys = [_breaking_key(older, newer) for older, newer in pairs]
    found: dict[str, list[tuple[str, str, str]]] = cache.get_many(keys)
    missing = [(key, pair) for key, pair in zip(keys, pairs, strict=True) if key not in found]
    if missing:
        needed = {revision.number: revision for _, pair in missing for revision in pair}
        revision_designs(draft=draft, revisions=list(needed.values()))
        swaggers = {number: _design_swagger(r.design) for number, r in needed.items()}
        computed = {
            key: [astuple(c) for c in breaking_changes(swaggers[old.number], swaggers[new.number])]
            for key, (old, new) in missing
        }
        cache.set_many(computed, timeout=BREAKING_CACHE_SECONDS)
        found.update(computed)
    return [[BreakingChange(*change) for change in found[key]] for key in keys]


@dataclass(frozen=True)
class HistoryPage:
    page: Page[Revision]
    entries: list[HistoryEntry]


def revision_history(
    *, draft: ConnectorDraft, page: str | int | None = None, per_page: int = REVISIONS_PER_PAGE
) -> HistoryPage:
    """One page of the draft's revisions, newest first (``page`` as ``draft_page`` reads it);
    each one newer than the last downloaded revision comes with its breaking changes against
    that one (``draft.downloaded_version``).

    Flows are built on a downloaded version, so that is what a change can break: an edit undone
    before the next download breaks nothing, and before the first download nothing does. The
    queries do not grow with the revisions: their count, the page's rows, the downloaded one
    when it is not on the page, and the parts of just the designs whose pairs are not cached.
    """
    shown_page = Paginator(revision_list(draft=draft), per_page).get_page(page)
    shown = list(shown_page.object_list)
    base = _downloaded_revision(draft, shown)
    if base is None:  # never downloaded: nothing can break yet
        return HistoryPage(shown_page, [HistoryEntry(revision=r, breaking=[]) for r in shown])
    later = [r for r in shown if r.number > base.number]
    pairs = [(base, r) for r in later]
    found = dict(zip([r.number for r in later], _breaking_of_pairs(draft, pairs), strict=True))
    entries = [
        HistoryEntry(
            revision=r, breaking=found.get(r.number, []), downloaded=r.number == base.number
        )
        for r in shown
    ]
    return HistoryPage(shown_page, entries)


def _downloaded_revision(draft: ConnectorDraft, shown: list[Revision]) -> Revision | None:
    """The revision of the version last downloaded, from those shown or (older) on its own."""
    number = draft.downloaded_version
    if number is None:
        return None
    for revision in shown:
        if revision.number == number:
            return revision
    return draft.revisions.filter(number=number).first()


class RevisionNotFound(Revision.DoesNotExist):
    """Some of the revisions asked for are not the draft's (``numbers``, in the order asked)."""

    def __init__(self, numbers: list[int]):
        self.numbers = numbers
        super().__init__(f"No revision {', '.join(map(str, numbers))}.")


def revision_compare(*, draft: ConnectorDraft, old: int, new: int) -> RevisionComparison:
    """The diff and breaking changes between two revisions; ``RevisionNotFound`` (a
    ``Revision.DoesNotExist``) naming the numbers that are not the draft's."""
    found = {
        r.number: r for r in draft.revisions.select_related("author").filter(number__in=[old, new])
    }
    missing = [number for number in dict.fromkeys([old, new]) if number not in found]
    if missing:
        raise RevisionNotFound(missing)
    old_revision, new_revision = found[old], found[new]
    revision_designs(draft=draft, revisions=list(found.values()))
    old_swagger = revision_swagger(revision=old_revision)
    new_swagger = revision_swagger(revision=new_revision)
    return RevisionComparison(
        old=old_revision,
        new=new_revision,
        lines=diff_lines(
            dump_json(old_swagger),
            dump_json(new_swagger),
            old_name=f"revision {old}",
            new_name=f"revision {new}",
        ),
        breaking=breaking_changes(old_swagger, new_swagger),
    )


def simulator_session_get(*, token: str) -> SimulatorSession:
    """The simulator behind ``/sim/<token>/``; the token is the only key (no login)."""
    return SimulatorSession.objects.get(token=token)


def simulator_session_open(*, session: SimulatorSession, now: datetime | None = None) -> bool:
    """Whether the simulator still answers: its report is queued or running, or ended less
    than SIMULATOR_GRACE_SECONDS ago (a late DELETE of the run still gets its answer). Without
    login, the token is all a caller needs, so a simulator must not outlive its report; one
    without a report (deleted) answers nothing."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SIMULATOR_GRACE_SECONDS)
    live = Q(status__in=(Report.Status.QUEUED, Report.Status.RUNNING))
    return session.reports.filter(live | Q(finished_at__gte=cutoff)).exists()


def report_list(*, draft: ConnectorDraft, limit: int = HISTORY_LIMIT) -> QuerySet[Report]:
    """The draft's reports, newest first (the draft came through a scoped selector)."""
    return draft.reports.select_related("started_by", "simulator").order_by("-created_at", "-pk")[
        :limit
    ]


def report_get(*, draft: ConnectorDraft, report_id: int) -> Report:
    """Report ``report_id`` of a draft the caller already got through a scoped selector."""
    return draft.reports.select_related("started_by", "simulator").get(pk=report_id)
