"""Repeated wrong passwords lock a username + address out for a while (audit finding M2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db
RIGHT = "pw-for-tests-1"


def _log_in(client: Client, url: str, username: str, password: str, **extra: str) -> int:
    response = client.post(url, {"username": username, "password": password}, **extra)
    return response.status_code


def _fail_until_locked(client: Client, url: str, username: str, **extra: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, url, username, "wrong-password", **extra)


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_the_right_password_is_refused_after_too_many_wrong_ones(url_name: str) -> None:
    make_user("alice", is_staff=True)
    client = Client()
    url = reverse(url_name)
    _fail_until_locked(client, url, "alice")
    response = client.post(url, {"username": "alice", "password": RIGHT})
    assert response.status_code == 429
    page = response.content.decode()
    assert f"After {settings.AXES_FAILURE_LIMIT} wrong passwords in a row" in page
    assert "_auth_user_id" not in client.session


def test_a_few_mistakes_then_the_right_password_logs_in() -> None:
    make_user("alice")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, reverse("login"), "alice", "wrong-password") == 200
    assert _log_in(client, reverse("login"), "alice", RIGHT) == 302


def test_the_lock_holds_one_username_from_one_address() -> None:
    make_user("alice")
    make_user("bob")
    _fail_until_locked(Client(), reverse("login"), "alice", REMOTE_ADDR="10.0.0.1")
    assert _log_in(Client(), reverse("login"), "bob", RIGHT, REMOTE_ADDR="10.0.0.1") == 302
    assert _log_in(Client(), reverse("login"), "alice", RIGHT, REMOTE_ADDR="10.0.0.2") == 302
    assert _log_in(Client(), reverse("login"), "alice", RIGHT, REMOTE_ADDR="10.0.0.1") == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lock() -> None:
    make_user("alice")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, reverse("login"), "alice", "x", HTTP_X_FORWARDED_FOR=f"10.9.0.{attempt}")
    forged = _log_in(client, reverse("login"), "alice", RIGHT, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert forged == 429


def test_the_lock_ends_after_the_cool_off() -> None:
    make_user("alice")
    client = Client()
    _fail_until_locked(client, reverse("login"), "alice")
    assert _log_in(client, reverse("login"), "alice", RIGHT) == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert _log_in(client, reverse("login"), "alice", RIGHT) == 302
