"""Run every registered rule over a swagger and turn the hits into sorted findings.

Purpose: the one entry point others call (``lint_swagger``); it never raises on a document, however
malformed: a rule that fails is reported as a ``LinterRuleFailed`` finding instead.
Input: a swagger document, optionally its apiProperties and the design it was exported from.
Output: ``Finding``s sorted by pointer, then rule id (then message), without duplicates; each
carries the design field it comes from when a design is given.

Bounds: a hostile document must not turn into a huge list of findings (a path of 30,000 template
variables once made 8,000 findings of 32 KB each). Hits are read one at a time; each rule keeps
at most ``PER_OPERATION`` findings per operation and ``PER_RULE`` in all, and reports the rest as
one "and N more" finding; long runs of text in messages (a quoted path or value) are clipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.lint import (  # noqa: F401  (importing a rule module registers its rules)
    dynamic,
    general,
    hybrid,
    lifecycle,
    operations,
    parameters,
    paths,
    polling,
    references,
    responses,
    routing,
    strings,
    webhooks,
)
from connectors.domain.lint.context import Context
from connectors.domain.lint.fields import design_field
from connectors.domain.lint.model import RULES, Finding, Hit, Rule, rule
from connectors.domain.lint.quoting import CLIP, clip
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties

FAILED = "LinterRuleFailed"


@rule(FAILED, "info", "A lint rule could not run on this document")
def _linter_rule_failed(ctx: Context) -> Iterator[Hit]:
    """Never reports on its own; the engine uses its id when another rule raises."""
    return iter(())


PER_RULE = 250  # above the operation count of the largest certified connector (219)
PER_OPERATION = 10
MESSAGE_LIMIT = 600
# A run of text without spaces longer than a clipped value: a quoted path, name or value.
_LONG_RUN = re.compile(r"\S{" + str(CLIP + 1) + ",}")


def shorten(text: str) -> str:
    """``text`` with each long quoted run clipped, and clipped as a whole past MESSAGE_LIMIT."""
    return clip(_LONG_RUN.sub(lambda m: clip(m.group()), text), MESSAGE_LIMIT)


def _operation_of(hit: Hit) -> str:
    """The operation (or path item, or top-level section) a hit is about, for the per-operation
    cap: its ``operation``, else the first three tokens of its pointer."""
    if hit.operation is not None:
        return hit.operation
    tokens = hit.pointer.split("/", 4)[:4]
    if len(tokens) == 4 and tokens[1] == "paths" and tokens[3] in HTTP_METHODS:
        return "/".join(tokens)
    return "/".join(tokens[:3])


def _more(current: Rule, omitted: int, pointer: str) -> Finding:
    return Finding(
        current.id,
        current.severity,
        pointer,
        f"{omitted} more finding{'s' if omitted > 1 else ''} of this rule left out: the linter "
        f"lists at most {PER_OPERATION} per operation and {PER_RULE} per rule.",
        "Fix the findings listed, then lint again to see the others.",
    )


def _rule_findings(current: Rule, ctx: Context, seen: set[tuple[str, str, str]]) -> list[Finding]:
    """The findings of one rule, bounded; a rule that raises gives one LinterRuleFailed."""
    kept: list[Finding] = []
    per_operation: Counter[str] = Counter()
    by_pointer: dict[str, str] = {}  # a long pointer is split only once
    omitted, first_omitted = 0, ""
    try:
        for hit in current.check(ctx):
            key = (current.id, hit.pointer, shorten(hit.message))
            if key in seen:
                continue
            operation = hit.operation or by_pointer.get(hit.pointer)
            if operation is None:
                operation = by_pointer[hit.pointer] = _operation_of(hit)
            if len(kept) >= PER_RULE or per_operation[operation] >= PER_OPERATION:
                first_omitted = first_omitted if omitted else hit.pointer
                omitted += 1
                continue
            seen.add(key)
            per_operation[operation] += 1
            field = _field(ctx, hit)
            kept.append(Finding(current.id, current.severity, *key[1:], shorten(hit.fix), field))
    except Exception as exc:  # a linter bug must not cost the user their page (never a 500)
        failed = RULES[FAILED]
        return [
            Finding(
                failed.id,
                failed.severity,
                "",
                f"The rule {current.id} could not check this document ({type(exc).__name__}).",
                "The other findings are still valid; please report this document to the team.",
            )
        ]
    return [*kept, _more(current, omitted, first_omitted)] if omitted else kept


def _field(ctx: Context, hit: Hit) -> str | None:
    try:
        return design_field(ctx, hit)
    except Exception:  # a design of the wrong shape only loses the link to the field
        return None


def lint_design(design: dict[str, Any]) -> list[Finding]:
    """All findings for the files ``design`` exports to (the linter only reads: the swagger
    may share the design's values, which saves a deep copy on every save)."""
    return lint_swagger(
        export_swagger(design, share=True), properties=export_properties(design), design=design
    )


def lint_swagger(
    swagger: dict[str, Any],
    *,
    properties: dict[str, Any] | None = None,
    design: dict[str, Any] | None = None,
) -> list[Finding]:
    """All findings for ``swagger`` (with its ``properties`` and source ``design``, if given)."""
    if not isinstance(swagger, dict):
        return [
            Finding(
                "JsonTypeIncorrect",
                RULES["JsonTypeIncorrect"].severity,
                "",
                f"The swagger document must be a JSON object, but it is {type(swagger).__name__}.",
                "Upload an apiDefinition.swagger.json whose top level is an object.",
            )
        ]
    ctx = Context(swagger, properties, design)
    seen: set[tuple[str, str, str]] = set()
    findings: list[Finding] = []
    for current in list(RULES.values()):
        findings.extend(_rule_findings(current, ctx, seen))
    findings.sort(key=lambda f: (f.pointer, f.rule, f.message))
    return findings
