"""Designs keep their key order through the database, PostgreSQL included (jsonb re-sorts keys)."""

from __future__ import annotations

import pytest

from connectors.domain.design import new_design
from connectors.models import ConnectorDraft, Revision
from tests.factories import make_team, make_user

pytestmark = pytest.mark.django_db

UNSORTED = {"zeta": {"type": "string"}, "alpha": {"type": "integer"}, "mid": {"type": "boolean"}}


def test_design_key_order_survives_a_round_trip() -> None:
    from connectors import services

    user = make_user()
    design = new_design("Order")
    design["passthrough"]["swagger"] = {
        "paths": {"/z": {}, "/a": {}},
        "definitions": {"Event": {"type": "object", "properties": UNSORTED}},
    }
    draft = services.draft_create(
        team=make_team(owner=user), user=user, title="Order", design=design
    )
    stored = ConnectorDraft.objects.get(pk=draft.pk).design
    assert list(stored["passthrough"]["swagger"]["paths"]) == ["/z", "/a"]
    properties = stored["passthrough"]["swagger"]["definitions"]["Event"]["properties"]
    assert list(properties) == ["zeta", "alpha", "mid"]
    assert list(stored) == list(design)
    revision = Revision.objects.get(draft=draft)
    assert list(revision.design["passthrough"]["swagger"]["paths"]) == ["/z", "/a"]


def test_unicode_and_nested_values_come_back_equal() -> None:
    from connectors import services

    user = make_user()
    design = new_design("Überwachung ✓")
    design["general"]["description"] = 'Läuft, wenn ein Auftrag eingeht: "quoted" \\ back'
    draft = services.draft_create(team=make_team(owner=user), user=user, title="x", design=design)
    assert ConnectorDraft.objects.get(pk=draft.pk).design == design
