"""The demo login exists in development only: production never gets a public password."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from connectors.models import Membership

pytestmark = pytest.mark.django_db


def test_create_demo_makes_the_demo_owner_in_development() -> None:
    with override_settings(DEBUG=True):
        call_command("create_demo")
    user = get_user_model().objects.get(username="demo")
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="demo", password="demo-password") == user


def test_create_demo_refuses_with_debug_off_and_creates_nobody() -> None:
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="development"):
        call_command("create_demo")
    assert not get_user_model().objects.filter(username="demo").exists()
