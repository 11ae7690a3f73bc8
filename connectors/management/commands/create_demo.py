"""``manage.py create_demo``: a demo team and user for `make run`; prints the login.

Development only: with ``DEBUG`` off it refuses, so a production database never gets a user
whose password is in the README.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from connectors import services
from connectors.models import Membership, Team

DEMO_USERNAME = "demo"
DEMO_TEAM_SLUG = "demo"


class Command(BaseCommand):
    help = "Create (or reset the password of) the demo user and its team."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "create_demo is for development (DEBUG on): it would give a production "
                "database a login anyone can read in the README. Invite people instead."
            )
        password = os.environ.get("DEMO_PASSWORD", "demo-password")
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        user.set_password(password)
        user.save()
        team = Team.objects.filter(slug=DEMO_TEAM_SLUG).first()
        if team is None:
            team = services.team_create(name="Demo team", owner=user, slug=DEMO_TEAM_SLUG)
        services.membership_set(team=team, user=user, role=Membership.Role.OWNER)
        self.stdout.write(f"Demo login: username {DEMO_USERNAME!r}, password {password!r}")
