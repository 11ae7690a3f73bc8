"""Every write of the test report: start, execute (step by step), recover, and the callbacks.

``report_start`` snapshots the design, seals the credentials and queues ``tasks.report_run``
on commit; ``report_execute`` (the task's body, and ``run_trigger_test``'s) runs the pure runner
with a database-backed ``CallbackFactory`` and saves each step as it starts and ends. The
credentials are sealed with a key derived from ``SECRET_KEY`` (Fernet: AES-CBC + HMAC) and
erased as soon as the run ends, whatever way it ends; every stored step is scrubbed of them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Func, IntegerField, Sum, TextField
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

from .domain.design import migrate_design
from .domain.runner.callbacks import WAIT_INTERVAL_SECONDS, Received
from .domain.runner.credentials import REDACTED, SECRET_HEADERS, Credentials
from .domain.runner.inputs import RunValues
from .domain.runner.model import ReportResult, Step, to_junit
from .domain.runner.plan import Plan, base_path
from .models import CallbackHook, ConnectorDraft, ReceivedNotification, Report
from .services_simulator import simulator_base_path, simulator_session_create, site_url

logger = logging.getLogger(__name__)
SIMULATOR = "simulator"
REPORT_RUN = "connectors.tasks.report_run"  # the Celery task that runs a queued report


class ReportTargetError(ValueError):
    """The target is neither "simulator" nor an http(s) base URL."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"trigger-designer/report-credentials/" + settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def credentials_seal(credentials: Credentials | None) -> str:
    if credentials is None:
        return ""
    data = {k: getattr(credentials, k) for k in ("security_type", "username", "password")}
    data.update(api_key=credentials.api_key, token=credentials.token)
    return _fernet().encrypt(json.dumps(data).encode()).decode("ascii")


def credentials_open(sealed: str) -> Credentials | None:
    if not sealed:
        return None
    try:
        return Credentials(**json.loads(_fernet().decrypt(sealed.encode("ascii"))))
    except (InvalidToken, ValueError, TypeError):
        return None  # a rotated SECRET_KEY: the run goes on without credentials


def inputs_seal(values: dict[str, str]) -> str:
    """The secret parameters' values of a run, sealed like the credentials ("" for none)."""
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(values).encode()).decode("ascii")


