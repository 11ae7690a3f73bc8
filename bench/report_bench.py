"""Report throughput: 50 webhook lifecycle reports against the simulator, two worker processes.

Setup (all in a temporary DESIGNER_VAR_DIR: SQLite file database, embedded broker): migrate,
serve the app with ``runserver --noreload`` (threaded) on a free port, start a Celery worker
with ``--concurrency=2 --pool=prefork``, queue 50 reports of a one-webhook design at once.

- **reports**: wall time from queueing the first to the end of the last (throughput), and each
  report's latency (started by a worker -> finished: the run itself, not its queueing), median.
- **floor**: the same HTTP calls made directly, one process, one after another: register at the
  simulator with a callback URL of a report, fire, wait for the notification row; register again
  with a second callback URL, DELETE the first, fire, wait for the second's notification; DELETE
  the second twice, fire again and watch the callbacks for the same after-DELETE wait the
  runner uses.

Target: report median latency <= 3 x the floor's, and throughput >= floor / 3.
Run: ``.venv/bin/python bench/report_bench.py`` (writes its section of bench/README.md).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "bench" / "README.md"
REPORTS = 50
WAIT = "0.2"  # after-DELETE watch, the same for reports and floor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="report-bench-"))
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")},
        "DESIGNER_VAR_DIR": str(var),
        "SITE_URL": site,
        "RUNNER_ALLOW_LOOPBACK": "true",
        "RUNNER_AFTER_DELETE_WAIT_SECONDS": WAIT,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=REPO, env=env, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "designer",
            "worker",
            "--concurrency=2",
            "--pool=prefork",
            "--loglevel=WARNING",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import django

        django.setup()
        import httpx

        for _ in range(200):
            try:
                httpx.get(site + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        figures = {"reports": run_reports(), "floor": run_floor(site)}
    finally:
        for process in (worker, server):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    write(figures)
    print(json.dumps(figures, indent=2))


def a_draft():
    sys.path.insert(0, str(REPO))
    from connectors import services
    from tests.connectors.conftest import report_design

    return services.draft_create(
        team=services.team_default(), user=None, title="Bench", design=report_design(polling=False)
    )


def run_reports() -> dict[str, float]:
    from connectors import services
    from connectors.models import Report

    draft = a_draft()
    started = time.monotonic()
    ids = [
        services.report_start(draft=draft, user=None, trigger_ids=[], target="simulator").pk
        for _ in range(REPORTS)
    ]
    while Report.objects.filter(pk__in=ids).exclude(status__in=Report.ENDED).exists():
        time.sleep(0.1)
    wall = time.monotonic() - started
    reports = list(Report.objects.filter(pk__in=ids))
    passed = sum(r.status == "passed" for r in reports)
    latencies = [(r.finished_at - r.started_at).total_seconds() for r in reports]
    return {
        "wall_s": wall,
        "per_s": REPORTS / wall,
        "median_s": statistics.median(latencies),
        "passed": passed,
    }


def run_floor(site: str) -> dict[str, float]:
    import httpx
    from django.urls import reverse

    from connectors import services
    from connectors.models import CallbackHook, ReceivedNotification

    draft = a_draft()
    latencies = []
    started = time.monotonic()
    with httpx.Client(timeout=10) as client:
        for index in range(REPORTS):
            report = services.report_start(
                draft=draft, user=None, trigger_ids=[], target="simulator", enqueue=False
            )
            first, second = (
                CallbackHook.objects.create(report=report, token=f"bench-floor-{index:04d}-{n}")
                for n in (1, 2)
            )
            sim = f"{site}/sim/{report.simulator.token}"
            begin = time.monotonic()

            def register(hook: CallbackHook, sim: str = sim) -> str:
                callback = site + reverse("connectors:hook_receive", args=[hook.token])
                answer = client.post(sim + "/hooks", json={"callbackUrl": callback})
                return str(answer.headers["Location"])

            def delivered(hook: CallbackHook, sim: str = sim) -> None:
                client.post(sim + "/_control/fire")
                while not ReceivedNotification.objects.filter(hook=hook).exists():
                    time.sleep(0.01)

            old = register(first)
            delivered(first)
            new = register(second)  # the trigger's inputs changed: register again
            client.delete(old)
            delivered(second)
            client.delete(new)
            client.delete(new)  # a second DELETE answers 404
            client.post(sim + "/_control/fire")
            time.sleep(float(WAIT))
            ReceivedNotification.objects.filter(hook__in=[first, second]).count()
            latencies.append(time.monotonic() - begin)
    wall = time.monotonic() - started
    return {"wall_s": wall, "per_s": REPORTS / wall, "median_s": statistics.median(latencies)}


def row(name: str, reports: float, floor: float, ratio: float) -> str:
    met = "yes" if ratio <= 3 else "no"
    return f"| {name} | {reports:.3f} | {floor:.3f} | {ratio:.2f} | {met} |"


def write(figures: dict[str, dict[str, float]]) -> None:
    reports, floor = figures["reports"], figures["floor"]
    latency = reports["median_s"] / floor["median_s"]
    throughput = floor["per_s"] / reports["per_s"]
    table = "\n".join(
        [
            "<!-- REPORT-RESULTS -->",
            f"{REPORTS} reports, {int(reports['passed'])} passed; two worker processes; "
            f"after-DELETE watch {WAIT} s in both.",
            "",
            "| measure | reports | floor (direct calls) | ratio | target met (<= 3) |",
            "|---|---:|---:|---:|---|",
            row("median run latency (s)", reports["median_s"], floor["median_s"], latency),
            row("throughput (reports/s)", reports["per_s"], floor["per_s"], throughput),
            "<!-- /REPORT-RESULTS -->",
        ]
    )
    text = README.read_text()
    section = "## Test report throughput"
    if section not in text:
        intro = "`bench/report_bench.py`: see its docstring for what is measured."
        text += f"\n{section}\n\n{intro}\n\n{table}\n"
    else:
        text = re.sub(r"<!-- REPORT-RESULTS -->.*<!-- /REPORT-RESULTS -->", table, text, flags=re.S)
    README.write_text(text)


if __name__ == "__main__":
    main()
