"""The dynamic-values step: the listing action is called as the designer calls it (mapped and
fixed parameters, the connection's authentication, through the recorder), its answer checked,
and at most 50 choices recorded in the step's data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.domain.runner import AddressPolicy, Credentials, OutboundClient, Plan, Step
from connectors.domain.runner.dynamic_values import MAX_CHOICES, run_dynamic_values
from connectors.domain.runner.run import run_report
from connectors.domain.runner.steps import Recorder
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.domain.runner.runner_fakes import API_KEY
from tests.connectors.dynamic_fakes import ListApi, dynamic_design


def listed(api: ListApi, design: dict[str, Any], **plan: Any) -> Step:
    steps: list[Step] = []
    with OutboundClient(AddressPolicy(allow_loopback=True), read_timeout=1) as client:
        run = Plan(design, [], api.base_url, Credentials("apiKey", api_key=API_KEY), **plan)
        recorder = Recorder.for_plan(run, steps.append, client)
        run_dynamic_values(run, design["triggers"][0], export_swagger(design), recorder)
    assert len(recorder.steps) == 1
    return recorder.steps[0]


def codes(step: Step) -> list[str]:
    return [f.code for f in step.findings]


def test_the_action_is_called_and_the_choices_recorded() -> None:
    with ListApi() as api:
        step = listed(api, dynamic_design())
    assert step.status == "passed", step.findings
    assert step.key == "dynamic:OnOrderCreated:project"
    assert step.title == "List the values of project"
    path, headers = api.requests[0]
    assert path == "/teams/red/projects?active=true"
    assert headers["X-Api-Key"] == API_KEY
    assert step.data["parameter"] == "project" and step.data["operation"] == "ListProjects"
    assert step.data["total"] == 60
    assert len(step.data["choices"]) == MAX_CHOICES == 50
    assert step.data["choices"][0] == {"value": 1, "title": "Project 1"}
    assert step.detail == "60 value(s) listed by ListProjects."
    # The exchange is on the step, redacted.
    assert step.exchanges[0].url.endswith("/teams/red/projects?active=true")
    assert API_KEY not in json.dumps(step.as_dict())


def test_a_run_value_wins_over_the_default_and_the_data_survives_storage() -> None:
    with ListApi() as api:
        step = listed(api, dynamic_design(), parameter_values={"team": "blue"})
    assert api.requests[0][0].startswith("/teams/blue/projects")
    assert Step.from_dict(json.loads(json.dumps(step.as_dict()))) == step


def test_a_collection_left_empty_reads_the_answer_as_the_list() -> None:
    design = dynamic_design()
    extras = design["triggers"][0]["request"]["parameters"][-1]["extras"]
    del extras["x-ms-dynamic-values"]["value-collection"]
    with ListApi("flat") as api:
        step = listed(api, design)
    assert step.status == "passed" and step.data["total"] == 60


FAULTS = [
    ("status", "DynamicValuesStatus"),
    ("text", "DynamicValuesNotJson"),
    ("nan", "DynamicValuesNotJson"),
    ("deep", "DynamicValuesNotJson"),
    ("flat", "DynamicValuesCollectionMissing"),
    ("no-id", "DynamicValuesValuePathMissing"),
]


@pytest.mark.parametrize(("mode", "code"), FAULTS)
def test_a_bad_answer_fails_the_step_with_a_fix(mode: str, code: str) -> None:
    with ListApi(mode) as api:
        step = listed(api, dynamic_design())
    assert step.status == "failed"
    assert codes(step) == [code]
    assert len(step.exchanges) == 1


def test_no_values_is_worth_knowing_but_passes() -> None:
    with ListApi("empty") as api:
        step = listed(api, dynamic_design())
    assert step.status == "passed" and codes(step) == ["DynamicValuesEmpty"]
    assert step.data["choices"] == []


def test_a_missing_operation_or_source_value_is_a_finding_and_nothing_is_sent() -> None:
    gone = dynamic_design()
    gone["passthrough"]["swagger"] = {}
    no_team = dynamic_design()
    no_team["triggers"][0]["request"]["parameters"][-2].pop("default")
    with ListApi() as api:
        assert codes(listed(api, gone)) == ["DynamicValuesOperationNotFound"]
        assert codes(listed(api, no_team)) == ["MissingParameterValue"]
    assert api.requests == []


def test_a_parameter_without_dynamic_values_has_no_step_and_the_report_lists_first() -> None:
    steps: list[Step] = []
    with ListApi() as api, OutboundClient(AddressPolicy(allow_loopback=True)) as client:
        run = Plan(dynamic_design(with_values=False), [], api.base_url)
        recorder = Recorder.for_plan(run, steps.append, client)
        run_dynamic_values(run, run.design["triggers"][0], export_swagger(run.design), recorder)
        assert recorder.steps == []
        plan = Plan(
            dynamic_design(),
            [],
            api.base_url,
            Credentials("apiKey", api_key=API_KEY),
            max_polls=1,
            max_sleep_seconds=0,
        )
        result = run_report(plan, client=client, callbacks=None)  # type: ignore[arg-type]
    keys = [step.key for step in result.steps]
    assert keys.index("dynamic:OnOrderCreated:project") < keys.index(
        "polling:OnOrderCreated:baseline"
    )
