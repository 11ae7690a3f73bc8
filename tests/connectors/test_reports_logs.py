"""A report against the simulator logs no token (the simulator's, the callback hooks') and no
credential: in-process with every record captured at DEBUG, with httpx turned up to DEBUG by an
operator, and in a real Celery worker's output."""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors import services
from connectors.domain.runner.credentials import Credentials
from connectors.models import CallbackHook, ConnectorDraft, Report
from tests.connectors.conftest import make_report_draft
from tests.leaks import leaked
from tests.worker_process import running_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
API_KEY = 'sk-"live"-key\\0042-é'


def key_in_query_draft() -> ConnectorDraft:
    """Webhook and polling triggers, the API key sent in the query: every URL carries it."""
    draft = make_report_draft()
    design = draft.design
    design["security"]["apiKey"]["in"] = "query"
    design["security"]["apiKey"]["name"] = "api_key"
    ConnectorDraft.objects.filter(pk=draft.pk).update(design=design)
    draft.refresh_from_db()
    return draft


def start(draft: ConnectorDraft, *, enqueue: bool = False) -> Report:
    return services.report_start(
        draft=draft,
        user=None,
        trigger_ids=[],
        target="simulator",
        credentials=Credentials("apiKey", api_key=API_KEY),
        enqueue=enqueue,
    )


def run_in_process() -> Report:
    report = start(key_in_query_draft())
    services.report_execute(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.PASSED, report.steps
    return report


def tokens_of(report: Report) -> list[str]:
    assert report.simulator is not None
    hooks = list(CallbackHook.objects.filter(report=report).values_list("token", flat=True))
    assert len(hooks) >= 2  # the first callback URL and the re-registered one
    return [report.simulator.token, *hooks]


def assert_nothing_leaked(texts: list[str], report: Report) -> None:
    for token in tokens_of(report):
        assert not any(token in text for text in texts), token
    assert leaked(texts, [API_KEY]) == []


@contextlib.contextmanager
def printed_by_root() -> Iterator[io.StringIO]:
    """What the root handler settings.LOGGING made prints, into a buffer."""
    (handler,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_a_simulator_report_logs_no_token_nor_credential(site: str, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with printed_by_root() as printed:
        report = run_in_process()
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"report {report.pk} ended" in message for message in messages)
    assert_nothing_leaked([*messages, caplog.text, printed.getvalue()], report)


def test_httpx_turned_up_to_debug_by_an_operator_still_shows_no_token(
    site: str, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    with printed_by_root() as printed:
        report = run_in_process()
    requests = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("/hooks/[redacted]/" in message for message in requests)  # deliveries, logged
    assert any("/sim/[redacted]/_control/fire" in message for message in requests)
    messages = [record.getMessage() for record in caplog.records]
    assert_nothing_leaked([*messages, caplog.text, printed.getvalue()], report)


def test_a_real_worker_logs_no_token_nor_credential(site: str, tmp_path: Path) -> None:
    with running_worker(site, tmp_path) as worker:
        assert isinstance(worker, subprocess.Popen)
        report = start(key_in_query_draft(), enqueue=True)

        def ended() -> bool:
            report.refresh_from_db()
            return report.ended

        wait_for(ended, "the report ended")
    assert report.status == Report.Status.PASSED, report.error or report.steps
    output = (tmp_path / "worker.log").read_text(errors="replace")
    assert "connectors.tasks.report_run[" in output  # the worker's log is the one read
    assert_nothing_leaked([output], report)
