"""The acceptance test of import + export: every real connector of the dev corpus comes back
with the same trigger facts (shared/tools/trigger_facts.py --semantic), schema-valid whenever the
original was, through a design that fits DESIGN_SCHEMA. DocuSignDemo is malformed upstream and
must be refused with the line and column of its trailing comma."""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml

from connectors.domain.design import validate_design
from connectors.domain.documents import DocumentError, load_document
from connectors.domain.lint import lint_design
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.importing.connector import SwaggerImportError, import_connector
from tests.paths import SHARED

# shared/ is a sibling of the repository (CI clones it next to the repo).
SHARED = SHARED
CORPUS = SHARED / "corpus" / "dev"
TRIGGER_FACTS = SHARED / "tools" / "trigger_facts.py"
SWAGGER_FILE = "apiDefinition.swagger.json"
PROPERTIES_FILE = "apiProperties.json"
# Connectors that are malformed upstream: (line, column, what the message says).
MALFORMED = {"DocuSignDemo": (1635, 12, "trailing comma is not allowed in JSON")}
CONNECTORS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
WELL_FORMED = [name for name in CONNECTORS if name not in MALFORMED]


def _validator(schema_file: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SHARED / "schemas" / schema_file).read_text(encoding="utf-8"))
    # apiDefinition declares draft-04, apiProperties draft-07: take the class the file names.
    return jsonschema.validators.validator_for(schema)(schema)  # type: ignore[no-any-return]


def _trigger_facts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trigger_facts", TRIGGER_FACTS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8-sig"))


@functools.cache
def _design(connector: str) -> dict[str, Any]:
    """The imported design (read-only here: the exporters deep-copy what they are given)."""
    folder = CORPUS / connector
    result = import_connector(
        (folder / SWAGGER_FILE).read_bytes(), (folder / PROPERTIES_FILE).read_bytes()
    )
    return validate_design(result.design)


def test_the_corpus_is_there() -> None:
    assert len(CONNECTORS) == 41, f"expected the 41 dev connectors in {CORPUS}"


@pytest.mark.parametrize("connector", sorted(MALFORMED))
def test_malformed_connector_is_refused_with_line_and_column(connector: str) -> None:
    line, column, words = MALFORMED[connector]
    data = (CORPUS / connector / SWAGGER_FILE).read_bytes()
    with pytest.raises(DocumentError) as parsed:
        load_document(data, name=SWAGGER_FILE)
    assert (parsed.value.line, parsed.value.column) == (line, column)
    assert str(parsed.value).startswith(f"{SWAGGER_FILE} line {line}, column {column}: {words}")
    with pytest.raises(SwaggerImportError) as imported:
        import_connector(data)
    assert (imported.value.line, imported.value.column) == (line, column)


