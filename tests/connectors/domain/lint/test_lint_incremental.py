"""The part-cached linter gives exactly the full linter's findings, edit after edit.

For every dev-corpus connector: lint the imported design, then apply random single-part edits
one after the other (a description, a summary, an operationId copied from another operation, a
path removed or added, a definition changed, a trigger's text, the general description) and
compare each time with a full ``lint_design``: same findings, same order, same design fields.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

import pytest

from connectors.domain.documents import DocumentError, load_document
from connectors.domain.lint import RULES, Rule, lint_design
from connectors.domain.lint.incremental import (
    FAILED,
    HITS_KEPT,
    PICKED_INPUTS,
    HitCache,
    lint_design_cached,
)
from connectors.domain.lint.model import Hit
from connectors.domain.swagger.importing.connector import import_connector
from tests.paths import SHARED

CORPUS = SHARED / "corpus" / "dev"
CONNECTORS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
EDITS_PER_CONNECTOR = 8

Design = dict[str, Any]


def imported(name: str) -> Design | None:
    folder = CORPUS / name
    try:
        swagger = load_document((folder / "apiDefinition.swagger.json").read_bytes())
    except DocumentError:
        return None  # DocuSignDemo: not JSON
    props = folder / "apiProperties.json"
    properties = load_document(props.read_bytes()) if props.exists() else None
    return import_connector(swagger, properties).design


def _paths(design: Design) -> dict[str, Any]:
    paths = design["passthrough"]["swagger"].setdefault("paths", {})
    assert isinstance(paths, dict)
    return paths


def _operations(design: Design) -> list[dict[str, Any]]:
    return [
        op
        for item in _paths(design).values()
        if isinstance(item, dict)
        for key, op in item.items()
        if key != "parameters" and isinstance(op, dict)
    ]


def edit_description(design: Design, rng: random.Random) -> None:
    ops = _operations(design)
    if ops:
        rng.choice(ops)["description"] = f"Edited {rng.random()}"


def edit_summary(design: Design, rng: random.Random) -> None:
    ops = _operations(design)
    if ops:
        rng.choice(ops)["summary"] = rng.choice(["Get / put", "x" * 130, "When a thing happens"])


def copy_operation_id(design: Design, rng: random.Random) -> None:
    ops = _operations(design)
    if len(ops) > 1:
        first, second = rng.sample(ops, 2)
        first["operationId"] = second.get("operationId", "Copied")


def remove_path(design: Design, rng: random.Random) -> None:
    paths = _paths(design)
    if paths:
        del paths[rng.choice(list(paths))]


def add_path(design: Design, rng: random.Random) -> None:
    paths = _paths(design)
    if paths:
        source = rng.choice(list(paths))
        paths[source.rstrip("/") + "/{added}"] = copy.deepcopy(paths[source])


def edit_definition(design: Design, rng: random.Random) -> None:
    definitions = design["passthrough"]["swagger"].get("definitions")
    if isinstance(definitions, dict) and definitions:
        schema = definitions[rng.choice(list(definitions))]
        if isinstance(schema, dict):
            props = schema.setdefault("properties", {})
            if isinstance(props, dict):
                props["added"] = {"type": "string", "x-ms-visibility": "internal", "default": "a"}


def make_trigger(design: Design, rng: random.Random) -> None:
    ops = _operations(design)
    if ops:
        rng.choice(ops)["x-ms-trigger"] = rng.choice(["single", "batch", "many"])


def edit_trigger(design: Design, rng: random.Random) -> None:
    if design["triggers"]:
        trigger = rng.choice(design["triggers"])
        trigger["description"] = f"Edited {rng.random()}"
        if rng.random() < 0.5:
            trigger["summary"] = "Fires / sometimes"


def break_ref(design: Design, rng: random.Random) -> None:
    """A $ref of an operation pointed at a definition that does not exist."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [_operations(design)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    if found:
        rng.choice(found)["$ref"] = rng.choice(["#/definitions/Missing", "Other.json#/x"])


def add_internal_parameter(design: Design, rng: random.Random) -> None:
    ops = _operations(design)
    if ops:
        parameter = {"name": "mode", "in": "query", "type": "string", "default": "a"}
        parameter["x-ms-visibility"] = "internal"
        rng.choice(ops).setdefault("parameters", []).append(parameter)


def make_parameter_internal(design: Design, rng: random.Random) -> None:
    """An existing parameter made internal with a default but optional (or an inline body
    schema given such a property): only its content changes, not the parameter list."""
    params = [
        p
        for op in _operations(design)
        for p in (op.get("parameters") if isinstance(op.get("parameters"), list) else [])
        if isinstance(p, dict) and "$ref" not in p
    ]
    if not params:
        return
    param = rng.choice(params)
    schema = param.get("schema")
    if isinstance(schema, dict) and "$ref" not in schema:
        props = schema.setdefault("properties", {})
        if isinstance(props, dict):
            props["hidden"] = {"type": "string", "x-ms-visibility": "internal", "default": "a"}
    else:
        param.update({"x-ms-visibility": "internal", "default": "a", "required": False})


