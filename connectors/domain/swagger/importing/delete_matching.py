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
    registration = _segments(registration_path)
    candidate = _segments(delete_path)
    internal = operation.get("x-ms-visibility") == "internal"
    hookish = bool(
        _HOOKISH.search(delete_path) or _HOOKISH.search(str(operation.get("operationId", "")))
    )
    category = _category(registration, candidate, hookish, internal)
    if category is None:
        return None
    return RANKS[category], _common_prefix(registration, candidate), internal, category


def best_delete(
    registration_path: str, candidates: Iterable[tuple[str, dict[str, Any]]]
) -> DeleteMatch | None:
    """The best-ranked DELETE for a registration path; see the module docstring for the order."""
    best: tuple[tuple[int, int, bool], str, str] | None = None
    for path, operation in candidates:
        score = score_delete(registration_path, path, operation)
        if score is None:
            continue
        key = score[:3]
        if best is None or key > best[0] or (key == best[0] and path < best[1]):
            best = (key, path, score[3])
    return None if best is None else DeleteMatch(best[1], best[2])
