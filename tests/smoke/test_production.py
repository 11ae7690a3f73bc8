"""The production process set, as `make serve` starts it, driven by a real browser.

`make serve` runs on PostgreSQL and Redis with DEBUG off, on a free loopback port: gunicorn
with WhiteNoise, a Celery worker and Celery beat. Chromium then logs in, creates a team,
imports a connector, runs a simulator report that the real worker finishes, and downloads the
swagger; the stylesheet comes from WhiteNoise under a hashed name, compressed, cached for ever.

Run by `make smoke` (and CI), not by `make test`: it needs the PostgreSQL and Redis servers
(SMOKE_DATABASE_URL, SMOKE_REDIS_URL) and takes over a minute.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
import redis

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.smoke
REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / ".." / "shared" / "corpus" / "dev"
DATABASE_URL = os.environ.get(
    "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trigger_designer_smoke"
)
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/14")
START_SECONDS = 180
USERNAME, PASSWORD = "smoke-owner", secrets.token_urlsafe(16)


@dataclass
class Server:
    url: str
    env: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_database(url: str) -> None:
    """Drop and create the smoke database, so every run starts from an empty one."""
    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _fresh_database(DATABASE_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    var = tmp_path_factory.mktemp("serve")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_URL": REDIS_URL,
        "BIND": f"127.0.0.1:{port}",
        "SITE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DESIGNER_VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "WEB_CONCURRENCY": "2",
        "WORKER_CONCURRENCY": "1",
        # Plain HTTP on loopback: no TLS to redirect to, so cookies cannot be HTTPS-only.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The report calls the simulator of this very server, on loopback.
        "RUNNER_ALLOW_LOOPBACK": "true",
    }
    env.pop("DEBUG", None)
    log = var / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_healthy(url, process, log)
        subprocess.run(
            [str(REPO_ROOT / ".venv/bin/python"), "manage.py", "createsuperuser", "--no-input"],
            cwd=REPO_ROOT,
            env={
                **env,
                "DEBUG": "false",
                "DJANGO_SUPERUSER_USERNAME": USERNAME,
                "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                "DJANGO_SUPERUSER_EMAIL": "owner@example.com",
            },
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield Server(url=url, env=env, log=log)
    finally:
        _stop(process)


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"make serve was not healthy after {START_SECONDS} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the whole group (make, honcho and the three processes), then SIGKILL."""
    for signum, grace in ((signal.SIGINT, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def page(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=server.url, accept_downloads=True)
        context.set_default_timeout(20_000)
        yield context.new_page()
        browser.close()


def test_production_process_set_serves_the_whole_flow(
    server: Server, page: Any, tmp_path: Path
) -> None:
    assert "DEBUG" not in httpx.get(f"{server.url}/nothing-here", timeout=5).text
    page.goto("/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    page.goto("/teams/new/")
    page.get_by_label("Name").fill("Smoke team")
    with page.expect_navigation():
        page.get_by_role("button", name="Create team").click()

    page.goto("/drafts/import/")
    page.set_input_files(
        "input[name=swagger]", str(CORPUS / "Leadinfo" / "apiDefinition.swagger.json")
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    draft_path = urlsplit(page.url).path.split("/wizard/")[0]

    page.goto(f"{draft_path}/wizard/test/")
    page.get_by_label("The built-in simulator").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Run the report").click()
    status = page.locator("#report-progress .report-status")
    page.locator(
        "#report-progress .report-status:not(.status-queued):not(.status-running)"
    ).wait_for(timeout=120_000)
    assert status.inner_text() == "Status: Passed", server.log.read_text()[-4000:]

    page.goto(f"{draft_path}/wizard/review/")
    with page.expect_download() as download:
        page.get_by_role("link", name="apiDefinition.swagger.json").click()
    saved = tmp_path / "apiDefinition.swagger.json"
    download.value.save_as(saved)
    swagger = json.loads(saved.read_text())
    assert swagger["swagger"] == "2.0" and swagger["host"] == "api.leadinfo.com"

    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert (
        stylesheet
        and stylesheet.startswith("/static/css/app.")
        and stylesheet != ("/static/css/app.css")
    )
    response = httpx.get(
        server.url + stylesheet, headers={"Accept-Encoding": "br, gzip"}, timeout=5
    )
    assert response.status_code == 200
    assert response.headers["content-encoding"] in {"br", "gzip"}
    cache = response.headers["cache-control"]
    assert "immutable" in cache and "max-age=315360000" in cache
