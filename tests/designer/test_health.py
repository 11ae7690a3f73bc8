"""/healthz names the service that does not answer, with a 503 load balancers understand."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from designer import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on (bound, never listening, so it stays free of others)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def test_a_broker_that_does_not_answer_is_a_503_naming_it(client: Client, closed_port: int) -> None:
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "the broker does not answer"},
    }


def test_an_embedded_broker_file_that_cannot_be_opened_is_a_503(
    client: Client, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "broker.sqlite3"
    with override_settings(CELERY_BROKER_URL=f"sqla+sqlite:///{missing}"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "the broker does not answer"


def test_a_database_that_does_not_answer_is_a_503_naming_it(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Broken())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "the database does not answer",
        "broker": "ok",
    }


def test_healthz_is_exempt_from_the_https_redirect(client: Client) -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get(reverse("healthz")).status_code == 200
        assert client.get(reverse("login")).status_code == 301
