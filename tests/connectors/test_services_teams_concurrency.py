"""Membership changes at the same moment, each request on its own database connection.

Finding L6: two owners demoting (or removing) each other at once locked the two membership rows
in opposite orders, and PostgreSQL aborted one request with a deadlock (a 500). The services now
lock the team row first, so these requests queue; the team keeps an owner whatever the order.
Row locks only mean something on PostgreSQL (SQLite lets one writer in at a time), so the
deadlock test runs there only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
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


def at_once(*calls: Callable[[], Any]) -> list[BaseException]:
    """Run ``calls`` in threads released together; the unexpected exceptions they raised.

    Each thread has its own connection (Django's are per thread) and closes it at the end.
    ``LastOwnerError`` is an expected answer, not a failure.
    """
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=WAIT_SECONDS)
            call()
        except services.LastOwnerError:
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
