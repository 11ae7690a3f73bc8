"""Fixtures shared by the whole suite: where the shared reference files are, and small factories."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI clones the repository with shared/ beside it; developers have the same layout.
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()
CORPUS_DIR = SHARED_DIR / "corpus" / "dev"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"the shared reference folder is missing: expected it at {SHARED_DIR}")
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "dev"
