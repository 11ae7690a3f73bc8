"""Rules on how the platform routes a request to an operation: path templates that overlap.

Purpose: the gateway picks the operation from the method and the path; two templates of the same
method that differ only in their variable names (``/hooks/{id}`` and ``/hooks/{hookId}``) cannot
be told apart, and a variable segment where another template has a static one (``/hooks/{id}``
and ``/hooks/latest``) routes a value "latest" to the wrong operation. Microsoft's validator
reports both (DuplicateOperationPath, PartialDuplicateOperationPath).
Decisions (Microsoft documents the messages, not the algorithm): templates are compared per HTTP
method, segment by segment, case-insensitively; a segment holding a variable (``{id}``,
``{name}.json``) is compared by its static text around the variables. Paths that differ only in
capitalization are PathRedefined's, not reported again here. Comparing every pair is quadratic,
so at most ``PAIR_BUDGET`` pairs are compared per document (far above any real connector: the
largest in the corpus, 219 operations, needs about 6,000).
Input: a ``Context``.
Output: ``Hit``s for DuplicateOperationPath and PartialDuplicateOperationPath.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text
from connectors.domain.lint.walker import Operation

PAIR_BUDGET = 200_000
_VARIABLE = re.compile(r"\{[^{}/]*\}")
WILD = "{}"  # a segment that is one variable matches any static segment
SHOWN = 5  # partial duplicates named in one message


def _shape(path: str) -> tuple[str, ...]:
    """The path's segments, lower case, each variable written ``{}``."""
    return tuple(_VARIABLE.sub(WILD, s.lower()) for s in path.split("/")[1:])


def _same_method_groups(ctx: Context) -> Iterator[list[tuple[Operation, tuple[str, ...]]]]:
    groups: dict[tuple[str, int], list[tuple[Operation, tuple[str, ...]]]] = defaultdict(list)
    for op in ctx.operations:
        shape = _shape(op.path)
        groups[(op.method, len(shape))].append((op, shape))
    yield from (group for group in groups.values() if len(group) > 1)


@rule("DuplicateOperationPath", "error", "Two operations have indistinguishable path templates")
def duplicate_operation_path(ctx: Context) -> Iterator[Hit]:
    for group in _same_method_groups(ctx):
        first: dict[tuple[str, ...], Operation] = {}
        for op, shape in group:
            other = first.setdefault(shape, op)
            if other is not op and other.path.lower() != op.path.lower():
                yield Hit(
                    op.pointer,
                    f"The operations {other.label} and {op.label} have the path templates "
                    f"{as_text(other.path)} and {as_text(op.path)}, which differ only in the "
                    "names of their variables: a request cannot be routed to one of them.",
                    "Give the two paths different static segments, or merge the operations.",
                    design_key="request/path",
                )


def _partial(one: tuple[str, ...], two: tuple[str, ...]) -> bool:
    """Every segment equal or a lone variable on one side, and not the same shape."""
    return one != two and all(a == b or WILD in (a, b) for a, b in zip(one, two, strict=True))


def _partial_pairs(ctx: Context) -> dict[str, list[Operation]]:
    """Operation pointer -> the operations whose templates partly duplicate its own."""
    found: dict[str, list[Operation]] = defaultdict(list)
    budget = PAIR_BUDGET
    for group in _same_method_groups(ctx):
        for index, (op, shape) in enumerate(group):
            for other, other_shape in group[index + 1 :]:
                budget -= 1
                if budget < 0:
                    return found
                if _partial(shape, other_shape):
                    found[op.pointer].append(other)
                    found[other.pointer].append(op)
    return found


@rule(
    "PartialDuplicateOperationPath",
    "warning",
    "A path variable can route a request to another operation",
)
def partial_duplicate_operation_path(ctx: Context) -> Iterator[Hit]:
    found = _partial_pairs(ctx)
    for op in ctx.operations:
        others = found.get(op.pointer)
        if not others:
            continue
        named = ", ".join(as_text(o.path) for o in others[:SHOWN])
        more = f" and {len(others) - SHOWN} more" if len(others) > SHOWN else ""
        yield Hit(
            op.pointer,
            f"The operation {op.label} has the path template {as_text(op.path)}, which is similar "
            f"to {named}{more} ({op.method.upper()}): a path value equal to a static segment of "
            "one of them can be routed to the other operation.",
            "Make the paths differ in a static segment (e.g. /hooks/by-id/{id} beside "
            "/hooks/latest), so routing never depends on the value.",
            design_key="request/path",
        )
