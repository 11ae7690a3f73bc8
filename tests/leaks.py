"""What "a secret leaked" means in the tests: every form of it, computed with the standard library
only (not with the code under test), looked for in plain text or in every string of a document."""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus


def json_escaped(secret: str, depth: int) -> set[str]:
    """``secret`` inside ``depth`` levels of json.dumps, each with or without ensure_ascii."""
    found = set()
    for choices in itertools.product((True, False), repeat=depth):
        text = secret
        for ensure_ascii in choices:
            text = json.dumps(text, ensure_ascii=ensure_ascii)[1:-1]
        found.add(text)
    return found


def lower_percent(text: str) -> str:
    """``text`` with its percent escapes in lower case (%2F -> %2f)."""
    parts = text.split("%")
    return parts[0] + "".join("%" + part[:2].lower() + part[2:] for part in parts[1:])


def url_encoded(secret: str) -> set[str]:
    upper = {quote(secret, safe=""), quote_plus(secret), quote(secret)}
    return upper | {lower_percent(text) for text in upper}


def forms(secret: str) -> set[str]:
    """Raw, base64, URL-encoded and JSON-escaped once, twice and three times."""
    b64 = base64.b64encode(secret.encode()).decode()
    found = {secret, b64, b64.rstrip("="), *url_encoded(secret)}
    for depth in (1, 2, 3):
        found |= json_escaped(secret, depth)
    return {form for form in found if len(form) >= 3}


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def leaked(texts: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """The forms of ``secrets`` found in any of ``texts`` (an empty list: nothing leaked)."""
    texts = list(texts)
    every = {form for secret in secrets for form in forms(secret)}
    return sorted(form for form in every if any(form in text for text in texts))
