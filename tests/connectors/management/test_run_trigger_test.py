"""``run_trigger_test``: synchronous, serves the simulator itself, exit 1 when the report fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.connectors.conftest import github_design, report_design

REPO_ROOT = Path(__file__).resolve().parents[3]


def manage(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RUNNER_ALLOW_LOOPBACK")
    }
    env.update(
        DESIGNER_VAR_DIR=str(var),
        RUNNER_READ_TIMEOUT="2",
        SIMULATOR_SLOW_SECONDS="4",
        RUNNER_CALLBACK_WAIT_SECONDS="5",
        RUNNER_MAX_SLEEP_SECONDS="0.05",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def create_draft(var: Path, design: dict, title: str) -> str:
    path = var / f"{title}.json"
    path.write_text(json.dumps(design))
    code = (
        "import json,sys; from connectors import services;"
        f"d=services.draft_create(team=services.team_default(), user=None, title={title!r},"
        f"design=json.load(open({str(path)!r}))); print(d.pk)"
    )
    result = manage(var, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-1]


@pytest.fixture(scope="module")
def draft_id(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    var = tmp_path_factory.mktemp("var")
    assert manage(var, "migrate", "--no-input").returncode == 0
    return var, create_draft(var, report_design(), "Orders")


def test_path_parameters_take_values_from_param_and_the_run_passes(draft_id) -> None:
    var, _ = draft_id
    pk = create_draft(var, github_design(), "GitHub")
    missing = manage(var, "run_trigger_test", pk, "--param", "owner=octocat")
    assert missing.returncode != 0
    assert "repo: Enter a value: the path needs {repo}" in missing.stderr
    assert "--param" in missing.stderr
    unknown = manage(var, "run_trigger_test", pk, "--param", "branch=main")
    assert unknown.returncode != 0 and "no such value for this run (known: owner, repo)" in (
        unknown.stderr
    )
    bad = manage(var, "run_trigger_test", pk, "--param", "owner")
    assert bad.returncode != 0 and "write NAME=VALUE" in bad.stderr

    result = manage(
        var,
        "run_trigger_test",
        pk,
        "--param",
        "owner=octocat",
        "--param",
        "repo=hello",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert document["status"] == "passed"
    urls = [
        exchange["url"]
        for step in document["steps"]
        for exchange in step.get("exchanges") or []
        if exchange.get("method") == "POST"
    ]
    assert any(url.endswith("/repos/octocat/hello/hooks") for url in urls), urls


def test_passing_report_against_the_simulator_exits_0(draft_id) -> None:
    var, pk = draft_id
    result = manage(var, "run_trigger_test", pk, "--target", "simulator", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["status"] == "passed"


def test_a_fault_fails_with_exit_1_and_junit_names_the_finding(draft_id) -> None:
    var, pk = draft_id
    result = manage(
        var,
        "run_trigger_test",
        pk,
        "--trigger",
        "OnOrderCreated",
        "--fault",
        "no_location",
        "--format",
        "junit",
    )
    assert result.returncode == 1, result.stderr
    assert "RegistrationMissingLocation" in result.stdout and "<testsuite" in result.stdout


def test_text_format_and_unknown_draft(draft_id) -> None:
    var, pk = draft_id
    text = manage(var, "run_trigger_test", pk)
    assert text.returncode == 0 and ": passed" in text.stdout
    assert manage(var, "run_trigger_test", "99999").returncode != 0
