from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_home_needs_a_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_lists_only_my_teams_drafts(client: Client) -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    make_draft(make_team(owner=alice), alice, "Alice <script>")
    make_draft(make_team(owner=mallory), mallory, "Mallory's secret")
    client.force_login(alice)
    body = client.get(reverse("home"), follow=True).content.decode()
    assert "Alice &lt;script&gt;" in body
    assert "Mallory" not in body


def test_login_form_enforces_csrf() -> None:
    make_user("alice")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests-1"})
    assert response.status_code == 403


def test_favicon_is_served_at_the_site_root(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
