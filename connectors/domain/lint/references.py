"""Rules on ``$ref``s: each must be a local JSON pointer of the right kind that resolves.

Purpose: broken refs make the other rules see nothing (they skip what does not resolve), so they
are reported here, once per ``$ref`` site, with Microsoft's rule ids.
Input: a ``Context`` (its one-pass ``scan`` of every ``$ref`` in the document).
Output: ``Hit``s for {Schema,Parameter,Response}Reference{NotValid,NotFound} and
{Schema,Parameter,Response}RefLoopNotAllowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import show
from connectors.domain.lint.refs import unescape

_PREFIX = {"Schema": "#/definitions/", "Parameter": "#/parameters/", "Response": "#/responses/"}
_SECTION = {"definitions": "Schema", "parameters": "Parameter", "responses": "Response"}


def _kind(pointer: str) -> str:
    """What a ``$ref`` at ``pointer`` stands for, from where it sits in the document."""
    tokens = [unescape(t) for t in pointer.split("/")[1:]]
    if tokens[:1] == ["paths"]:
        operation_level = len(tokens) == 5 and tokens[3] == "parameters"
        if operation_level or (len(tokens) == 4 and tokens[2] == "parameters"):
            return "Parameter"
        if len(tokens) == 5 and tokens[3] == "responses":
            return "Response"
    if len(tokens) == 2 and tokens[0] in ("parameters", "responses"):
        return _SECTION[tokens[0]]
    return "Schema"


def _refs(ctx: Context, kind: str) -> list[tuple[str, Any]]:
    """The ``$ref``s of one kind; all refs are classified once per document, not per rule."""
    if "refs" not in ctx.memo:
        grouped: dict[str, list[tuple[str, Any]]] = {k: [] for k in _PREFIX}
        for pointer, ref in ctx.scan.refs:
            grouped[_kind(pointer)].append((pointer, ref))
        ctx.memo["refs"] = grouped
    return ctx.memo["refs"][kind]


def _not_valid(ctx: Context, kind: str) -> Iterator[Hit]:
    prefix = _PREFIX[kind]
    for pointer, ref in _refs(ctx, kind):
        if not isinstance(ref, str) or not ref.startswith(prefix):
            yield Hit(
                pointer + "/$ref",
                f"The {kind.lower()} reference {show(ref)} is not valid: {kind.lower()} references "
                f"must start with '{prefix}' (external files are not supported).",
                f"Point the $ref at an entry of '{prefix[2:-1]}', or inline the {kind.lower()}.",
            )


def _not_found(ctx: Context, kind: str) -> Iterator[Hit]:
    prefix = _PREFIX[kind]
    for pointer, ref in _refs(ctx, kind):
        if isinstance(ref, str) and ref.startswith(prefix) and not ctx.resolver.lookup(ref)[0]:
            yield Hit(
                pointer + "/$ref",
                f"The {kind.lower()} reference '{ref}' could not be found in the document.",
                f"Add '{ref[len(prefix) :]}' under '{prefix[2:-1]}', or fix the reference.",
            )


def _loop(ctx: Context, kind: str) -> Iterator[Hit]:
    section = _PREFIX[kind][2:-1]
    for pointer, ref in _refs(ctx, kind):
        # Microsoft's rule: a shared definition may not itself be just a $ref to another one.
        if isinstance(ref, str) and pointer.startswith(f"/{section}/") and pointer.count("/") == 2:
            end, _ = ctx.resolver.chain(ref)
            looping = " and the chain loops" if end == "loop" else ""
            yield Hit(
                pointer + "/$ref",
                f"The {kind.lower()} definition '{pointer}' only points to '{ref}'{looping}.",
                f"Use '{ref}' directly where '{pointer}' is referenced, and remove the alias.",
            )


@rule("SchemaReferenceNotValid", "error", "Schema $ref must point into #/definitions/")
def schema_reference_not_valid(ctx: Context) -> Iterator[Hit]:
    return _not_valid(ctx, "Schema")


@rule("ParameterReferenceNotValid", "error", "Parameter $ref must point into #/parameters/")
def parameter_reference_not_valid(ctx: Context) -> Iterator[Hit]:
    return _not_valid(ctx, "Parameter")


@rule("ResponseReferenceNotValid", "error", "Response $ref must point into #/responses/")
def response_reference_not_valid(ctx: Context) -> Iterator[Hit]:
    return _not_valid(ctx, "Response")


@rule("SchemaReferenceNotFound", "error", "Schema $ref points at nothing")
def schema_reference_not_found(ctx: Context) -> Iterator[Hit]:
    return _not_found(ctx, "Schema")


@rule("ParameterReferenceNotFound", "error", "Parameter $ref points at nothing")
def parameter_reference_not_found(ctx: Context) -> Iterator[Hit]:
    return _not_found(ctx, "Parameter")


@rule("ResponseReferenceNotFound", "error", "Response $ref points at nothing")
def response_reference_not_found(ctx: Context) -> Iterator[Hit]:
    return _not_found(ctx, "Response")


@rule("SchemaRefLoopNotAllowed", "error", "A definition may not be only a $ref")
def schema_ref_loop_not_allowed(ctx: Context) -> Iterator[Hit]:
    return _loop(ctx, "Schema")


@rule("ParameterRefLoopNotAllowed", "error", "A shared parameter may not be only a $ref")
def parameter_ref_loop_not_allowed(ctx: Context) -> Iterator[Hit]:
    return _loop(ctx, "Parameter")


@rule("ResponseRefLoopNotAllowed", "error", "A shared response may not be only a $ref")
def response_ref_loop_not_allowed(ctx: Context) -> Iterator[Hit]:
    return _loop(ctx, "Response")
