"""The linter's output is bounded: path bombs, capped findings per operation and per rule,
clipped quotes. (Peak memory and time are measured by bench/lint_bench.py, not here.)"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from connectors.domain.lint import lint_swagger
from connectors.domain.lint.engine import MESSAGE_LIMIT, PER_OPERATION, PER_RULE
from connectors.domain.lint.quoting import clip
from tests.connectors.domain.lint.lint_builders import REGISTER, edit, webhook

MISSING = "OperationMissingPathParameter"


def _one_get(path: str) -> dict[str, Any]:
    get = {"operationId": "Get", "responses": {"200": {"description": "ok"}}}
    return {"swagger": "2.0", "info": {"title": "B", "version": "1"}, "paths": {path: {"get": get}}}


def path_bomb(size: int) -> dict[str, Any]:
    """One GET whose path is /{x}/{x}/... (about ``size`` bytes) and no path parameter."""
    return _one_get("/{x}" * (size // 4))


@pytest.mark.parametrize("kb", [32, 64, 128])
def test_path_bombs_give_few_short_findings(kb: int) -> None:
    doc = path_bomb(kb * 1024)
    assert len(json.dumps(doc)) >= kb * 1024
    findings = lint_swagger(doc)
    assert len(findings) < 20
    assert max(len(f.message) for f in findings) <= MESSAGE_LIMIT
    assert max(len(f.fix) for f in findings) <= MESSAGE_LIMIT
    # A variable used 8,000 times needs one parameter: one finding, not one per use.
    (missing,) = [f for f in findings if f.rule == MISSING]
    assert "'x'" in missing.message and "\u2026" in missing.message
    assert "LinterRuleFailed" not in {f.rule for f in findings}


def test_distinct_variables_are_capped_per_operation_with_one_more_finding() -> None:
    doc = _one_get("".join(f"/{{v{i}}}" for i in range(500)))
    missing = [f for f in lint_swagger(doc) if f.rule == MISSING]
    assert len(missing) == PER_OPERATION + 1
    more = [f for f in missing if "more finding" in f.message]
    assert len(more) == 1
    assert f"{500 - PER_OPERATION} more findings of this rule left out" in more[0].message
    assert more[0].pointer == "/paths/" + "".join(f"~1{{v{i}}}" for i in range(500)) + "/get"
    assert more[0].severity == "error"


def test_findings_are_capped_per_rule() -> None:
    get = {"operationId": "Get", "responses": {"200": {"description": "ok"}}}
    paths = {
        f"/items{i}/{{id}}": {"get": dict(get, operationId=f"Get{i}")} for i in range(PER_RULE + 50)
    }
    doc = {"swagger": "2.0", "info": {"title": "B", "version": "1"}, "paths": paths}
    counts = Counter(f.rule for f in lint_swagger(doc))
    assert counts[MISSING] == PER_RULE + 1
    (more,) = [f for f in lint_swagger(doc) if f.rule == MISSING and "more" in f.message]
    assert "50 more findings of this rule left out" in more.message


def test_a_huge_quoted_value_is_clipped_in_the_message() -> None:
    summary = "Created " + "word " * 20_000 + "end"
    doc = edit(webhook(), (REGISTER + "/summary", summary))
    (finding,) = [f for f in lint_swagger(doc) if f.rule == "TriggerSummaryNotWhen"]
    assert len(finding.message) <= MESSAGE_LIMIT
    assert finding.message.startswith("The summary of trigger OnOrderCreated ('Created word")


def test_a_long_unbroken_value_keeps_its_start_and_end() -> None:
    host = "h" * 5000 + "/end"
    (finding,) = [f for f in lint_swagger(edit(webhook(), ("/host", host))) if f.pointer == "/host"]
    assert len(finding.message) < 400


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 120, "short"),
        ("a" * 120, 120, "a" * 120),
        ("abcdefghij" * 3, 10, "abcdef\u2026hij"),
    ],
)
def test_clip(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit
