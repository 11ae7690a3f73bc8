"""Log lines keep no secret a URL carries: query values, and this app's machine tokens.

Purpose: a request line or URL in a log may hold an API key in its query (connectors send keys
"in query": ``?api_key=...``) and this app's machine tokens in its path: whoever holds a
simulator token (``/sim/<token>/``) can fire it, a callback token (``/hooks/<token>/``) accepts
notifications for a report, an invitation token (``/invitations/<token>/``) joins a team.
``scrub`` keeps the query's parameter names and drops every value,
and masks the token segment; ``ScrubFilter`` applies it to a log record (message with its
arguments merged, traceback, stack). ``settings.LOGGING`` puts the filter on every handler, and on
the loggers that print URLs, so that even a handler added later (or a DEBUG level an operator
sets on ``httpx``) only ever sees scrubbed records.

Input: text (a log line, a request target, a query string) or a ``logging.LogRecord``.
Output: the same with ``[redacted]`` in place of each value and token.
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"
# A request line as servers log it: its whole target is scrubbed, even a quote a client sent
# unencoded in a query value.
_REQUEST_LINE = re.compile(r"\b([A-Z]{3,10}) (\S+) (HTTP/\d(?:\.\d)?)")
# Elsewhere, a "?" right after a URL character opens a query; it runs to whitespace, a quote, a
# bracket or a fragment ("'http://h/x?a=1'", "<http://h/x?a=1>", '{"url": "http://h/x?a=1"}').
_QUERY = re.compile(r"(?<=[^\s?])\?([^\s\"'<>`#]*)")
# The segment after /hooks/, /sim/ or /invitations/ anywhere in a path or URL (SITE_URL may
# have a prefix).
_TOKEN = re.compile(r"(/(?:hooks|sim|invitations)/)[^/?#\s\"'<>`]+")
_MARKERS = ("?", "/hooks/", "/sim/", "/invitations/")
_TRACEBACKS = logging.Formatter()


def scrub_query(query: str) -> str:
    """``a=1&b=&c`` -> ``a=[redacted]&b=&[redacted]``: names kept, every value dropped (an item
    without "=" may be a bare key, so it goes too)."""
    items = []
    for item in query.split("&"):
        name, equals, value = item.partition("=")
        if equals:
            items.append(f"{name}={REDACTED}" if value else item)
        else:
            items.append(REDACTED if name else item)
    return "&".join(items)


def mask_tokens(path: str) -> str:
    """``/sim/<token>/x`` -> ``/sim/[redacted]/x``; the same for ``/hooks/<token>/`` and
    ``/invitations/<token>/``."""
    return _TOKEN.sub(rf"\g<1>{REDACTED}", path)


def scrub_target(target: str) -> str:
    """A request target (path and query, as in a request line) without tokens or values."""
    path, question, query = target.partition("?")
    return mask_tokens(path) + (question + scrub_query(query) if question else "")


def scrub(text: str) -> str:
    """Any text: every URL query in it loses its values, every machine token is masked."""
    if not any(marker in text for marker in _MARKERS):
        return text  # the common case, and the cheap one
    text = _REQUEST_LINE.sub(lambda line: f"{line[1]} {scrub_target(line[2])} {line[3]}", text)
    text = _QUERY.sub(lambda found: "?" + scrub_query(found[1]), text)
    return mask_tokens(text)


def scrub_record(record: logging.LogRecord) -> None:
    """Rewrite ``record`` in place: every handler after this point sees the scrubbed text."""
    broken = False
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging's own error report would print the args
        message, broken = f"{record.msg} (arguments: {record.args!r})", True
    scrubbed = scrub(message)
    if broken or scrubbed != message:
        record.msg, record.args = scrubbed, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = _TRACEBACKS.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)


class ScrubFilter(logging.Filter):
    """Scrubs each record it sees and lets it through (a filter that changes, never drops)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def scrub_handlers(logger: logging.Logger | None = None, **_signal: Any) -> None:
    """Put a ``ScrubFilter`` on each handler of ``logger``. Celery's worker replaces the root
    logger's handlers with its own (and gives ``celery.task`` one): its ``after_setup_logger``
    and ``after_setup_task_logger`` signals call this, so the worker's logs are scrubbed too."""
    for handler in logger.handlers if logger is not None else ():
        ensure_scrub_filter(handler)


def ensure_scrub_filter(target: logging.Filterer) -> None:
    """Add a ``ScrubFilter`` to a logger or handler that has none yet."""
    if not any(isinstance(existing, ScrubFilter) for existing in target.filters):
        target.addFilter(ScrubFilter())
