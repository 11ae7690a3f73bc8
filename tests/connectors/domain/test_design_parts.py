"""Cutting a design into content-addressed parts and putting it back, byte for byte."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from connectors.domain.design_parts import PartsMissing, assemble, assemble_text, node_refs, split
from connectors.domain.documents import DocumentError, load_document
from connectors.domain.swagger.importing.connector import import_connector
from tests.paths import SHARED

CORPUS = SHARED / "corpus" / "dev"
CONNECTORS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def dumped(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def imported(name: str) -> dict[str, Any] | None:
    try:
        swagger = load_document((CORPUS / name / "apiDefinition.swagger.json").read_bytes())
    except DocumentError:
        return None
    return import_connector(swagger).design


@pytest.mark.parametrize("name", CONNECTORS)
def test_every_corpus_design_comes_back_byte_for_byte(name: str) -> None:
    design = imported(name)
    if design is None:
        return
    cut = split(design)
    assert cut.text == dumped(design)
    assert assemble_text(cut.root, cut.parts) == cut.text
    assert list(assemble(cut.root, cut.parts)["passthrough"]["swagger"]) == list(
        design["passthrough"]["swagger"]
    )


ODD = [
    {},
    [],
    "a design that is text",
    {"triggers": "not a list", "passthrough": []},
    {"triggers": [1, None, {"a": {}}], "passthrough": {"swagger": {"paths": {"$ref": "x"}}}},
    {"passthrough": {"swagger": {"paths": {"/a": [], "/b": {"get": {}}}, "definitions": {}}}},
    {"general": {"title": 'Ünï “q” \\ " / \u2028 \x00', "n": [1.5, 1e300, -0.0, True, None]}},
    {"passthrough": {"properties": {"properties": {"z": 1, "a": 2}}, "swagger": None}},
]


@pytest.mark.parametrize("design", ODD)
def test_any_json_value_comes_back_byte_for_byte(design: Any) -> None:
    cut = split(design)
    assert cut.text == dumped(design)
    assert assemble_text(cut.root, cut.parts) == cut.text


def test_the_same_design_gives_the_same_parts() -> None:
    design = imported("Encodian")
    assert design is not None
    assert split(design).parts == split(copy.deepcopy(design)).parts


def test_one_description_changes_a_few_small_parts() -> None:
    design = imported("Encodian")
    assert design is not None
    before = split(design)
    paths = design["passthrough"]["swagger"]["paths"]
    item = paths[list(paths)[100]]
    next(op for key, op in item.items() if key != "parameters")["description"] = "Changed."
    after = split(design)
    new = {name: text for name, text in after.parts.items() if name not in before.parts}
    # The operation, its path item, its group, the paths, the swagger, passthrough, the root.
    assert len(new) == 7
    assert sum(len(text) for text in new.values()) < 12 * 1024
    assert len(after.parts) == len(before.parts)  # the old ones are simply no longer named


def test_adding_a_path_moves_one_group_only() -> None:
    design = imported("Encodian")
    assert design is not None
    before = split(design)
    design["passthrough"]["swagger"]["paths"]["/added"] = {"get": {"operationId": "Added"}}
    after = split(design)
    new = [name for name in after.parts if name not in before.parts]
    assert len(new) <= 7


def test_node_refs_name_every_child() -> None:
    cut = split({"general": {"a": 1}, "triggers": [{"kind": "webhook"}], "x": 2})
    root = node_refs(cut.parts[cut.root])
    assert [kind for kind, _ in root] == ["v", "n", "v"]
    assert all(name in cut.parts for _, name in root)


def test_a_missing_part_is_named() -> None:
    cut = split({"general": {"title": "T"}, "triggers": []})
    parts = dict(cut.parts)
    leaf = next(name for kind, name in node_refs(parts[cut.root]) if kind == "v")
    del parts[leaf]
    with pytest.raises(PartsMissing, match=leaf):
        assemble(cut.root, parts)
