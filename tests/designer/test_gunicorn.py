"""The production server: designer/gunicorn.conf.py reads its environment, and a real gunicorn
started with it logs request lines without query values or machine tokens."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.worker_process import database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
CONF = REPO_ROOT / "designer" / "gunicorn.conf.py"
SECRET = "SECRET-key-0f9e8d"
SIM_TOKEN = "sometoken123456"
HOOK_TOKEN = "hooktoken654321"


def load_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    for name in ("BIND", "WEB_CONCURRENCY", "WEB_THREADS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == 2
    assert conf["threads"] == 4
    assert conf["forwarded_allow_ips"] == "127.0.0.1"
    assert (conf["accesslog"], conf["errorlog"]) == ("-", "-")
    assert conf["logger_class"] == "designer.gunicorn_logging.ScrubbingLogger"
    timeout, graceful = conf["timeout"], conf["graceful_timeout"]
    assert isinstance(timeout, int) and isinstance(graceful, int)
    assert 0 < graceful <= timeout <= 120


def test_the_environment_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load_conf(
        monkeypatch,
        BIND="0.0.0.0:9000",
        WEB_CONCURRENCY="5",
        WEB_THREADS="8",
        FORWARDED_ALLOW_IPS="10.0.0.1,10.0.0.2",
    )
    assert (conf["bind"], conf["workers"], conf["threads"]) == ("0.0.0.0:9000", 5, 8)
    assert conf["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not listen on {port} within {limit} s")


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """gunicorn -c designer/gunicorn.conf.py designer.wsgi on a free loopback port (one worker),
    on the test database; yields its URL and the files its stdout and stderr go to."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"},
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DEBUG": "true",
        "DATABASE_URL": database_url(),
        "DESIGNER_VAR_DIR": str(tmp_path / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONF), "designer.wsgi"],
            cwd=REPO_ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            wait_until_listening(port, process, limit=60)
            yield f"http://127.0.0.1:{port}", out, err
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_request_lines_without_query_values_or_tokens(
    gunicorn: tuple[str, Path, Path],
) -> None:
    url, out, err = gunicorn
    with httpx.Client(base_url=url, timeout=20, trust_env=False) as client:
        assert client.get(f"/sim/{SIM_TOKEN}/x?api_key={SECRET}").status_code == 404
        assert client.get(f"/hooks/{HOOK_TOKEN}/?api_key={SECRET}&since=2").status_code == 405
    deadline = time.monotonic() + 10  # the access log line is written after the answer
    while "/hooks/" not in out.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    stdout, stderr = out.read_text(), err.read_text()
    assert '"GET /sim/[redacted]/x?api_key=[redacted] HTTP/1.1" 404' in stdout
    assert '"GET /hooks/[redacted]/?api_key=[redacted]&since=[redacted] HTTP/1.1" 405' in stdout
    assert "Not Found: /sim/[redacted]/x" in stderr  # Django's own log, in the worker
    for secret in (SECRET, SIM_TOKEN, HOOK_TOKEN):
        assert secret not in stdout + stderr, secret
