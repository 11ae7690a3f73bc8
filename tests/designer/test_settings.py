"""Settings come from the environment; production settings pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "designer.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_fail_check_deploy() -> None:
    # The same check must be able to fail: the development defaults are not production-ready.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_production_without_secret_key_refuses_to_start() -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_names_the_variable(value: str) -> None:
    result = run_manage("check", env={"DEBUG": value})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_database_and_broker_follow_the_environment(settings) -> None:
    """Embedded defaults when nothing is set; PostgreSQL and Redis when CI says so."""
    database_url = os.environ.get("DATABASE_URL", "")
    expected_engine = (
        "django.db.backends.postgresql"
        if database_url.startswith("postgres")
        else "django.db.backends.sqlite3"
    )
    assert settings.DATABASES["default"]["ENGINE"] == expected_engine
    broker_url = os.environ.get("CELERY_BROKER_URL")
    if broker_url:
        assert broker_url == settings.CELERY_BROKER_URL
    else:
        assert settings.CELERY_BROKER_URL.startswith("sqla+sqlite:///")
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS == {}


def test_embedded_defaults_in_a_clean_environment(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DESIGNER_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "designer.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    engine, name, broker = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "designer.sqlite3")
    assert broker == f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"


def test_the_embedded_database_logs_ahead_and_waits_for_locks(tmp_path: Path) -> None:
    """The web server and the worker share the SQLite file: readers must not block writers."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DESIGNER_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.db import connection as c; "
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); mode = cur.fetchone()[0]; "
        "cur.execute('PRAGMA synchronous'); sync = cur.fetchone()[0]; "
        "cur.execute('PRAGMA busy_timeout'); print(mode, sync, cur.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "designer.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["wal", "1", "20000"]


def test_celery_is_configured_for_safe_redelivery(settings) -> None:
    from designer.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_url == settings.CELERY_BROKER_URL


def test_cache_follows_the_environment(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DESIGNER_VAR_DIR": str(tmp_path)}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'])"
    )
    backends = []
    for extra in ({}, {"CACHE_URL": "redis://127.0.0.1:6379/1"}):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO_ROOT,
            env={**env, **extra, "DJANGO_SETTINGS_MODULE": "designer.settings"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        backends.append(result.stdout.strip().rsplit(".", 1)[-1])
    assert backends == ["LocMemCache", "RedisCache"]
