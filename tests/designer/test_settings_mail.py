"""Mail settings come from the environment: the console in development, SMTP in production."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40}
NAMES = [
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "INVITATION_MAX_AGE_DAYS",
]


def settings_in(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """The mail settings a fresh process gets from ``env`` (and nothing else)."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DESIGNER_VAR_DIR": str(tmp_path)}
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**base, **env, "DJANGO_SETTINGS_MODULE": "designer.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values: dict[str, Any] = json.loads(result.stdout)
    return values


def test_development_prints_mail_to_the_console(tmp_path: Path) -> None:
    values = settings_in({}, tmp_path)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["INVITATION_MAX_AGE_DAYS"] == 7
    assert values["EMAIL_TIMEOUT"] == 10


def test_production_sends_through_the_smtp_server_of_the_environment(tmp_path: Path) -> None:
    smtp = {
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "designer",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "Designer <designer@example.com>",
        "INVITATION_MAX_AGE_DAYS": "3",
    }
    values = settings_in({**PRODUCTION, **smtp}, tmp_path)
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "designer",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "Designer <designer@example.com>",
        "INVITATION_MAX_AGE_DAYS": 3,
    }


@pytest.mark.parametrize("debug", ["true", "false"])
def test_the_backend_can_be_chosen(tmp_path: Path, debug: str) -> None:
    backend = "django.core.mail.backends.filebased.EmailBackend"
    env = {**PRODUCTION, "DEBUG": debug, "EMAIL_BACKEND": backend}
    assert settings_in(env, tmp_path)["EMAIL_BACKEND"] == backend
