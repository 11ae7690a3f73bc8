"""The one outbound HTTP client of the runner: timeouts, size cap, same-host redirects, guard.

Purpose: every request the runner makes (registration, DELETE at a ``Location``, polls) goes
through ``OutboundClient.send``, which refuses what the ``AddressPolicy`` refuses *after* DNS
resolution and connects to the very address it checked (the URL's host is replaced by the
pinned IP; the Host header and the TLS server name keep the original name), so a DNS answer
that changes in between (rebinding) cannot steer the connection. Redirects are followed by hand,
only to the same scheme, host and port, each hop resolved and checked again.

Input: method, URL, headers and a JSON or raw body.
Output: an ``Exchange``; it never raises for the network: a refused address, a timeout or a
too-large answer comes back as ``Exchange.error``.
"""

from __future__ import annotations

import json as jsonlib
import socket
import time
from typing import Any

import httpx

from connectors.domain.runner.guard import AddressPolicy, AddressRefused, Resolver, resolve_host
from connectors.domain.runner.model import Exchange

_REDIRECTS = {301, 302, 303, 307, 308}
_USER_AGENT = "TriggerDesigner-Runner/1"


class _Stop(Exception):
    """A request the client will not make or finish (the message goes to Exchange.error)."""


class OutboundClient:
    """Guarded HTTP client; share one per run (it pools connections per pinned address)."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_response_bytes: int = 1_000_000,
        max_redirects: int = 3,
        resolver: Resolver = socket.getaddrinfo,
    ) -> None:
        self.policy = policy
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_response_bytes = max_response_bytes
        self.max_redirects = max_redirects
        self.resolver = resolver
        # trust_env=False: an HTTP(S)_PROXY variable would send requests around the guard.
        self._http = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )
        # Requests go straight to the transport: Client.send logs every URL at INFO, and a
        # URL can carry an API key in its query; the report stores a redacted copy instead.
        self._transport = httpx.HTTPTransport(trust_env=False)

    def close(self) -> None:
        self._transport.close()
        self._http.close()

    def __enter__(self) -> OutboundClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
        content: str | bytes | None = None,
    ) -> Exchange:
        """Make one request (following same-host redirects) and record it as an Exchange."""
        sent = dict(headers or {})
        body: bytes | None = content.encode() if isinstance(content, str) else content
        if json is not None:
            body = jsonlib.dumps(json).encode()
            sent.setdefault("Content-Type", "application/json")
        exchange = Exchange(
            method.upper(), url, sent, body.decode("utf-8", "replace") if body is not None else None
        )
        started = time.monotonic()
        try:
            self._follow(exchange, body, started)
        except (_Stop, AddressRefused) as exc:
            exchange.error = str(exc)
        except httpx.ConnectTimeout:
            exchange.error = f"timed out after {self.connect_timeout:g} s while connecting"
        except httpx.TimeoutException:
            exchange.error = f"timed out after {self.read_timeout:g} s waiting for the answer"
        except (httpx.HTTPError, OSError, ValueError) as exc:
            exchange.error = f"request failed: {exc or type(exc).__name__}"
        exchange.duration_ms = round((time.monotonic() - started) * 1000)
        return exchange

    def _follow(self, exchange: Exchange, body: bytes | None, started: float) -> None:
        url = _parse(exchange.url)
        method = exchange.method
        for _hop in range(self.max_redirects + 1):
            exchange.url = str(url)
            response, data = self._one_hop(method, url, exchange.request_headers, body, started)
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                _fill(exchange, response, data)
                return
            target = url.join(location)
            if (target.scheme, target.host, target.port) != (url.scheme, url.host, url.port):
                raise _Stop(f"refused: redirect to another host ({target.host or location})")
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method == "POST"
            ):
                method, body = "GET", None  # what browsers and httpx do for these answers
            url = target
        raise _Stop(f"more than {self.max_redirects} redirects")

    def _one_hop(
        self,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        body: bytes | None,
        started: float,
    ) -> tuple[httpx.Response, bytes]:
        port = url.port or (443 if url.scheme == "https" else 80)
        pinned = resolve_host(url.host, port, self.policy, self.resolver)
        request = self._http.build_request(
            method,
            url.copy_with(host=str(pinned)),
            headers={"User-Agent": _USER_AGENT, **headers, "Host": url.netloc.decode("ascii")},
            content=body,
            # The certificate is checked against the name, not the pinned IP.
            extensions={"sni_hostname": url.host} if url.scheme == "https" else {},
        )
        response = self._transport.handle_request(request)
        try:
            return response, self._read_capped(response, started)
        finally:
            response.close()

    def _read_capped(self, response: httpx.Response, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise _Stop(f"response larger than {self.max_response_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        # The read timeout is per chunk: a server dripping bytes must still end in bounded time.
        deadline = started + self.connect_timeout + 2 * self.read_timeout
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_response_bytes:
                raise _Stop(f"response larger than {self.max_response_bytes} bytes")
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("too slow")
            chunks.append(chunk)
        return b"".join(chunks)


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise _Stop(f"refused: {url!r} is not a valid URL ({exc})") from exc
    if parsed.scheme not in ("http", "https"):
        raise _Stop(f"refused: only http and https URLs are called, not {parsed.scheme or 'none'}")
    if parsed.userinfo:
        raise _Stop("refused: the URL carries a user name or password before '@'")
    if not parsed.host:
        raise _Stop(f"refused: {url!r} has no host")
    return parsed


def _fill(exchange: Exchange, response: httpx.Response, data: bytes) -> None:
    exchange.status = response.status_code
    headers: dict[str, str] = {}
    for key, value in response.headers.multi_items():
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    exchange.response_headers = headers
    exchange.response_body = data.decode(response.encoding or "utf-8", "replace")
