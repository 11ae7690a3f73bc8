"""The exported tray.io connector, run by the real ``@trayio/falafel`` against the simulator.

npm installs the pinned Falafel once into the pytest cache (``.pytest_cache/d/falafel-<v>``);
each test unzips an export, and a node process loads it through its own ``index.js`` and answers
tray's messages: the init (registration, the simulator records the callback), a notification
through ``request.js`` (filtered, passed on), the acknowledge reply, the destroy (DELETE).
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from connectors.domain.swagger.exporting.tray import build_tray_package, connector_name
from connectors.domain.swagger.exporting.tray_js import FALAFEL_VERSION
from connectors.models import SimulatorSession
from tests.connectors.conftest import a_report, github_design, own_callback
from tests.factories import make_team, make_user
from tests.paths import REPO

pytestmark = pytest.mark.django_db(transaction=True)
DRIVER = Path(__file__).with_name("tray_falafel_driver.js")
MESSAGE = "on_issue_opened"


@pytest.fixture(scope="session")
def falafel(request: pytest.FixtureRequest) -> Path:
    """node_modules holding the pinned @trayio/falafel, installed by npm on the first run."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    name = f"falafel-{FALAFEL_VERSION}"
    folder = Path(cache.mkdir(name)) if cache else REPO / "var" / "test-cache" / name
    folder.mkdir(parents=True, exist_ok=True)
    installed = folder / "node_modules" / "@trayio" / "falafel" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != FALAFEL_VERSION:
        npm = shutil.which("npm")
        assert npm, "npm is needed to install @trayio/falafel"
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder),
             f"@trayio/falafel@{FALAFEL_VERSION}"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    assert json.loads(installed.read_text())["version"] == FALAFEL_VERSION
    return folder / "node_modules"


def tray_design(**tray: Any) -> dict[str, Any]:
    """The GitHub-style webhook (callback at /config/url, DELETE /repos/{owner}/{repo}/hooks/
    {hookId}) with ``tray`` settings."""
    design = github_design()
    design["triggers"][0]["tray"] = tray
    return design


def exported(design: dict[str, Any], where: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(build_tray_package(design))) as archive:
        archive.extractall(where)
    return where


