"""What a run asks to be typed in: the inputs, their types, the ``NAME=VALUE`` texts, and what
the runner sends with them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.runner.build import example_value, operation_request
from connectors.domain.runner.inputs import (
    InputError,
    RunInput,
    RunValues,
    chosen,
    collect,
    parse_assignment,
    run_inputs,
    typed_value,
)
from connectors.domain.runner.webhook_calls import registration_body
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.conftest import github_design, report_design


def keys(rows: list[RunInput]) -> list[tuple[str, str, bool]]:
    return [(row.key, row.location, row.required) for row in rows]


def with_parameters(*parameters: dict[str, Any], body: dict[str, Any] | None = None) -> Any:
    design = github_design()
    request = design["triggers"][0]["request"]
    request["parameters"] += list(parameters)
    if body is not None:
        request["body"]["schema"] = body
        request["callbackPointer"] = "/hook"
    return design


def inputs_of(design: dict[str, Any], triggers: list[str] | None = None) -> list[RunInput]:
    return run_inputs(design, triggers or [], export_swagger(design))


def test_the_path_parameters_of_a_sample_url_are_asked_for() -> None:
    rows = inputs_of(github_design())
    assert keys(rows) == [("owner", "path", True), ("repo", "path", True)]
    assert [row.label for row in rows] == ["Owner", "Repo"]
    assert rows[0].triggers == ("OnIssueOpened",)


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        (
            {"name": "page", "in": "query", "required": False, "type": "integer"},
            [("page", "query", False)],
        ),
        ({"name": "page", "in": "query", "required": True, "type": "integer", "default": 1}, []),
        (
            {"name": "X-Team", "in": "header", "required": True, "type": "string"},
            [("X-Team", "header", True)],
        ),
    ],
)
def test_query_and_header_parameters_without_a_default(parameter: dict, expected: list) -> None:
    rows = inputs_of(with_parameters(parameter))
    assert keys(rows)[2:] == expected


def test_a_test_value_starts_the_input_and_a_password_is_secret() -> None:
    design = with_parameters(
        {
            "name": "team",
            "in": "query",
            "required": True,
            "type": "string",
            "extras": {"x-ms-test-value": "core"},
        },
        {
            "name": "X-Key",
            "in": "header",
            "required": True,
            "type": "string",
            "extras": {"format": "password"},
        },
    )
    rows = {row.key: row for row in inputs_of(design)}
    assert rows["team"].test_value == "core" and not rows["team"].secret
    assert rows["X-Key"].secret


BODY = {
    "type": "object",
    "required": ["hook", "config", "events"],
    "properties": {
        "hook": {"type": "string"},
        "name": {"type": "string", "default": "web"},
        "events": {"type": "array", "items": {"type": "string"}, "x-ms-summary": "Events"},
        "config": {
            "type": "object",
            "required": ["content_type", "secret_level"],
            "properties": {
                "content_type": {"type": "string", "example": "json"},
                "secret_level": {"type": "integer"},
            },
        },
        "label": {"type": "string", "x-ms-test-value": "demo"},
        "optional": {"type": "string"},
    },
}


def test_body_properties_asked_for_are_the_required_ones_without_a_value() -> None:
    rows = [row for row in inputs_of(with_parameters(body=BODY)) if row.is_body]
    # The callback (/hook) is filled by the platform; name and content_type have a value.
    assert keys(rows) == [
        ("/events", "body", True),
        ("/config/secret_level", "body", True),
        ("/label", "body", False),
    ]
    assert rows[0].label == "Events" and rows[0].kind == "array"
    assert rows[2].test_value == "demo"


def test_triggers_share_an_input_of_the_same_name_and_a_run_asks_for_its_own() -> None:
    design = github_design()
    other = copy.deepcopy(design["triggers"][0])
    other["operationId"] = "OnPush"
    design["triggers"].append(other)
    rows = inputs_of(design)
    assert [row.triggers for row in rows] == [("OnIssueOpened", "OnPush")] * 2
    polling = report_design(webhook=False)
    assert inputs_of(polling) == []  # the state parameter has a default: nothing to ask
    assert chosen(rows, ["Nope"]) == []
    assert chosen(rows, []) == rows


def row(kind: str, location: str = "body") -> RunInput:
    return RunInput(
        key="/x" if location == "body" else "x",
        location=location,
        label="x",
        kind=kind,
        required=True,
    )


@pytest.mark.parametrize(
    ("kind", "location", "text", "value"),
    [
        ("string", "body", " a b ", " a b "),
        ("integer", "body", "42", 42),
        ("number", "body", "2.5", 2.5),
        ("number", "body", "3", 3),
        ("boolean", "body", "True", True),
        ("array", "body", "push, issues", ["push", "issues"]),
        ("array", "body", '["push", 1]', ["push", 1]),
        ("object", "body", '{"a": 1}', {"a": 1}),
        ("integer", "query", " 7 ", "7"),  # parameters are sent as text, checked by type
        ("string", "path", "octo cat", "octo cat"),
    ],
)
def test_typed_values(kind: str, location: str, text: str, value: Any) -> None:
    assert typed_value(row(kind, location), text) == value


@pytest.mark.parametrize(
    ("kind", "location", "text", "message"),
    [
        ("integer", "body", "4.5", "'4.5' is not a whole number."),
        ("integer", "query", "many", "'many' is not a whole number."),
        ("number", "body", "ten", "'ten' is not a number."),
        ("number", "body", "1e999", "'1e999' is too large a number."),
        ("boolean", "header", "yes", "Enter true or false."),
        ("object", "body", "[1]", "Enter a JSON object."),
        ("object", "body", '{"a": }', "line 1, column 7"),
    ],
)
def test_values_that_do_not_fit_their_type(
    kind: str, location: str, text: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        typed_value(row(kind, location), text)
    assert message in str(caught.value)


def test_assignments_of_the_command() -> None:
    assert parse_assignment("owner=octo=cat") == ("owner", "octo=cat")
    assert parse_assignment("/config/events=push") == ("/config/events", "push")
    for text in ("owner", "=x", " =x"):
        with pytest.raises(InputError, match="write NAME=VALUE"):
            parse_assignment(text)


def test_collect_types_values_keeps_secrets_apart_and_names_what_is_missing() -> None:
    rows = [
        RunInput(key="owner", location="path", label="Owner", kind="string", required=True),
        RunInput(
            key="X-Key", location="header", label="Key", kind="string", required=True, secret=True
        ),
        RunInput(key="/n", location="body", label="N", kind="integer", required=False),
        RunInput(key="repo", location="path", label="Repo", kind="string", required=True),
    ]
    got = collect(rows, {"owner": "octocat", "X-Key": "s3cret", "/n": "5"})
    assert got.values == RunValues({"owner": "octocat"}, {"/n": 5})
    assert got.secrets == {"X-Key": "s3cret"}
    assert got.errors == {"repo": "Enter a value: the path needs {repo} to call the API."}
    assert collect(rows[2:3], {"/n": "x"}).errors == {"/n": "'x' is not a whole number."}


def test_run_values_round_trip_through_json_and_ignore_junk() -> None:
    values = RunValues({"owner": "octocat"}, {"/events": ["push"]})
    assert RunValues.from_json(values.as_json()) == values
    assert RunValues.from_json("junk") == RunValues()
    assert RunValues.from_json({"parameters": [1], "body": None}) == RunValues()


def test_the_request_fills_typed_values_and_names_required_ones_missing() -> None:
    parameters = [
        {"name": "owner", "in": "path", "required": True, "type": "string"},
        {"name": "page", "in": "query", "required": True, "type": "integer"},
        {"name": "sort", "in": "query", "required": False, "type": "string"},
    ]
    call = operation_request("https://api.test", "/r/{owner}", parameters, {}, {})
    assert call.missing == ["page", "owner"]
    call = operation_request(
        "https://api.test", "/r/{owner}", parameters, {}, {"owner": "o c", "page": "2"}
    )
    assert call.missing == [] and call.full_url() == "https://api.test/r/o%20c?page=2"


def test_the_registration_body_holds_typed_values_test_values_and_the_callback() -> None:
    design = with_parameters(body=BODY)
    trigger = design["triggers"][0]
    body = registration_body(
        trigger, {}, "https://cb.test/h", {"/events": ["push"], "/config/secret_level": 3}
    )
    assert body["hook"] == "https://cb.test/h"
    assert body["events"] == ["push"] and body["config"] == {
        "content_type": "json",
        "secret_level": 3,
    }
    assert body["label"] == "demo" and "optional" not in body  # a test value is sent
    assert example_value({"type": "string", "x-ms-test-value": "t", "example": "e"}, {}) == "t"


def test_a_deeply_nested_answer_or_notification_is_not_json_rather_than_a_crash() -> None:
    from connectors.domain.runner.callbacks import Received
    from connectors.domain.runner.model import Exchange

    deep = "[" * 100_000 + "]" * 100_000
    exchange = Exchange(
        method="GET",
        url="https://api.test/",
        request_headers={},
        request_body=None,
        status=200,
        response_headers={},
        response_body=deep,
        duration_ms=1,
        error=None,
    )
    assert exchange.json_body() == (False, None)
    assert Received(body=deep).parsed() == (False, None)


def test_the_values_a_report_listed_are_offered_by_parameter() -> None:
    from connectors.domain.runner.inputs import listed_choices

    steps = [
        {"key": "register", "data": None},
        {"data": {"parameter": "project", "choices": [{"value": 7, "title": "Seven"}]}},
        {"data": {"parameter": "board", "choices": []}},  # listed nothing: nothing to offer
        {"data": {"parameter": "team", "choices": [{"title": "no value"}, {"value": True}]}},
        "junk",
    ]
    assert listed_choices(steps) == {
        "project": [{"value": "7", "title": "Seven"}],
        "team": [{"value": "true", "title": ""}],
    }
    assert listed_choices(None) == {}


def test_a_location_python_cannot_read_is_a_finding_not_a_crash() -> None:
    from connectors.domain.runner.model import Exchange, Step
    from connectors.domain.runner.webhook_calls import _location

    exchange = Exchange(
        method="POST",
        url="https://api.test/hooks",
        request_headers={},
        request_body=None,
        status=201,
        response_headers={"Location": "http://[x/"},
        response_body="",
        duration_ms=1,
        error=None,
    )
    step = Step(key="register", title="Register", status="running")
    assert _location(exchange, "https://api.test", step) is None
    assert [finding.code for finding in step.findings] == ["RegistrationRelativeLocation"]
