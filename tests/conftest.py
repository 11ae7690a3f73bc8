"""Fixtures shared by the whole suite: where the shared reference files are, and small factories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI clones the repository with shared/ beside it; developers have the same layout.
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()
CORPUS_DIR = SHARED_DIR / "corpus" / "dev"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"the shared reference folder is missing: expected it at {SHARED_DIR}")
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "dev"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite the test database is a file, not pytest-django's in-memory default: the
    report tests start real Celery workers and servers in other processes and threads, and
    they must all see the same database. (PostgreSQL needs nothing: it is a server.)"""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The default hasher is slow on purpose; the tests need passwords, not their strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache: the wizard caches by draft id and version, and a
    rolled-back test database hands the same ids out again."""
    from django.core.cache import cache

    cache.clear()
