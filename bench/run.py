"""Benchmarks of the connector engine, reported as ratios to a baseline measured in the same run.

Engine: for each dev-corpus connector, from the file bytes: parse, import into a design, export
apiDefinition + apiProperties (JSON text), and lint the export. Baseline: parse the same bytes and
validate them against Microsoft's apiDefinition JSON Schema with jsonschema (Draft 4).
Target: engine time <= 0.5 x baseline; peak memory of a process doing the engine work < 150 MB.

Run: ``make bench`` (or ``.venv/bin/python bench/run.py``). Writes the figures into
bench/README.md between the RESULTS markers.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = (REPO / ".." / "shared").resolve()
CORPUS = SHARED / "corpus" / "dev"
SCHEMA = SHARED / "schemas" / "apiDefinition.swagger.schema.json"
README = REPO / "bench" / "README.md"
TARGET_RATIO = 0.5
TARGET_PEAK_MB = 150

from jsonschema import Draft4Validator  # noqa: E402

from connectors.domain.documents import DocumentError, load_document  # noqa: E402
from connectors.domain.lint import lint_swagger  # noqa: E402
from connectors.domain.swagger.exporting.definition import dump_json, export_swagger  # noqa: E402
from connectors.domain.swagger.exporting.properties import export_properties  # noqa: E402
from connectors.domain.swagger.importing.connector import import_connector  # noqa: E402


def corpus_files() -> list[tuple[str, bytes, bytes | None]]:
    files = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        swagger = (folder / "apiDefinition.swagger.json").read_bytes()
        try:
            load_document(swagger)
        except DocumentError:
            continue  # DocuSignDemo: not JSON, neither side can process it
        props = folder / "apiProperties.json"
        files.append((folder.name, swagger, props.read_bytes() if props.exists() else None))
    return files


def engine(swagger: bytes, properties: bytes | None) -> None:
    design = import_connector(
        load_document(swagger), load_document(properties) if properties else None
    ).design
    exported = export_swagger(design)
    dump_json(exported)
    dump_json(export_properties(design))
    lint_swagger(exported, design=design)


def make_baseline() -> Callable[[bytes, bytes | None], None]:
    validator = Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))

    def baseline(swagger: bytes, properties: bytes | None) -> None:
        for _ in validator.iter_errors(json.loads(swagger.decode("utf-8-sig"))):
            pass

    return baseline


def timed(func: Callable[[bytes, bytes | None], None], files: list, repeat: int) -> float:
    """Median over ``repeat`` runs of the time to process all ``files`` once."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _name, swagger, properties in files:
            func(swagger, properties)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def peak_memory_mb() -> float:
    """Peak RSS of a fresh process that runs the engine over the whole corpus once."""
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory"], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def child_memory() -> None:
    for _name, swagger, properties in corpus_files():
        engine(swagger, properties)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure(repeat: int) -> dict[str, Any]:
    files = corpus_files()
    largest = [max(files, key=lambda f: len(f[1]))]
    baseline = make_baseline()
    rows = {}
    for label, subset in (("whole dev corpus", files), (f"largest ({largest[0][0]})", largest)):
        engine_s, baseline_s = timed(engine, subset, repeat), timed(baseline, subset, repeat)
        rows[label] = {
            "files": len(subset),
            "engine_s": engine_s,
            "baseline_s": baseline_s,
            "ratio": engine_s / baseline_s,
        }
    return {"rows": rows, "peak_mb": peak_memory_mb(), "repeat": repeat}


def render(result: dict[str, Any]) -> str:
    lines = [
        f"Median of {result['repeat']} runs; ratio = engine / baseline (target <= {TARGET_RATIO}).",
        "",
        "| set | files | engine (s) | jsonschema baseline (s) | ratio | target met |",
        "|---|---|---|---|---|---|",
    ]
    for label, row in result["rows"].items():
        met = "yes" if row["ratio"] <= TARGET_RATIO else "NO"
        lines.append(
            f"| {label} | {row['files']} | {row['engine_s']:.3f} | {row['baseline_s']:.3f} "
            f"| {row['ratio']:.2f} | {met} |"
        )
    peak_met = "yes" if result["peak_mb"] < TARGET_PEAK_MB else "NO"
    lines += [
        "",
        f"Peak memory of the engine over the whole corpus: {result['peak_mb']:.0f} MB "
        f"(target < {TARGET_PEAK_MB} MB: {peak_met}).",
    ]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    start, end = "<!-- RESULTS -->", "<!-- /RESULTS -->"
    readme = README.read_text(encoding="utf-8")
    head, _, rest = readme.partition(start)
    _, _, tail = rest.partition(end)
    README.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory()
        return 0
    result = measure(args.repeat)
    text = render(result)
    print(text)
    write_readme(text)
    ok = all(r["ratio"] <= TARGET_RATIO for r in result["rows"].values())
    return 0 if ok and result["peak_mb"] < TARGET_PEAK_MB else 1


if __name__ == "__main__":
    sys.exit(main())
