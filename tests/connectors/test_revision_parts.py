"""Revisions stored as parts: what a save adds, what reads back, what goes with a draft."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from connectors import selectors, services
from connectors.domain.documents import load_document
from connectors.domain.lint import lint_design
from connectors.domain.swagger.importing.connector import import_connector
from connectors.fields import OrderedJSONField
from connectors.models import ConnectorDraft, DesignPart, Revision
from tests.factories import make_team, make_user
from tests.paths import SHARED

pytestmark = pytest.mark.django_db

ENCODIAN = SHARED / "corpus" / "dev" / "Encodian"


def encodian() -> dict[str, Any]:
    swagger = load_document((ENCODIAN / "apiDefinition.swagger.json").read_bytes())
    properties = load_document((ENCODIAN / "apiProperties.json").read_bytes())
    return import_connector(swagger, properties).design


def text(design: Any) -> str:
    return OrderedJSONField().get_prep_value(design)


def stored_bytes(draft: ConnectorDraft) -> int:
    return sum(
        len(data) for data in DesignPart.objects.filter(draft=draft).values_list("data", flat=True)
    )


def first_operation(design: dict[str, Any], index: int = 40) -> dict[str, Any]:
    item = list(design["passthrough"]["swagger"]["paths"].values())[index]
    return next(op for key, op in item.items() if key != "parameters")


def test_a_one_description_save_of_a_large_connector_stores_a_few_kilobytes() -> None:
    user = make_user()
    draft = services.draft_create(
        team=make_team(owner=user), user=user, title="E", design=encodian()
    )
    after_create = stored_bytes(draft)
    assert after_create < len(text(draft.design)) // 2  # compressed, each part once
    sizes = []
    for number in range(3):
        design = copy.deepcopy(draft.design)
        first_operation(design)["description"] = f"Edited {number}."
        before = stored_bytes(draft)
        draft = services.draft_save(
            draft=draft, user=user, design=design, based_on_version=draft.version
        )
        sizes.append(stored_bytes(draft) - before)
    assert all(0 < size < 6 * 1024 for size in sizes), sizes
    # The trigger's description and the general description cost even less.
    for edit in ("trigger", "general"):
        design = copy.deepcopy(draft.design)
        (design["triggers"][0] if edit == "trigger" else design["general"])["description"] = "New."
        before = stored_bytes(draft)
        draft = services.draft_save(
            draft=draft, user=user, design=design, based_on_version=draft.version
        )
        assert 0 < stored_bytes(draft) - before < 3 * 1024


def test_every_revision_reads_back_the_exact_text_it_saved() -> None:
    user = make_user()
    saved = [encodian()]
    draft = services.draft_create(team=make_team(owner=user), user=user, title="E", design=saved[0])
    edits = [
        lambda d: first_operation(d, 3).update(summary="Ünïcode “quotes” \\ / \u2028"),
        lambda d: d["passthrough"]["swagger"]["paths"].pop(
            next(iter(d["passthrough"]["swagger"]["paths"]))
        ),
        lambda d: d["triggers"].append(copy.deepcopy(d["triggers"][0])),
        lambda d: d["passthrough"]["swagger"]["definitions"].update(
            {"Zz": {"type": "object"}, "Aa": {}}
        ),
        lambda d: d["general"].update(title="Renamed"),
    ]
    for edit in edits:
        design = copy.deepcopy(saved[-1])
        edit(design)
        saved.append(copy.deepcopy(design))
        draft = services.draft_save(
            draft=draft, user=user, design=design, based_on_version=draft.version
        )
    revisions = list(Revision.objects.filter(draft=draft).order_by("number"))
    selectors.revision_designs(draft=draft, revisions=revisions)
    assert [text(r.design) for r in revisions] == [text(d) for d in saved]
    fresh = Revision.objects.get(draft=draft, number=2)  # read on its own, through the property
    assert text(fresh.design) == text(saved[1])
    assert text(ConnectorDraft.objects.get(pk=draft.pk).design) == text(saved[-1])


def test_restore_diff_and_the_list_counts_work_on_part_revisions() -> None:
    user = make_user()
    original = encodian()
    draft = services.draft_create(team=make_team(owner=user), user=user, title="E", design=original)
    design = copy.deepcopy(original)
    first_operation(design)["operationId"] = first_operation(design, 41)["operationId"]  # an error
    draft = services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    found = lint_design(design)
    assert draft.lint_errors == sum(f.severity == "error" for f in found) > 0
    assert draft.lint_warnings == sum(f.severity == "warning" for f in found)
    comparison = selectors.revision_compare(draft=draft, old=1, new=2)
    assert any("operationId" in line.text for line in comparison.lines)
    revision = selectors.revision_get(draft=draft, number=1)
    draft = services.revision_restore(draft=draft, revision=revision, user=user, based_on_version=2)
    assert text(draft.design) == text(original)
    assert Revision.objects.get(draft=draft, number=3).root == revision.root  # nothing new stored
    assert draft.lint_errors == sum(f.severity == "error" for f in lint_design(original))


def test_a_stale_save_stores_no_part() -> None:
    user = make_user()
    draft = services.draft_create(
        team=make_team(owner=user), user=user, title="E", design=encodian()
    )
    parts = DesignPart.objects.filter(draft=draft).count()
    design = copy.deepcopy(draft.design)
    first_operation(design)["description"] = "Too late."
    with pytest.raises(services.DraftConflict):
        services.draft_save(draft=draft, user=user, design=design, based_on_version=0)
    assert DesignPart.objects.filter(draft=draft).count() == parts


def test_parts_go_with_their_draft_and_drafts_share_none() -> None:
    user = make_user()
    team = make_team(owner=user)
    draft = services.draft_create(team=team, user=user, title="E", design=encodian())
    copy_ = services.draft_duplicate(draft=draft, user=user)
    assert DesignPart.objects.filter(draft=copy_).exists()
    ConnectorDraft.objects.filter(pk=draft.pk).delete()
    assert not DesignPart.objects.filter(draft_id=draft.pk).exists()
    assert json.loads(text(Revision.objects.get(draft=copy_).design))["general"]["title"].endswith(
        "(copy)"
    )
