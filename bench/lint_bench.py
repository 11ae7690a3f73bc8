"""The linter on path bombs: peak memory and time of linting small hostile files.

A path bomb is one GET operation whose path is ``/{x}/{x}/.../{x}`` and that declares no path
parameter: before the linter's output was bounded, a 32 KB file peaked at 277 MB, 64 KB at 1 GB
and 128 KB at 4 GB (one finding per template variable, each quoting the whole path).
For each bomb (32, 64 and 128 KB of JSON), in a fresh process each:

- **lint**: ``lint_swagger`` on the parsed document; its peak memory is measured by tracemalloc
  (what the linter allocates) and its time as the best of 15 runs without tracemalloc (the
  best, not the median: milliseconds on a shared machine are mostly noise from other work);
- **upload**: what the web app does with the uploaded file: parse the bytes, import them into a
  design and lint that design (``lint_design``); peak RSS of the whole process (Python and
  Django's pure modules included) by ``resource.getrusage``, and the time of one run.

Targets: every peak under 150 MB, and time proportional to the size (the 128 KB bomb takes at
most 8 times as long as the 32 KB one; a quadratic linter takes 16 times as long).

Run: ``make bench`` (or ``.venv/bin/python bench/lint_bench.py``). Writes the figures into
bench/README.md between the LINT-BOMBS markers; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
README = REPO / "bench" / "README.md"
SIZES_KB = (32, 64, 128)
BUDGET_MB = 150
MAX_GROWTH = 8.0  # time(128 KB) / time(32 KB); linear is 4, quadratic 16

from connectors.domain.documents import load_document  # noqa: E402
from connectors.domain.lint import lint_design, lint_swagger  # noqa: E402
from connectors.domain.swagger.importing.connector import import_connector  # noqa: E402


def path_bomb(size: int) -> bytes:
    """A swagger of about ``size`` bytes: one GET on /{x}/{x}/... without path parameters."""
    path = "/{x}" * (size // 4)
    get = {"operationId": "Get", "responses": {"200": {"description": "ok"}}}
    doc = {
        "swagger": "2.0",
        "info": {"title": "Bomb", "version": "1.0"},
        "host": "api.example.com",
        "paths": {path: {"get": get}},
    }
    return json.dumps(doc).encode("utf-8")


def child(kb: int) -> dict[str, Any]:
    raw = path_bomb(kb * 1024)
    doc = load_document(raw)
    runs = []
    for _ in range(15):
        start = time.perf_counter()
        findings = lint_swagger(doc)
        runs.append(time.perf_counter() - start)
    tracemalloc.start()
    lint_swagger(doc)
    lint_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    start = time.perf_counter()
    lint_design(import_connector(load_document(raw), None).design)
    upload_s = time.perf_counter() - start
    return {
        "kb": kb,
        "bytes": len(raw),
        "findings": len(findings),
        "longest_message": max(len(f.message) for f in findings),
        "lint_s": min(runs),
        "lint_peak_mb": lint_peak,
        "upload_s": upload_s,
        "upload_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(kb: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(kb)], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def render(rows: list[dict[str, Any]], growth: float) -> str:
    lines = [
        "| bomb | file bytes | findings | longest message | lint (s) | lint peak (MB, "
        "tracemalloc) | upload (s) | upload process peak (MB, RSS) | under budget |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ok = "yes" if max(r["lint_peak_mb"], r["upload_rss_mb"]) < BUDGET_MB else "NO"
        lines.append(
            f"| {r['kb']} KB | {r['bytes']} | {r['findings']} | {r['longest_message']} "
            f"| {r['lint_s']:.3f} | {r['lint_peak_mb']:.1f} | {r['upload_s']:.3f} "
            f"| {r['upload_rss_mb']:.0f} | {ok} |"
        )
    met = "yes" if growth <= MAX_GROWTH else "NO"
    lines += [
        "",
        f"Budget {BUDGET_MB} MB. Lint time of the 128 KB bomb / the 32 KB one: {growth:.1f} "
        f"(target <= {MAX_GROWTH:.0f}, linear is 4: {met}).",
    ]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    block = f"<!-- LINT-BOMBS -->\n{text}\n<!-- /LINT-BOMBS -->"
    pattern = r"<!-- LINT-BOMBS -->.*<!-- /LINT-BOMBS -->"
    readme = re.sub(pattern, lambda _: block, readme, flags=re.S)
    README.write_text(readme, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    rows = [measure(kb) for kb in SIZES_KB]
    growth = rows[-1]["lint_s"] / rows[0]["lint_s"]
    text = render(rows, growth)
    print(text)
    write_readme(text)
    peaks = [max(r["lint_peak_mb"], r["upload_rss_mb"]) for r in rows]
    # The benchmark asserts the budget (the test suite only checks that output is bounded).
    assert all(p < BUDGET_MB for p in peaks), f"over the {BUDGET_MB} MB budget: {peaks}"
    assert growth <= MAX_GROWTH, f"lint time grows {growth:.1f}x from 32 to 128 KB"
    return 0


if __name__ == "__main__":
    sys.exit(main())
