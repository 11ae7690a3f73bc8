"""End to end: a report against an API that echoes the request back (as JSON, as an echo of an
echo, in a response header and in the Location it gives) keeps no form of the credentials in its
stored steps, its page, nor its JSON and JUnit downloads."""

from __future__ import annotations

import base64
import html
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from connectors import services
from connectors.domain.runner.credentials import Credentials
from connectors.models import Report
from tests.connectors.conftest import report_design
from tests.factories import client_for, make_team, make_user
from tests.leaks import leaked, strings

pytestmark = pytest.mark.django_db


class EchoApi:
    """Answers every request 202 with the request echoed: headers, decoded query and basic
    authentication as JSON, that JSON again inside itself (an echo of an echo), the headers in
    ``X-Echo``, and a ``Location`` that copies the query (as APIs building next links do)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def echo(self, method: str, target: str, headers: dict[str, str]) -> dict[str, Any]:
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        inner: dict[str, Any] = {"method": method, "path": parts.path, "args": query}
        inner["headers"] = headers
        scheme, _, encoded = headers.get("Authorization", "").partition(" ")
        if scheme == "Basic":
            user, _, password = base64.b64decode(encoded).decode().partition(":")
            inner["basic"] = {"user": user, "password": password}
        self.received.append(inner)
        once = json.dumps(inner, ensure_ascii=False)
        return {**inner, "echo": once, "echo_of_echo": json.dumps({"echo": json.dumps(inner)})}


def _handler(api: EchoApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            headers = dict(self.headers.items())
            echo = api.echo(self.command, self.path, headers)
            data = json.dumps(echo).encode()
            query = "&".join(f"{k}={quote_plus(v)}" for k, v in echo["args"].items())
            self.send_response(202)
            self.send_header("Location", f"{api.base_url}{echo['path']}?{query}&since=s1")
            self.send_header("Retry-After", "1")
            self.send_header("X-Echo", json.dumps(headers))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def echo_api() -> Iterator[EchoApi]:
    api = EchoApi()
    api.thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()


def design_with(security: dict[str, Any]) -> dict[str, Any]:
    design = report_design(webhook=False)
    design["security"] = security
    return design


CASES = [
    pytest.param(
        {"type": "apiKey", "apiKey": {"label": "Key", "name": "X-Api-Key", "in": "header"}},
        Credentials("apiKey", api_key='AK-secret"quote\\back'),
        'AK-secret"quote\\back',
        id="key-in-header-with-quote-and-backslash",
    ),
    pytest.param(
        {"type": "basic"},
        Credentials("basic", "ann", "back\\slash-key"),
        "back\\slash-key",
        id="basic-password-with-backslash",
    ),
    pytest.param(
        {"type": "apiKey", "apiKey": {"label": "Key", "name": "api_key", "in": "query"}},
        Credentials("apiKey", api_key="cléAPI-1234"),
        "cléAPI-1234",
        id="key-in-query-non-ascii",
    ),
]


@pytest.mark.parametrize(("security", "credentials", "secret"), CASES)
def test_an_echoing_api_leaves_no_form_of_the_secret_anywhere(
    echo_api: EchoApi, settings: Any, security: dict, credentials: Credentials, secret: str
) -> None:
    settings.RUNNER_MAX_POLLS = 2
    settings.RUNNER_MAX_SLEEP_SECONDS = 0
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Echo", design=design_with(security)
    )
    report = services.report_start(
        draft=draft,
        user=owner,
        trigger_ids=[],
        target=echo_api.base_url,
        credentials=credentials,
        enqueue=False,
    )
    services.report_execute(report_id=report.pk, allow_loopback=True)
    report.refresh_from_db()

    # The secret went out and came back in every poll's answer.
    assert len(echo_api.received) >= 2
    assert all(secret in strings(request) for request in echo_api.received)
    bodies = [exchange["response_body"] for step in report.steps for exchange in step["exchanges"]]
    assert len(bodies) >= 2 and all('"echo_of_echo"' in body for body in bodies)
    assert "[redacted]" in bodies[0]

    stored = Report.objects.filter(pk=report.pk).values().get()
    assert leaked(strings(stored["steps"]), [secret]) == []
    assert leaked([repr(stored)], [secret]) == []

    client = client_for(owner)
    args = [draft.pk, report.pk]
    page = client.get(reverse("connectors:report_detail", args=args)).content.decode()
    assert "echo_of_echo" in page
    assert leaked([page, html.unescape(page)], [secret]) == []

    download = client.get(reverse("connectors:report_json", args=args)).content.decode()
    assert leaked([download, *strings(json.loads(download))], [secret]) == []

    junit = client.get(reverse("connectors:report_junit", args=args)).content.decode()
    tree = ElementTree.fromstring(junit)
    values = [text for node in tree.iter() for text in (node.text or "", *node.attrib.values())]
    assert leaked([junit, *values], [secret]) == []
