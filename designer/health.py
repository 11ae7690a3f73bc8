"""What ``/healthz`` checks: the database and the Celery broker, each answered in seconds.

Each check returns ``None`` when the service answers, else a short reason (logged in full, not
shown: the endpoint needs no login). The broker is asked directly with the client of its
transport instead of through Celery, whose connections retry for a long time by design.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import redis
import sqlalchemy
from django.conf import settings
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2.0


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "not reachable" here
        logger.warning("health check: the database does not answer: %s", exc)
        return "the database does not answer"
    return None


def check_broker() -> str | None:
    url: str = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://")):
            _redis_client(url).ping()
        elif url.startswith("sqla+"):
            with _sqla_engine(url.removeprefix("sqla+")).connect() as db:
                db.execute(sqlalchemy.text("SELECT 1"))
        else:
            with Connection(url, connect_timeout=TIMEOUT_SECONDS) as broker:
                broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    except Exception as exc:  # any client error means "not reachable" here
        logger.warning("health check: the broker does not answer: %s", exc)
        return "the broker does not answer"
    return None


@functools.cache
def _redis_client(url: str) -> Any:
    return redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


@functools.cache
def _sqla_engine(url: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(url, pool_pre_ping=True)