def inputs_open(sealed: str) -> dict[str, str]:
    if not sealed:
        return {}
    try:
        data = json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError, TypeError):
        return {}  # a rotated SECRET_KEY: the run reports the values as missing
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _actor(user: AbstractBaseUser | AnonymousUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def _check_target(target: str) -> str:
    if target == SIMULATOR:
        return target
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReportTargetError(
            "The target is the simulator or an http(s) URL such as https://api.example.com/v1."
        )
    return target.rstrip("/")


def simulator_base_url(report: Report) -> str:
    assert report.simulator is not None
    return site_url() + simulator_base_path(report.simulator) + base_path(report.design)


@transaction.atomic
def report_start(
    *,
    draft: ConnectorDraft,
    user: AbstractBaseUser | AnonymousUser | None,
    trigger_ids: list[str],
    target: str,
    credentials: Credentials | None = None,
    fault: str = "none",
    values: RunValues | None = None,
    secret_values: dict[str, str] | None = None,
    enqueue: bool = True,
) -> Report:
    """A queued report of ``draft``'s current design; the worker starts it after commit.

    ``values``: what was typed in for the run (kept with the report); ``secret_values``: the
    values of secret parameters, sealed like the credentials and erased when the run ends."""
    target = _check_target(target)
    design = migrate_design(draft.design)  # the report's own copy, brought up to date
    report = Report(
        draft=draft,
        design_version=draft.version,
        design=design,
        trigger_ids=list(trigger_ids),
        target_kind=Report.Target.SIMULATOR if target == SIMULATOR else Report.Target.API,
        base_url=target,
        credentials_sealed=credentials_seal(credentials),
        inputs=(values or RunValues()).as_json(),
        inputs_sealed=inputs_seal(secret_values or {}),
        started_by=_actor(user),
    )
    if target == SIMULATOR:
        report.simulator = simulator_session_create(draft=draft, design=design, fault=fault)
        report.base_url = simulator_base_url(report)
    report.save()
    if enqueue:
        # By name: the tasks call these services, so the services do not import the tasks.
        transaction.on_commit(lambda: current_app.tasks[REPORT_RUN].delay(report.pk))
    return report


def _scrub(value: Any, secrets_: list[str]) -> Any:
    if not secrets_:
        return value
    text = json.dumps(value)
    for secret in secrets_:
        text = text.replace(json.dumps(secret)[1:-1], REDACTED)
    return json.loads(text)


class _StepWriter:
    """``on_step``: keeps the steps in order and writes them all each time one changes.

    A step comes several times (announced running, published while it waits, ended), each
    time as a different object: its key, unique within a run, says which row it replaces.
    """

    def __init__(
        self, report_id: int, secrets_: list[str], existing: list[dict[str, Any]] | None = None
    ) -> None:
        self.report_id = report_id
        self.secrets = secrets_
        self.steps: list[dict[str, Any]] = list(existing or [])
        self.order: dict[str, int] = {step["key"]: n for n, step in enumerate(self.steps)}

    def __call__(self, step: Step) -> None:
        data = _scrub(step.as_dict(), self.secrets)
        index = self.order.setdefault(step.key, len(self.steps))
        if index == len(self.steps):
            self.steps.append(data)
        else:
            self.steps[index] = data
        Report.objects.filter(pk=self.report_id).update(steps=self.steps)


class DbCallbackEndpoint:
    def __init__(self, hook: CallbackHook, url: str, fire_url: str | None) -> None:
        self.hook = hook
        self.url = url
        self.fire_url = fire_url

    def received(self) -> list[Received]:
        rows = ReceivedNotification.objects.filter(hook=self.hook).order_by("pk")
        return [
            Received(body=row.body, headers=row.headers, received_at=row.received_at.isoformat())
            for row in rows
        ]

    def count(self) -> int:
        return ReceivedNotification.objects.filter(hook=self.hook).count()

    def wait(self, seconds: float) -> list[Received]:
        """Counts while it waits (cheap), loads the notifications once at the end."""
        deadline = time.monotonic() + max(seconds, 0)
        while not self.count() and time.monotonic() < deadline:
            time.sleep(WAIT_INTERVAL_SECONDS)
        return self.received()

    def fire(self) -> bool:
        if self.fire_url is None:
            return False
        try:
            response = httpx.post(self.fire_url, timeout=10.0, follow_redirects=False)
        except httpx.HTTPError as exc:
            logger.warning("simulator fire failed: %s", type(exc).__name__)
            return False
        return response.is_success


class DbCallbackFactory:
    def __init__(self, report: Report) -> None:
        self.report = report

    def new(self) -> DbCallbackEndpoint:
        hook = CallbackHook.objects.create(report=self.report, token=secrets.token_urlsafe(24))
        url = site_url() + reverse("connectors:hook_receive", args=[hook.token])
        fire_url = None
        if self.report.simulator is not None:
            path = reverse("connectors:simulator_fire", args=[self.report.simulator.token])
            fire_url = site_url() + path
        return DbCallbackEndpoint(hook, url, fire_url)


def _plan(
    report: Report, credentials: Credentials | None, base_url: str, secret_values: dict[str, str]
) -> Plan:
    values = RunValues.from_json(report.inputs)
    return Plan(
        design=report.design,
        trigger_ids=list(report.trigger_ids),
        base_url=base_url,
        credentials=credentials,
        callback_wait_seconds=settings.RUNNER_CALLBACK_WAIT_SECONDS,
        max_polls=settings.RUNNER_MAX_POLLS,
        max_sleep_seconds=settings.RUNNER_MAX_SLEEP_SECONDS,
        after_delete_wait_seconds=settings.RUNNER_AFTER_DELETE_WAIT_SECONDS,
        # Secret values are keyed like the others: a body property's by its pointer.
        parameter_values={
            **values.parameters,
            **{k: v for k, v in secret_values.items() if not k.startswith("/")},
        },
        body_values={
            **values.body,
            **{k: v for k, v in secret_values.items() if k.startswith("/")},
        },
    )


def _secrets(values: dict[str, str], *, body: bool) -> dict[str, str]:
    """The secret values of the body (keyed by pointer) or of the parameters (by name)."""
    return {key: value for key, value in values.items() if key.startswith("/") == body}


def _claim(report_id: int) -> bool:
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, started_at=timezone.now()
    )
    return bool(claimed)


