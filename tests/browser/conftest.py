"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

No browser is ever downloaded: chromium must be at /usr/bin/chromium (``apt-get install
chromium``); without it the browser tests fail with that message. A failing test leaves a
screenshot of every page it opened in ``test-artifacts/``. Every page any test opens must
load without a Content-Security-Policy violation (Chromium reports each on the console).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "pw-for-tests-1"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="module")
def browser(django_db_setup: None, live_server: Any) -> Iterator[Any]:
    """Chromium for one test module; the test database exists before Playwright starts."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls of the
    # tests and pytest-django's flush are still plain synchronous code. Module scope: the
    # variable is gone again before other modules (and their subprocesses) run.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def csp_violations() -> list[str]:
    """What Chromium reported as blocked by the Content-Security-Policy, page by page."""
    return []


@pytest.fixture
def new_page(
    browser: Any,
    live_server: Any,
    transactional_db: None,
    request: pytest.FixtureRequest,
    csp_violations: list[str],
) -> Iterator[Callable[[], Any]]:
    """Open pages, each in its own browser context (its own cookies: its own user)."""
    contexts: list[Any] = []
    pages: list[Any] = []
    violations = csp_violations

    def open_page() -> Any:
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _note_csp_violation(page, message, violations))
        pages.append(page)
        return page

    yield open_page
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            target = ARTIFACTS / f"{request.node.name}-{number}.png"
            try:
                page.screenshot(path=str(target), full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                print(f"could not save {target}: {error}")
    for context in contexts:
        context.close()


def _note_csp_violation(page: Any, message: Any, violations: list[str]) -> None:
    """Chromium reports every resource or inline code the policy blocks on the console."""
    if "Content Security Policy" in message.text:
        violations.append(f"{page.url}: {message.text}")


@pytest.fixture
def page(new_page: Callable[[], Any]) -> Any:
    return new_page()


def log_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def console_errors(page: Any) -> list[str]:
    """Every error and every htmx message that ``page`` logs from now on (htmx logs its own
    errors, such as an out-of-band swap that finds no target, on the console)."""
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (m.type == "error" or "htmx" in m.text) and messages.append(m.text),
    )
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages
