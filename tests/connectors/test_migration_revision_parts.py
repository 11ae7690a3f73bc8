"""Migration 0012 moves revisions written as full copies into parts, and back.

The test goes back to 0011, writes revisions the old way (a JSON text column, keys in their
order), migrates forward and reads every revision back through the new model: the same text,
byte for byte. Then backward: the old column holds the same text again.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from connectors.domain.documents import load_document
from connectors.domain.swagger.importing.connector import import_connector
from connectors.fields import OrderedJSONField
from connectors.models import DesignPart, Revision
from connectors.models_parts import texts_of
from tests.paths import SHARED

BEFORE = [("connectors", "0011_simulator_batch_faults")]
AFTER = [("connectors", "0012_revision_parts")]
ENCODIAN = SHARED / "corpus" / "dev" / "Encodian"


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_parts(transactional_db: None) -> Iterator[Any]:
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def old_designs() -> list[dict[str, Any]]:
    swagger = load_document((ENCODIAN / "apiDefinition.swagger.json").read_bytes())
    first = import_connector(swagger).design
    second = copy.deepcopy(first)
    second["general"]["description"] = "Second, with “quotes” and ünïcode."
    third = copy.deepcopy(second)
    paths = third["passthrough"]["swagger"]["paths"]
    third["passthrough"]["swagger"]["paths"] = dict(reversed(list(paths.items())))  # key order
    odd = {"designVersion": 1, "general": {"z": 1, "a": [1.5, None, True]}, "triggers": "x"}
    return [first, second, third, odd]


def test_old_revisions_read_back_byte_identical_after_the_migration(before_parts: Any) -> None:
    apps = before_parts
    team = apps.get_model("connectors", "Team").objects.create(name="T", slug="t")
    Draft = apps.get_model("connectors", "ConnectorDraft")
    OldRevision = apps.get_model("connectors", "Revision")
    designs = old_designs()
    drafts = [Draft.objects.create(team=team, title=f"D{n}", design=designs[-1]) for n in (1, 2)]
    for draft in drafts:  # two drafts with the same designs: each keeps parts of its own
        for number, design in enumerate(designs, start=1):
            OldRevision.objects.create(draft=draft, number=number, design=design)
    texts = {
        (r.draft_id, r.number): OrderedJSONField().get_prep_value(r.design)
        for r in OldRevision.objects.all()
    }
    with connection.cursor() as cursor:  # what the old column held, as stored
        cursor.execute("SELECT draft_id, number, design FROM connectors_revision")
        assert {(d, n): t for d, n, t in cursor.fetchall()} == texts

    migrate(AFTER)
    for draft in drafts:  # the text put back together from the parts: the stored bytes
        roots = dict(Revision.objects.filter(draft_id=draft.pk).values_list("root", "number"))
        for root, text in texts_of(draft_id=draft.pk, roots=roots).items():
            assert text == texts[(draft.pk, roots[root])]
    revisions = Revision.objects.order_by("draft_id", "number")
    read = {(r.draft_id, r.number): OrderedJSONField().get_prep_value(r.design) for r in revisions}
    assert read == texts
    for draft in drafts:
        assert DesignPart.objects.filter(draft_id=draft.pk).exists()
    roots = dict(Revision.objects.filter(draft_id=drafts[0].pk).values_list("number", "root"))
    assert len(set(roots.values())) == len(designs)

    apps = migrate(BEFORE)
    back = apps.get_model("connectors", "Revision").objects.all()
    assert {
        (r.draft_id, r.number): OrderedJSONField().get_prep_value(r.design) for r in back
    } == texts