def run(node_modules: Path, connector: Path, events: list[dict[str, Any]]) -> list[Any]:
    """tray's messages through the connector; Falafel's answers, in order."""
    events_file, answers_file = connector / "events.json", connector / "answers.json"
    events_file.write_text(json.dumps(events))
    env = {**os.environ, "NODE_PATH": str(node_modules), "NODE_ENV": "production"}
    done = subprocess.run(
        ["node", str(DRIVER), str(connector), str(events_file), str(answers_file)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(answers_file.read_text())
    assert result["error"] is None
    return list(result["answers"])


def simulator_of(design: dict[str, Any]) -> SimulatorSession:
    from connectors import services

    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="GitHub", design=design
    )
    simulator = a_report(draft).simulator
    assert simulator is not None
    return simulator


def init_event(sim: SimulatorSession, site: str, webhook_url: str) -> dict[str, Any]:
    body = {
        "owner": "octo",
        "repo": "app",
        "name": "web",
        "events": ["issues"],
        "config": {"content_type": "json"},
        "webhook_url": webhook_url,
        "base_url": f"{site}/sim/{sim.token}",
        "#auth": {},
    }
    return {"id": "init-1", "header": {"message": MESSAGE}, "body": body}


def notification(headers: dict[str, str], body: Any, method: str = "POST") -> dict[str, Any]:
    """A request tray received at the webhook URL, as it forwards it (body base64)."""
    http = {
        "method": method,
        "headers": {**{k: [v] for k, v in headers.items()}, "Content-Type": ["application/json"]},
        "body": base64.b64encode(json.dumps(body).encode()).decode(),
    }
    event = {"input": {"owner": "octo"}, "http": http}
    return {"id": "req", "header": {"message": f"{MESSAGE}_request"}, "body": event}


def hooks(sim: SimulatorSession) -> list[dict[str, Any]]:
    sim.refresh_from_db()
    return sorted(sim.hooks.values(), key=lambda hook: hook["seq"])


def test_falafel_registers_at_the_callback_pointer_filters_and_destroys(
    falafel: Path, site: str, tmp_path: Path
) -> None:
    design = tray_design(
        delivery="fire_and_forget",
        filter={"headerName": "X-GitHub-Event", "headerValue": "issues",
                "bodyPointer": "/action", "bodyValue": "opened"},
    )  # fmt: skip
    sim = simulator_of(design)
    connector = exported(design, tmp_path / "connector")
    assert (connector / "connectors" / connector_name(design) / MESSAGE).is_dir()
    callback = own_callback(sim.reports.get())

    [init] = run(falafel, connector, [init_event(sim, site, callback)])
    assert "error" not in init["header"], init
    assert [(h["callback"], h["deleted"]) for h in hooks(sim)] == [(callback, False)]
    assert set(init["body"]) == {"hook_id", "hook_location"} and init["body"]["hook_id"]

    sample = {"action": "opened", "issue": {"number": 7}}
    passed, wrong_header, wrong_field, wrong_method = run(
        falafel,
        connector,
        [
            notification({"X-GitHub-Event": "issues"}, sample),
            notification({"X-GitHub-Event": "push"}, sample),
            notification({"X-GitHub-Event": "issues"}, {**sample, "action": "closed"}),
            notification({"X-GitHub-Event": "issues"}, sample, method="GET"),
        ],
    )
    assert passed["version"] == 2 and passed["body"]["output"] == sample
    for ignored in (wrong_header, wrong_field, wrong_method):
        assert ignored["header"]["error"] is True
        assert ignored["body"]["code"] == "#no_trigger"

    # tray hands destroy the trigger's inputs and what the init answered.
    destroy = {**init_event(sim, site, callback)["body"], **init["body"]}
    [gone] = run(
        falafel,
        connector,
        [{"id": "d", "header": {"message": f"{MESSAGE}_destroy"}, "body": destroy}],
    )
    assert "error" not in gone["header"], gone
    assert [h["deleted"] for h in hooks(sim)] == [True]
    assert Client().get(f"/sim/{sim.token}/_control/hooks").json()["hooks"][0]["deleted"] is True


def test_without_a_filter_every_post_passes_and_acknowledge_replies(
    falafel: Path, site: str, tmp_path: Path
) -> None:
    design = tray_design(
        delivery="acknowledge",
        reply={"status": 202, "contentType": "application/json",
               "body": '{"seen": {{/issue/number}}}'},
    )  # fmt: skip
    connector = exported(design, tmp_path / "connector")
    [answer, other] = run(
        falafel,
        connector,
        [
            notification({}, {"action": "closed", "issue": {"number": 9}}),
            {"id": "r", "header": {"message": f"{MESSAGE}_response"},
             "body": {"http": {"headers": {}, "body": ""}, "reply": {"status": 200}}},
        ],
    )  # fmt: skip
    assert answer["body"]["output"] == {"action": "closed", "issue": {"number": 9}}
    reply = answer["body"]["http"]
    assert reply["status"] == 202
    assert reply["headers"] == {"Content-Type": "application/json"}
    assert json.loads(base64.b64decode(reply["body"])) == {"seen": 9}
    assert other["body"] == {"status": 200}  # response.js passes the workflow's reply on


def test_a_design_without_a_delete_path_id_destroys_at_the_location(
    falafel: Path, site: str, tmp_path: Path
) -> None:
    design = tray_design()
    design["triggers"][0]["deleteAction"]["path"] = "/repos/{owner}/{repo}/hooks"
    sim = simulator_of(tray_design())  # the simulator serves the id path the Location names
    connector = exported(design, tmp_path / "connector")
    callback = own_callback(sim.reports.get())
    [init] = run(falafel, connector, [init_event(sim, site, callback)])
    assert init["body"]["hook_location"].startswith(f"{site}/sim/{sim.token}/repos/octo/app/hooks/")
    destroy = {**init_event(sim, site, callback)["body"], **init["body"]}
    run(
        falafel,
        connector,
        [{"id": "d", "header": {"message": f"{MESSAGE}_destroy"}, "body": destroy}],
    )
    assert [h["deleted"] for h in hooks(sim)] == [True]
