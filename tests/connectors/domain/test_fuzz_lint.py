"""Property test: dev-corpus swaggers mutated by hypothesis (keys deleted, wrong types, deep
nesting, huge strings, odd $refs, path bombs) are imported or refused with the import error,
and linted without an exception, a failing rule, or unbounded output.

A fixed, derandomized example budget keeps the run deterministic and to a few seconds; the
hostile shapes come from the fuzzing that found the path bomb (bench/lint_bench.py measures it).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.domain.lint import Finding, lint_design, lint_swagger
from connectors.domain.lint.engine import MESSAGE_LIMIT, PER_RULE
from connectors.domain.swagger.importing.connector import SwaggerImportError, import_connector
from tests.paths import SHARED

CORPUS = SHARED / "corpus" / "dev"
SMALL_ENOUGH = 80_000  # bytes: keeps every example fast; the mutations make them big


@cache
def corpus() -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    found = {}
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        raw = (folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig")
        if len(raw) > SMALL_ENOUGH:
            continue
        try:
            swagger = json.loads(raw)
        except ValueError:
            continue  # DocuSignDemo: not JSON, as upstream
        props = folder / "apiProperties.json"
        properties = json.loads(props.read_text(encoding="utf-8-sig")) if props.exists() else None
        found[folder.name] = (swagger, properties)
    return found


def _deep(levels: int) -> Any:
    node: Any = {"type": "string"}
    for index in range(levels):
        node = {"type": "object", "properties": {"a": node}} if index % 2 else [node]
    return node


ODD_REFS = ["#", "#/", "#/paths", "#/definitions/Gone", "http://x/y.json", "#/definitions/~2", 5]
# Values a mutation puts in place of a node (each shape once broke some tool on fuzzing).
PAYLOADS = st.one_of(
    st.sampled_from([None, True, 0, -1.5, "", [], {}, [None], {"a": {"b": []}}]),
    st.integers(min_value=40, max_value=300).map(_deep),
    st.integers(min_value=1_000, max_value=60_000).map(lambda n: "x" * n),
    st.sampled_from(ODD_REFS).map(lambda ref: {"$ref": ref}),
    st.text(max_size=40),
)


def _spots(doc: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) of ``doc``, in a stable order."""
    found, stack = [], [doc]
    while stack:
        node = stack.pop()
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def _path_bomb(doc: dict[str, Any], size: int, distinct: bool) -> None:
    names = (f"v{i}" if distinct else "x" for i in range(size // 5))
    path = "".join(f"/{{{name}}}" for name in names)
    get = {"operationId": "Bomb", "responses": {"200": {"description": "ok"}}}
    paths = doc.get("paths")
    if isinstance(paths, dict):
        paths[path] = {"get": get}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any] | None]:
    name = draw(st.sampled_from(sorted(corpus())))
    swagger, properties = copy.deepcopy(corpus()[name])
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["delete", "replace", "replace", "bomb"]))
        if kind == "bomb":
            size = draw(st.integers(min_value=100, max_value=40_000))
            _path_bomb(swagger, size, draw(st.booleans()))
            continue
        target = swagger if properties is None or draw(st.integers(0, 4)) else properties
        spots = _spots(target)
        if not spots:
            continue
        parent, key = spots[draw(st.integers(min_value=0, max_value=len(spots) - 1))]
        if kind == "delete" and isinstance(parent, dict):
            del parent[key]
        else:
            parent[key] = draw(PAYLOADS)
    return swagger, properties


def _check_bounded(findings: list[Finding]) -> None:
    assert "LinterRuleFailed" not in {f.rule for f in findings}
    per_rule = Counter(f.rule for f in findings)
    assert max(per_rule.values(), default=0) <= PER_RULE + 1
    assert all(len(f.message) <= MESSAGE_LIMIT and len(f.fix) <= MESSAGE_LIMIT for f in findings)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_swaggers_import_or_fail_cleanly_and_lint_bounded(
    case: tuple[dict[str, Any], dict[str, Any] | None],
) -> None:
    swagger, properties = case
    _check_bounded(lint_swagger(swagger, properties=properties))
    raw = json.dumps(swagger).encode("utf-8")
    try:
        result = import_connector(raw, json.dumps(properties) if properties else None)
    except SwaggerImportError as exc:
        assert str(exc).strip()  # a message the upload page can show
        return
    _check_bounded(lint_design(result.design))
