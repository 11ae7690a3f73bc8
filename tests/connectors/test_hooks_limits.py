"""/hooks/<token>/ is bounded: notifications per hook, bytes per hook, and chunked bodies.

The audit found 1,000 POSTs to one hook all answered 202, 200 bodies of 256 KB growing the
database by 64 MB for one hook, and a chunked body (no Content-Length) stored empty.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from connectors import services, services_reports
from connectors.models import CallbackHook, ReceivedNotification, Report
from connectors.views.hooks import hook_receive
from tests.connectors.conftest import a_report, make_report_draft
from tests.worker_process import database_url, wait_for

REPO_ROOT = Path(__file__).resolve().parents[2]


def a_hook(**report_fields: Any) -> CallbackHook:
    report = a_report(make_report_draft(), **report_fields)
    return CallbackHook.objects.create(report=report, token="tok-limits-1234")


def url(hook: CallbackHook) -> str:
    return reverse("connectors:hook_receive", args=[hook.token])


def post(hook: CallbackHook, body: bytes | str) -> Any:
    return Client().post(url(hook), data=body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Report.Status.QUEUED, Report.Status.RUNNING])
def test_a_live_report_hook_accepts(status: str) -> None:
    assert post(a_hook(status=status), "{}").status_code == 202


@pytest.mark.django_db
@pytest.mark.parametrize("status", Report.ENDED)
def test_an_ended_report_hook_is_gone(status: str) -> None:
    hook = a_hook(status=status)
    assert post(hook, "{}").status_code == 410
    assert not ReceivedNotification.objects.exists()


@pytest.mark.django_db
def test_notifications_beyond_the_count_cap_are_429_and_not_stored(settings: Any) -> None:
    settings.HOOK_MAX_NOTIFICATIONS = 3
    hook = a_hook()
    assert [post(hook, json.dumps({"n": n})).status_code for n in range(3)] == [202] * 3
    refused = post(hook, json.dumps({"n": 3}))
    assert refused.status_code == 429
    assert "3 notifications" in refused.json()["error"]
    stored = [json.loads(row.body)["n"] for row in ReceivedNotification.objects.filter(hook=hook)]
    assert stored == [0, 1, 2]


@pytest.mark.django_db
def test_notifications_beyond_the_total_size_cap_are_429_and_not_stored(settings: Any) -> None:
    """Bodies and headers count, in bytes (a character of "é" is two)."""
    settings.HOOK_MAX_TOTAL_BYTES = 2000
    hook = a_hook()
    first = json.dumps({"text": "é" * 600}, ensure_ascii=False)  # 612 characters, 1212 bytes
    assert post(hook, first).status_code == 202
    second = json.dumps({"text": "é" * 400}, ensure_ascii=False)  # 812 bytes: over 2000 in all
    refused = post(hook, second)
    assert refused.status_code == 429
    assert "2000 bytes" in refused.json()["error"]
    assert ReceivedNotification.objects.filter(hook=hook).count() == 1
    assert post(hook, json.dumps({"text": "x" * 100})).status_code == 202  # still room


@pytest.mark.django_db
def test_the_caps_are_per_hook(settings: Any) -> None:
    settings.HOOK_MAX_NOTIFICATIONS = 1
    first = a_hook()
    second = CallbackHook.objects.create(report=first.report, token="tok-limits-5678")
    assert post(first, "{}").status_code == 202
    assert post(first, "{}").status_code == 429
    assert post(second, "{}").status_code == 202


def chunked_request(hook: CallbackHook, body: bytes) -> Any:
    """A POST as gunicorn hands a chunked one to Django: no Content-Length, the raw input ends
    at the body's end, and ``wsgi.input_terminated`` says so."""
    request = RequestFactory().generic(
        "POST",
        url(hook),
        content_type="application/json",
        **{"wsgi.input_terminated": True},
    )
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(body)
    return request


@pytest.mark.django_db
def test_a_chunked_body_is_read_and_stored(settings: Any) -> None:
    settings.HOOK_MAX_BODY_BYTES = 1000
    hook = a_hook()
    body = json.dumps({"id": "o-1", "pad": "x" * 900}).encode()
    response = hook_receive(chunked_request(hook, body), token=hook.token)
    assert response.status_code == 202
    assert ReceivedNotification.objects.get(hook=hook).body.encode() == body


@pytest.mark.django_db
def test_a_chunked_body_over_the_limit_is_413_and_not_stored(settings: Any) -> None:
    settings.HOOK_MAX_BODY_BYTES = 1000
    hook = a_hook()
    response = hook_receive(chunked_request(hook, b"x" * 1001), token=hook.token)
    assert response.status_code == 413
    assert not ReceivedNotification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_cannot_pass_the_count_cap_together(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each POST lingers between counting the hook's notifications and storing its own: only
    the lock on the hook row keeps the others from counting meanwhile."""
    settings.HOOK_MAX_NOTIFICATIONS = 2
    hook = a_hook()
    counted = services_reports._hook_usage

    def slow_usage(hook: CallbackHook) -> tuple[int, int]:
        usage = counted(hook)
        time.sleep(0.3)
        return usage

    monkeypatch.setattr(services_reports, "_hook_usage", slow_usage)
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def receive() -> None:
        try:
            start.wait()
            outcomes.append(services.hook_receive(token=hook.token, headers={}, body=b"{}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["stored"] * 2 + ["too_many"] * 4
    assert ReceivedNotification.objects.filter(hook=hook).count() == 2


# Against a real gunicorn: a chunked POST (Transfer-Encoding: chunked, no Content-Length).


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """This app under gunicorn on a free loopback port, on the test database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DESIGNER_VAR_DIR": str(tmp_path / "var"),
        "HOOK_MAX_BODY_BYTES": "1000",
    }
    command = [sys.executable, "-m", "gunicorn", "designer.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    site = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{site}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return process.poll() is not None  # it died: stop waiting, the test fails below

    try:
        wait_for(answers, "gunicorn answered", 60)
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        yield site
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def chunks(body: bytes, size: int = 100) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_gunicorn_stores_a_chunked_body_and_refuses_one_over_the_limit(gunicorn: str) -> None:
    hook = a_hook()
    target = gunicorn + url(hook)
    body = json.dumps({"id": "o-1", "pad": "x" * 800}).encode()
    stored = httpx.post(target, content=chunks(body), headers={"Content-Type": "application/json"})
    assert stored.request.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in stored.request.headers
    assert stored.status_code == 202, stored.text
    assert ReceivedNotification.objects.get(hook=hook).body.encode() == body
    refused = httpx.post(target, content=chunks(b"x" * 5000))
    assert refused.status_code == 413
    assert ReceivedNotification.objects.filter(hook=hook).count() == 1
