"""The linter with a memory: a save re-runs per-operation rules only on the path items it changed.

Purpose: a one-field edit of a 219-operation connector should not re-lint 219 operations. This is
a layer around the engine, not a change of any rule: the rules listed in ``PER_PATH_ITEM`` look
at one operation at a time (their hits about a path item depend only on that item and on what
the whole document shares: definitions, parameters, responses, apiProperties, the design's
trigger choices), so their hits are cached per path item under a key of the item's text and of
that shared part. A few rules that look across operations but read little (``PICKED_INPUTS``)
are cached under the digest of what they read. Every other rule, including any rule added
later, runs on the whole document each time, exactly as ``lint_swagger`` runs it, on a context
whose costly whole-document readings come from per-part caches (``part_context``). The
findings are those of ``lint_design``: same
hits, same order, same de-duplication and design fields (``tests`` compare the two on every
dev-corpus connector under random edits).
Input: a design (and optionally the ``HitCache`` to use; a process-wide one by default).
Output: the sorted ``Finding``s ``lint_design(design)`` returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..properties_export import export_properties
from ..swagger_export import export_swagger
from .context import Context
from .engine import FAILED, _field, _hits, lint_swagger
from .model import RULES, Finding, Hit, Rule
from .part_context import HitCache, PartsContext, PathItemView, digest, path_items
from .walker import Operation

# Rules whose hits about a path item depend on nothing but that item and the shared part of the
# document (checked against the full lint on the whole dev corpus). A rule not listed here is
# re-run on the whole document at every lint, which is always right, only slower.
PER_PATH_ITEM: frozenset[str] = frozenset(
    {
        # operations.py (not OperationIdNotUnique: it compares operations)
        "OperationIdRequired",
        "OperationIdSanitized",
        "OperationIdNotPascalCase",
        "OperationSummaryTooLong",
        "FieldLengthExceeded",
        "RestrictedCharactersInSummary",
        "OperationMissingSummary",
        "OperationMissingDescription",
        "SummaryEqualsDescription",
        "TriggerSummaryNotWhen",
        # parameters.py (not PropertyMustBeRequired: it walks each definition once for all)
        "PathParameterMustBeRequired",
        "PathParameterNotDefinedInTemplate",
        "OperationMissingPathParameter",
        "PathParameterMissingEncoding",
        "BodyOrFormDataParameterInFetchOperationNotAllowed",
        "OperationParametersContainMultipleBodyParameters",
        "ParameterListContainsFormDataAndBody",
        "OperationParametersContainDuplicateParameter",
        "ConnectionIdParameterNotAllowed",
        # responses.py
        "OperationMustHaveResponse",
        "OperationShouldHaveSuccessfulResponse",
        "DefaultResponseHasSchema",
        "ResponseMustBeDefaultOrHttpStatusCode",
        "SchemaDefinitionSetIncorrectly",
        "NotificationSchemaEmpty",
        "BatchTriggerSchemaNotArray",
        "SingleTriggerSchemaIsArray",
        # webhooks.py (not the notification URL's site rules: they group sites across operations)
        "WebhookOperationsMissingNotificationUrlProperty",
        "OperationMustHaveNotificationContentExtension",
        "NotificationUrlOnAction",
        # polling.py (not PolicyOperationNotFound: it looks operations up by id)
        "PollingStateParameterNotInternal",
        "PollingStateParameterMissingTriggerValue",
        "PollingStateParameterNotFound",
        "TriggerValueNotValid",
        "PollingTriggerMissingAcceptedResponse",
        # lifecycle.py (not the DELETE rules: a DELETE is found among all operations)
        "WebhookRegistrationMissing201",
        "WebhookRegistrationMissingLocationHeader",
        "TriggerCardinalityNotValid",
        "TriggerMetadataNotValid",
    }
)


def _parameters_of_operations(ctx: Context) -> Any:
    """What PropertyMustBeRequired reads besides the shared part: each operation's name (for
    its messages) and its parameters, bodies included (the schemas it walks start there)."""
    return [
        (op.pointer, op.label, [(p.name, p.location, p.pointer, p.node) for p in op.params])
        for op in ctx.operations
    ]


def _refs(ctx: Context) -> Any:
    """What the reference rules read besides the shared part: every $ref and where it is."""
    return ctx.scan.refs


# Rules that look across operations (so they are not per path item) but read nothing of the
# document besides the shared part and what the function given here picks out: their hits are
# cached under the digest of both. Only for the rules worth it: PropertyMustBeRequired is the
# linter's slowest, the reference rules classify every $ref of the document.
PICKED_INPUTS: dict[str, Any] = {
    "PropertyMustBeRequired": _parameters_of_operations,
    **{
        f"{kind}{check}": _refs
        for kind in ("Schema", "Parameter", "Response")
        for check in ("ReferenceNotValid", "ReferenceNotFound", "RefLoopNotAllowed")
    },
}

ItemHits = dict[str, list[Hit] | Exception]  # rule id -> its hits, or what it raised


DEFAULT_CACHE = HitCache()  # the process's: every lint of a design in this process shares it


def _item_hits(ctx: Context, ops: list[Operation], rules: list[Rule]) -> ItemHits:
    view = PathItemView(ctx, ops)
    found: ItemHits = {}
    for current in rules:
        try:
            found[current.id] = list(current.check(view))
        except Exception as exc:  # reported as the engine does, once for the whole document
            # Kept without its traceback: the frames would keep the whole document alive.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            found[current.id] = exc
    return found


def _local_hits(ctx: PartsContext, rules: list[Rule], cache: HitCache) -> list[ItemHits]:
    shared = ctx.shared
    result = []
    for path, _, ops in path_items(ctx):
        key = None
        if shared is not None:
            key = f"hits:{shared}:{ctx.items[path]}"
            cached = cache.get(key)
            if cached is not None and all(r.id in cached for r in rules):
                result.append(cached)
                continue
        found = _item_hits(ctx, ops, rules)
        if key is not None:
            cache.put(key, found)
        result.append(found)
    return result


def _rule_hits(current: Rule, items: list[ItemHits]) -> tuple[Rule, list[Hit]]:
    """A per-item rule's hits over the whole document, as one run of it would give them."""
    hits: list[Hit] = []
    for found in items:
        mine = found[current.id]
        if isinstance(mine, Exception):  # raised on this item: so on the whole document
            return _hits(
                Rule(current.id, current.severity, current.title, _raiser(mine)), Context({})
            )
        hits.extend(mine)
    return current, hits


