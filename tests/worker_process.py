"""A real Celery worker in a subprocess, for the tests that run reports end to end.

The worker reaches the same database as the test (on SQLite the test database is a file, see
``tests/conftest.py``; on PostgreSQL the server's test database) and the test's own broker (the
embedded SQLAlchemy file, or Redis in CI). It runs the prefork pool with one process, so a test
can find that process and kill it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[1]
LIMIT_SECONDS = 120


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def wait_for(predicate: Callable[[], object], what: str, limit: float = LIMIT_SECONDS) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {limit} s: {what}")


@contextlib.contextmanager
def running_worker(site: str, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A worker whose runner calls ``site`` (loopback allowed, short waits); stopped after."""
    env = {
        **os.environ,
        "DESIGNER_VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "SITE_URL": site,
        "RUNNER_ALLOW_LOOPBACK": "true",
        "RUNNER_CALLBACK_WAIT_SECONDS": "10",
        "RUNNER_READ_TIMEOUT": "60",
        "RUNNER_MAX_SLEEP_SECONDS": "0.05",
    }
    log = (workdir / "worker.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "designer",
            "worker",
            "--concurrency=1",
            "--pool=prefork",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(lambda: children(process.pid), "the worker's pool process started", 60)
    try:
        yield process
    finally:
        pool = children(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        for pid in pool:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()
