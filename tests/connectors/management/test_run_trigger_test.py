"""``run_trigger_test``: synchronous, serves the simulator itself, exit 1 when the report fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.connectors.conftest import report_design

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


@pytest.fixture(scope="module")
def draft_id(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    var = tmp_path_factory.mktemp("var")
    assert manage(var, "migrate", "--no-input").returncode == 0
    design = var / "design.json"
    design.write_text(json.dumps(report_design()))
    code = (
        "import json,sys; from connectors import services;"
        "d=services.draft_create(team=services.team_default(), user=None, title='Orders',"
        f"design=json.load(open({str(design)!r}))); print(d.pk)"
    )
    result = manage(var, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return var, result.stdout.split()[-1]


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