def share_body_definition(design: Design, rng: random.Random) -> None:
    """Two operations given bodies of one definition with an internal optional default: the
    rules that walk each definition once report it at the first operation only."""
    ops = [op for op in _operations(design) if not op.get("parameters")]
    definitions = design["passthrough"]["swagger"].setdefault("definitions", {})
    if len(ops) < 2 or not isinstance(definitions, dict):
        return
    definitions["SharedBody"] = {
        "type": "object",
        "properties": {"mode": {"type": "string", "x-ms-visibility": "internal", "default": "a"}},
    }
    for op in rng.sample(ops, 2):
        body = {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/SharedBody"}}
        op["parameters"] = [body]


def edit_general(design: Design, rng: random.Random) -> None:
    design["general"]["description"] = f"Edited {rng.random()}"


EDITS: list[Callable[[Design, random.Random], None]] = [
    edit_description,
    edit_summary,
    copy_operation_id,
    remove_path,
    add_path,
    edit_definition,
    make_trigger,
    edit_trigger,
    break_ref,
    add_internal_parameter,
    make_parameter_internal,
    make_parameter_internal,
    share_body_definition,
    edit_general,
]


@pytest.mark.parametrize("name", CONNECTORS)
def test_cached_findings_equal_a_full_lint_under_random_edits(name: str) -> None:
    design = imported(name)
    if design is None:
        assert name == "DocuSignDemo"
        return
    rng = random.Random(name)
    cache = HitCache()
    assert lint_design_cached(design, cache=cache) == lint_design(design)
    for _ in range(EDITS_PER_CONNECTOR):
        design = copy.deepcopy(design)
        edit = rng.choice(EDITS)
        edit(design, rng)
        assert lint_design_cached(design, cache=cache) == lint_design(design), edit.__name__


def test_an_edit_relints_only_the_path_item_it_changed() -> None:
    design = imported("Encodian")
    assert design is not None
    cache = HitCache()
    lint_design_cached(design, cache=cache)
    # Each path item's operations, hits, callback sites and scan; each definition's scan.
    parts = cache.misses
    assert parts > 4 * 219 and cache.hits == 0
    edit_description(design, random.Random(1))
    cache.hits = cache.misses = 0
    lint_design_cached(design, cache=cache)
    # The edited item's four, and the rules that read every text (an operation's description).
    text_rules = [rule for rule, pick in PICKED_INPUTS.items() if pick.__name__ == "_texts"]
    assert len(text_rules) == 5
    assert (cache.hits, cache.misses) == (parts - 4 - 5, 4 + 5)
    # The general description is no path item's business: only the text rules run again.
    edit_general(design, random.Random(2))
    cache.hits = cache.misses = 0
    assert lint_design_cached(design, cache=cache) == lint_design(design)
    assert (cache.hits, cache.misses) == (parts - 5, 5)


def test_a_ref_into_the_paths_turns_the_cache_off() -> None:
    design = imported("Encodian")
    assert design is not None
    paths = _paths(design)
    first, second = list(paths)[:2]
    op = next(v for k, v in paths[second].items() if k != "parameters")
    op["responses"] = {"200": {"$ref": "#/paths/" + first.replace("/", "~1") + "/post/responses"}}
    cache = HitCache()
    assert lint_design_cached(design, cache=cache) == lint_design(design)
    # Scans of single parts are still kept (they depend on their part alone), nothing else.
    assert {key.split(":")[0] for key in cache._items} == {"scan"}
    assert cache.misses >= 219 + 364


def test_a_rule_registered_later_runs_on_the_whole_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def count_paths(ctx: Any) -> Any:
        yield Hit("/paths", f"{len(ctx.operations)} operations.", "None.")

    monkeypatch.setitem(
        RULES, "CountsOperations", Rule("CountsOperations", "info", "", count_paths)
    )
    design = imported("Encodian")
    assert design is not None
    found = [
        f for f in lint_design_cached(design, cache=HitCache()) if f.rule == "CountsOperations"
    ]
    assert [f.message for f in found] == [
        f.message for f in lint_design(design) if f.rule == "CountsOperations"
    ]
    assert found[0].message.startswith("2")  # every operation, not one path item's


def test_a_per_item_rule_that_raises_is_reported_once_as_the_engine_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(ctx: Any) -> Any:
        for op in ctx.operations:
            if op.path.endswith("{added}"):
                raise KeyError(op.path)
            yield from ()

    rule = RULES["OperationMissingSummary"]
    monkeypatch.setitem(RULES, rule.id, Rule(rule.id, rule.severity, rule.title, broken))
    design = imported("Encodian")
    assert design is not None
    add_path(design, random.Random(3))
    cached = lint_design_cached(design, cache=HitCache())
    assert cached == lint_design(design)
    assert [f.message for f in cached if f.rule == FAILED] == [
        "The rule OperationMissingSummary could not check this document (KeyError)."
    ]
    assert json.dumps([f.as_dict() for f in cached])  # plain data, as the wizard stores it


def test_a_path_bomb_gives_the_full_findings_and_keeps_few_hits() -> None:
    """500 distinct path variables without parameters: hundreds of hits of one rule on one
    item. The engine caps what it lists; the cache keeps none of them (they are re-read live)."""
    design = imported("Encodian")
    assert design is not None
    path = "".join(f"/{{v{i}}}" for i in range(500))
    _paths(design)[path] = {"get": {"operationId": "Bomb", "responses": {"200": {}}}}
    cache = HitCache()
    assert lint_design_cached(design, cache=cache) == lint_design(design)
    assert lint_design_cached(design, cache=cache) == lint_design(design)  # from the cache
    kept = [
        hits
        for key, found in cache._items.items()
        if key.startswith("hits:")
        for hits in found.values()
        if isinstance(hits, list)
    ]
    assert max(len(hits) for hits in kept) <= HITS_KEPT
    assert any(None in found.values() for found in cache._items.values() if isinstance(found, dict))
