"""Requests to the machine endpoints leave no token and no query value in any log: through the
test client (Django's request handling: ``django.request``) and through Django's development
server (what ``runserver`` prints: ``django.server``), with every logger at DEBUG."""

from __future__ import annotations

import contextlib
import io
import logging
import secrets
import threading
from collections.abc import Iterator

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.test import Client

from connectors import services
from connectors.models import CallbackHook, Report
from tests.connectors.conftest import make_report_draft

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "SECRET-key-0f9e8d"
R = "[redacted]"


@pytest.fixture
def every_logger_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog receives every record of every logger, at DEBUG; ``django.server`` does not
    propagate to the root logger, so caplog's handler is added to it as well."""
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
    server = logging.getLogger("django.server")
    server.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        server.removeHandler(caplog.handler)


@pytest.fixture
def tokens() -> dict[str, str]:
    report = services.report_start(
        draft=make_report_draft(), user=None, trigger_ids=[], target="simulator", enqueue=False
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    hook = CallbackHook.objects.create(report=report, token=secrets.token_urlsafe(24))
    assert report.simulator is not None
    return {"sim": report.simulator.token, "hook": hook.token}


def requests_to(tokens: dict[str, str]) -> list[tuple[str, str, int]]:
    """(method, target, status): a poll the simulator answers, a path it does not know, a
    notification, a GET the receiver refuses."""
    sim, hook = tokens["sim"], tokens["hook"]
    return [
        ("GET", f"/sim/{sim}/orders/updates?since=0&api_key={SECRET}", 202),
        ("GET", f"/sim/{sim}/nowhere?api_key={SECRET}", 404),
        ("POST", f"/hooks/{hook}/?api_key={SECRET}", 202),
        ("GET", f"/hooks/{hook}/?api_key={SECRET}", 405),
    ]


def assert_clean(texts: list[str], tokens: dict[str, str]) -> None:
    for text in texts:
        for secret in (SECRET, tokens["sim"], tokens["hook"]):
            assert secret not in text, (secret, text)


def test_the_test_client_path_logs_no_token_nor_query_value(
    every_logger_at_debug: pytest.LogCaptureFixture, tokens: dict[str, str]
) -> None:
    client = Client()
    for method, target, status in requests_to(tokens):
        response = client.generic(method, target, data=b"{}", content_type="application/json")
        assert response.status_code == status, (target, response.content)
    messages = [record.getMessage() for record in every_logger_at_debug.records]
    assert f"Not Found: /sim/{R}/nowhere" in messages  # django.request did log the requests
    assert f"Method Not Allowed (GET): /hooks/{R}/" in messages
    assert_clean([*messages, every_logger_at_debug.text], tokens)


@contextlib.contextmanager
def dev_server() -> Iterator[str]:
    """Django's development server (runserver's WSGIServer and request handler) in a thread,
    serving what designer.wsgi serves (importing it would set logging up again)."""
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def printed_by(logger_name: str) -> Iterator[io.StringIO]:
    """What the handlers settings.LOGGING gave ``logger_name`` print, into a buffer."""
    handlers = [
        handler
        for handler in logging.getLogger(logger_name).handlers
        if type(handler) is logging.StreamHandler
    ]
    assert handlers, f"LOGGING gives {logger_name or 'root'} no stream handler"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)


def test_the_development_server_prints_request_lines_without_token_nor_query_value(
    every_logger_at_debug: pytest.LogCaptureFixture, tokens: dict[str, str]
) -> None:
    with (
        printed_by("django.server") as server_out,
        printed_by("") as root_out,
        dev_server() as url,
        httpx.Client(base_url=url, timeout=10, trust_env=False) as client,
    ):
        for method, target, status in requests_to(tokens):
            response = client.request(method, target, json={})
            assert response.status_code == status, (target, response.text)
    printed = server_out.getvalue()
    assert f'"GET /sim/{R}/orders/updates?since={R}&api_key={R} HTTP/1.1" 202' in printed
    assert f'"POST /hooks/{R}/?api_key={R} HTTP/1.1" 202' in printed
    records = every_logger_at_debug.records
    assert any(record.name == "django.server" for record in records)
    assert any(record.name == "httpx" for record in records)  # the test's own client, at DEBUG
    messages = [record.getMessage() for record in records]
    assert_clean([printed, root_out.getvalue(), *messages, every_logger_at_debug.text], tokens)
