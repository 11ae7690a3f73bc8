"""Lint a Power Platform connector swagger, with rule ids after Microsoft's Swagger Validator.

Purpose: catch, offline and before export, what Microsoft's validator rejects and what breaks
triggers at runtime (webhook lifecycle, notification URL, polling state), one small function per
rule, grouped by topic (general, paths, operations, parameters, responses, webhooks, hybrid,
lifecycle, polling, references).
Input: ``lint_swagger(swagger, properties=..., design=...)`` with plain dicts of any shape, or
``lint_design(design)`` for the files a design exports to.
Output: a sorted list of ``Finding``s; ``RULES`` lists every rule (id -> severity, title, check).
"""

from __future__ import annotations

from connectors.domain.lint.engine import lint_design, lint_swagger
from connectors.domain.lint.model import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule", "lint_design", "lint_swagger"]
