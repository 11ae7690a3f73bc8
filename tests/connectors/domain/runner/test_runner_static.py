"""Static steps: lint errors fail, the export is valid Swagger 2.0, samples fit the schema."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.runner import AddressPolicy, OutboundClient, Plan, Step
from connectors.domain.runner.static import run_static
from connectors.domain.runner.steps import Recorder
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.domain.runner.runner_fakes import webhook_design


def static_steps(design: dict[str, Any]) -> dict[str, Step]:
    with OutboundClient(AddressPolicy()) as client:
        recorder = Recorder(lambda step: None, client, [])
        run_static(Plan(design, [], "https://api.example.com"), export_swagger(design), recorder)
    return {step.key: step for step in recorder.steps}


def test_a_good_design_passes_the_static_steps() -> None:
    design = webhook_design()
    design["triggers"][0]["notification"]["samples"].append({"orderId": 8, "status": "paid"})
    steps = static_steps(design)
    assert {key: step.status for key, step in steps.items()} == {
        "static:lint": "passed",
        "static:swagger": "passed",
        "static:samples": "passed",
    }
    assert steps["static:samples"].detail == "2 sample(s) checked."


@pytest.mark.parametrize(
    ("sample", "pointers"),
    [
        ({"orderId": "x", "status": "new"}, ["/orderId"]),
        ({"orderId": 1, "status": 3}, ["/status"]),
        ({"orderId": "x", "status": 3}, ["/orderId", "/status"]),
    ],
)
def test_a_sample_that_breaks_the_schema_fails_with_pointers(
    sample: Any, pointers: list[str]
) -> None:
    design = webhook_design()
    design["triggers"][0]["notification"]["samples"].append(sample)
    step = static_steps(design)["static:samples"]
    assert step.status == "failed"
    assert [(f.code, f.pointer) for f in step.findings] == [
        ("SampleSchemaMismatch", p) for p in pointers
    ]


def test_batch_samples_are_checked_as_an_array_of_events() -> None:
    design = webhook_design()
    trigger = design["triggers"][0]
    trigger["cardinality"] = "batch"
    trigger["notification"]["samples"].append({"orderId": "x", "status": "new"})
    step = static_steps(design)["static:samples"]
    assert [f.pointer for f in step.findings] == ["/0/orderId"]


@pytest.mark.parametrize(
    ("operation", "pointer"),
    [
        (
            {"responses": {"200": {"schema": {"type": "object"}}}},
            "/paths/~1other/get/responses/200",
        ),
        # The validator trips over this one after reporting it: the report keeps what it found.
        ({"responses": "not an object"}, "/paths/~1other/get/responses"),
    ],
)
def test_swagger_2_errors_are_reported(operation: dict[str, Any], pointer: str) -> None:
    design = webhook_design()
    design["passthrough"]["swagger"]["paths"] = {"/other": {"get": operation}}
    step = static_steps(design)["static:swagger"]
    assert step.status == "failed"
    assert [(f.code, f.pointer) for f in step.findings][:1] == [("SwaggerNotValid", pointer)]


def test_lint_errors_fail_the_lint_step() -> None:
    design = webhook_design()
    design["triggers"][0]["deleteAction"] = None  # a webhook the platform can never unsubscribe
    step = static_steps(design)["static:lint"]
    assert step.status == "failed"
    assert any(f.severity == "error" for f in step.findings)