def _finish(report_id: int, status: str, error: str = "") -> None:
    Report.objects.filter(pk=report_id).update(
        status=status,
        error=error,
        finished_at=timezone.now(),
        credentials_sealed="",
        inputs_sealed="",
    )


def _run_setup(report: Report) -> tuple[Plan, list[str]]:
    """(the plan, the secrets to scrub) of a run of ``report``."""
    base_url = simulator_base_url(report) if report.simulator else report.base_url
    credentials = credentials_open(report.credentials_sealed)
    secret_values = inputs_open(report.inputs_sealed)
    secrets_ = credentials.secrets() if credentials else []
    secrets_ += [value for value in secret_values.values() if value]
    return _plan(report, credentials, base_url, secret_values), secrets_


def _stopped_message(exc: BaseException, secrets_: list[str]) -> str:
    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            f"The run took longer than its time limit ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s) "
            "and was stopped; the steps below are what it did until then. Lower the waits "
            "(callback wait, polls) or start the report again."
        )
    return f"The run stopped: {_scrub(f'{type(exc).__name__}: {exc}', secrets_)}"


def report_execute(*, report_id: int, allow_loopback: bool | None = None) -> Report | None:
    """Run a queued report to its end. Idempotent: an ended report is left alone, and one
    found ``running`` was being run by a worker that died: it is marked ``error``."""
    report = Report.objects.select_related("simulator").filter(pk=report_id).first()
    if report is None or report.ended:
        return report
    if not _claim(report_id):
        # A worker ran this report and died: delete what it left subscribed, then say so.
        _delete_leftovers(report, allow_loopback=allow_loopback)
        report_mark_lost(report_id=report_id)
        return Report.objects.get(pk=report_id)
    from .domain.runner.run import run_report

    plan, secrets_ = _run_setup(report)
    logger.info("report %s running against %s", report_id, report.target_kind)
    try:
        with _client(allow_loopback) as client:
            # The writer stores every step, scrubbed, as it starts and ends: the result's steps
            # are already saved (the same ended steps, in the same order).
            result: ReportResult = run_report(
                plan,
                client=client,
                callbacks=DbCallbackFactory(report),
                on_step=_StepWriter(report_id, secrets_),
                fatal=(SoftTimeLimitExceeded,),
            )
    except BaseException as exc:
        _finish(report_id, Report.Status.ERROR, _stopped_message(exc, secrets_))
        logger.warning("report %s stopped: %s", report_id, type(exc).__name__)
        raise
    _finish(report_id, result.status)
    logger.info("report %s ended: %s", report_id, result.status)
    return Report.objects.get(pk=report_id)


def _client(allow_loopback: bool | None = None) -> Any:
    from .domain.runner.client import OutboundClient
    from .domain.runner.guard import AddressPolicy

    loopback = settings.RUNNER_ALLOW_LOOPBACK if allow_loopback is None else allow_loopback
    return OutboundClient(
        AddressPolicy(allow_loopback=loopback),
        connect_timeout=settings.RUNNER_CONNECT_TIMEOUT,
        read_timeout=settings.RUNNER_READ_TIMEOUT,
    )


def _delete_leftovers(report: Report, *, allow_loopback: bool | None = None) -> None:
    """DELETE the subscriptions a lost run registered and never deleted (USERS.md D15),
    through the same guarded client and with the credentials still sealed for the run; the
    attempt is one more step of the report. ``report`` is freshly loaded by the caller (its
    steps are current: the run that wrote them is gone). Never raises: the report is ended
    either way."""
    from .domain.runner.cleanup import delete_leftovers, leftover_locations

    try:
        locations = leftover_locations(report.steps if isinstance(report.steps, list) else [])
        if not locations:
            return
        plan, secrets_ = _run_setup(report)
        with _client(allow_loopback) as client:
            on_step = _StepWriter(report.pk, secrets_, existing=report.steps)
            delete_leftovers(plan, client, on_step, locations)
    except Exception as exc:  # the report ends as error in any case; the log says why
        logger.warning("report %s: leftover subscriptions not deleted: %s", report.pk, exc)


