"""The linter with a memory: a save re-runs per-operation rules only on the path items it changed.

Purpose: a one-field edit of a 219-operation connector should not re-lint 219 operations. This is
a layer around the engine, not a change of any rule: the rules listed in ``PER_PATH_ITEM`` look
at one operation at a time (their hits about a path item depend only on that item and on what
the whole document shares: definitions, parameters, responses, apiProperties, the design's
trigger choices), so their hits are cached per path item under a key of the item's text and of
that shared part. Every other rule, including any rule added later, runs on the whole document
each time, exactly as ``lint_swagger`` runs it. The findings are those of ``lint_design``: same
hits, same order, same de-duplication and design fields (``tests`` compare the two on every
dev-corpus connector under random edits).
Input: a design (and optionally the ``HitCache`` to use; a process-wide one by default).
Output: the sorted ``Finding``s ``lint_design(design)`` returns.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import threading
from collections import OrderedDict
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from ..properties_export import export_properties
from ..swagger_export import export_swagger
from .context import Context
from .engine import FAILED, _field, _hits, lint_swagger
from .model import RULES, Finding, Hit, Rule
from .refs import Scan, scan
from .walker import CallbackSite, Operation, callback_sites, operations

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

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=repr).encode
# Keys are digests of marshal's bytes (version 2: no back-references, so the bytes depend on the
# values alone), five to ten times faster than JSON text; equal bytes always mean equal values.
_MARSHAL_VERSION = 2


def _digest(*values: Any) -> str:
    try:
        data = marshal.dumps(values, _MARSHAL_VERSION)
    except ValueError:  # a value marshal cannot write (never in a design decoded from JSON)
        data = _ENCODE(values).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# A $ref into these makes one path item's findings depend on another's: no caching then.
_CROSS_REF_PREFIXES = ("#/paths", "#/info")

ItemHits = dict[str, list[Hit] | Exception]  # rule id -> its hits, or what it raised


class HitCache:
    """A bounded map of part keys to what was derived from the part (a path item's per-rule
    hits, its scan, its callback sites), least recently used out first; safe across threads."""

    def __init__(self, max_items: int = 10_000) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return found

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


DEFAULT_CACHE = HitCache()


class _PathItemView(Context):
    """The whole document's context, but only one path item's operations: what the per-item
    rules see. Everything else (resolver, scan, callbacks, policies, design) is the whole's."""

    def __init__(self, full: Context, ops: list[Operation]) -> None:
        self._full = full
        self.swagger, self.properties, self.design = full.swagger, full.properties, full.design
        self.resolver = full.resolver
        self.memo = {}
        self.__dict__["operations"] = ops

    scan = property(lambda self: self._full.scan)  # type: ignore[assignment]
    callbacks = property(lambda self: self._full.callbacks)  # type: ignore[assignment]
    policies = property(lambda self: self._full.policies)  # type: ignore[assignment]
    deletes = property(lambda self: self._full.deletes)  # type: ignore[assignment]
    design_triggers = property(lambda self: self._full.design_triggers)  # type: ignore[assignment]


class _PartsContext(Context):
    """The whole document's context, whose two whole-document readings that cost the most are
    put together from per-part ones kept in the cache: the ``$ref``/flag scan (per path item
    and per definition) and the callback sites (per path item). Exactly what ``Context``
    computes: each part is scanned inside a copy of its own branch of the document (same
    pointers, depths and parent keys), and the parts are taken in the scan's own order."""

    def __init__(self, swagger: Any, properties: Any, design: Any, cache: HitCache) -> None:
        super().__init__(swagger, properties, design)
        self._cache = cache
        self.picked: dict[Any, str] = {}
        paths = self.swagger.get("paths")
        self.items: dict[str, str] = (
            {path: _digest(path, item) for path, item in paths.items() if isinstance(path, str)}
            if isinstance(paths, dict)
            else {}
        )

    @cached_property
    def definitions(self) -> dict[str, str]:
        """The digest of each definition (for its scan, and for the shared key)."""
        found = self.swagger.get("definitions")
        if not isinstance(found, dict):
            return {}
        return {key: _digest("definitions", key, value) for key, value in found.items()}

    @cached_property
    def shared(self) -> str | None:
        return _shared_key(self)

    @cached_property
    def operations(self) -> list[Operation]:  # type: ignore[override]
        shared = self.shared
        paths = self.swagger.get("paths")
        if shared is None or not isinstance(paths, dict):
            return super().operations
        found: list[Operation] = []
        for path, item in paths.items():
            if path in self.items:
                key = f"operations:{shared}:{self.items[path]}"
                one = {"paths": {path: item}}
                found.extend(self._cached(key, lambda one=one: operations(one, self.resolver)))
        return found

    def _cached(self, key: str, compute: Any) -> Any:
        found = self._cache.get(key)
        if found is None:
            found = compute()
            self._cache.put(key, found)
        return found

    def _branch_scan(self, top: str, key: Any = None) -> Scan:
        """The scan of ``swagger[top]`` (of its entry ``key``), inside its own branch."""
        value = self.swagger[top]
        if key is None:
            return scan({top: value})
        names = self.items if top == "paths" else self.definitions
        digest = names.get(key) or _digest(top, key, value[key])
        return self._cached(f"scan:{top}:{digest}", lambda: scan({top: {key: value[key]}}))

    @cached_property
    def scan(self) -> Scan:  # type: ignore[override]
        doc = self.swagger
        branches = [doc.get(top) for top in _SCANNED_BY_ENTRY if top in doc]
        if any(key in doc for key in _FLAG_KEYS) or not all(
            isinstance(branch, dict) and not any(key in branch for key in _FLAG_KEYS)
            for branch in branches
        ):
            return scan(doc)  # a node of these levels holds a $ref or a flag itself: rare
        parts: list[Scan] = []
        # The scan takes a stack: the last key first, each branch whole before the next.
        for top in reversed([k for k, v in doc.items() if isinstance(v, dict | list)]):
            if top not in _SCANNED_BY_ENTRY:
                parts.append(self._branch_scan(top))
                continue
            entries = [k for k, v in doc[top].items() if isinstance(v, dict | list)]
            parts.extend(self._branch_scan(top, key) for key in reversed(entries))
        result = Scan(
            refs=[r for part in parts for r in part.refs],
            flags=[f for part in parts for f in part.flags],
            too_deep=[t for part in parts for t in part.too_deep],
        )
        result.refs.sort(key=lambda item: item[0])
        result.flags.sort(key=lambda item: item[0])
        return result

    @cached_property
    def callbacks(self) -> dict[str, list[CallbackSite]]:  # type: ignore[override]
        if not self.scan.flags:
            return {}
        shared = self.shared
        found: dict[str, list[CallbackSite]] = {}
        for path, _, ops in _path_items(self):
            if shared is None:
                sites = {op.pointer: callback_sites(self.resolver, op) for op in ops}
            else:
                key = f"callbacks:{shared}:{self.items[path]}"
                sites = self._cached(
                    key,
                    lambda ops=ops: {op.pointer: callback_sites(self.resolver, op) for op in ops},
                )
            found.update(sites)
        return found


