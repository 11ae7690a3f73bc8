"""A design cut into content-addressed parts, and put back together, byte for byte.

Purpose: revisions of a large connector share what did not change. A design is cut at fixed
places (general, security, each trigger's sections, each passthrough path item's operations,
each definition, parameter and response, each apiProperties property) into *leaves*, JSON texts
named by their SHA-256; the containers above them become small *nodes* listing their entries'
keys and digests (a Merkle tree). The big maps (paths, definitions) are split again into groups
whose boundaries depend only on the keys, so one edit rewrites one leaf, one group and the few
nodes above it, whatever the size of the connector.
Input: ``split(design)`` takes any JSON value (a design); ``assemble(root, parts)`` takes a root
digest and a mapping of digest -> part text.
Output: ``Split`` (root digest, the full JSON text, every part text by digest) and, back, the
design exactly as it was (same keys in the same order, same text once dumped).
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The text every design is stored as (``connectors.fields.OrderedJSONField`` writes the same).
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Where a container's entries become parts of their own: "d" a map (one entry each), "l" a
# list (one item each), "g" a big map split into groups. Keys are token paths, "*" any key.
_SHAPES: dict[tuple[str, ...], str] = {
    (): "d",
    ("triggers",): "l",
    ("triggers", "*"): "d",
    ("passthrough",): "d",
    ("passthrough", "swagger"): "d",
    ("passthrough", "swagger", "paths"): "g",
    ("passthrough", "swagger", "paths", "*"): "d",
    ("passthrough", "swagger", "definitions"): "g",
    ("passthrough", "swagger", "parameters"): "g",
    ("passthrough", "swagger", "responses"): "g",
    ("passthrough", "properties"): "d",
    ("passthrough", "properties", "properties"): "d",
}
# A group of a big map ends after a key whose hash ends in these bits: about 16 entries a group,
# and adding or removing an entry moves the boundaries of its own group only.
_GROUP_MASK = 0x0F


# The texts of recently cut leaves, by marshal's bytes of their value (version 2 writes no
# back-references, so equal bytes mean equal values, types and key order included): the next
# save of the same draft re-encodes only what changed. Marshal is several times faster than
# JSON encoding and hashing; the memory is bounded (texts and keys, about 64 MB at most).
_MARSHAL_VERSION = 2
_TEXTS_MAX_CHARS = 32 * 1024 * 1024


class _LeafTexts:
    def __init__(self) -> None:
        self.items: OrderedDict[bytes, tuple[str, str]] = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()  # a threaded server cuts designs in several threads

    def text(self, value: Any) -> tuple[str, str]:
        """(JSON text, digest) of a container leaf, from the memory when it was cut lately."""
        try:
            key = marshal.dumps(value, _MARSHAL_VERSION)
        except ValueError:  # not a JSON value marshal knows: encode it every time
            text = _ENCODE(value)
            return text, digest(text)
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        text = _ENCODE(value)
        found = (text, digest(text))
        with self.lock:
            if key not in self.items:
                self.items[key] = found
                self.chars += len(text) + len(key)
            while self.chars > _TEXTS_MAX_CHARS and self.items:
                old_key, (old_text, _) = self.items.popitem(last=False)
                self.chars -= len(old_text) + len(old_key)
        return found


_LEAVES = _LeafTexts()
# The same for the big maps cut into groups (definitions, paths): an unchanged one is taken
# whole, with its groups and leaves, without visiting its entries (value: kind, digest, text
# and every part under it). Their texts are shared with the leaves', so little memory.
_GROUPS: OrderedDict[bytes, tuple[str, str, str, dict[str, str]]] = OrderedDict()
_GROUPS_MAX = 16
_GROUPS_LOCK = threading.Lock()


class PartsMissing(LookupError):
    """A part a revision needs is not in the store (the store was damaged)."""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Split:
    root: str  # digest of the root node
    text: str  # the whole design as JSON text (what the draft row stores)
    parts: dict[str, str] = field(default_factory=dict)  # digest -> text, leaves and nodes


def _shape(tokens: tuple[str, ...], value: Any) -> str | None:
    shape = _SHAPES.get(tokens)
    if shape is None and tokens:
        shape = _SHAPES.get((*tokens[:-1], "*"))
    if shape == "l":
        return shape if isinstance(value, list) else None
    return shape if shape is not None and isinstance(value, dict) else None


@functools.lru_cache(maxsize=65_536)
def _boundary(key: str) -> bool:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=1).digest()[0] & _GROUP_MASK == 0


def split(design: Any) -> Split:
    """Cut ``design`` into parts; ``text`` is ``json.dumps`` of the whole, in the same form."""
    result = Split(root="", text="")
    kind, name, text = _part(design, (), result.parts)
    if kind == "v":  # not a container we cut: the root node names the one leaf
        name = _node({"t": "v", "e": name}, result.parts)
    result.root, result.text = name, text
    return result


def _part(value: Any, tokens: tuple[str, ...], parts: dict[str, str]) -> tuple[str, str, str]:
    """("v" leaf | "n" node, its digest, the value's JSON text) of one value."""
    shape = _shape(tokens, value)
    if shape is None:
        if isinstance(value, dict | list):
            text, name = _LEAVES.text(value)
        else:
            text = _ENCODE(value)
            name = digest(text)
        parts[name] = text
        return "v", name, text
    if shape == "l":
        children = [_part(item, (*tokens, "*"), parts) for item in value]
        node = {"t": "l", "e": [[kind, name] for kind, name, _ in children]}
        return "n", _node(node, parts), "[" + ",".join(text for *_, text in children) + "]"
    if shape == "g":
        return _grouped(value, tokens, parts)
    entries = [(key, *_part(item, (*tokens, key), parts)) for key, item in value.items()]
    text = "{" + ",".join(f"{_ENCODE(key)}:{text}" for key, _, _, text in entries) + "}"
    rows = [[key, kind, name] for key, kind, name, _ in entries]
    return "n", _node({"t": "d", "e": rows}, parts), text


def _grouped(value: dict[str, Any], tokens: tuple[str, ...], parts: dict[str, str]) -> Any:
    """A big map cut into groups of entries, or taken whole from ``_GROUPS``."""
    try:
        memo: bytes | None = marshal.dumps(value, _MARSHAL_VERSION)
    except ValueError:
        memo = None
    with _GROUPS_LOCK:
        found = _GROUPS.get(memo) if memo is not None else None
        if found is not None:
            _GROUPS.move_to_end(memo)  # type: ignore[arg-type]
    if found is not None:
        parts.update(found[3])
        return found[:3]
    mine: dict[str, str] = {}
    entries = [(key, *_part(item, (*tokens, key), mine)) for key, item in value.items()]
    text = "{" + ",".join(f"{_ENCODE(key)}:{text}" for key, _, _, text in entries) + "}"
    rows = [[key, kind, name] for key, kind, name, _ in entries]
    groups = [_node({"t": "d", "e": group}, mine) for group in _groups(rows)]
    result = ("n", _node({"t": "g", "e": groups}, mine), text)
    parts.update(mine)
    if memo is not None:
        with _GROUPS_LOCK:
            _GROUPS[memo] = (*result, mine)
            while len(_GROUPS) > _GROUPS_MAX:
                _GROUPS.popitem(last=False)
    return result


def _groups(rows: list[list[str]]) -> Iterator[list[list[str]]]:
    group: list[list[str]] = []
    for row in rows:
        group.append(row)
        if _boundary(row[0]):
            yield group
            group = []
    if group:
        yield group


def _node(node: dict[str, Any], parts: dict[str, str]) -> str:
    text = _ENCODE(node)
    name = digest(text)
    parts[name] = text
    return name


def node_refs(text: str) -> list[tuple[str, str]]:
    """The parts a node's text names, each as ("v" leaf | "n" node, digest): what to fetch
    for the next level of a tree."""
    node = json.loads(text)
    entries = node["e"]
    if node["t"] == "v":
        return [("v", entries)]
    if node["t"] == "g":
        return [("n", group) for group in entries]
    if node["t"] == "l":
        return [(kind, name) for kind, name in entries]
    return [(kind, name) for _, kind, name in entries]


def assemble(root: str, parts: Mapping[str, str]) -> Any:
    """The design whose root node is ``root``; ``PartsMissing`` names a part not in ``parts``."""
    return json.loads(assemble_text(root, parts))


def assemble_text(root: str, parts: Mapping[str, str]) -> str:
    """The JSON text of the design whose root node is ``root`` (exactly the text it was split
    from: parsing it gives the design back with its keys in their order)."""
    return _text_of("n", root, parts)


def _get(name: str, parts: Mapping[str, str]) -> str:
    try:
        return parts[name]
    except KeyError:
        raise PartsMissing(f"The design part {name} is missing.") from None


def _text_of(kind: str, name: str, parts: Mapping[str, str]) -> str:
    if kind == "v":
        return _get(name, parts)
    node = json.loads(_get(name, parts))
    entries = node["e"]
    if node["t"] == "v":
        return _get(entries, parts)
    if node["t"] == "l":
        return "[" + ",".join(_text_of(k, n, parts) for k, n in entries) + "]"
    if node["t"] == "g":
        entries = [row for group in entries for row in json.loads(_get(group, parts))["e"]]
    return "{" + ",".join(f"{_ENCODE(key)}:{_text_of(k, n, parts)}" for key, k, n in entries) + "}"
