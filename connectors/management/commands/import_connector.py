"""``manage.py import_connector FILE [--properties FILE] [--team SLUG]``: import a draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectors import services
from connectors.domain.documents import DocumentError
from connectors.domain.swagger.importing.connector import SwaggerImportError
from connectors.models import Team


def read_file(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc


class Command(BaseCommand):
    help = "Import an apiDefinition.swagger.json (JSON or YAML) into a new draft; prints its id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="apiDefinition.swagger.json (or .yaml)")
        parser.add_argument("--properties", help="apiProperties.json to import with it")
        parser.add_argument("--team", help="slug of the team that gets the draft")

    def handle(self, *args: Any, **options: Any) -> None:
        swagger = read_file(options["file"], "swagger file")
        properties = (
            read_file(options["properties"], "properties file") if options["properties"] else None
        )
        if options["team"]:
            team = Team.objects.filter(slug=options["team"]).first()
            if team is None:
                raise CommandError(f"no team with slug {options['team']!r}")
        else:
            team = services.team_default()
        try:
            imported = services.draft_import(
                team=team, user=None, swagger=swagger, properties=properties
            )
        except (DocumentError, SwaggerImportError) as exc:
            raise CommandError(str(exc)) from exc
        for note in imported.notes:
            self.stderr.write(note)
        self.stdout.write(str(imported.draft.pk))
