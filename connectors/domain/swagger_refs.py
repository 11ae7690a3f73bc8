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

from connectors.domain.documents import DocumentError, escape_pointer

# Free-form example payloads may contain "$ref" text that is not a reference.
_EXAMPLE_KEYS = frozenset({"example", "examples", "x-example", "x-examples", "x-ms-test-value"})
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
    ("/config/url"; "*" stands for every array item) and its ``x-ms-visibility``."""

    pointer: str
    visibility: Any


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
    node = doc
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise SwaggerImportError(f"$ref '{ref}' points to nothing in this file", pointer=at)
    return node


def resolve(doc: Any, node: Any, at: str) -> tuple[Any, str | None]:
    """Follow a chain of ``$ref`` from ``node`` (found at pointer ``at``).

    Returns (target, first ref or None). Errors name the pointer of the ``$ref`` at fault: the
    dangling one, or the one that starts a loop. A non-text ``$ref`` is no reference (a schema
    property may be named "$ref"), as in trigger_facts.py.
    """
    first: str | None = None
    seen: list[str] = []
    where = f"{at}/$ref"
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            chain = " -> ".join([*seen, ref])
            raise SwaggerImportError(f"$ref loop: {chain}", pointer=f"{at}/$ref")
        seen.append(ref)
        first = first or ref
        node = ref_target(doc, ref, where)
        where = f"{ref[1:]}/$ref"
    return node, first


def check_refs(doc: dict[str, Any]) -> None:
    """Every ``$ref`` string in ``doc`` points somewhere and no chain of refs loops.

    Walks in document order (children pushed in reverse), so the first fault is reported.
    """
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                resolve(doc, {"$ref": node["$ref"]}, pointer)
            children = [
                (child, f"{pointer}/{escape_pointer(key)}")
                for key, child in node.items()
                if key not in _EXAMPLE_KEYS and isinstance(child, dict | list)
            ]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(child, f"{pointer}/{i}") for i, child in enumerate(node)]))


def is_flag(value: Any) -> bool:
    """Whether an ``x-ms-notification-url`` value switches the flag on.

    Compared with ``==`` on purpose, like trigger_facts.py: "true" and 1 count as well.
    """
    return value in _TRUE_FLAGS


def find_callbacks(doc: Any, schema: Any) -> list[Callback]:
    """Every ``x-ms-notification-url`` property under ``schema``, in document order."""
    found: list[Callback] = []
    _walk_schema(doc, schema, "", frozenset(), 0, found)
    return found


def _walk_schema(
    doc: Any, schema: Any, body_pointer: str, seen: frozenset[str], depth: int, out: list[Callback]
) -> None:
    if depth > _SCHEMA_DEPTH or not isinstance(schema, dict):
        return
    schema, ref = resolve(doc, schema, "")
    if ref:
        if ref in seen:  # a recursive schema (a tree): its flags were seen on the way down
            return
        seen = seen | {ref}
    if not isinstance(schema, dict):
        return
    if is_flag(schema.get("x-ms-notification-url")):
        out.append(Callback(body_pointer, schema.get("x-ms-visibility")))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, child in properties.items():
            child_pointer = f"{body_pointer}/{escape_pointer(name)}"
            _walk_schema(doc, child, child_pointer, seen, depth + 1, out)
    if isinstance(schema.get("items"), dict):
        _walk_schema(doc, schema["items"], f"{body_pointer}/*", seen, depth + 1, out)
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list):
            for child in schema[keyword]:
                _walk_schema(doc, child, body_pointer, seen, depth + 1, out)