def report_mark_lost(*, report_id: int, reason: str = "") -> bool:
    """A ``running`` report whose worker is gone becomes ``error`` (credentials erased)."""
    reason = reason or (
        "The worker running this report stopped in the middle (it was killed or lost); "
        "start the report again."
    )
    marked = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        status=Report.Status.ERROR,
        error=reason,
        finished_at=timezone.now(),
        credentials_sealed="",
        inputs_sealed="",
    )
    if marked:
        logger.warning("report %s marked as error: worker lost", report_id)
    return bool(marked)


def report_reap_stuck(*, now: Any = None) -> int:
    """Mark every report ``running`` for longer than the task's hard time limit as ``error``."""
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    cutoff = (now or timezone.now()) - limit
    stuck = Report.objects.select_related("simulator").filter(
        status=Report.Status.RUNNING, started_at__lt=cutoff
    )
    marked = 0
    for report in stuck:
        try:  # one report's trouble must not leave the others stuck
            _delete_leftovers(report)
            marked += report_mark_lost(report_id=report.pk)
        except Exception:
            logger.exception("report %s could not be reaped", report.pk)
    return marked


def hook_body_limit() -> int:
    return int(settings.HOOK_MAX_BODY_BYTES)


HookOutcome = Literal["stored", "unknown", "gone", "too_many", "too_large"]


class _Octets(Func):
    """The size in bytes of a text value: OCTET_LENGTH on PostgreSQL; on SQLite, whose
    LENGTH of text counts characters, the LENGTH of the text as a BLOB (its UTF-8 bytes)."""

    function = "OCTET_LENGTH"
    output_field = IntegerField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        template = "LENGTH(CAST(%(expressions)s AS BLOB))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _hook_usage(hook: CallbackHook) -> tuple[int, int]:
    """(notifications stored, their bytes: bodies and headers) of ``hook``: counted in the
    database, no row loaded."""
    totals = ReceivedNotification.objects.filter(hook=hook).aggregate(
        count=Count("pk"),
        size=Sum(_Octets("body") + _Octets(Cast("headers", TextField()))),
    )
    return int(totals["count"]), int(totals["size"] or 0)


@transaction.atomic
def hook_receive(*, token: str, headers: dict[str, str], body: bytes) -> HookOutcome:
    """Store a notification: "stored", "unknown" (no such hook), "gone" (report ended), or,
    storing nothing, "too_many" (HOOK_MAX_NOTIFICATIONS) or "too_large" (HOOK_MAX_TOTAL_BYTES
    in all). Anyone may POST to a callback URL, so one hook must not grow without bound; the
    hook row stays locked from counting to storing, so concurrent POSTs cannot pass a cap
    together (on SQLite the IMMEDIATE transaction takes the database's write lock instead)."""
    hook = (
        CallbackHook.objects.select_for_update(of=("self",))
        .select_related("report")
        .filter(token=token)
        .first()
    )
    if hook is None:
        return "unknown"
    if hook.report.ended:
        return "gone"
    kept = {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}
    text = body.decode("utf-8", errors="replace")
    size = len(text.encode()) + len(json.dumps(kept).encode())
    count, stored = _hook_usage(hook)
    if count >= settings.HOOK_MAX_NOTIFICATIONS:
        return "too_many"
    if stored + size > settings.HOOK_MAX_TOTAL_BYTES:
        return "too_large"
    ReceivedNotification.objects.create(hook=hook, headers=kept, body=text)
    return "stored"


def report_document(report: Report) -> dict[str, object]:
    """The report as the JSON download (and ``run_trigger_test --format json``) gives it."""
    return {
        "id": report.pk,
        "draft": report.draft_id,
        "design_version": report.design_version,
        "triggers": report.trigger_ids,
        "target": {"kind": report.target_kind, "base_url": report.base_url},
        "status": report.status,
        "error": report.error,
        "created_at": report.created_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "steps": report.steps,
    }


def report_result(report: Report) -> ReportResult:
    return ReportResult.from_dict({"status": report.status, "steps": report.steps})


def report_junit(report: Report) -> str:
    """The report as JUnit XML, one test case per step."""
    return to_junit(report_result(report), f"{report.draft.title} report {report.pk}")
