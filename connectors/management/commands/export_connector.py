"""``manage.py export_connector ID --out DIR [--format json|yaml|zip|tray]``: a draft's files.

The zip is the paconn package, with the draft's icon when it has one; tray is the webhook
triggers as a tray.io trigger connector (a Falafel zip). The draft remembers the
version written (``services.draft_mark_downloaded``): its history flags breaking changes from
there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from connectors import selectors, services
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.domain.swagger.exporting.package import build_package
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.exporting.tray import build_tray_package
from connectors.management.commands._drafts import draft_or_error


class Command(BaseCommand):
    help = (
        "Write a draft's apiDefinition and apiProperties (JSON or YAML), its paconn zip or its "
        "tray.io trigger connector zip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id", type=int)
        parser.add_argument("--out", required=True, help="directory to write into")
        parser.add_argument("--format", choices=["json", "yaml", "zip", "tray"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = draft_or_error(options["draft_id"])
        design = services.draft_design(draft=draft, copy=False)  # only read
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create {out}: {exc.strerror or exc}") from exc
        icon = selectors.icon_bytes(draft=draft) if options["format"] == "zip" else None
        for name, content in self.files(design, options["format"], draft.title, icon).items():
            target = out / name
            target.write_bytes(content)
            self.stdout.write(str(target))
        services.draft_mark_downloaded(draft=draft, version=draft.version)

    def files(
        self, design: dict[str, Any], fmt: str, title: str, icon: bytes | None
    ) -> dict[str, bytes]:
        if fmt == "tray":
            return {f"{slugify(title) or 'connector'}-tray.zip": build_tray_package(design)}
        if fmt == "zip":
            return {f"{slugify(title) or 'connector'}.zip": build_package(design, icon=icon)}
        swagger, properties = export_swagger(design, share=True), export_properties(design)
        dump, ext = (dump_json, "json") if fmt == "json" else (dump_yaml, "yaml")
        return {
            f"apiDefinition.swagger.{ext}": dump(swagger).encode("utf-8"),
            f"apiProperties.{ext}": dump(properties).encode("utf-8"),
        }
