"""Find the DELETE operation that unsubscribes a webhook trigger.

Purpose: Power Automate calls DELETE on the ``Location`` the registration answered with, so the
swagger needs a DELETE operation whose path looks like that location. Files rarely say which
one it is; this ranks every DELETE operation against the registration path, best first:

1. ``child``: the registration path plus one ``{id}`` segment (``/hooks`` -> ``/hooks/{id}``)
2. ``same-path``: the same template (parameter names ignored)
3. ``descendant``: anything under the registration path
4. ``sibling``: shares all but the last registration segment and looks like a hook
   (hook-like name, ``x-ms-visibility: internal`` or ending in a ``{param}``)
5. ``hook-named``: the path or operationId mentions hooks, subscriptions, callbacks, ...
6. ``internal-only``: an internal DELETE with nothing else going for it

Ties go to the longer common prefix, then to the internal one, then to the smaller path. This
is the heuristic of ``shared/tools/trigger_facts.py`` (the round-trip oracle), reproduced so the
designer picks the DELETE the oracle expects.

Input: a registration path and ``(path, delete operation)`` candidates.
Output: ``DeleteMatch`` (path and category) or ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_HOOKISH = re.compile(
    r"hook|subscri|notif|callback|unregister|listen|trigger|event|watch|automation|flow", re.I
)
_PARAMETER_SEGMENT = re.compile(r"^\{[^{}]+\}$")
RANKS = {
    "child": 6,
    "same-path": 5,
    "descendant": 4,
    "sibling": 3,
    "hook-named": 2,
    "internal-only": 1,
}


@dataclass(frozen=True)
class DeleteMatch:
    path: str
    category: str


def _segments(path: str) -> list[str]:
    """Lower-cased segments, ``{anything}`` as ``{}``: templates compare by shape."""
    parts = [s for s in path.split("?")[0].strip("/").split("/") if s]
    return ["{}" if _PARAMETER_SEGMENT.match(s) else s.lower() for s in parts]


def _category(
    registration: list[str], candidate: list[str], hookish: bool, internal: bool
) -> str | None:
    common = _common_prefix(registration, candidate)
    size = len(registration)
    if candidate == registration:
        return "same-path"
    if common == size and len(candidate) == size + 1 and candidate[-1] == "{}":
        return "child"
    if common == size:
        return "descendant"
    looks_like_hook = hookish or internal or candidate[-1:] == ["{}"]
    if size > 0 and common >= size - 1 and len(candidate) >= size and looks_like_hook:
        return "sibling"
    if hookish:
        return "hook-named"
    if internal:
        return "internal-only"
    return None


def _common_prefix(left: list[str], right: list[str]) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count


def score_delete(
    registration_path: str, delete_path: str, operation: dict[str, Any]
) -> tuple[int, int, bool, str] | None:
    """(rank, common prefix length, internal, category), or None when it is no candidate."""
    candidate = _Candidate.of(delete_path, operation)
    return candidate.score(_segments(registration_path))


@dataclass(frozen=True)
class _Candidate:
    """What the ranking needs of one DELETE, read once however many triggers ask."""

    path: str
    segments: list[str]
    internal: bool
    hookish: bool

    @classmethod
    def of(cls, path: str, operation: dict[str, Any]) -> _Candidate:
        operation_id = str(operation.get("operationId", ""))
        return cls(
            path,
            _segments(path),
            operation.get("x-ms-visibility") == "internal",
            bool(_HOOKISH.search(path) or _HOOKISH.search(operation_id)),
        )

    def score(self, registration: list[str]) -> tuple[int, int, bool, str] | None:
        category = _category(registration, self.segments, self.hookish, self.internal)
        if category is None:
            return None
        common = _common_prefix(registration, self.segments)
        return RANKS[category], common, self.internal, category


class DeleteCandidates:
    """The DELETE operations of a document, each read once, ranked against any trigger's
    registration path (``best``)."""

    def __init__(self, candidates: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self._candidates = [
            _Candidate.of(path, operation)
            for path, operation in candidates
            if isinstance(operation, dict)
        ]

    def best(self, registration_path: str) -> DeleteMatch | None:
        """The best-ranked DELETE for a registration path; the module docstring has the order."""
        registration = _segments(registration_path)
        best: tuple[tuple[int, int, bool], str, str] | None = None
        for candidate in self._candidates:
            score = candidate.score(registration)
            if score is None:
                continue
            key, path = score[:3], candidate.path
            if best is None or key > best[0] or (key == best[0] and path < best[1]):
                best = (key, path, score[3])
        return None if best is None else DeleteMatch(best[1], best[2])


def best_delete(
    registration_path: str, candidates: Iterable[tuple[str, dict[str, Any]]]
) -> DeleteMatch | None:
    """The best-ranked DELETE for one registration path (``DeleteCandidates`` for many)."""
    return DeleteCandidates(candidates).best(registration_path)
