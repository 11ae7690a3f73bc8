"""Where revisions keep their designs: content-addressed parts of each draft (``DesignPart``).

The model lives here rather than in ``models`` so that ``Revision.design`` can read its parts
without an import circle: this module knows drafts only by name (``connectors.ConnectorDraft``).

``parts_store`` writes the parts of a split design that the draft does not hold yet (a save
writes only what it changed, found top down, one small query per level of the tree);
``designs_of``
reads the designs of any number of a draft's revisions with one query per level of their part
trees, whatever the number of revisions or parts. The cutting itself is pure and lives in
``domain.design_parts``; this module only moves its texts in and out of the database
(zlib-compressed: a part is JSON, which compresses two to five times).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from typing import Any

from django.db import models

from .domain.design_parts import PartsMissing, Split, assemble_text, node_refs


class DesignPart(models.Model):
    """One content-addressed part of a draft's revisions (see ``domain.design_parts``).

    Stored once per draft and shared by every revision that holds it; ``data`` is the part's
    JSON text, zlib-compressed. Parts are only ever added, by the save that first needs them,
    and go with their draft (CASCADE): no revision is deleted on its own, so none is orphaned.
    """

    draft = models.ForeignKey(
        "connectors.ConnectorDraft", on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64)  # SHA-256 of the part's text, hex
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "digest"], name="design_part_unique_digest")
        ]

    def __str__(self) -> str:
        return f"part {self.digest[:12]} of {self.draft_id}"


# Compression level: 6 (zlib's default) halves a part's size at a few MB/s less than 1.
_LEVEL = 6
# Digests per IN (...) of one query: under SQLite's limit of parameters (32,766 since 3.32) and
# PostgreSQL's (65,535); a 5 MB upload is a few thousand parts.
_BATCH = 30_000


def _encode(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), _LEVEL)


def _decode(data: bytes | memoryview) -> str:
    return zlib.decompress(bytes(data)).decode("utf-8")


def _batches(names: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(names), _BATCH):
        yield names[start : start + _BATCH]


def parts_store(*, draft_id: int, split: Split) -> int:
    """Write the parts of ``split`` the draft lacks; how many were new.

    Top down, one query per level of the part tree: a node the draft already holds comes with
    its whole subtree (a save writes a node and everything under it in one transaction, the
    caller's), so only the children of new nodes are looked up. A one-field edit of a large
    connector looks up a few dozen digests in about seven small queries, instead of every
    digest of the design.
    """
    level: dict[str, str] = {split.root: "n"}
    seen = set(level)
    new: list[str] = []
    while level:
        known: set[str] = set()
        for batch in _batches(list(level)):
            parts = DesignPart.objects.filter(draft_id=draft_id, digest__in=batch)
            known.update(parts.values_list("digest", flat=True))
        fresh = [name for name in level if name not in known]
        new.extend(fresh)
        children = [
            (child, kind)
            for name in fresh
            if level[name] == "n"
            for kind, child in node_refs(split.parts[name])
        ]
        level = {child: kind for child, kind in children if child not in seen}
        seen.update(level)
    rows = [DesignPart(draft_id=draft_id, digest=n, data=_encode(split.parts[n])) for n in new]
    # ignore_conflicts: a concurrent save of the same draft may write the same part first.
    DesignPart.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def _fetch(draft_id: int, names: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for batch in _batches(sorted(names)):
        rows = DesignPart.objects.filter(draft_id=draft_id, digest__in=batch)
        found.update((name, _decode(data)) for name, data in rows.values_list("digest", "data"))
    return found


def texts_of(*, draft_id: int, roots: Iterable[str]) -> dict[str, str]:
    """The JSON text of each root's design (root -> text); ``PartsMissing`` if the store lacks
    a part. Parts shared between the revisions are read once."""
    roots = list(dict.fromkeys(roots))
    parts: dict[str, str] = {}
    level = {("n", root) for root in roots}
    while level:
        wanted = {name for _, name in level if name not in parts}
        fetched = _fetch(draft_id, wanted)
        missing = wanted - fetched.keys()
        if missing:
            raise PartsMissing(f"Design parts {sorted(missing)[:3]} of draft {draft_id} missing.")
        parts.update(fetched)
        level = {ref for kind, name in level if kind == "n" for ref in node_refs(parts[name])}
        level = {(kind, name) for kind, name in level if name not in parts}
    return {root: assemble_text(root, parts) for root in roots}


def designs_of(*, draft_id: int, roots: Iterable[str]) -> dict[str, Any]:
    """The design of each root (root -> design), read as ``texts_of`` reads their texts."""
    texts = texts_of(draft_id=draft_id, roots=roots)
    return {root: json.loads(text) for root, text in texts.items()}
