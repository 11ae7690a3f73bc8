"""The connection's credentials for one run: how they are sent, and how they are hidden.

Purpose: ``apply`` adds the connection's authentication to a request the way the platform does
(basic, API key in a header or the query, OAuth bearer token); nothing else (operation
parameters are not the connection's, which is why a DELETE can lack them: USERS.md A3).
``redact`` replaces every secret value, in every form it can take (``secret_forms``: URL-encoded,
base64, JSON-escaped by an API that echoes the request, up to three levels deep), and every
authentication header value with ``[redacted]`` before an exchange is stored.

Input: ``Credentials`` typed in for this run, the design's ``security`` object.
Output: headers/params filled in place; redacted copies of ``Exchange``s.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from connectors.domain.runner.model import Exchange
from connectors.domain.runner.secret_forms import forms_of

REDACTED = "[redacted]"
# Header names (lower case) whose values are credentials whatever they hold: hidden in stored
# exchanges, and dropped from stored notifications.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)


@dataclass(frozen=True)
class Credentials:
    """What the maker typed for this run; never stored in clear, never in a report."""

    security_type: str = "none"
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    token: str | None = None

    def secrets(self) -> list[str]:
        """Every value that must not appear in a stored exchange, in every form, longest first."""
        return list(self._forms)

    @cached_property
    def _forms(self) -> tuple[str, ...]:
        # Built once per Credentials (a few hundred escapes): every exchange of the run is
        # redacted with the same list.
        values = [value for value in (self.password, self.api_key, self.token) if value]
        basic = (self.username, self.password or "") if self.username else None
        return forms_of(values, basic)

    def __repr__(self) -> str:  # a log line or a traceback must not print the secrets
        return f"Credentials(security_type={self.security_type!r}, [redacted])"


def _basic(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def apply(
    credentials: Credentials | None,
    security: dict[str, Any],
    headers: dict[str, str],
    params: dict[str, str],
) -> None:
    """Add the connection's authentication to ``headers`` / ``params`` (in place)."""
    if credentials is None:
        return
    kind = security.get("type", "none")
    if kind == "basic" and credentials.username is not None:
        headers["Authorization"] = "Basic " + _basic(
            credentials.username, credentials.password or ""
        )
    elif kind == "apiKey" and credentials.api_key:
        config = security.get("apiKey") or {}
        name = config.get("name") or "api_key"
        target = params if config.get("in") == "query" else headers
        target[name] = credentials.api_key
    elif kind == "oauth2" and credentials.token:
        headers["Authorization"] = f"Bearer {credentials.token}"


def secret_headers(design: dict[str, Any]) -> tuple[str, ...]:
    """The request headers that carry the connection's secret (an API key in a header)."""
    api_key = (design.get("security") or {}).get("apiKey") or {}
    return (api_key["name"],) if api_key.get("in") == "header" and api_key.get("name") else ()


def redact(
    exchange: Exchange, secrets: list[str], secret_headers: tuple[str, ...] = ()
) -> Exchange:
    """A copy of ``exchange`` with secrets and authentication header values replaced."""
    hidden = SECRET_HEADERS | {name.lower() for name in secret_headers}
    return dataclasses.replace(
        exchange,
        url=scrub(exchange.url, secrets),
        request_headers=_scrub_headers(exchange.request_headers, secrets, hidden),
        request_body=_scrub_optional(exchange.request_body, secrets),
        response_headers=_scrub_headers(exchange.response_headers, secrets, hidden),
        response_body=_scrub_optional(exchange.response_body, secrets),
        error=_scrub_optional(exchange.error, secrets),
    )


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret value replaced by ``[redacted]`` (``secrets`` longest first,
    as ``Credentials.secrets`` gives them)."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _scrub_optional(text: str | None, secrets: list[str]) -> str | None:
    return None if text is None else scrub(text, secrets)


def _scrub_headers(
    headers: dict[str, str], secrets: list[str], hidden: frozenset[str]
) -> dict[str, str]:
    return {
        key: REDACTED if key.lower() in hidden else scrub(value, secrets)
        for key, value in headers.items()
    }
