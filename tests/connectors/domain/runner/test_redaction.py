"""Redaction hides every form a secret takes: raw, JSON-escaped at any depth, URL-encoded,
base64; with quotes, backslashes and non-ASCII characters in the secret."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from connectors.domain.runner import credentials as credentials_module
from connectors.domain.runner.credentials import Credentials, redact
from connectors.domain.runner.model import Exchange
from connectors.domain.runner.secret_forms import forms_of
from tests.leaks import json_escaped, leaked, lower_percent, strings, url_encoded

# The audit's examples: a quote and a backslash, a backslash alone, a non-ASCII letter.
SECRETS = ['AK-secret"quote\\back', "back\\slash-key", "cléAPI-1234", "pa ss/wörd+!'<&>"]


def echo_body(headers: dict[str, str], query: dict[str, str]) -> str:
    """What an API that echoes the request as JSON answers, with an echo of such an echo inside:
    the secret is JSON-escaped once (the body), twice ("raw", "once") and three times ("twice")."""
    inner = {"headers": headers, "args": query}
    once = json.dumps(inner)
    twice = json.dumps({"echo": once}, ensure_ascii=False)
    body = {**inner, "raw": json.dumps(inner, ensure_ascii=False), "once": once, "twice": twice}
    return json.dumps(body)


def assert_hidden(redacted: Exchange, secret: str) -> None:
    data = redacted.as_dict()
    assert leaked(strings(data), [secret]) == []
    assert "[redacted]" in json.dumps(data)


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize(
    ("credentials", "header", "query_name"),
    [
        (lambda s: Credentials("apiKey", api_key=s), "X-Key", "api_key"),
        (lambda s: Credentials("oauth2", token=s), "X-Forwarded-Token", "token"),
        (lambda s: Credentials("basic", "ann", s), "X-Password", "pw"),
    ],
    ids=["api-key", "token", "basic"],
)
def test_an_echo_of_the_request_is_redacted_in_every_form(
    secret: str, credentials: Any, header: str, query_name: str
) -> None:
    creds = credentials(secret)
    sent = {header: secret, "X-B64": base64.b64encode(secret.encode()).decode()}
    basic = base64.b64encode(f"ann:{secret}".encode()).decode()
    if creds.security_type == "basic":  # an API echoing the Authorization it got
        sent["X-Authorization"] = f"Basic {basic}"
    query = {query_name: secret}
    url = (
        f"https://api.example.com/x?{query_name}={quote_plus(secret)}&raw={quote(secret, safe='')}"
    )
    exchange = Exchange(
        "GET",
        url,
        sent,
        json.dumps({"sent": secret}, ensure_ascii=False),
        200,
        {"X-Echo": json.dumps(sent), "Location": lower_percent(url)},
        echo_body(sent, query),
        3,
        f"failed near {json.dumps(json.dumps(secret))}",
    )
    redacted = redact(exchange, creds.secrets())
    assert_hidden(redacted, secret)
    assert basic not in json.dumps(redacted.as_dict())
    assert redacted.status == 200 and redacted.method == "GET"


@pytest.mark.parametrize("secret", [*SECRETS, "tab\tnew\nline", "emoji-😀-key", "del\x7fctl\x01"])
def test_the_forms_include_what_json_dumps_writes_at_each_depth(secret: str) -> None:
    listed = set(forms_of([secret]))
    for depth in (1, 2, 3):
        assert json_escaped(secret, depth) <= listed, depth
    assert url_encoded(secret) <= listed


@pytest.mark.parametrize(
    ("secret", "written"),
    [
        # PHP's json_encode writes "/" as "\/" and non-ASCII as lower-case \u escapes.
        ("pa ss/wörd", "pa ss\\/w\\u00f6rd"),
        # .NET's System.Text.Json writes '"', '+', '<', '&', "'" and non-ASCII as upper-case \u.
        ('AK-secret"quote\\back', "AK-secret\\u0022quote\\\\back"),
        ("cléAPI+1234", "cl\\u00E9API\\u002B1234"),
        # An echo of a .NET echo through Python's json.dumps.
        ('AK-secret"quote\\back', "AK-secret\\\\u0022quote\\\\\\\\back"),
    ],
)
def test_other_serializers_escapes_are_redacted(secret: str, written: str) -> None:
    exchange = Exchange(
        "GET", "https://api.example.com/", {}, None, 200, {}, f'{{"k": "{written}"}}'
    )
    redacted = redact(exchange, Credentials("apiKey", api_key=secret).secrets())
    assert redacted.response_body == '{"k": "[redacted]"}'


def test_basic_authentication_is_hidden_in_base64_and_echoed_decoded() -> None:
    creds = Credentials("basic", "ann", "back\\slash-key")
    header = "Basic " + base64.b64encode(b"ann:back\\slash-key").decode()
    body = json.dumps({"authorization": header, "user": "ann", "password": "back\\slash-key"})
    exchange = Exchange("GET", "https://api.example.com/", {}, None, 200, {}, body)
    redacted = redact(exchange, creds.secrets())
    assert json.loads(redacted.response_body or "") == {
        "authorization": "Basic [redacted]",
        "user": "ann",
        "password": "[redacted]",
    }


def test_the_forms_are_built_once_per_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    original = credentials_module.forms_of

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(credentials_module, "forms_of", counting)
    creds = Credentials("basic", "ann", 'AK-secret"quote\\back')
    assert creds.secrets() == creds.secrets()
    assert len(built) == 1
    assert creds == Credentials("basic", "ann", 'AK-secret"quote\\back')  # still a plain value


def test_short_secrets_are_not_hunted_inside_every_word() -> None:
    """A secret shorter than three characters would redact half of every body."""
    exchange = Exchange("GET", "https://api.example.com/?k=ab", {}, None, 200, {}, "abc ab")
    assert redact(exchange, Credentials("apiKey", api_key="ab").secrets()).response_body == "abc ab"
