"""What a save of a large connector costs, and the draft list and history at scale.

Run: ``.venv/bin/python bench/revision_bench.py`` (from the repository root). One run measures
on SQLite and on PostgreSQL, each in a child process of its own (Django's settings are per
process): SQLite in a throw-away file, PostgreSQL in a throw-away database that Django's test
runner creates and drops on the server ``BENCH_POSTGRES_URL`` names (default
``postgres://postgres@127.0.0.1:5432/test``; ``BENCH_POSTGRES=0`` skips it).

On the draft imported from the largest dev-corpus connector (Encodian, 1.1 MB of swagger,
219 operations), after a few warm-up saves (a wizard process has seen the draft before):

- **bytes per save**: the growth of the database over ``BENCH_SAVES`` saves that each change one
  description (in turn: a passthrough operation's, the trigger's, the general one), divided by
  the saves. SQLite: pages in use (``page_count - freelist_count``) times the page size.
  PostgreSQL: ``pg_total_relation_size`` (table, TOAST, indexes) of the draft, revision and
  part tables, with a plain ``VACUUM`` of the draft table after each save, as autovacuum does:
  an UPDATE leaves the row's old version behind until then (its size is reported apart).
  Target: at most 10 KB.
- **save time**: a wizard-like save, as the wizard's POST runs it: lint through the part cache,
  then ``services.draft_save`` (validate, summary, the version-checked UPDATE, the revision's
  new parts), median over the saves; against the **floor** of ``json.loads`` + ``json.dumps`` of
  that design's text, measured just before and just after each save; the ratio is the median
  of each save's own ratio (a slow spell of a shared machine hits a save and its floor alike).
  Target: at most 3x.
- **server time** of the draft list with 10,000 drafts in the team (pages 1 and 100) and of
  the history of a draft with 1,000 revisions (pages 1 and 10; breaking changes against the
  downloaded revision 1 already cached, and the first, uncached request apart; on PostgreSQL
  after an ``ANALYZE``, as autovacuum runs one after a bulk insert), each median of
  ``BENCH_RUNS`` in-process requests through Django's handler with ``DEBUG`` off, with the
  same pages at 60 drafts and about 35 revisions beside them, and the number of queries.

``BENCH_WRITE=0`` only prints. The figures go into bench/README.md under "Saving a large
connector".
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
ENCODIAN = (ROOT / ".." / "shared" / "corpus" / "dev" / "Encodian").resolve()
HEADING = "## Saving a large connector"
SAVES = int(os.environ.get("BENCH_SAVES", "30"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
WARM_UP = 3
DRAFTS = 10_000
FEW_DRAFTS = 60
REVISIONS = 1_000
TARGET_BYTES = 10 * 1024
TARGET_RATIO = 3.0
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


# -- the child: one database ----------------------------------------------------------------------


def _setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
    for name, value in {
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="revision-bench-static-"))
    import django

    django.setup()


def _database_bytes(vendor: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA page_size")
            page = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA freelist_count")
            return int((pages - cursor.fetchone()[0]) * page)
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY["
            "'connectors_connectordraft', 'connectors_revision', 'connectors_designpart'"
            "]::regclass[]) AS c"
        )
        return int(cursor.fetchone()[0])


def _vacuum_drafts(vendor: str) -> None:
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM connectors_connectordraft")


def _encodian() -> dict[str, Any]:
    from connectors.domain.documents import load_document
    from connectors.domain.swagger.importing.connector import import_connector

    swagger = load_document((ENCODIAN / "apiDefinition.swagger.json").read_bytes())
    properties = load_document((ENCODIAN / "apiProperties.json").read_bytes())
    return import_connector(swagger, properties).design


def _edit(design: dict[str, Any], number: int) -> dict[str, Any]:
    """A copy of ``design`` with one description changed (an operation's, the trigger's or the
    general one, in turn)."""
    edited = copy.deepcopy(design)
    text = f"Edited description number {number}."
    kind = number % 3
    if kind == 0:
        paths = list(edited["passthrough"]["swagger"]["paths"].values())
        item = paths[(number * 7) % len(paths)]
        next(op for key, op in item.items() if key != "parameters")["description"] = text
    elif kind == 1:
        edited["triggers"][0]["description"] = text
    else:
        edited["general"]["description"] = text
    return edited


def _wizard_save(draft: Any, user: Any, design: dict[str, Any]) -> Any:
    from connectors import services
    from connectors.domain.lint.incremental import lint_design_cached

    found = lint_design_cached(design)
    return services.draft_save(
        draft=draft,
        user=user,
        design=design,
        based_on_version=draft.version,
        message="Edited a description",
        findings=found,
    )


def _floor(text: str) -> float:
    started = time.perf_counter()
    json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return time.perf_counter() - started


def _saves(vendor: str, draft: Any, user: Any) -> tuple[dict[str, Any], Any]:
    from connectors.fields import OrderedJSONField
    from connectors.models import ConnectorDraft

    text = OrderedJSONField().get_prep_value(draft.design)
    for number in range(WARM_UP):
        draft = _wizard_save(draft, user, _edit(draft.design, number))
        _vacuum_drafts(vendor)
    before = _database_bytes(vendor)
    saves, floors, ratios = [], [], []
    for number in range(WARM_UP, WARM_UP + SAVES):
        edited = _edit(draft.design, number)
        before_floor = _floor(text)
        started = time.perf_counter()
        draft = _wizard_save(draft, user, edited)
        saves.append(time.perf_counter() - started)
        floor = (before_floor + _floor(text)) / 2  # just before and just after: the same spell
        floors.append(floor)
        ratios.append(saves[-1] / floor)
        _vacuum_drafts(vendor)
    grown = _database_bytes(vendor) - before
    figures = {
        "design_bytes": len(text.encode("utf-8")),
        "design_compressed": len(zlib.compress(text.encode("utf-8"))),
        "bytes_per_save": grown / SAVES,
        "save_ms": statistics.median(saves) * 1000,
        "floor_ms": statistics.median(floors) * 1000,
        "ratio": statistics.median(ratios),
    }
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_column_size(design) FROM connectors_connectordraft WHERE id = %s",
                [draft.pk],
            )
            figures["dead_row_bytes"] = cursor.fetchone()[0]
    draft = ConnectorDraft.objects.get(pk=draft.pk)
    return figures, draft


def _request(client: Any, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(captured)


def _median_request(client: Any, urls: list[str]) -> dict[str, tuple[float, int]]:
    """Median server time (ms) and queries of each URL, taking turns."""
    times: dict[str, list[float]] = {url: [] for url in urls}
    queries: dict[str, int] = {}
    for _ in range(RUNS):
        for url in urls:
            elapsed, count = _request(client, url)
            times[url].append(elapsed)
            queries[url] = count
    return {url: (statistics.median(times[url]) * 1000, queries[url]) for url in urls}


def _analyze(vendor: str) -> None:
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _pages(vendor: str, draft: Any, user: Any, team: Any) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from connectors import services
    from connectors.domain.design import new_design
    from connectors.models import ConnectorDraft, Revision

    client = Client()
    client.force_login(user)
    drafts_url = reverse("connectors:draft_list")
    history_url = reverse("connectors:draft_history", args=[draft.pk])
    services.draft_mark_downloaded(draft=draft, version=1)
    small_revisions = draft.revisions.count()
    small = new_design("Bulk")

    def add_drafts(start: int, stop: int) -> None:
        rows = (
            ConnectorDraft(team=team, title=f"Bulk {n:05d}", design=small)
            for n in range(start, stop)
        )
        ConnectorDraft.objects.bulk_create(rows, batch_size=1000)

    add_drafts(1, FEW_DRAFTS)  # with the Encodian draft: more than a page
    client.get(history_url)  # fills the cache of breaking changes of the page's pairs
    few = _median_request(client, [drafts_url, history_url])
    add_drafts(FEW_DRAFTS, DRAFTS)
    roots = list(draft.revisions.order_by("number").values_list("root", flat=True))
    start = draft.revisions.count() + 1
    Revision.objects.bulk_create(
        (
            Revision(draft=draft, number=n, root=roots[n % len(roots)], message=f"Save {n}")
            for n in range(start, REVISIONS + 1)
        ),
        batch_size=1000,
    )
    ConnectorDraft.objects.filter(pk=draft.pk).update(version=REVISIONS)
    _analyze(vendor)  # what autovacuum does after a bulk insert: the planner sees the rows
    cache.clear()
    cold, cold_queries = _request(client, history_url)
    client.get(history_url + "?page=10")
    many_urls = [drafts_url, drafts_url + "?page=100", history_url, history_url + "?page=10"]
    many = _median_request(client, many_urls)
    return {
        "drafts_small": few[drafts_url],
        "history_small": few[history_url],
        "history_small_revisions": small_revisions,
        "drafts_page1": many[drafts_url],
        "drafts_page100": many[many_urls[1]],
        "history_page1": many[history_url],
        "history_page10": many[many_urls[3]],
        "history_cold": (cold * 1000, cold_queries),
    }


def child(vendor: str, database_url: str) -> dict[str, Any]:
    _setup_django(database_url)
    from django.conf import settings
    from django.test.runner import DiscoverRunner

    database = settings.DATABASES["default"]
    folder = tempfile.mkdtemp(prefix="revision-bench-")
    test_name = (
        str(Path(folder) / "bench.sqlite3")
        if vendor == "sqlite"
        else f"bench_revisions_{os.getpid()}"
    )
    database.setdefault("TEST", {})["NAME"] = test_name
    from django.core.management import call_command

    # DEBUG off serves the files collectstatic wrote (hashed names): collect them for the run.
    call_command("collectstatic", interactive=False, verbosity=0)
    runner = DiscoverRunner(verbosity=0, interactive=False)
    runner.setup_test_environment()
    old = runner.setup_databases()
    try:
        from connectors import services
        from tests.factories import make_team, make_user

        user = make_user("bench")
        team = make_team("Bench", owner=user)
        draft = services.draft_create(team=team, user=user, title="Encodian", design=_encodian())
        figures, draft = _saves(vendor, draft, user)
        figures.update(_pages(vendor, draft, user, team))
        return figures
    finally:
        runner.teardown_databases(old)
        runner.teardown_test_environment()


# -- the parent: both databases, the table --------------------------------------------------------


def _run_child(vendor: str, url: str) -> dict[str, Any] | None:
    done = subprocess.run(
        [sys.executable, __file__, "--child", vendor, url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        print(f"{vendor}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _kb(value: float) -> str:
    return f"{value / 1024:.1f}"


def _ms(pair: tuple[float, int]) -> str:
    return f"{pair[0]:.1f} ms ({pair[1]} queries)"


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"Encodian draft ({_kb(next(iter(results.values()))['design_bytes'])} KB of design "
        f"JSON); {SAVES} one-description saves after {WARM_UP} warm-up saves; server times "
        f"median of {RUNS} requests.",
        "",
        "| database | KB added per save | target met | save (ms) | floor (ms) | save / floor "
        "| target met |",
        "|---|---:|---|---:|---:|---:|---|",
    ]
    for vendor, r in results.items():
        ratio = r["ratio"]
        lines.append(
            f"| {vendor} | {_kb(r['bytes_per_save'])} | "
            f"{'yes' if r['bytes_per_save'] <= TARGET_BYTES else 'NO'} | {r['save_ms']:.1f} | "
            f"{r['floor_ms']:.1f} | {ratio:.2f} | {'yes' if ratio <= TARGET_RATIO else 'NO'} |"
        )
    lines += [
        "",
        f"| database | draft list, {FEW_DRAFTS} drafts | 10,000 drafts, page 1 | page 100 "
        "| history, few revisions | 1,000 revisions, page 1 | page 10 | page 1 uncached |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for vendor, r in results.items():
        cells = [
            "drafts_small",
            "drafts_page1",
            "drafts_page100",
            "history_small",
            "history_page1",
            "history_page10",
            "history_cold",
        ]
        lines.append(f"| {vendor} | " + " | ".join(_ms(tuple(r[c])) for c in cells) + " |")
    few = next(iter(results.values()))["history_small_revisions"]
    notes = [
        f"\nThe history with few revisions has {few}. Page 1 uncached: the first view of a "
        "page computes the breaking changes of each of its revisions against the downloaded "
        "one (an export and a comparison of the whole connector each), then caches them."
    ]
    for vendor, r in results.items():
        if "dead_row_bytes" in r:
            notes.append(
                f" On {vendor}, each save also leaves the draft row's previous version "
                f"({_kb(r['dead_row_bytes'])} KB once TOAST-compressed) until (auto)vacuum "
                "reclaims it for the next save; it is not history, and it does not accumulate."
            )
    return "\n".join(lines) + "\n" + "".join(notes) + "\n"


def write_readme(text: str) -> None:
    readme = README.read_text()
    start = readme.index(HEADING)
    begin = readme.index("<!-- REVISIONS -->", start) + len("<!-- REVISIONS -->")
    end = readme.index("<!-- /REVISIONS -->", begin)
    README.write_text(readme[:begin] + "\n" + text + readme[end:])


def main() -> None:
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
        return
    targets: list[tuple[str, str]] = [("sqlite", "sqlite:///bench-unused.sqlite3")]
    if os.environ.get("BENCH_POSTGRES", "1") != "0":
        targets.append(("postgresql", POSTGRES_URL))
    results: dict[str, dict[str, Any]] = {}
    for vendor, url in targets:
        found = _run_child(vendor, url)
        if found is not None:
            results[vendor] = found
    if not results:
        sys.exit("No database could be measured.")
    text = table(results)
    print(text)
    if os.environ.get("BENCH_WRITE", "1") != "0":
        write_readme(text)


if __name__ == "__main__":
    main()
