"""A real Celery worker (a subprocess, prefork pool) runs reports from the real broker.

The worker reaches the same database as the test: on SQLite the test database is a file (see
``tests/conftest.py``), on PostgreSQL the server's test database; the broker is the test's own
(the embedded SQLAlchemy file, or Redis in CI). One test runs a report end to end against the
simulator on the live server; the other SIGKILLs the worker's pool process in the middle of a
run and checks that the report ends ``error`` instead of staying ``running``.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from connectors.models import Report, SimulatorSession
from tests.connectors.conftest import make_report_draft
from tests.worker_process import children, running_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(site: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with running_worker(site, tmp_path) as process:
        yield process


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
