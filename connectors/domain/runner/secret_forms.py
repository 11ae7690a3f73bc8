"""Every form a secret can take in an exchange, so that redaction hides each of them.

Purpose: an API may answer with what it received. A key echoed as JSON comes back escaped (a
quote as ``\\"`` or ``\\u0022``, a backslash doubled, an ``é`` as ``\\u00e9`` or ``\\u00E9``,
a ``/`` as ``\\/``), and escaped again by an echo of that echo; a key sent in the query comes
back URL-encoded; basic authentication travels as base64 of ``user:password``. Each serializer
escapes in its own way, so the forms are listed for the common ones (Python, JavaScript/Java/Go,
PHP, .NET), up to three levels deep, mixed. Redaction then needs nothing but ``str.replace``:
no parsing of bodies that may not even be JSON.

Input: the secret values, and the basic authentication pair when there is one.
Output: the distinct forms, longest first (a form that contains another is replaced whole).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

JSON_DEPTH = 3  # an echo of an echo of an echo
MIN_LENGTH = 3  # shorter forms would match inside ordinary words and blank out whole bodies
# The characters RFC 3986 lets a path segment keep as they are: what a client building a URL
# by hand often leaves unencoded.
_PCHAR_SAFE = "!$&'()*+,;=:@/"
_PERCENT = re.compile(r"%[0-9A-F]{2}")
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class _Style:
    """How one family of JSON serializers writes a string's characters."""

    hex_case: str | None  # "x" or "X": non-ASCII as \u escapes with that case; None: as is
    solidus: bool = False  # "/" written "\/"
    as_hex: frozenset[str] = frozenset()  # ASCII characters always written as \u escapes


_STYLES = (
    _Style("x"),  # Python's json.dumps (ensure_ascii, the default)
    _Style(None),  # json.dumps(ensure_ascii=False), JavaScript, Java, Go
    _Style("x", solidus=True),  # PHP's json_encode
    _Style("X", as_hex=frozenset("\"<>&'+`")),  # .NET's System.Text.Json (ASP.NET Core APIs)
)


def forms_of(values: Iterable[str], basic: tuple[str, str] | None = None) -> tuple[str, ...]:
    """Each form of each value (raw, URL-encoded, base64, JSON-escaped), longest first."""
    bases: set[str] = set()
    for value in values:
        bases |= {value, *_url_forms(value), *_base64_forms(value.encode())}
    if basic is not None:
        bases |= _base64_forms(f"{basic[0]}:{basic[1]}".encode())
    found = {form for base in bases for form in _json_forms(base)}
    return tuple(sorted((form for form in found if len(form) >= MIN_LENGTH), key=len, reverse=True))


def _url_forms(value: str) -> set[str]:
    upper = {quote(value, safe=""), quote(value), quote(value, safe=_PCHAR_SAFE), quote_plus(value)}
    return upper | {_PERCENT.sub(lambda found: found[0].lower(), form) for form in upper}


def _base64_forms(data: bytes) -> set[str]:
    encoded = {
        base64.b64encode(data).decode("ascii"),
        base64.urlsafe_b64encode(data).decode("ascii"),
    }
    return encoded | {form.rstrip("=") for form in encoded}


def _json_forms(text: str) -> set[str]:
    """``text`` and its JSON string escapes, each level in any of the styles."""
    found = level = {text}
    for _depth in range(JSON_DEPTH):
        level = {escape(form, style) for form in level for style in _STYLES}
        found = found | level
    return found


def escape(text: str, style: _Style = _STYLES[0]) -> str:
    """The inside of the JSON string literal a serializer of ``style`` writes for ``text``."""
    return "".join(_escape_char(char, style) for char in text)


def _escape_char(char: str, style: _Style) -> str:
    code = ord(char)
    if char in style.as_hex:
        return _hex(code, style.hex_case or "x")
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x20:
        return _hex(code, "x")
    if char == "/" and style.solidus:
        return "\\/"
    if code > 0x7E and style.hex_case:
        return _hex(code, style.hex_case)
    return char


def _hex(code: int, case: str) -> str:
    if code > 0xFFFF:  # outside the basic plane: a surrogate pair, as JSON has it
        code -= 0x10000
        return _hex(0xD800 | (code >> 10), case) + _hex(0xDC00 | (code & 0x3FF), case)
    return "\\u" + format(code, "04" + case)