@pytest.mark.parametrize("connector", WELL_FORMED)
def test_round_trip_keeps_trigger_facts(connector: str, tmp_path: Path) -> None:
    folder = CORPUS / connector
    exported = tmp_path / SWAGGER_FILE
    exported.write_text(json.dumps(export_swagger(_design(connector)), indent=4), encoding="utf-8")
    facts = subprocess.run(
        [
            sys.executable,
            str(TRIGGER_FACTS),
            "--semantic",
            str(folder / SWAGGER_FILE),
            str(exported),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (facts.returncode, facts.stdout) == (0, "same trigger facts\n"), facts.stdout


@pytest.mark.parametrize(
    ("connector", "file_name", "schema_file"),
    [
        (name, file_name, schema_file)
        for name in WELL_FORMED
        for file_name, schema_file in (
            (SWAGGER_FILE, "apiDefinition.swagger.schema.json"),
            (PROPERTIES_FILE, "paconn-apiProperties.schema.json"),
        )
    ],
)
def test_export_is_schema_valid_when_the_original_was(
    connector: str, file_name: str, schema_file: str
) -> None:
    """A valid original gives a valid export; an invalid one gives no error it did not have."""
    folder = CORPUS / connector
    validator = _validator(schema_file)
    original = {e.message for e in validator.iter_errors(_read(folder, file_name))}
    design = _design(connector)
    exported = export_swagger(design) if file_name == SWAGGER_FILE else export_properties(design)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(exported)]
    if not original:
        assert errors == []
    else:
        new = [e for e in validator.iter_errors(exported) if e.message not in original]
        assert new == [], errors


@pytest.mark.parametrize("connector", WELL_FORMED)
def test_design_matches_the_oracle(connector: str) -> None:
    """Same triggers, same kinds and the same DELETE operation as trigger_facts.py picks."""
    folder = CORPUS / connector
    facts = _trigger_facts().analyze(_read(folder, SWAGGER_FILE))
    design = _design(connector)
    expected = sorted(
        (
            t["path"],
            t["method"],
            "polling" if t["kind"] == "unknown" else t["kind"],
            t["delete"]["operationId"] if t["delete"] else None,
        )
        for t in facts["triggers"]
    )
    actual = sorted(
        (
            t["request"]["path"],
            t["request"]["method"],
            t["kind"],
            t["deleteAction"]["operationId"] if t["deleteAction"] else None,
        )
        for t in design["triggers"]
    )
    assert actual == expected


@pytest.mark.parametrize("connector", WELL_FORMED)
def test_yaml_rendering_imports_to_the_same_design(connector: str) -> None:
    folder = CORPUS / connector
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(
        _read(folder, SWAGGER_FILE), Dumper=dumper, sort_keys=False, allow_unicode=True
    )
    design = import_connector(text, (folder / PROPERTIES_FILE).read_bytes()).design
    assert design == _design(connector)


def _identities(value: Any, found: set[int]) -> set[int]:
    """The ids of every dict and list inside ``value`` (what a caller could change in place)."""
    if isinstance(value, dict | list):
        found.add(id(value))
        for item in value.values() if isinstance(value, dict) else value:
            _identities(item, found)
    return found


@pytest.mark.parametrize("connector", WELL_FORMED)
def test_exporters_never_change_the_design_and_share_only_when_asked(connector: str) -> None:
    design = _design(connector)
    before = json.dumps(design)
    shared = export_swagger(design, share=True)
    separate = export_swagger(design)
    properties = export_properties(design)
    lint_design(design)  # lints the shared export: the linter must not write into it either
    assert json.dumps(design) == before  # nothing was written into the design
    assert shared == separate
    design_parts = _identities(design, set())
    assert not design_parts & _identities(separate, set())
    assert not design_parts & _identities(properties, set())


def _exported(design: dict[str, Any]) -> tuple[str, str]:
    swagger = json.dumps(export_swagger(design), indent=4, ensure_ascii=False)
    return swagger, json.dumps(export_properties(design), indent=4, ensure_ascii=False)


def _reimport(files: tuple[str, str]) -> dict[str, Any]:
    return validate_design(import_connector(files[0], files[1]).design)


@pytest.mark.parametrize("connector", WELL_FORMED)
def test_importing_the_export_gives_the_same_design_and_the_same_bytes(connector: str) -> None:
    design = _design(connector)
    first = _exported(design)
    again = _reimport(first)
    assert again == design
    assert _exported(again) == first


def _with_delete_beside_each_trigger(connector: str) -> list[tuple[str, dict[str, Any]]]:
    """The connector with a DELETE added to the path item of a trigger, one variant each."""
    original = _read(CORPUS / connector, SWAGGER_FILE)
    variants = []
    for path, item in original.get("paths", {}).items():
        trigger = any(isinstance(op, dict) and "x-ms-trigger" in op for op in item.values())
        if trigger and "delete" not in item:
            doc = json.loads(json.dumps(original))
            doc["paths"][path]["delete"] = {"responses": {"200": {"description": "OK"}}}
            variants.append((path, doc))
    return variants


@pytest.mark.parametrize("connector", ["DocuSign", "DeskDirector", "MicrosoftGraphSecurity"])
def test_a_trigger_sharing_its_path_item_with_a_delete_exports_the_same_bytes_again(
    connector: str,
) -> None:
    """Such a path item stays in passthrough, in its place: the triggers around it must keep
    their order in the export, or the next import reorders them (and the next export)."""
    properties = (CORPUS / connector / PROPERTIES_FILE).read_text(encoding="utf-8-sig")
    variants = _with_delete_beside_each_trigger(connector)
    assert variants
    for path, doc in variants:
        design = validate_design(import_connector(json.dumps(doc), properties).design)
        first = _exported(design)
        again = _reimport(first)
        assert [t["operationId"] for t in again["triggers"]] == [
            t["operationId"] for t in design["triggers"]
        ], path
        assert _exported(again) == first, path
