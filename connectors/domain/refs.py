"""Local ``$ref`` handling for the swagger importer, and the error it raises.

Purpose: follow ``#/definitions/...``, ``#/parameters/...`` and ``#/responses/...`` references
safely. ``check_refs`` walks a whole document once (without recursion) so that an unknown
target, an external reference or a reference loop is a clear ``SwaggerImportError`` naming the
pointer of the offending ``$ref``; after it passed, ``resolve`` cannot loop. ``find_callbacks``
finds the properties carrying ``x-ms-notification-url`` inside a body schema, through refs,
nested objects, array items and allOf/anyOf/oneOf, the way ``trigger_facts.py`` does.

Input: a parsed swagger document (``dict``). Output: resolved nodes, ``Callback`` records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.domain.documents import DocumentError, escape_pointer, lookup_pointer

# Free-form example payloads may contain "$ref" text that is not a reference; both the importer
# (``check_refs``) and the linter (``lint.refs.scan``) leave them alone (see ``is_example``).
EXAMPLE_KEYS = frozenset({"example", "examples", "x-example", "x-examples", "x-ms-test-value"})
# Objects whose keys are names the author chose: a property named "example" is a schema.
_NAMED_MAPS = frozenset(
    {"properties", "definitions", "parameters", "responses", "securityDefinitions", "headers"}
)
_SCHEMA_DEPTH = 40  # trigger_facts.py stops its schema walk at this depth; so do we.
_TRUE_FLAGS = (True, "true", "True")
# A ref chain longer than this is broken for the linter: real documents chain one or two levels.
MAX_HOPS = 32


class SwaggerImportError(ValueError):
    """A swagger (or apiProperties) file the importer cannot turn into a design.

    ``pointer`` is the RFC 6901 pointer of the offending node when known; ``line``/``column``
    come from the ``DocumentError`` when the file could not even be parsed.
    """

    def __init__(
        self,
        reason: str,
        *,
        pointer: str | None = None,
        name: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.pointer = pointer
        self.name = name
        self.line = line
        self.column = column
        where = [name] if name else []
        if line is not None:
            where.append(f"line {line}, column {column}")
        elif pointer is not None:
            where.append(f"at {pointer or '/'}")
        super().__init__(f"{' '.join(where)}: {reason}" if where else reason)

    def named(self, name: str) -> SwaggerImportError:
        """The same error, saying which file it is about."""
        if self.name:
            return self
        return SwaggerImportError(
            self.reason, pointer=self.pointer, name=name, line=self.line, column=self.column
        )

    @classmethod
    def from_document(cls, error: DocumentError) -> SwaggerImportError:
        return cls(
            error.reason,
            pointer=error.pointer,
            name=error.name,
            line=error.line,
            column=error.column,
        )


@dataclass(frozen=True)
class Callback:
    """A property flagged ``x-ms-notification-url``: its pointer into the body payload
    ("/config/url"; "*" stands for every array item)."""

    pointer: str


class Resolver:
    """Follows the local ``$ref``s of one document, each looked up once, never looping.

    Two modes, one way of following:

    - ``strict=True`` (the importer): a ``$ref`` that is external, dangling or part of a loop
      raises ``SwaggerImportError`` naming the pointer of the ``$ref`` at fault; a ``$ref`` that
      is not text is no reference (a schema property may be named "$ref"), as in
      trigger_facts.py.
    - ``strict=False`` (the linter): every rule carries on; such a ``$ref`` resolves to
      ``None`` with the pointer of the last node reached, a non-text one included, and a chain
      longer than ``MAX_HOPS`` counts as broken.
    """

    def __init__(self, doc: Any, *, strict: bool = False) -> None:
        self._doc = doc
        self.strict = strict
        self._cache: dict[str, tuple[bool, Any]] = {}

    def lookup(self, ref: str) -> tuple[bool, Any]:
        """(found, node) for one local ref, without following a ref found there."""
        if ref not in self._cache:
            found = ref.startswith("#/") and lookup_pointer(self._doc, ref[1:])
            self._cache[ref] = found if found else (False, None)
        return self._cache[ref]

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow ``node``'s ref chain: (final node, its pointer); when the chain breaks, a
        ``SwaggerImportError`` (strict) or (None, the pointer of the last node reached)."""
        if self.strict:
            target, followed = self.follow(node, pointer)
            return target, followed[-1][1:] if followed else pointer
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or ref in seen or len(seen) >= MAX_HOPS:
                return (None, pointer)
            seen.add(ref)
            found, target = self.lookup(ref)
            if not found:
                return (None, pointer)
            node, pointer = target, ref[1:]
        return (node, pointer)

    def follow(self, node: Any, at: str) -> tuple[Any, list[str]]:
        """(target, the refs followed) from ``node`` found at pointer ``at``, in strict mode:
        errors name the pointer of the ``$ref`` at fault (the dangling one, or the one that
        starts a loop)."""
        seen: list[str] = []
        where = f"{at}/$ref"
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                chain = " -> ".join([*seen, ref])
                raise SwaggerImportError(f"$ref loop: {chain}", pointer=f"{at}/$ref")
            seen.append(ref)
            node = self._target(ref, where)
            where = f"{ref[1:]}/$ref"
        return node, seen

    def _target(self, ref: str, at: str) -> Any:
        if not ref.startswith("#/"):
            raise SwaggerImportError(
                f"$ref '{ref}' is not supported: Power Platform reads only references inside "
                "the same file ('#/definitions/...', '#/parameters/...', '#/responses/...')",
                pointer=at,
            )
        found, node = self.lookup(ref)
        if not found:
            raise SwaggerImportError(f"$ref '{ref}' points to nothing in this file", pointer=at)
        return node

    def chain(self, ref: str) -> tuple[str, list[str]]:
        """How ``ref`` ends: ("ok" | "not-found" | "loop", refs followed after the first)."""
        seen = [ref]
        current = ref
        while True:
            found, target = self.lookup(current)
            if not found:
                return ("not-found", seen[1:])
            following = target.get("$ref") if isinstance(target, dict) else None
            if not isinstance(following, str):
                return ("ok", seen[1:])
            if following in seen or len(seen) >= MAX_HOPS:
                return ("loop", [*seen[1:], following])
            seen.append(following)
            current = following


