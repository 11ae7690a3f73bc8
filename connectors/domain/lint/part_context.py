"""The whole document's lint context, put together from cached per-part readings.

Purpose: what ``incremental`` needs to lint a design without re-reading its unchanged parts: a
``Context`` whose ``$ref`` scan, callback sites and operations are joined from per-path-item and
per-definition results kept in a ``HitCache`` (exactly what ``Context`` computes: each part is
read inside a copy of its own branch of the document, and the parts are taken in the order the
whole-document readings take them), a view of one path item's operations for the per-item
rules, and the digest of the *shared* part of the document (all but the paths and ``info``)
that per-item results depend on.
Input: the exported swagger, apiProperties and design (any shapes), and the cache.
Output: ``PartsContext``, ``PathItemView``, ``path_items``, ``digest`` and ``HitCache``.
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

from connectors.domain.lint.context import Context
from connectors.domain.lint.refs import Scan, scan
from connectors.domain.lint.walker import CallbackSite, Operation, callback_sites, operations

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=repr).encode
# Keys are digests of marshal's bytes (version 2: no back-references, so the bytes depend on the
# values alone), five to ten times faster than JSON text; equal bytes always mean equal values.
_MARSHAL_VERSION = 2


def digest(*values: Any) -> str:
    try:
        data = marshal.dumps(values, _MARSHAL_VERSION)
    except ValueError:  # a value marshal cannot write (never in a design decoded from JSON)
        data = _ENCODE(values).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# A $ref into these makes one path item's findings depend on another's: no caching then.
_CROSS_REF_PREFIXES = ("#/paths", "#/info")


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


class PathItemView(Context):
    """The whole document's context, but only one path item's operations: what the per-item
    rules see. Everything else (resolver, scan, callbacks, policies, design) is the whole's."""

    def __init__(self, full: Context, ops: list[Operation]) -> None:
        # The whole's plain attributes (document, resolver, whatever ``Context`` sets up), not
        # what it derived from its operations; the rule modules' memo starts empty.
        derived = {name for name, v in vars(Context).items() if isinstance(v, cached_property)}
        self.__dict__.update((k, v) for k, v in vars(full).items() if k not in derived)
        self._full = full
        self.memo = {}
        self.__dict__["operations"] = ops

    scan = property(lambda self: self._full.scan)  # type: ignore[assignment]
    callbacks = property(lambda self: self._full.callbacks)  # type: ignore[assignment]
    policies = property(lambda self: self._full.policies)  # type: ignore[assignment]
    deletes = property(lambda self: self._full.deletes)  # type: ignore[assignment]
    design_triggers = property(lambda self: self._full.design_triggers)  # type: ignore[assignment]


class PartsContext(Context):
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
            {path: digest(path, item) for path, item in paths.items() if isinstance(path, str)}
            if isinstance(paths, dict)
            else {}
        )

    @cached_property
    def definitions(self) -> dict[str, str]:
        """The digest of each definition (for its scan, and for the shared key)."""
        found = self.swagger.get("definitions")
        if not isinstance(found, dict):
            return {}
        return {key: digest("definitions", key, value) for key, value in found.items()}

    @cached_property
    def by_item(self) -> list[tuple[str, list[Operation]]]:
        """Each path item that has operations, with them, in the document's order."""
        return [(path, ops) for path, _, ops in path_items(self)]

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
                found.extend(self.cached(key, lambda one=one: operations(one, self.resolver)))
        return found

    def cached(self, key: str, compute: Any) -> Any:
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
        name = names.get(key) or digest(top, key, value[key])
        return self.cached(f"scan:{top}:{name}", lambda: scan({top: {key: value[key]}}))

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
        for path, ops in self.by_item:
            if shared is None:
                sites = {op.pointer: callback_sites(self.resolver, op) for op in ops}
            else:
                key = f"callbacks:{shared}:{self.items[path]}"
                sites = self.cached(
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


def _shared_key(ctx: PartsContext) -> str | None:
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
    return digest(shared, ctx.properties, facts, bool(ctx.scan.flags))


def path_items(ctx: Context) -> Iterator[tuple[str, Any, list[Operation]]]:
    """Each path item with its operations, in the document's order (the engine's order)."""
    by_path: dict[str, list[Operation]] = {}
    for op in ctx.operations:
        by_path.setdefault(op.path, []).append(op)
    paths = ctx.swagger.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if path in by_path:
            yield path, item, by_path[path]
