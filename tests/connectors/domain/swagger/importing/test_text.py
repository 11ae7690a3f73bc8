"""The editor's text imported into a design: apiProperties and samples kept, refusals placed."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.domain.design import new_design
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.importing.text import EditorTextError, import_edited_swagger


def design_with_trigger() -> dict[str, Any]:
    design = new_design("Orders")
    design["triggers"].append(
        new_webhook_trigger(
            summary="When an order is created",
            operation_id="OnOrderCreated",
            path="/hooks",
            notification_samples=[{"id": 1}],
        )
    )
    design["general"]["iconBrandColor"] = "#8a2be2"
    design["general"]["stackOwner"] = "Contoso"
    return design


@pytest.mark.parametrize("dump", [dump_json, dump_yaml], ids=["json", "yaml"])
def test_the_unchanged_text_gives_back_the_same_files_and_samples(dump: Any) -> None:
    design = design_with_trigger()
    result = import_edited_swagger(dump(export_swagger(design)), design).design
    assert export_swagger(result) == export_swagger(design)
    assert export_properties(result) == export_properties(design)  # colour, stack owner...
    assert result["general"]["stackOwner"] == "Contoso"
    assert result["triggers"][0]["notification"]["samples"] == [{"id": 1}]


def test_tray_settings_only_the_design_holds_survive_an_editor_save() -> None:
    design = design_with_trigger()
    tray = {"delivery": "acknowledge", "reply": {"status": 202, "contentType": "text/plain"}}
    design["triggers"][0]["tray"] = tray
    result = import_edited_swagger(dump_json(export_swagger(design)), design).design
    assert result["triggers"][0]["tray"] == tray
    renamed = dump_json(export_swagger(design)).replace('"OnOrderCreated"', '"OnOrderPlaced"')
    assert "tray" not in import_edited_swagger(renamed, design).design["triggers"][0]


def test_a_renamed_trigger_starts_without_the_old_samples() -> None:
    design = design_with_trigger()
    text = dump_json(export_swagger(design)).replace('"OnOrderCreated"', '"OnOrderPlaced"')
    [trigger] = import_edited_swagger(text, design).design["triggers"]
    assert trigger["operationId"] == "OnOrderPlaced"
    assert trigger["notification"]["samples"] == []


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('{\n  "swagger": "2.0",\n  "paths": {,}\n}', 3, 13, "expecting property name"),
        ("swagger: '2.0'\npaths:\n  - [\n", 4, 1, "not valid YAML"),
        ('{\n  "info": {},\n  "openapi": "3.0.0",\n  "paths": {}\n}', 3, 3, "(at /openapi)"),
        ('{\n  "info": {},\n  "paths": {}\n}', 1, 1, 'no "swagger" version'),
        ('{\n  "swagger": "2.0",\n  "paths": []\n}', 3, 3, "paths is not an object"),
    ],
    ids=["json", "yaml", "openapi-3", "no-version", "paths-not-object"],
)
def test_a_refusal_names_its_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(EditorTextError) as caught:
        import_edited_swagger(text, new_design("Orders"))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"Line {line}, column {column}: ")
    assert words in str(caught.value)
