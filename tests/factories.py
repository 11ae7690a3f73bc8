"""Plain factories for the Django models (no extra library: the models are few and small)."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from connectors import services
from connectors.domain.design import new_design
from connectors.models import ConnectorDraft, Membership, Team

_counter = itertools.count(1)


def make_user(username: str | None = None, **extra: Any) -> Any:
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.com", password="pw-for-tests-1", **extra
    )


def make_team(name: str | None = None, *, owner: Any = None) -> Team:
    name = name or f"Team {next(_counter)}"
    return services.team_create(name=name, owner=owner)


def add_member(team: Team, user: Any, role: str = Membership.Role.EDITOR) -> Membership:
    return services.membership_set(team=team, user=user, role=role)


def make_draft(team: Team, user: Any = None, title: str = "Orders") -> ConnectorDraft:
    return services.draft_create(team=team, user=user, title=title, design=new_design(title))


def client_for(user: Any, *, csrf: bool = False) -> Any:
    """A test client logged in as ``user`` (checking CSRF tokens when ``csrf``)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client
