"""The command-line tools on a fresh database: import, export, lint."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from connectors import services
from connectors.domain.documents import load_document
from connectors.domain.swagger.exporting.package import read_icon
from connectors.models import ConnectorDraft, Team
from tests.factories import make_team

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_corpus(corpus_dir: Path, name: str, *extra: str) -> ConnectorDraft:
    folder = corpus_dir / name
    out, _ = run(
        "import_connector",
        str(folder / "apiDefinition.swagger.json"),
        "--properties",
        str(folder / "apiProperties.json"),
        *extra,
    )
    return ConnectorDraft.objects.get(pk=int(out.strip()))


def test_import_uses_a_default_team_created_on_first_use(corpus_dir: Path) -> None:
    assert not Team.objects.exists()
    draft = import_corpus(corpus_dir, "WooCommerce")
    assert draft.team.slug == "default"
    assert [t["kind"] for t in draft.design["triggers"]] == ["webhook"]
    assert draft.revisions.count() == 1


def test_import_into_a_named_team(corpus_dir: Path) -> None:
    team = make_team("Integrations")
    draft = import_corpus(corpus_dir, "Leadinfo", "--team", team.slug)
    assert draft.team == team


def test_import_unknown_team_is_a_clear_error(corpus_dir: Path) -> None:
    with pytest.raises(CommandError, match="no team with slug 'nope'"):
        import_corpus(corpus_dir, "Leadinfo", "--team", "nope")


def test_import_malformed_json_names_line_and_column(corpus_dir: Path) -> None:
    path = corpus_dir / "DocuSignDemo" / "apiDefinition.swagger.json"
    with pytest.raises(CommandError, match=r"line \d+, column \d+"):
        run("import_connector", str(path))
    assert not ConnectorDraft.objects.exists()


def test_import_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read swagger file"):
        run("import_connector", str(tmp_path / "absent.json"))


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_writes_both_files(corpus_dir: Path, tmp_path: Path, fmt: str) -> None:
    draft = import_corpus(corpus_dir, "WooCommerce")
    out, _ = run("export_connector", str(draft.pk), "--out", str(tmp_path), "--format", fmt)
    written = sorted(Path(line).name for line in out.split())
    assert written == [f"apiDefinition.swagger.{fmt}", f"apiProperties.{fmt}"]
    swagger = load_document((tmp_path / f"apiDefinition.swagger.{fmt}").read_bytes())
    original = load_document(
        (corpus_dir / "WooCommerce" / "apiDefinition.swagger.json").read_bytes()
    )
    assert swagger["paths"].keys() == original["paths"].keys()


@pytest.mark.parametrize("fmt", ["json", "zip"])
def test_export_marks_the_version_downloaded(corpus_dir: Path, tmp_path: Path, fmt: str) -> None:
    # Flows may be built on what was exported: the history measures breaking changes from it.
    draft = import_corpus(corpus_dir, "Leadinfo")
    assert draft.downloaded_version is None
    run("export_connector", str(draft.pk), "--out", str(tmp_path), "--format", fmt)
    draft.refresh_from_db()
    assert draft.downloaded_version == draft.version == 1


def test_export_zip_is_a_paconn_package(corpus_dir: Path, tmp_path: Path) -> None:
    draft = import_corpus(corpus_dir, "Leadinfo")
    out, _ = run("export_connector", str(draft.pk), "--out", str(tmp_path), "--format", "zip")
    with zipfile.ZipFile(out.strip()) as package:
        names = set(package.namelist())
    assert {
        "apiDefinition.swagger.json",
        "apiProperties.json",
        "settings.json",
        "readme.md",
    } <= names


def test_export_zip_carries_the_drafts_icon(corpus_dir: Path, tmp_path: Path) -> None:
    draft = import_corpus(corpus_dir, "Leadinfo")
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (218, 59, 1)).save(buffer, format="PNG")
    icon = read_icon(buffer.getvalue())
    services.draft_save(
        draft=draft, user=None, design=draft.design, based_on_version=draft.version, icon=icon
    )
    out, _ = run("export_connector", str(draft.pk), "--out", str(tmp_path), "--format", "zip")
    with zipfile.ZipFile(out.strip()) as package:
        assert package.read("icon.png") == buffer.getvalue()
        assert json.loads(package.read("settings.json"))["icon"] == "icon.png"


def test_export_unknown_draft(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no draft with id 999"):
        run("export_connector", "999", "--out", str(tmp_path))


def test_lint_file_with_errors_exits_1(corpus_dir: Path) -> None:
    path = corpus_dir / "Cornerstone_Learning_vILT" / "apiDefinition.swagger.json"
    with pytest.raises(SystemExit) as exited:
        run("lint_connector", str(path))
    assert exited.value.code == 1


def test_lint_json_output_lists_findings(corpus_dir: Path, capsys) -> None:
    path = corpus_dir / "Cornerstone_Learning_vILT" / "apiDefinition.swagger.json"
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("lint_connector", str(path), "--format", "json", stdout=out)
    findings = json.loads(out.getvalue())
    assert {"rule", "severity", "pointer", "message", "fix", "field"} <= set(findings[0])
    assert "WebhookMissingDeleteAction" in {f["rule"] for f in findings}


def test_lint_a_draft_by_id_fills_design_fields(corpus_dir: Path) -> None:
    draft = import_corpus(corpus_dir, "Eduframe")
    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("lint_connector", str(draft.pk), "--format", "json", stdout=out)
    findings = json.loads(out.getvalue())
    assert any(f["field"] and f["field"].startswith("/triggers/0") for f in findings)


def test_lint_neither_file_nor_id() -> None:
    with pytest.raises(CommandError, match="neither a file nor a draft id"):
        run("lint_connector", "no-such-thing.json")


def test_commands_work_on_a_fresh_embedded_database(corpus_dir: Path, tmp_path: Path) -> None:
    """The CLI as a user runs it: a new SQLite file, no server, no migrations run by hand."""
    env = {"DESIGNER_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    manage = [sys.executable, str(Path(__file__).resolve().parents[3] / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    folder = corpus_dir / "ModuleQ"
    imported = subprocess.run(
        [*manage, "import_connector", str(folder / "apiDefinition.swagger.json")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    draft_id = imported.stdout.strip()
    assert draft_id.isdigit()
    subprocess.run(
        [*manage, "export_connector", draft_id, "--out", str(tmp_path / "out")],
        env=env,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "out" / "apiDefinition.swagger.json").is_file()


def test_import_info_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    doc = {"swagger": "2.0", "info": [1], "host": "a.example.com", "paths": {}}
    path.write_text(json.dumps(doc))
    out, err = run("import_connector", str(path))
    draft = ConnectorDraft.objects.get(pk=int(out.strip()))
    assert draft.design["passthrough"]["swagger"]["info"] == [1]
    assert "info is missing or not an object" in err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"swagger": "2.0",\n "x": ' + "1" * 5000 + "}", "line 2, column 7"),
        ('{"swagger": "2.0",\n "x": 1e999}', "line 2, column 7"),
        ('{"swagger": "2.0", "x": "\\ud800"}', "line 1, column 26"),
        ("swagger: '2.0'\nx: !!int abc\n", "line 2, column 4"),
        ("swagger: '2.0'\nx: !!timestamp 2020-13-45\n", "line 2, column 4"),
    ],
    ids=["long-int", "infinity", "lone-surrogate", "int-tag", "timestamp-tag"],
)
@pytest.mark.parametrize("command", ["import_connector", "lint_connector"])
def test_values_json_cannot_hold_are_errors_with_line_and_column(
    tmp_path: Path, command: str, text: str, where: str
) -> None:
    path = tmp_path / "apiDefinition.swagger.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=f"apiDefinition.swagger.json {where}: "):
        run(command, str(path))
    assert not ConnectorDraft.objects.exists()


@pytest.mark.parametrize("command", ["export_connector", "lint_connector"])
def test_trashed_drafts_are_not_found(corpus_dir: Path, tmp_path: Path, command: str) -> None:
    draft = import_corpus(corpus_dir, "WooCommerce")
    services.draft_trash(draft=draft, user=None)
    args = ["--out", str(tmp_path)] if command == "export_connector" else []
    with pytest.raises(CommandError, match=f"no draft with id {draft.pk}"):
        run(command, str(draft.pk), *args)


def test_lint_a_draft_with_properties_is_an_error(corpus_dir: Path) -> None:
    draft = import_corpus(corpus_dir, "WooCommerce")
    properties = corpus_dir / "WooCommerce" / "apiProperties.json"
    with pytest.raises(CommandError, match="--properties goes with a swagger file"):
        run("lint_connector", str(draft.pk), "--properties", str(properties))


def test_export_tray_writes_the_tray_connector_zip(tmp_path: Path) -> None:
    from tests.connectors.conftest import github_design

    draft = services.draft_create(
        team=make_team(), user=None, title="GitHub", design=github_design()
    )
    out, _ = run("export_connector", str(draft.pk), "--out", str(tmp_path), "--format", "tray")
    assert Path(out.strip()).name == "github-tray.zip"
    with zipfile.ZipFile(out.strip()) as package:
        names = set(package.namelist())
    assert "connectors/github_trigger/on_issue_opened/model.js" in names
    assert "package.json" in names
    draft.refresh_from_db()
    assert draft.downloaded_version == draft.version