def _whole_hits(current: Rule, ctx: PartsContext) -> tuple[Rule, list[Hit]]:
    """A rule run on the whole document, or its hits of a run on the same inputs."""
    pick = PICKED_INPUTS.get(current.id)
    if pick is None or ctx.shared is None:
        return _hits(current, ctx)
    if pick not in ctx.picked:  # several rules read the same inputs: one digest for them
        ctx.picked[pick] = digest(ctx.shared, pick(ctx))
    key = f"rule:{current.id}:{ctx.picked[pick]}"
    found: tuple[Rule, list[Hit]] | None = ctx._cache.get(key)
    if found is None:
        found = _hits(current, ctx)
        ctx._cache.put(key, found)
    return found


def _raiser(exc: Exception) -> Any:
    """A check that raises what a rule raised, so the engine builds its usual failure finding."""

    def check(ctx: Any) -> Iterator[Hit]:
        raise exc

    return check


def lint_design_cached(design: dict[str, Any], *, cache: HitCache | None = None) -> list[Finding]:
    """``lint_design(design)``, re-running per-item rules only on path items not seen lately."""
    swagger = export_swagger(design, share=True)
    properties = export_properties(design)
    if not isinstance(swagger, dict):
        return lint_swagger(swagger, properties=properties, design=design)
    cache = DEFAULT_CACHE if cache is None else cache
    ctx = PartsContext(swagger, properties, design, cache)
    rules = list(RULES.values())
    local = [r for r in rules if r.id in PER_PATH_ITEM]
    items = _local_hits(ctx, local, cache)
    seen: set[tuple[str, str, str]] = set()
    findings: list[Finding] = []
    for current in rules:
        if current.id in PER_PATH_ITEM:
            source, hits = _rule_hits(current, items)
        else:
            source, hits = _whole_hits(current, ctx)
        for hit in hits:
            key = (source.id, hit.pointer, hit.message)
            if key not in seen:
                seen.add(key)
                field = _field(ctx, hit)
                findings.append(
                    Finding(source.id, source.severity, hit.pointer, hit.message, hit.fix, field)
                )
    findings.sort(key=lambda f: (f.pointer, f.rule, f.message))
    return findings


__all__ = ["DEFAULT_CACHE", "FAILED", "PER_PATH_ITEM", "HitCache", "lint_design_cached"]
