"""`make run`'s last step: the web server and a Celery worker start together and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
STARTUP_LIMIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def processes_with_marker(marker: str) -> list[int]:
    """Pids whose environment carries ``marker``: the command and everything it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "(gone)"


def wait_for_health(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "run_app exited before the server answered"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url} within {STARTUP_LIMIT_SECONDS} s")


def test_run_app_serves_and_ctrl_c_stops_server_and_worker(tmp_path: Path) -> None:
    marker = str(tmp_path / "var")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_app", f"127.0.0.1:{port}", "--concurrency=1"],
        cwd=REPO_ROOT,
        env={**os.environ, "DESIGNER_VAR_DIR": marker},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
        assert len(processes_with_marker(marker)) >= 4  # run_app, worker (+pool), server x2
        process.send_signal(signal.SIGINT)
        process.wait(timeout=STARTUP_LIMIT_SECONDS)
        deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
        while processes_with_marker(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = {pid: _cmdline(pid) for pid in processes_with_marker(marker)}
        assert left == {}
    finally:
        for pid in processes_with_marker(marker):
            os.kill(pid, signal.SIGKILL)


def test_the_worker_embeds_beat_so_the_reaper_runs(monkeypatch: Any) -> None:
    from django.core.management import call_command

    from connectors.management.commands import run_app

    started: list[list[str]] = []

    class Done:
        def __init__(self, args: list[str], **kwargs: Any) -> None:
            started.append(args)
            self.pid = -1

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float | None = None) -> int:
            return 0

    monkeypatch.setattr(run_app.subprocess, "Popen", Done)
    monkeypatch.setattr(run_app, "_signal_group", lambda child, signum: None)
    saved = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    try:
        call_command("run_app", "127.0.0.1:0")
    finally:
        signal.signal(signal.SIGINT, saved[0])
        signal.signal(signal.SIGTERM, saved[1])
    worker = started[0]
    assert "worker" in worker and "--beat" in worker
    assert any(arg.startswith("--schedule=") for arg in worker)
