"""Report services: on-commit queueing, sealed credentials, lost workers, the reaper, settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from connectors import services
from connectors.domain.runner.credentials import Credentials
from connectors.domain.runner.model import Step
from connectors.models import Report
from connectors.services_reports import _StepWriter
from tests.connectors.conftest import make_report_draft
from tests.connectors.domain.runner.runner_fakes import API_KEY, FakeApi, webhook_design
from tests.connectors.domain.runner.test_runner_cleanup import exchange, registered
from tests.factories import make_team, make_user

pytestmark = pytest.mark.django_db
REPO_ROOT = Path(__file__).resolve().parents[2]


def a_report(**fields) -> Report:
    report = services.report_start(
        draft=make_report_draft(), user=None, trigger_ids=[], target="simulator", enqueue=False
    )
    Report.objects.filter(pk=report.pk).update(**fields)
    return report


def test_report_start_queues_only_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr("connectors.tasks.report_run.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.report_start(
            draft=make_report_draft(), user=None, trigger_ids=[], target="simulator"
        )
        assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [report.pk]
    assert report.design_version == report.draft.version and report.simulator is not None


def test_bad_target_is_refused() -> None:
    with pytest.raises(services.ReportTargetError):
        services.report_start(
            draft=make_report_draft(), user=None, trigger_ids=[], target="ftp://x", enqueue=False
        )


def test_credentials_are_sealed_and_reopen() -> None:
    sealed = services.credentials_seal(
        Credentials(security_type="basic", username="u", password="p4ssw0rd!")
    )
    assert "p4ssw0rd" not in sealed
    assert services.credentials_open(sealed).password == "p4ssw0rd!"
    assert services.credentials_open("garbage") is None


def test_execute_leaves_ended_reports_alone_and_marks_a_found_running_one_lost() -> None:
    ended = a_report(status="passed")
    assert services.report_execute(report_id=ended.pk).status == "passed"
    running = a_report(status="running", started_at=timezone.now(), credentials_sealed="x")
    lost = services.report_execute(report_id=running.pk)
    assert lost.status == "error" and "worker" in lost.error and lost.credentials_sealed == ""


def test_reaper_marks_only_reports_running_past_the_hard_limit(settings) -> None:
    old = a_report(
        status="running",
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    )
    fresh = a_report(status="running", started_at=timezone.now())
    assert services.report_reap_stuck() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("error", "running")


def test_task_options_redeliver_on_worker_loss() -> None:
    from connectors.tasks import report_run

    assert report_run.acks_late and report_run.reject_on_worker_lost
    assert report_run.time_limit and report_run.soft_time_limit < report_run.time_limit


def test_loopback_target_is_refused_unless_allowed(settings) -> None:
    settings.RUNNER_ALLOW_LOOPBACK = False
    report = services.report_start(
        draft=make_report_draft(polling=False),
        user=None,
        trigger_ids=[],
        target="http://127.0.0.1:9",
        enqueue=False,
    )
    services.report_execute(report_id=report.pk)
    report.refresh_from_db()
    codes = {f["code"] for step in report.steps for f in step["findings"]}
    assert report.status == "failed" and "AddressRefused" in codes


@pytest.mark.parametrize(
    ("env", "expected"), [({}, "False"), ({"RUNNER_ALLOW_LOOPBACK": "true"}, "True")]
)
def test_production_settings_deny_loopback(env: dict[str, str], expected: str) -> None:
    base = {k: v for k, v in os.environ.items() if k != "RUNNER_ALLOW_LOOPBACK"}
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "designer.example.com"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            "print(settings.RUNNER_ALLOW_LOOPBACK)",
        ],
        cwd=REPO_ROOT,
        env={**base, **production, **env, "DJANGO_SETTINGS_MODULE": "designer.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_each_step_is_one_row_however_often_it_is_reported() -> None:
    """The runner reports a step as it starts, while it waits and as it ends, each time as a
    new object (a snapshot): the stored report keeps one row per step, in order."""
    report = services.report_start(
        draft=make_report_draft(), user=None, trigger_ids=[], target="simulator", enqueue=False
    )
    write = _StepWriter(report.pk, secrets_=["s3cret"])
    write(Step("static", "Static checks"))
    write(Step("webhook:x:notify", "Receive a notification", wait_until=1e10))
    write(Step("static", "Static checks", status="passed"))
    write(Step("webhook:x:notify", "Receive a notification", status="failed", detail="s3cret"))
    report.refresh_from_db()
    assert [(s["key"], s["status"]) for s in report.steps] == [
        ("static", "passed"),
        ("webhook:x:notify", "failed"),
    ]
    assert report.steps[1]["wait_until"] is None and "s3cret" not in str(report.steps)


def a_lost_run(api: FakeApi, *, started_at: datetime) -> tuple[Report, str]:
    """A report against ``api`` whose worker died right after registering a subscription."""
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="Orders", design=webhook_design()
    )
    report = services.report_start(
        draft=draft,
        user=None,
        trigger_ids=[],
        target=api.base_url,
        credentials=Credentials("apiKey", api_key=API_KEY),
        enqueue=False,
    )
    location = registered(api)
    register = {
        "key": "webhook:OnOrder:register",
        "title": "Register the webhook",
        "status": "passed",
        "exchanges": [exchange("POST", f"{api.base_url}/hooks", 201, location)],
    }
    notify = {"key": "webhook:OnOrder:notify", "title": "Receive", "status": "running"}
    Report.objects.filter(pk=report.pk).update(
        status="running", started_at=started_at, steps=[register, notify]
    )
    return report, location


def test_a_lost_run_has_its_subscriptions_deleted_before_it_is_marked_error(settings) -> None:
    settings.RUNNER_ALLOW_LOOPBACK = True
    with FakeApi() as api:
        report, _ = a_lost_run(api, started_at=timezone.now())
        lost = services.report_execute(report_id=report.pk)  # the task, delivered again
        assert [hook["deleted"] for hook in api.hooks.values()] == [True]
    assert lost.status == "error" and "worker" in lost.error and lost.credentials_sealed == ""
    keys = [step["key"] for step in lost.steps]
    assert keys == ["webhook:OnOrder:register", "webhook:OnOrder:notify", "cleanup"]
    assert lost.steps[-1]["status"] == "passed" and API_KEY not in str(lost.steps)


def test_the_reaper_deletes_what_a_stuck_run_left_subscribed(settings) -> None:
    settings.RUNNER_ALLOW_LOOPBACK = True
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    with FakeApi() as api:
        report, _ = a_lost_run(api, started_at=long_ago)
        assert services.report_reap_stuck() == 1
        assert [hook["deleted"] for hook in api.hooks.values()] == [True]
    report.refresh_from_db()
    assert report.status == "error" and report.steps[-1]["key"] == "cleanup"


def test_a_secret_body_value_reaches_the_body_and_a_secret_parameter_the_parameters(db) -> None:
    from connectors.domain.runner.inputs import RunValues
    from connectors.services_reports import _run_setup
    from tests.connectors.conftest import make_report_draft

    report = services.report_start(
        draft=make_report_draft(),
        user=None,
        trigger_ids=[],
        target="simulator",
        values=RunValues({"owner": "octocat"}, {"/events": ["push"]}),
        secret_values={"X-Key": "k-1", "/config/secret": "s-1"},
        enqueue=False,
    )
    plan, secrets_ = _run_setup(report)
    assert plan.parameter_values == {"owner": "octocat", "X-Key": "k-1"}
    assert plan.body_values == {"/events": ["push"], "/config/secret": "s-1"}
    assert {"k-1", "s-1"} <= set(secrets_)
