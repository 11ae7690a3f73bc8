"""JSON pointers and safe resolution of local ``$ref``s in a swagger document.

Purpose: every rule follows ``$ref``s the same way, and none of them can loop or crash on a ref
that is broken, external, not a string or part of a cycle: the one ``Resolver`` of
``connectors.domain.refs``, in its tolerant mode (the importer uses its strict mode).
Input: the swagger document (any value; non-dicts simply resolve to nothing).
Output: ``Resolver.resolve`` -> (target node or ``None``, pointer of what was reached);
``scan`` -> every ``$ref`` and every ``x-ms-notification-url`` key in the document, with pointers
(example payloads left out, as ``refs.check_refs`` leaves them out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.domain.documents import escape_pointer
from connectors.domain.documents import unescape_pointer as unescape
from connectors.domain.refs import is_example

__all__ = ["Scan", "escape", "join", "ref_of", "scan", "unescape"]

# The scan stops descending here: the deepest corpus document nests 25 levels, and pointers of
# ever deeper nodes would cost memory quadratic in the depth.
MAX_SCAN_DEPTH = 200


def escape(token: object) -> str:
    """One RFC 6901 token for a key or index of any type (YAML keys may be numbers)."""
    return escape_pointer(str(token))


def join(pointer: str, *tokens: object) -> str:
    return pointer + "".join("/" + escape(t) for t in tokens)


def ref_of(node: Any) -> Any:
    """The raw ``$ref`` value of ``node`` (any type), or ``None`` when it has none."""
    return node.get("$ref") if isinstance(node, dict) else None


@dataclass
class Scan:
    """Where the document holds ``$ref`` keys and ``x-ms-notification-url`` keys."""

    refs: list[tuple[str, Any]] = field(default_factory=list)
    flags: list[tuple[str, Any]] = field(default_factory=list)
    too_deep: list[str] = field(default_factory=list)  # where the scan stopped descending


def scan(doc: Any) -> Scan:
    """One iterative pass over the whole document (no recursion: depth cannot crash it).
    Each container is visited once: YAML aliases can share, or even nest, the same object."""
    result = Scan()
    stack: list[tuple[Any, str, int, Any]] = [(doc, "", 0, None)]
    seen: set[int] = set()
    while stack:
        node, pointer, depth, node_key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth >= MAX_SCAN_DEPTH:
            result.too_deep.append(pointer)
            continue
        if isinstance(node, dict):
            if "$ref" in node:
                result.refs.append((pointer, node["$ref"]))
            flag = node.get("x-ms-notification-url")
            # A dict here is a *property named* x-ms-notification-url (Zippydoc), not the flag.
            if flag is not None and not isinstance(flag, dict):
                result.flags.append((pointer, flag))
            # Example payloads are free-form: a "$ref" in one is text, as for the importer.
            items: Any = ((k, v) for k, v in node.items() if not is_example(k, node_key))
        else:
            items = enumerate(node)
        for key, value in items:
            if isinstance(value, dict | list):
                stack.append((value, pointer + "/" + escape(key), depth + 1, key))
    result.refs.sort(key=lambda item: item[0])
    result.flags.sort(key=lambda item: item[0])
    return result
