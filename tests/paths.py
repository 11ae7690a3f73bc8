"""Where the tests find the repository and the shared folder beside it (corpus, schemas, tools)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# shared/ is a sibling of the repository (CI clones it next to the repo).
SHARED = REPO.parent / "shared"
