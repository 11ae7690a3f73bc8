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


def ref_target(doc: Any, ref: Any, at: str) -> Any:
    """The node a local ``$ref`` names; ``at`` is the pointer of the ``$ref`` for the message."""
    if not isinstance(ref, str):
        raise SwaggerImportError("$ref must be text such as '#/definitions/Name'", pointer=at)
    if not ref.startswith("#/"):
        raise SwaggerImportError(
            f"$ref '{ref}' is not supported: Power Platform reads only references inside the "
            "same file ('#/definitions/...', '#/parameters/...', '#/responses/...')",
            pointer=at,
        )
    found, node = lookup_pointer(doc, ref[1:])
    if not found:
        raise SwaggerImportError(f"$ref '{ref}' points to nothing in this file", pointer=at)
    return node


def resolve(doc: Any, node: Any, at: str) -> tuple[Any, str | None]:
    """Follow a chain of ``$ref`` from ``node`` (found at pointer ``at``).

    Returns (target, first ref or None). Errors name the pointer of the ``$ref`` at fault: the
    dangling one, or the one that starts a loop. A non-text ``$ref`` is no reference (a schema
    property may be named "$ref"), as in trigger_facts.py.
    """
    node, seen, _ = _follow(doc, node, at)
    return node, seen[0] if seen else None


def _follow(doc: Any, node: Any, at: str) -> tuple[Any, list[str], str]:
    """(target, the refs followed, the target's pointer) for ``resolve``."""
    seen: list[str] = []
    where = f"{at}/$ref"
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            chain = " -> ".join([*seen, ref])
            raise SwaggerImportError(f"$ref loop: {chain}", pointer=f"{at}/$ref")
        seen.append(ref)
        node = ref_target(doc, ref, where)
        where = f"{ref[1:]}/$ref"
    return node, seen, where.removesuffix("/$ref")


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
    stack: list[tuple[Any, str, Any]] = [(doc, "", None)]
    while stack:
        node, pointer, node_key = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                resolve(doc, {"$ref": node["$ref"]}, pointer)
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
    schema, refs, at = _follow(doc, schema, where[0])
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
