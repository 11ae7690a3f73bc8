"""The outbound client against a local server: pinning, redirects, size cap and timeouts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from connectors.domain.runner import AddressPolicy, OutboundClient
from tests.connectors.domain.runner.runner_fakes import resolver_for

LOOPBACK = AddressPolicy(allow_loopback=True)
seen_hosts: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        seen_hosts.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        routes = {
            "/ok": (200, {}, b'{"ok": true}'),
            "/same": (302, {"Location": "/ok"}, b""),
            "/other-host": (302, {"Location": f"http://localhost:{port}/ok"}, b""),
            "/private": (302, {"Location": "http://10.0.0.5/ok"}, b""),
            "/rebind-hop": (302, {"Location": f"http://rebind.test:{port}/ok"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/big": (200, {}, b"x" * 5000),
        }
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/chunked-big":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the client must count while reading
            try:
                for _ in range(10):
                    self.wfile.write(b"y" * 1000)
            except OSError:  # the client stops reading at its cap: that is the point
                pass
            return
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_loopback_answers_with_the_flag(server: str) -> None:
    with OutboundClient(LOOPBACK) as client:
        exchange = client.send("GET", server + "/ok")
    assert (exchange.status, exchange.response_body, exchange.error) == (200, '{"ok": true}', None)


def test_loopback_refused_without_the_flag(server: str) -> None:
    with OutboundClient(AddressPolicy()) as client:
        exchange = client.send("GET", server + "/ok")
    assert exchange.status is None
    assert exchange.error == "refused: 127.0.0.1 is a loopback address"


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/same", 200, None),
        ("/other-host", None, "refused: redirect to another host (localhost)"),
        ("/private", None, "refused: redirect to another host (10.0.0.5)"),
        ("/loop", None, "more than 3 redirects"),
    ],
)
def test_redirects_only_to_the_same_host(
    server: str, path: str, status: int | None, error: str | None
) -> None:
    with OutboundClient(LOOPBACK) as client:
        exchange = client.send("GET", server + path)
    assert (exchange.status, exchange.error) == (status, error)


def test_rebinding_connects_to_the_pinned_first_answer(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    resolve = resolver_for("127.0.0.1", "10.0.0.5")
    seen_hosts.clear()
    with OutboundClient(LOOPBACK, resolver=resolve) as client:
        exchange = client.send("GET", f"http://rebind.test:{port}/ok")
    assert (exchange.status, exchange.error) == (200, None)
    assert resolve.calls == ["rebind.test"]  # resolved once, checked, connected to
    assert seen_hosts == [f"rebind.test:{port}"]  # the server still sees the name
    assert exchange.url == f"http://rebind.test:{port}/ok"


def test_each_redirect_hop_is_resolved_and_checked_again(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    resolve = resolver_for("127.0.0.1", "10.0.0.5")  # the second lookup answers private
    with OutboundClient(LOOPBACK, resolver=resolve) as client:
        exchange = client.send("GET", f"http://rebind.test:{port}/rebind-hop")
    assert exchange.error == "refused: 10.0.0.5 is a private address"
    assert resolve.calls == ["rebind.test", "rebind.test"]


@pytest.mark.parametrize("path", ["/big", "/chunked-big"])
def test_response_size_cap(server: str, path: str) -> None:
    with OutboundClient(LOOPBACK, max_response_bytes=1000) as client:
        exchange = client.send("GET", server + path)
    assert exchange.error == "response larger than 1000 bytes"
    assert exchange.response_body is None


def test_read_timeout(server: str) -> None:
    with OutboundClient(LOOPBACK, read_timeout=0.3) as client:
        exchange = client.send("GET", server + "/slow")
    assert exchange.error == "timed out after 0.3 s waiting for the answer"
    assert exchange.status is None


def test_connection_refused_is_an_error_not_an_exception() -> None:
    with OutboundClient(LOOPBACK, connect_timeout=0.3) as client:
        exchange = client.send("GET", "http://127.0.0.1:9/")  # discard port: nothing listens
    assert exchange.status is None
    assert exchange.error and exchange.error.startswith("request failed")


def test_json_body_is_sent_and_recorded(server: str) -> None:
    with OutboundClient(LOOPBACK) as client:
        exchange = client.send("GET", server + "/ok", json={"a": 1}, headers={"X-A": "b"})
    assert exchange.request_body == '{"a": 1}'
    assert exchange.request_headers == {"X-A": "b", "Content-Type": "application/json"}
