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
from itertools import islice
from typing import Any

from connectors.domain.lint.context import Context
from connectors.domain.lint.engine import FAILED, PER_OPERATION, _rule_findings, lint_swagger
from connectors.domain.lint.model import RULES, Finding, Hit, Rule
from connectors.domain.lint.part_context import (
    HitCache,
    PartsContext,
    PathItemView,
    digest,
)
from connectors.domain.lint.strings import texts
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties

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
        "OperationHasManyResponsesWithSchema",
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


def _routes(ctx: Context) -> Any:
    """What the routing rules read: each operation's method, path and name."""
    return [(op.pointer, op.path, op.method, op.label) for op in ctx.operations]


def _texts(ctx: Context) -> Any:
    """What the string rules read: the texts ``strings.texts`` gathers (the rules' own list)."""
    return [(t.pointer, t.what, t.owner, t.value, t.operation) for t in texts(ctx)]


# Rules that look across operations (so they are not per path item) but read nothing of the
# document besides the shared part and what the function given here picks out: their hits are
# cached under the digest of both. Only for the rules worth it: those that walk every body
# schema, compare every pair of paths, classify every $ref or read every text.
PICKED_INPUTS: dict[str, Any] = {
    "PropertyMustBeRequired": _parameters_of_operations,
    "InternalPropertyWithDefaultOptional": _parameters_of_operations,
    "DuplicateOperationPath": _routes,
    "PartialDuplicateOperationPath": _routes,
    **{
        rule_id: _texts
        for rule_id in (
            "RequiredValueEmpty",
            "ValueMustEndWithAlphanumeric",
            "FieldLengthNotInRange",
            "ValueContainsRestrictedWords",
            "ValueMustBeInEnglish",
        )
    },
    **{
        f"{kind}{check}": _refs
        for kind in ("Schema", "Parameter", "Response")
        for check in ("ReferenceNotValid", "ReferenceNotFound", "RefLoopNotAllowed")
    },
}

# Rule id -> its hits on one path item (or of one picked run), what it raised, or None when it
# reported more than HITS_KEPT: those are never kept (a path bomb yields thousands, and the
# engine reads hits one at a time to stay in bounded memory), the rule runs again live.
ItemHits = dict[str, list[Hit] | Exception | None]
HITS_KEPT = 2 * PER_OPERATION

DEFAULT_CACHE = HitCache()  # the process's: every lint of a design in this process shares it


def _run(current: Rule, ctx: Context) -> list[Hit] | Exception | None:
    """What to keep of one run of ``current`` on ``ctx`` (see ``ItemHits``)."""
    try:
        hits = list(islice(current.check(ctx), HITS_KEPT + 1))
    except Exception as exc:  # reported as the engine does, once for the whole document
        # Kept without its traceback: the frames would keep the whole document alive.
        exc.__traceback__ = exc.__context__ = exc.__cause__ = None
        return exc
    return hits if len(hits) <= HITS_KEPT else None


def _local_hits(ctx: PartsContext, rules: list[Rule], cache: HitCache) -> list[ItemHits]:
    """Each path item's hits of the per-item rules, from the cache or run on the item alone."""
    shared = ctx.shared
    result = []
    signature = digest(sorted(r.id for r in rules))[:16]  # the rules the kept hits are of
    for path, ops in ctx.by_item:
        key = f"hits:{signature}:{shared}:{ctx.items[path]}" if shared is not None else None
        found: ItemHits | None = cache.get(key) if key is not None else None
        if found is None:
            view = PathItemView(ctx, ops)
            found = {current.id: _run(current, view) for current in rules}
            if key is not None:
                cache.put(key, found)
        result.append(found)
    return result


def _per_item(current: Rule, ctx: PartsContext, items: list[ItemHits]) -> Rule:
    """``current`` as the engine would run it on the whole document, its hits taken item by
    item in the document's order: kept ones, or a live run on the item; what it raised."""
    ops = [ops for _, ops in ctx.by_item]

    def check(whole: Context) -> Iterator[Hit]:
        for item_ops, found in zip(ops, items, strict=True):
            mine = found[current.id]
            if isinstance(mine, Exception):
                raise mine
            yield from current.check(PathItemView(ctx, item_ops)) if mine is None else mine

    return Rule(current.id, current.severity, current.title, check)


def _picked(current: Rule, ctx: PartsContext) -> Rule:
    """``current``, or a replay of its hits of a run on the same inputs (``PICKED_INPUTS``)."""
    pick = PICKED_INPUTS.get(current.id)
    if pick is None or ctx.shared is None:
        return current
    if pick not in ctx.picked:  # several rules read the same inputs: one digest for them
        ctx.picked[pick] = digest(ctx.shared, pick(ctx))
    key = f"rule:{current.id}:{ctx.picked[pick]}"
    found = ctx.cached(key, lambda: {current.id: _run(current, ctx)})[current.id]
    if found is None:
        return current

    def check(whole: Context) -> Iterator[Hit]:
        if isinstance(found, Exception):
            raise found
        yield from found

    return Rule(current.id, current.severity, current.title, check)


def lint_design_cached(design: dict[str, Any], *, cache: HitCache | None = None) -> list[Finding]:
    """``lint_design(design)``, re-running per-item rules only on path items not seen lately."""
    swagger = export_swagger(design, share=True)
    properties = export_properties(design)
    if not isinstance(swagger, dict):
        return lint_swagger(swagger, properties=properties, design=design)
    cache = DEFAULT_CACHE if cache is None else cache
    ctx = PartsContext(swagger, properties, design, cache)
    rules = list(RULES.values())
    items = _local_hits(ctx, [r for r in rules if r.id in PER_PATH_ITEM], cache)
    seen: set[tuple[str, str, str]] = set()
    findings: list[Finding] = []
    for current in rules:
        if current.id in PER_PATH_ITEM:
            current = _per_item(current, ctx, items)
        else:
            current = _picked(current, ctx)
        findings.extend(_rule_findings(current, ctx, seen))
    findings.sort(key=lambda f: (f.pointer, f.rule, f.message))
    return findings


__all__ = ["DEFAULT_CACHE", "FAILED", "PER_PATH_ITEM", "HitCache", "lint_design_cached"]
