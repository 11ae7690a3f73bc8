"""``manage.py run_trigger_test DRAFT_ID``: run a test report now, without a worker (for CI).

``--param NAME=VALUE`` (repeatable) gives a value the platform would ask a flow's author for:
a parameter by name, a body property by its JSON pointer (``--param /config/events=push``).
Values not given start from the design's test values; a required one still missing stops the
command before anything runs.

With ``--target simulator`` the command serves this app on an ephemeral 127.0.0.1 port in a
background thread for the length of the run (the simulator and the callback receiver are its
views), with SITE_URL pointing there, and allows loopback for this run only. Exits 1 when the
report does not pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.test.testcases import LiveServerThread

from connectors import services, services_reports
from connectors.domain.runner.inputs import (
    Collected,
    InputError,
    collect,
    parse_assignment,
    run_inputs,
    value_text,
)
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.models import ConnectorDraft, Report


@contextmanager
def serve_app() -> Iterator[str]:
    """This app on 127.0.0.1:<free port> in a thread; yields its base URL, which is SITE_URL
    meanwhile (the app builds its callback and simulator URLs on SITE_URL only)."""
    saved = (list(settings.ALLOWED_HOSTS), settings.SECURE_SSL_REDIRECT, settings.SITE_URL)
    settings.ALLOWED_HOSTS = [*saved[0], "127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = False
    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise CommandError(f"could not serve the simulator: {thread.error}")
        settings.SITE_URL = f"http://127.0.0.1:{thread.port}"
        yield settings.SITE_URL
    finally:
        thread.terminate()
        settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT, settings.SITE_URL = saved


class Command(BaseCommand):
    help = "Run a draft's trigger test report synchronously; exit 1 when it does not pass."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("draft_id", type=int)
        parser.add_argument("--trigger", action="append", default=[], dest="triggers")
        parser.add_argument("--target", default="simulator", help="simulator or an API base URL")
        parser.add_argument("--fault", default="none", help="simulator fault mode")
        parser.add_argument("--format", choices=["text", "json", "junit"], default="text")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            dest="params",
            metavar="NAME=VALUE",
            help="a value for a parameter (or a body property's /pointer); repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            draft = ConnectorDraft.objects.get(pk=options["draft_id"], deleted_at__isnull=True)
        except ConnectorDraft.DoesNotExist as exc:
            raise CommandError(f"no draft {options['draft_id']}") from exc
        collected = self.values(draft, options["triggers"], options["params"])
        try:
            report = services.report_start(
                draft=draft,
                user=None,
                trigger_ids=options["triggers"],
                target=options["target"],
                fault=options["fault"],
                values=collected.values,
                secret_values=collected.secrets,
                enqueue=False,
            )
        except ValueError as exc:  # ReportTargetError, or an unknown fault mode
            raise CommandError(str(exc)) from exc
        if report.target_kind == Report.Target.SIMULATOR:
            with serve_app():
                ended = services.report_execute(report_id=report.pk, allow_loopback=True)
        else:
            ended = services.report_execute(report_id=report.pk)
        assert ended is not None  # the report was created above
        report = ended
        self.stdout.write(self.render(report, options["format"]))
        if report.status != Report.Status.PASSED:
            raise SystemExit(1)

    def values(self, draft: ConnectorDraft, triggers: list[str], params: list[str]) -> Collected:
        """The run's values: the design's test values, overridden by ``--param``; an unknown
        name or a required value still missing is an error before anything runs."""
        design = services.draft_design(draft=draft)
        rows = run_inputs(design, triggers, export_swagger(design, share=True))
        texts = {row.key: value_text(row.test_value) for row in rows if not row.secret}
        for text in params:
            try:
                name, value = parse_assignment(text)
            except InputError as exc:
                raise CommandError(f"--param {exc}") from exc
            if all(row.key != name for row in rows):
                known = ", ".join(row.key for row in rows) or "none"
                raise CommandError(f"--param {name}: no such value for this run (known: {known})")
            texts[name] = value
        collected = collect(rows, texts)
        if collected.errors:
            problems = "; ".join(f"{key}: {message}" for key, message in collected.errors.items())
            raise CommandError(f"{problems} (give it with --param NAME=VALUE)")
        return collected

    def render(self, report: Report, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(services_reports.report_document(report), indent=2)
        if fmt == "junit":
            return services_reports.report_junit(report)
        result = services_reports.report_result(report)
        lines = [
            f"Report {report.pk} of {report.draft.title} "
            f"(v{report.design_version}): {report.status}"
        ]
        for step in result.steps:
            lines.append(f"  [{step.status}] {step.title} ({step.duration_ms} ms)")
            lines += [f"      {f.severity} {f.code}: {f.message}" for f in step.findings]
        if report.error:
            lines.append(f"  error: {report.error}")
        return "\n".join(lines)
