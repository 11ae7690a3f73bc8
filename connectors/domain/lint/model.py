"""The linter's vocabulary: findings, rule hits and the rule registry.

Purpose: one place for the public ``Finding`` type and for ``RULES``, the registry every rule
module adds itself to with the ``@rule`` decorator (so the UI can list rules without running them).
Input: rule functions, each taking a ``Context`` (see ``context.py``) and yielding ``Hit``s.
Output: ``RULES`` (rule id -> ``Rule``: severity, short title, function) and the ``Finding`` the
engine builds from a ``Hit`` and its rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectors.domain.lint.context import Context

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem in a swagger (or its apiProperties), where it is and how to fix it."""

    rule: str
    severity: str
    pointer: str
    message: str
    fix: str
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Hit:
    """What a rule function reports; the engine adds rule id, severity and design field.

    ``operation`` is the pointer of the operation the hit is about (``/paths/~1hooks/post``) and
    ``design_key`` the trigger-relative design field it comes from (``request/callbackPointer``).
    Both matter when ``pointer`` lies in a shared definition that no design field maps to.
    """

    pointer: str
    message: str
    fix: str
    operation: str | None = None
    design_key: str | None = None


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str) -> Callable[[Check], Check]:
    """Register ``check`` under ``rule_id``; ids are unique and severities fixed per rule."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r} for {rule_id}")

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, title, check)
        return check

    return register
