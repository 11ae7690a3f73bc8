"""Server time of the wizard for a 30-trigger draft against a minimal Django view.

Run: ``.venv/bin/python bench/wizard_bench.py`` (from the repository root). It builds a throw-away
test database, a team with one editor and a draft with 30 webhook triggers, then times, in this
process and through the whole Django stack (middleware, session, auth, templates):

- **floor**: ``GET /healthz``, the smallest view of the same project;
- **step GET**: ``GET`` of the Definition step (lists the 30 triggers, validation panel);
- **trigger GET**: ``GET`` of one trigger's page;
- **step POST**: saving the Definition step (title form): validate, save a revision, redirect.

Each figure is the median of N runs; the ratio to the floor is what compares across machines
(target: at most 3). The figures go into bench/README.md under "Wizard server time".
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
TRIGGERS = 30
HEADING = "## Wizard server time"


def median_ms(call: Any, runs: int = RUNS) -> float:
    call()  # warm up (template loading, the lint cache of this version)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build() -> tuple[Client, Any]:
    from connectors import services
    from connectors.domain.authoring import new_webhook_trigger
    from tests.factories import make_draft, make_team, make_user

    user = make_user("bench")
    draft = make_draft(make_team(owner=user), user, "Bench")
    design = services.draft_design(draft=draft)
    design["triggers"] = [
        new_webhook_trigger(
            summary=f"When event {n} happens",
            operation_id=f"OnEvent{n}",
            path="/repos/{owner}/{repo}/hooks",
            notification_samples=[{"action": "opened", "id": n}],
        )
        for n in range(TRIGGERS)
    ]
    draft = services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    client = Client()
    client.force_login(user)
    return client, draft


def measure() -> dict[str, float]:
    client, draft = build()
    step = reverse("connectors:wizard_step", args=[draft.pk, "definition"])
    trigger = reverse("connectors:wizard_trigger", args=[draft.pk, 0])
    version = [draft.version]

    def post() -> None:
        response = client.post(step, {"title": "Bench", "based_on_version": version[0]})
        assert response.status_code == 302, response.status_code
        version[0] += 1

    figures = {
        "floor": median_ms(lambda: client.get(reverse("healthz"))),
        "step GET": median_ms(lambda: client.get(step)),
        "trigger GET": median_ms(lambda: client.get(trigger)),
        "step POST": median_ms(post),
    }
    return figures


def report(figures: dict[str, float]) -> str:
    floor = figures["floor"]
    lines = [
        HEADING,
        "",
        f"`bench/wizard_bench.py`: median of {RUNS} requests through the whole Django stack, for a",
        f"draft with {TRIGGERS} webhook triggers, against `GET /healthz` on the same stack.",
        "Target:",
        "each at most 3x the floor.",
        "",
        "| request | median ms | x floor |",
        "|---|---:|---:|",
    ]
    for name, value in figures.items():
        lines.append(f"| {name} | {value:.2f} | {value / floor:.1f} |")
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    readme = ROOT / "bench" / "README.md"
    current = readme.read_text() if readme.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"{re.escape(HEADING)}\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip("\n") + "\n", current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    readme.write_text(updated)


def main() -> None:
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        text = report(measure())
    finally:
        runner.teardown_databases(databases)
    print(text)
    write(text)


if __name__ == "__main__":
    main()
