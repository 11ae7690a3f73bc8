"""``manage.py lint_connector FILE_OR_ID [--format text|json]``: findings; exit 1 on errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectors import services
from connectors.domain.documents import DocumentError, load_document
from connectors.domain.lint import Finding, lint_design, lint_swagger
from connectors.management.commands._drafts import draft_or_error


class Command(BaseCommand):
    help = "Lint a swagger file or a draft (by id); exit status 1 when there are errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="a swagger file (JSON or YAML) or a draft id")
        parser.add_argument("--properties", help="apiProperties.json to lint with a file")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = self.lint(options["target"], options["properties"])
        if options["format"] == "json":
            self.stdout.write(json.dumps([f.as_dict() for f in findings], indent=2))
        else:
            for f in findings:
                where = f.pointer or "/"
                self.stdout.write(f"{f.severity.upper():7} {f.rule} at {where}: {f.message}")
                self.stdout.write(f"        fix: {f.fix}")
            errors = sum(f.severity == "error" for f in findings)
            self.stdout.write(f"{errors} errors, {len(findings) - errors} other findings")
        if any(f.severity == "error" for f in findings):
            sys.exit(1)

    def lint(self, target: str, properties_path: str | None) -> list[Finding]:
        path = Path(target)
        if path.is_file():
            return lint_swagger(
                self.load(path),
                properties=self.load(Path(properties_path)) if properties_path else None,
            )
        if not target.isdigit():
            raise CommandError(f"{target} is neither a file nor a draft id")
        if properties_path:
            raise CommandError(
                "--properties goes with a swagger file; a draft's own apiProperties are linted"
            )
        draft = draft_or_error(target)
        return lint_design(services.draft_design(draft=draft, copy=False))

    def load(self, path: Path) -> dict[str, Any]:
        try:
            return load_document(path.read_bytes(), name=path.name)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
