"""Run every registered rule over a swagger and turn the hits into sorted findings.

Purpose: the one entry point others call (``lint_swagger``); it never raises on a document, however
malformed: a rule that fails is reported as a ``LinterRuleFailed`` finding instead.
Input: a swagger document, optionally its apiProperties and the design it was exported from.
Output: ``Finding``s sorted by pointer, then rule id (then message), without duplicates; each
carries the design field it comes from when a design is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    webhooks,
)
from connectors.domain.lint.context import Context
from connectors.domain.lint.fields import design_field
from connectors.domain.lint.model import RULES, Finding, Hit, Rule, rule
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties

FAILED = "LinterRuleFailed"


@rule(FAILED, "info", "A lint rule could not run on this document")
def _linter_rule_failed(ctx: Context) -> Iterator[Hit]:
    """Never reports on its own; the engine uses its id when another rule raises."""
    return iter(())


def _hits(current: Rule, ctx: Context) -> tuple[Rule, list[Hit]]:
    try:
        return current, list(current.check(ctx))
    except Exception as exc:  # a linter bug must not cost the user their page (never a 500)
        failure = Hit(
            "",
            f"The rule {current.id} could not check this document ({type(exc).__name__}).",
            "The other findings are still valid; please report this document to the team.",
        )
        return RULES[FAILED], [failure]


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
        source, hits = _hits(current, ctx)
        for hit in hits:
            key = (source.id, hit.pointer, hit.message)
            if key not in seen:
                seen.add(key)
                findings.append(
                    Finding(
                        source.id,
                        source.severity,
                        hit.pointer,
                        hit.message,
                        hit.fix,
                        _field(ctx, hit),
                    )
                )
    findings.sort(key=lambda f: (f.pointer, f.rule, f.message))
    return findings
