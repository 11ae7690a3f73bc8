"""Celery tasks: thin wrappers named like their services, taking ids, idempotent.

``report_run`` is acknowledged late and rejected when its worker is lost, so a killed worker's
report is delivered again; ``report_execute`` then finds it ``running`` and marks it ``error``
instead of leaving it stuck. ``report_reap`` covers a message that never comes back: Celery
beat runs it every minute (``CELERY_BEAT_SCHEDULE``), in its own task, so other reports'
cleanup never eats into a run's time budget.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from connectors import services_reports


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def report_run(report_id: int) -> str | None:
    report = services_reports.report_execute(report_id=report_id)
    return report.status if report is not None else None


@shared_task
def report_reap() -> int:
    return services_reports.report_reap_stuck()
