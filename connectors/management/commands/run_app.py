"""``manage.py run_app [ADDRPORT]``: the web server and a Celery worker together, for `make run`.

The worker embeds Celery beat (``-B``, its schedule file under ``VAR_DIR``), so the periodic
tasks of ``CELERY_BEAT_SCHEDULE`` (the reaper of stuck reports) run in development too.

Both run as child processes; Ctrl-C (or SIGTERM) stops both, and if either one exits the other
is stopped too, so nothing is left running in the background.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

STOP_TIMEOUT_SECONDS = 15


class Command(BaseCommand):
    help = "Run the development web server and a Celery worker; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        # Set both explicitly: a process started in the background inherits SIGINT ignored.
        signal.signal(signal.SIGINT, _raise_interrupt)
        signal.signal(signal.SIGTERM, _raise_interrupt)
        worker = [
            *(sys.executable, "-m", "celery", "-A", "designer", "worker", "--loglevel=INFO"),
            *("--beat", f"--schedule={settings.VAR_DIR / 'celerybeat-schedule'}"),
        ]
        server = [sys.executable, "manage.py", "runserver", options["addrport"]]
        # Each child leads its own process group: stopping the server's group also stops the
        # real server, which its autoreloader runs as a grandchild.
        children = [
            subprocess.Popen(
                [*worker, f"--concurrency={options['concurrency']}"], start_new_session=True
            ),
            subprocess.Popen(server, start_new_session=True),
        ]
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(children)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    worker, server = children
    if worker.poll() is None:
        worker.terminate()  # warm shutdown: the worker stops its own pool processes
    _signal_group(server, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()
        # A worker's pool process can outlive its parent for a moment (it notices the parent's
        # exit only at its next poll): nothing of either group is left running.
        _signal_group(child, signal.SIGKILL)


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