# Branches scanned entry by entry, and keys a scanned node itself may hold ($ref, the flag).
_SCANNED_BY_ENTRY = ("paths", "definitions")
_FLAG_KEYS = ("$ref", "x-ms-notification-url")


def _trigger_facts(design: dict[str, Any]) -> list[Any]:
    """What the context reads of the design's triggers (kind, request, DELETE, polling state)."""
    facts: list[Any] = []
    triggers = design.get("triggers")
    for trigger in triggers if isinstance(triggers, list) else []:
        if not isinstance(trigger, dict):
            facts.append(None)
            continue
        picked = []
        for section, key in (("request", "path"), ("request", "method"), ("deleteAction", "path")):
            value = trigger.get(section)
            picked.append(value.get(key) if isinstance(value, dict) else None)
        polling = trigger.get("polling")
        picked.append(polling.get("stateParameter") if isinstance(polling, dict) else None)
        facts.append([trigger.get("kind"), *picked])
    return facts


def _shared_key(ctx: _PartsContext) -> str | None:
    """The digest of everything a per-item rule may read besides its path item; None when a
    $ref reaches into the paths (then one item's findings depend on another's)."""
    if any(
        isinstance(ref, str) and ref.startswith(_CROSS_REF_PREFIXES) for _, ref in ctx.scan.refs
    ):
        return None
    shared = [
        (key, list(ctx.definitions.items()) if key == "definitions" and ctx.definitions else value)
        for key, value in ctx.swagger.items()
        if key not in ("paths", "info")
    ]
    facts = _trigger_facts(ctx.design)
    return _digest(shared, ctx.properties, facts, bool(ctx.scan.flags))


def _path_items(ctx: Context) -> Iterator[tuple[str, Any, list[Operation]]]:
    """Each path item with its operations, in the document's order (the engine's order)."""
    by_path: dict[str, list[Operation]] = {}
    for op in ctx.operations:
        by_path.setdefault(op.path, []).append(op)
    paths = ctx.swagger.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if path in by_path:
            yield path, item, by_path[path]


def _item_hits(ctx: Context, ops: list[Operation], rules: list[Rule]) -> ItemHits:
    view = _PathItemView(ctx, ops)
    found: ItemHits = {}
    for current in rules:
        try:
            found[current.id] = list(current.check(view))
        except Exception as exc:  # reported as the engine does, once for the whole document
            # Kept without its traceback: the frames would keep the whole document alive.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            found[current.id] = exc
    return found


def _local_hits(ctx: _PartsContext, rules: list[Rule], cache: HitCache) -> list[ItemHits]:
    shared = ctx.shared
    result = []
    for path, _, ops in _path_items(ctx):
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


def _whole_hits(current: Rule, ctx: _PartsContext) -> tuple[Rule, list[Hit]]:
    """A rule run on the whole document, or its hits of a run on the same inputs."""
    pick = PICKED_INPUTS.get(current.id)
    if pick is None or ctx.shared is None:
        return _hits(current, ctx)
    if pick not in ctx.picked:  # several rules read the same inputs: one digest for them
        ctx.picked[pick] = _digest(ctx.shared, pick(ctx))
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
    ctx = _PartsContext(swagger, properties, design, cache)
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
