"""Membership changes at the same moment, each request on its own database connection.

Finding L6: two owners demoting (or removing) each other at once locked the two membership rows
in opposite orders, and PostgreSQL aborted one request with a deadlock (a 500). The services now
lock the team row first, so these requests queue; the team keeps an owner whatever the order.
Row locks only mean something on PostgreSQL (SQLite lets one writer in at a time), so the
deadlock test runs there only; the invitation races run on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from connectors import services
from connectors.models import Membership, Team
from tests.factories import add_member, make_team, make_user

ROUNDS = 30
WAIT_SECONDS = 60

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and deadlocks need PostgreSQL (set DATABASE_URL=postgres://...); "
    "SQLite lets one writer in at a time",
)


def at_once(
    *calls: Callable[[], Any], expected: type[Exception] = services.LastOwnerError
) -> list[BaseException]:
    """Run ``calls`` in threads released together; the unexpected exceptions they raised.

    Each thread has its own connection (Django's are per thread) and closes it at the end.
    ``expected`` is an answer (the last owner stays, the link is used), not a failure.
    """
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=WAIT_SECONDS)
            call()
        except expected:
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return errors


def owners(team: Team) -> int:
    return Membership.objects.filter(team=team, role=Membership.Role.OWNER).count()


def demote(team: Team, user: Any) -> Callable[[], Any]:
    def call() -> Any:
        membership = Membership.objects.get(team=team, user=user)
        return services.team_member_role_change(membership=membership, role="editor")

    return call


def remove(team: Team, user: Any) -> Callable[[], Any]:
    def call() -> None:
        membership = Membership.objects.get(team=team, user=user)
        services.team_member_remove(membership=membership)

    return call


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [demote, remove], ids=["role_change", "removal"])
def test_two_owners_changing_each_other_at_once_neither_deadlock_nor_lose_the_owner(
    change: Callable[[Team, Any], Callable[[], Any]],
) -> None:
    alice, bob = make_user(), make_user()
    team = make_team(owner=alice)
    failures: list[BaseException] = []
    for _ in range(ROUNDS):
        # Both are owners again; each acts on the other at the same moment.
        add_member(team, alice, Membership.Role.OWNER)
        add_member(team, bob, Membership.Role.OWNER)
        failures += at_once(change(team, bob), change(team, alice))
        assert owners(team) == 1  # exactly one of the two went through
    assert failures == [], f"{len(failures)} of {2 * ROUNDS} changes failed: {failures[:3]}"


@pytest.mark.django_db(transaction=True)
def test_one_link_posted_at_once_by_several_people_makes_one_membership() -> None:
    team = make_team(owner=make_user())
    invitation = services.invitation_send(
        team=team, email="newbie@example.com", role="editor", invited_by=None
    )
    joiners = [make_user() for _ in range(4)]

    def accept(user: Any) -> Callable[[], Any]:
        return lambda: services.invitation_accept(invitation=invitation, user=user)

    errors = at_once(*(accept(user) for user in joiners), expected=services.InvitationClosed)
    assert errors == []
    assert Membership.objects.filter(team=team, user__in=joiners).count() == 1
    invitation.refresh_from_db()
    assert invitation.state == "used"


@pytest.mark.django_db(transaction=True)
def test_one_link_signed_up_at_once_makes_one_user() -> None:
    team = make_team(owner=make_user())
    invitation = services.invitation_send(
        team=team, email="newbie@example.com", role="viewer", invited_by=None
    )

    def sign_up(username: str) -> Callable[[], Any]:
        return lambda: services.invitation_sign_up(
            invitation=invitation, username=username, password="plum-orchard-sails-42"
        )

    names = [f"newbie{n}" for n in range(4)]
    errors = at_once(*(sign_up(name) for name in names), expected=services.InvitationClosed)
    assert errors == []
    assert get_user_model().objects.filter(username__in=names).count() == 1
    assert Membership.objects.filter(team=team, user__username__in=names).count() == 1
