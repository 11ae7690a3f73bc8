"""The static checks: what can be told from the design alone, before any request.

Purpose: three steps. The linter's findings (its errors fail the step); the export validates as
Swagger 2.0 (openapi-spec-validator); every notification sample of the covered webhook
triggers fits the notification schema (an array of events for batch), with JSON pointers.
Input: the plan (its design) and the exported swagger.
Output: the steps, appended to the recorder.
"""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import OpenAPIV2SpecValidator

from connectors.domain.lint.engine import lint_swagger
from connectors.domain.runner.model import Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.schemas import notification_schema, pointer, schema_errors
from connectors.domain.runner.steps import Recorder
from connectors.domain.swagger.exporting.properties import export_properties

_MAX_SPEC_ERRORS = 20  # a broken file can produce hundreds; the first ones say enough


def run_static(plan: Plan, swagger: dict[str, Any], recorder: Recorder) -> None:
    with recorder.step("static:lint", "Lint the connector") as step:
        properties = export_properties(plan.design)
        for found in lint_swagger(swagger, properties=properties, design=plan.design):
            step.add(
                found.rule,
                found.severity,
                f"{found.message} {found.fix}".strip(),
                found.pointer or None,
            )
        step.detail = f"{len(step.findings)} finding(s)."
    with recorder.step("static:swagger", "Valid Swagger 2.0") as step:
        for where, message in swagger_errors(swagger):
            step.add(
                "SwaggerNotValid",
                "error",
                f"The exported file is not valid Swagger 2.0: {message}. Power Platform "
                "rejects the import of such a file.",
                where or "/",
            )
    with recorder.step("static:samples", "Samples fit the notification schema") as step:
        check_samples(plan, swagger, step)


def swagger_errors(swagger: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) for each Swagger 2.0 violation, the first ``_MAX_SPEC_ERRORS``."""
    found: list[tuple[str, str]] = []
    try:
        for error in OpenAPIV2SpecValidator(swagger).iter_errors():
            found.append((pointer(error.path), str(error.message)[:300]))
            if len(found) >= _MAX_SPEC_ERRORS:
                break
    except Exception as exc:  # the validator trips over some malformed documents it reported
        if not found:
            found.append(("", f"the validator could not read it ({type(exc).__name__}: {exc})"))
    return found


def check_samples(plan: Plan, swagger: dict[str, Any], step: Step) -> None:
    checked = 0
    for trigger in plan.triggers():
        notification = trigger.get("notification") or {}
        schema = notification_schema(trigger, swagger)
        if trigger.get("kind") != "webhook" or schema is None:
            continue
        for number, sample in enumerate(notification.get("samples") or [], 1):
            checked += 1
            # A batch trigger's sample is one event: the platform receives a list of them.
            value = (
                [sample]
                if trigger.get("cardinality") == "batch" and not isinstance(sample, list)
                else sample
            )
            for where, message in schema_errors(schema, value):
                step.add(
                    "SampleSchemaMismatch",
                    "error",
                    f"Sample {number} of {trigger.get('operationId')} does not fit its "
                    f"notification schema: {message}. Fix the sample or regenerate the schema.",
                    where or "/",
                )
    step.detail = f"{checked} sample(s) checked."