def resolve(doc: Any, node: Any, at: str) -> tuple[Any, str | None]:
    """The importer's follow (strict): (target, first ref or None) from ``node`` at ``at``."""
    target, seen = Resolver(doc, strict=True).follow(node, at)
    return target, seen[0] if seen else None


def is_example(key: Any, parent_key: Any) -> bool:
    """Whether the value under ``key`` is a free-form example, not walked for ``$ref``s.

    ``parent_key`` is the key the object holding ``key`` sits under: in ``properties`` (or
    ``definitions``, ``headers``, ...) "example" is a name, and its value a real schema.
    """
    return key in EXAMPLE_KEYS and parent_key not in _NAMED_MAPS


def check_refs(doc: dict[str, Any]) -> None:
    """Every ``$ref`` string in ``doc`` points somewhere and no chain of refs loops.

    Walks in document order (children pushed in reverse), so the first fault is reported.
    """
    resolver = Resolver(doc, strict=True)
    stack: list[tuple[Any, str, Any]] = [(doc, "", None)]
    while stack:
        node, pointer, node_key = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                resolver.follow({"$ref": node["$ref"]}, pointer)
            children = [
                (child, f"{pointer}/{escape_pointer(key)}", key)
                for key, child in node.items()
                if not is_example(key, node_key) and isinstance(child, dict | list)
            ]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(child, f"{pointer}/{i}", i) for i, child in enumerate(node)]))


def is_flag(value: Any) -> bool:
    """Whether an ``x-ms-notification-url`` value switches the flag on.

    Compared with ``==`` on purpose, like trigger_facts.py: "true" and 1 count as well.
    """
    return value in _TRUE_FLAGS


def find_callbacks(doc: Any, schema: Any, at: str = "") -> list[Callback]:
    """Every ``x-ms-notification-url`` property under ``schema`` (found at pointer ``at`` of
    ``doc``, for error messages), in document order."""
    found: list[Callback] = []
    _walk_schema(doc, schema, (at, ""), frozenset(), 0, found)
    return found


def _walk_schema(
    doc: Any,
    schema: Any,
    where: tuple[str, str],
    seen: frozenset[str],
    depth: int,
    out: list[Callback],
) -> None:
    """``where`` is (pointer of ``schema`` in ``doc``, pointer into the body payload)."""
    if depth > _SCHEMA_DEPTH or not isinstance(schema, dict):
        return
    body_pointer = where[1]
    schema, refs = Resolver(doc, strict=True).follow(schema, where[0])
    at = refs[-1][1:] if refs else where[0]
    if refs:
        if refs[0] in seen:  # a recursive schema (a tree): its flags were seen on the way down
            return
        seen = seen | {refs[0]}
    if not isinstance(schema, dict):
        return
    if is_flag(schema.get("x-ms-notification-url")):
        out.append(Callback(body_pointer))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, child in properties.items():
            token = escape_pointer(name)
            child_where = (f"{at}/properties/{token}", f"{body_pointer}/{token}")
            _walk_schema(doc, child, child_where, seen, depth + 1, out)
    if isinstance(schema.get("items"), dict):
        child_where = (f"{at}/items", f"{body_pointer}/*")
        _walk_schema(doc, schema["items"], child_where, seen, depth + 1, out)
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list):
            for index, child in enumerate(schema[keyword]):
                child_where = (f"{at}/{keyword}/{index}", body_pointer)
                _walk_schema(doc, child, child_where, seen, depth + 1, out)
