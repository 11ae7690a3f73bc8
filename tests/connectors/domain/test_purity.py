"""The engine under connectors/domain is pure Python: no Django, no Celery, anywhere in it."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[3] / "connectors" / "domain"
FORBIDDEN = ("django", "celery", "connectors.models", "connectors.services")


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_no_framework() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert len(files) > 5
    offenders = {
        f"{path.relative_to(DOMAIN)}: {name}"
        for path in files
        for name in imported_modules(path.read_text(encoding="utf-8"))
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert offenders == set()


def test_the_check_itself_catches_a_django_import() -> None:
    assert "django.db" in imported_modules("from django.db import models\n")
