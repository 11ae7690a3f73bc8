"""The log scrubber: query values and machine tokens never survive, names and the rest do."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery.signals import after_setup_logger, after_setup_task_logger
from celery.utils.dispatch import Signal
from django.conf import settings
from gunicorn.config import Config

import designer.celery  # noqa: F401  (connects the signal receivers, as the worker does)
from designer.gunicorn_logging import ScrubbingLogger, scrub_atom
from designer.logfilters import ScrubFilter, scrub, scrub_query, scrub_target

R = "[redacted]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"GET /sim/sometoken123456/x?api_key=SECRET HTTP/1.1" 404 179',
            f'"GET /sim/{R}/x?api_key={R} HTTP/1.1" 404 179',
        ),
        ("/orders?api_key=SECRET&since=2", f"/orders?api_key={R}&since={R}"),
        (
            '"GET /x?a=S\'E"C<R>E`T#T HTTP/1.1" 400 5',  # a client that encodes nothing
            f'"GET /x?a={R} HTTP/1.1" 400 5',
        ),
        (
            "Invalid request: 'POST /hooks/tok3n/?k=S HTTP/1.0'",
            f"Invalid request: 'POST /hooks/{R}/?k={R} HTTP/1.0'",
        ),
        (
            'HTTP Request: POST http://127.0.0.1:8000/hooks/aB3_-xYz123/ "HTTP/1.1 202 Accepted"',
            f'HTTP Request: POST http://127.0.0.1:8000/hooks/{R}/ "HTTP/1.1 202 Accepted"',
        ),
        ("Not Found: /sim/tok3n/orders/updates", f"Not Found: /sim/{R}/orders/updates"),
        ("Method Not Allowed (GET): /hooks/tok3n/", f"Method Not Allowed (GET): /hooks/{R}/"),
        (
            '"GET /invitations/1:aBc-dEf_GhI/ HTTP/1.1" 410 1234',
            f'"GET /invitations/{R}/ HTTP/1.1" 410 1234',
        ),
        ("https://d.example.com/designer/sim/tok3n", f"https://d.example.com/designer/sim/{R}"),
        ("POST /sim/tok3n/_control/fire", f"POST /sim/{R}/_control/fire"),
        (
            "URL('https://api.example.com/x?code=abc#top')",
            f"URL('https://api.example.com/x?code={R}#top')",
        ),
        ('{"url": "http://h/x?key=S&k2=%22q%22"}', f'{{"url": "http://h/x?key={R}&k2={R}"}}'),
        ("<http://h/?a=1>", f"<http://h/?a={R}>"),
        ("/x?flag&empty=&k=a+b%20c", f"/x?{R}&empty=&k={R}"),
        ("/x?k=v http://h/y?j=w", f"/x?k={R} http://h/y?j={R}"),
        ("/x??k=v", f"/x??k={R}"),
        # Nothing that is not a query or a token changes.
        ("report 12 ended: passed", "report 12 ended: passed"),
        ("Is it ready? Not yet.", "Is it ready? Not yet."),
        ("/simulator/x and /hooksmith/y", "/simulator/x and /hooksmith/y"),
        ("GET /drafts/3/reports/ HTTP/1.1", "GET /drafts/3/reports/ HTTP/1.1"),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected
    assert scrub(expected) == expected  # scrubbing twice (logger, then handler) changes nothing


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("api_key=SECRET", f"api_key={R}"),
        ("a=1&b=&c", f"a={R}&b=&{R}"),
        ("", ""),
        ("k=a=b", f"k={R}"),
    ],
)
def test_scrub_query_keeps_names_and_drops_values(query: str, expected: str) -> None:
    assert scrub_query(query) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/sim/tok/x?api_key=S", f"/sim/{R}/x?api_key={R}"),
        ("/hooks/tok/", f"/hooks/{R}/"),
        ("/x?a='b c'\"d", f"/x?a={R}"),  # a raw quote or space cannot end the value early
        ("/", "/"),
    ],
)
def test_scrub_target(target: str, expected: str) -> None:
    assert scrub_target(target) == expected


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    logger = logging.getLogger("tests.logfilters")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ScrubFilter())
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_the_filter_scrubs_the_message_with_its_arguments(captured) -> None:
    logger, stream = captured
    logger.warning("delivery to %s failed: %s", "http://h/hooks/tok3n/?k=SECRET", "timeout")
    assert stream.getvalue() == f"delivery to http://h/hooks/{R}/?k={R} failed: timeout\n"


def test_the_filter_scrubs_tracebacks(captured) -> None:
    logger, stream = captured
    try:
        raise ValueError("no answer from http://h/sim/tok3n/x?api_key=SECRET")
    except ValueError:
        logger.exception("report stopped")
    assert "tok3n" not in stream.getvalue() and "SECRET" not in stream.getvalue()
    assert f"/sim/{R}/x?api_key={R}" in stream.getvalue()


def test_a_bad_format_string_neither_raises_nor_leaks(captured, capsys) -> None:
    logger, stream = captured
    logger.warning("two %s %s", "http://h/x?api_key=SECRET")
    out = stream.getvalue() + capsys.readouterr().err
    assert "SECRET" not in out and "two" in out


@pytest.mark.parametrize("signal", [after_setup_logger, after_setup_task_logger])
def test_the_celery_workers_own_handlers_get_the_filter(signal: Signal) -> None:
    """The worker replaces LOGGING's root handlers with its own: designer.celery's receivers
    give those (and celery.task's) the filter, once however often the signal comes."""
    logger = logging.Logger("tests.celery-like")
    stream = io.StringIO()
    logger.addHandler(logging.StreamHandler(stream))
    for _time in range(2):
        signal.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None, format="")
    logger.warning("GET /sim/tok3n/x?api_key=SECRET")
    assert stream.getvalue() == f"GET /sim/{R}/x?api_key={R}\n"
    assert len(logger.handlers[0].filters) == 1


