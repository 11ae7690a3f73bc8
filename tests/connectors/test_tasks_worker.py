"""A real Celery worker (a subprocess, prefork pool) runs reports from the real broker.

The worker reaches the same database as the test: on SQLite the test database is a file (see
``tests/conftest.py``), on PostgreSQL the server's test database; the broker is the test's own
(the embedded SQLAlchemy file, or Redis in CI). One test runs a report end to end against the
simulator on the live server; the other SIGKILLs the worker's pool process in the middle of a
run and checks that the report ends ``error`` instead of staying ``running``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from connectors import services
from connectors.models import Report, SimulatorSession
from tests.connectors.conftest import make_report_draft

pytestmark = pytest.mark.django_db(transaction=True)
REPO_ROOT = Path(__file__).resolve().parents[2]
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


def wait_for(predicate: Any, what: str, limit: float = LIMIT_SECONDS) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {limit} s: {what}")


@pytest.fixture
def worker(site: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "DESIGNER_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "SITE_URL": site,
        "RUNNER_ALLOW_LOOPBACK": "true",
        "RUNNER_CALLBACK_WAIT_SECONDS": "10",
        "RUNNER_READ_TIMEOUT": "60",
        "RUNNER_MAX_SLEEP_SECONDS": "0.05",
    }
    log = (tmp_path / "worker.log").open("wb")
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


def status(report: Report) -> str:
    report.refresh_from_db()
    return report.status


def test_a_real_worker_runs_a_report_end_to_end_against_the_simulator(worker: Any) -> None:
    report = services.report_start(
        draft=make_report_draft(), user=None, trigger_ids=[], target="simulator"
    )
    wait_for(lambda: status(report) in Report.ENDED, "the report ended")
    assert report.status == Report.Status.PASSED, report.error or report.steps
    assert report.started_at and report.finished_at and report.credentials_sealed == ""
    assert [step["status"] for step in report.steps].count("passed") >= 4


def test_a_worker_killed_mid_run_leaves_the_report_error_not_running(
    worker: Any, settings: Any
) -> None:
    settings.SIMULATOR_SLOW_SECONDS = 30  # the registration hangs: the run is mid-way
    report = services.report_start(
        draft=make_report_draft(polling=False),
        user=None,
        trigger_ids=[],
        target="simulator",
        fault=SimulatorSession.Fault.SLOW,
    )
    wait_for(
        lambda: status(report) == "running" and any(s["status"] == "running" for s in report.steps),
        "a step is running",
    )
    (pool_pid,) = children(worker.pid)
    os.kill(pool_pid, signal.SIGKILL)
    wait_for(lambda: status(report) != "running", "the report left running")
    assert report.status == Report.Status.ERROR
    assert "worker" in report.error
    assert report.credentials_sealed == ""
