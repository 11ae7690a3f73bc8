"""The Values rows over the dev corpus: every imported trigger parameter's dynamic values show in
its row, and sending the rows back unchanged exports the very same swagger (byte for byte)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.forms_dynamic import DynamicValuesForms
from tests.connectors.domain.swagger.test_corpus_roundtrip import WELL_FORMED, _design
from tests.html_forms import form_fields

WITH_VALUES = [
    name
    for name in WELL_FORMED
    if any(
        "x-ms-dynamic-values" in (p.get("extras") or {})
        or "x-ms-dynamic-list" in (p.get("extras") or {})
        for t in _design(name)["triggers"]
        for p in t["request"]["parameters"]
        if "ref" not in p
    )
]


def posted(trigger: dict[str, Any], design: dict[str, Any]) -> dict[str, Any]:
    """What the page sends for the rows: each field as rendered, and the rows' names."""
    rows = DynamicValuesForms(trigger=trigger, design=design)
    html = "".join(str(form[name]) for form in rows.forms for name in form.fields)
    data: dict[str, Any] = dict(form_fields(f'<form id="wizard-form">{html}</form>'))
    modeled = [p for p in trigger["request"]["parameters"] if "ref" not in p]
    for index, parameter in enumerate(modeled):
        data[f"params-{index}-name"] = parameter["name"]
        data[f"params-{index}-location"] = parameter["in"]
    return data


def test_the_corpus_has_trigger_parameters_with_dynamic_values() -> None:
    assert {"JIRA", "Team_Forms", "FORCAM_FORCE_Bridge", "Microsoft_Bookings"} <= set(WITH_VALUES)


@pytest.mark.parametrize("name", WITH_VALUES)
def test_unchanged_rows_keep_the_export_byte_identical(name: str) -> None:
    design = copy.deepcopy(_design(name))
    before = json.dumps(export_swagger(design), indent=4)
    shown = 0
    for trigger in design["triggers"]:
        data = posted(trigger, design)
        shown += list(data.values()).count("dynamic")
        rows = DynamicValuesForms(data, trigger=trigger, design=design)
        assert rows.is_bound == any(key.startswith("dynamic-") for key in data)
        assert rows.is_valid(), rows.errors
        assert not any(form.has_changed() for form in rows.forms)
        rows.apply_trigger(trigger)
    assert shown > 0  # the imported values are in the rows
    assert json.dumps(export_swagger(design), indent=4) == before


def test_a_changed_row_does_change_the_export() -> None:
    """The identity above can fail: switching a row to Static removes its extensions."""
    design = copy.deepcopy(_design("JIRA"))
    trigger = next(t for t in design["triggers"] if "x-ms-dynamic-values" in json.dumps(t))
    data = posted(trigger, design)
    mode = next(key for key, value in data.items() if value == "dynamic")
    data[mode] = "static"
    rows = DynamicValuesForms(data, trigger=trigger, design=design)
    assert rows.is_valid()
    rows.apply_trigger(trigger)
    assert "x-ms-dynamic-values" not in json.dumps(trigger)