def test_the_logging_settings_scrub_every_handler_and_quiet_httpx() -> None:
    config = settings.LOGGING
    assert all("scrub" in handler["filters"] for handler in config["handlers"].values())
    for name in ("django.server", "django.request", "httpx", "httpcore"):
        assert "scrub" in config["loggers"][name]["filters"], name
    for name in ("httpx", "httpcore"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING
    ours = [  # the handlers LOGGING made (pytest adds capturing handlers of its own to root)
        handler
        for name in ("", "django.server")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler
    ]
    assert len(ours) == 2
    assert all(any(isinstance(f, ScrubFilter) for f in handler.filters) for handler in ours)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("r", "GET /sim/tok3n/x?api_key=S HTTP/1.1", f"GET /sim/{R}/x?api_key={R} HTTP/1.1"),
        ("r", "garbage?k=S", f"garbage?k={R}"),
        ("U", "/hooks/tok3n/", f"/hooks/{R}/"),
        ("q", "api_key=S&since=2", f"api_key={R}&since={R}"),
        ("{query_string}e", "api_key=S", f"api_key={R}"),
        ("{raw_uri}e", "/sim/tok3n/x?api_key=S", f"/sim/{R}/x?api_key={R}"),
        ("f", "http://d.example.com/sim/tok3n/?k=S", f"http://d.example.com/sim/{R}/?k={R}"),
        ("{location}o", "http://d.example.com/sim/tok3n/h/1", f"http://d.example.com/sim/{R}/h/1"),
        ("{authorization}i", "Basic YW5uOnB3", R),
        ("{x-api-key}i", "SECRET", R),
        ("{http_authorization}e", "Bearer SECRET", R),
        ("{set-cookie}o", "sessionid=SECRET", R),
        ("u", "sk_live_as_user", R),
        ("u", "-", "-"),
        ("s", 404, 404),
        ("a", "python-httpx/0.28", "python-httpx/0.28"),
    ],
)
def test_gunicorn_access_atoms(key: str, value: object, expected: object) -> None:
    assert scrub_atom(key, value) == expected


def test_gunicorn_access_line_whatever_the_format() -> None:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '"%(r)s" %(U)s?%(q)s %({x-api-key}i)s %({query_string}e)s')
    logger = ScrubbingLogger(cfg)
    stream = io.StringIO()
    logger.access_log.handlers[0].setStream(stream)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/sim/tok3n/x?api_key=SECRET",
        "PATH_INFO": "/sim/tok3n/x",
        "QUERY_STRING": "api_key=SECRET",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="404 Not Found", sent=12, headers=[])
    request = SimpleNamespace(headers=[("X-API-KEY", "SECRET")])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    line = stream.getvalue()
    assert line == f'"GET /sim/{R}/x?api_key={R} HTTP/1.1" /sim/{R}/x?api_key={R} {R} api_key={R}\n'


def test_gunicorn_error_log_is_filtered() -> None:
    cfg = Config()
    logger = ScrubbingLogger(cfg)
    stream = io.StringIO()
    logger.error_log.handlers[0].setStream(stream)
    logger.error("Error handling request %s", "/sim/tok3n/x?api_key=SECRET")
    assert stream.getvalue().endswith(f"Error handling request /sim/{R}/x?api_key={R}\n")
