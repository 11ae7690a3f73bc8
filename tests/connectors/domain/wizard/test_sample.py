"""wizard_sample: "Import from sample" reads a call the way the designer does; a sample URL's
query values become typed defaults, the polling state parameter's included."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.wizard.sample import (
    SampleError,
    apply_sample_request,
    default_sample_method,
    parse_sample_request,
)
from tests.connectors.domain.swagger.exporting.test_definition import schema_errors

POLL_URL = "https://api.example.com/items?since=2024-01-01T00:00:00Z&limit=50"


def query(url: str) -> dict[str, tuple[Any, Any, Any]]:
    """name -> (type, default, format) of the query parameters read from ``url``."""
    sample = parse_sample_request(verb="get", url=url)
    return {
        p["name"]: (p["type"], p["default"], (p.get("extras") or {}).get("format"))
        for p in sample.parameters
        if p["in"] == "query"
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            POLL_URL,
            {
                "since": ("string", "2024-01-01T00:00:00Z", "date-time"),
                "limit": ("integer", 50, None),
            },
        ),
        ("/items?top=0&skip=-5", {"top": ("integer", 0, None), "skip": ("integer", -5, None)}),
        (
            "/items?active=true&all=false",
            {"active": ("boolean", True, None), "all": ("boolean", False, None)},
        ),
        ("/items?id=007", {"id": ("string", "007", None)}),  # an identifier, not seven
        ("/items?api-version=2.0", {"api-version": ("string", "2.0", None)}),
        ("/items?day=2024-02-29", {"day": ("string", "2024-02-29", "date")}),
        ("/items?big=99999999999999999999", {"big": ("string", "99999999999999999999", None)}),
        ("/items?q=", {"q": ("string", "", None)}),
        ("/items?$filter=TripId%20gt%200", {"$filter": ("string", "TripId gt 0", None)}),
    ],
)
def test_query_values_become_typed_defaults(url: str, expected: dict[str, Any]) -> None:
    assert query(url) == expected


@pytest.mark.parametrize(("kind", "verb"), [("polling", "get"), ("webhook", "post")])
def test_the_dialog_starts_with_the_verb_of_the_trigger_kind(kind: str, verb: str) -> None:
    assert default_sample_method(kind) == verb


def polling(path: str = "/items") -> dict[str, Any]:
    return new_polling_trigger(
        summary="When an item is created", path=path, state_parameter="since"
    )


def exported(trigger: dict[str, Any]) -> dict[str, Any]:
    design = new_design("Items")
    design["triggers"] = [trigger]
    swagger = export_swagger(validate_design(design))
    assert schema_errors("apiDefinition.swagger.schema.json", swagger) == []
    return swagger


def test_a_polling_sample_gives_the_state_its_value_and_keeps_it_internal() -> None:
    trigger = polling()
    assert trigger["request"]["parameters"][0]["default"] == "0"  # the builders' placeholder
    apply_sample_request(trigger, parse_sample_request(verb="get", url=POLL_URL))
    since, limit = trigger["request"]["parameters"]
    assert (since["name"], since["type"], since["default"], since["extras"]) == (
        "since",
        "string",
        "2024-01-01T00:00:00Z",
        {"format": "date-time"},
    )
    assert (since["required"], since["visibility"], since["summary"]) == (True, "internal", "Since")
    assert (limit["name"], limit["type"], limit["default"], limit["required"]) == (
        "limit",
        "integer",
        50,
        False,
    )
    assert (trigger["request"]["method"], trigger["request"]["path"]) == ("get", "/items")
    operation = exported(trigger)["paths"]["/items"]["get"]
    since_out, limit_out = operation["parameters"]
    assert (since_out["default"], since_out["format"], since_out["x-ms-visibility"]) == (
        "2024-01-01T00:00:00Z",
        "date-time",
        "internal",
    )
    assert "x-ms-trigger-value" in since_out
    assert (limit_out["type"], limit_out["default"]) == ("integer", 50)


def test_a_state_value_of_another_type_drops_the_old_format() -> None:
    trigger = polling()
    apply_sample_request(trigger, parse_sample_request(verb="get", url=POLL_URL))
    apply_sample_request(trigger, parse_sample_request(verb="get", url="/items?since=17"))
    (since,) = trigger["request"]["parameters"]
    assert (since["type"], since["default"], "extras" in since) == ("integer", 17, False)
    assert since["visibility"] == "internal"


def test_a_sample_without_the_state_keeps_the_state_parameter_first() -> None:
    trigger = polling()
    apply_sample_request(trigger, parse_sample_request(verb="get", url="/items?limit=5"))
    names = [(p["name"], p["default"]) for p in trigger["request"]["parameters"]]
    assert names == [("since", "0"), ("limit", 5)]


def test_a_trigger_that_lost_its_state_parameter_gets_it_from_the_sample() -> None:
    trigger = polling()
    trigger["request"]["parameters"] = []
    apply_sample_request(trigger, parse_sample_request(verb="get", url=POLL_URL))
    since = trigger["request"]["parameters"][0]
    assert (since["name"], since["visibility"], since["required"], since["default"]) == (
        "since",
        "internal",
        True,
        "2024-01-01T00:00:00Z",
    )


def test_the_builder_types_the_state_value_of_its_path_too() -> None:
    trigger = polling("/items?since=1700000000&limit=50")
    since, limit = trigger["request"]["parameters"]
    assert (since["type"], since["default"], since["visibility"]) == (
        "integer",
        1700000000,
        "internal",
    )
    assert (limit["type"], limit["default"]) == ("integer", 50)
    exported(trigger)


def test_a_webhook_sample_gets_its_body_callback_and_delete_action() -> None:
    trigger = new_webhook_trigger(summary="When an issue is opened", path="/hooks")
    sample = parse_sample_request(
        verb="post",
        url="https://api.github.com/repos/{owner}/{repo}/hooks?active=true",
        body='{"name": "web", "config": {"url": "https://x", "content_type": "json"}}',
    )
    apply_sample_request(trigger, sample)
    request = trigger["request"]
    assert request["path"] == "/repos/{owner}/{repo}/hooks"
    assert request["callbackPointer"] == "/config/url"
    assert [p["name"] for p in request["parameters"]] == ["owner", "repo", "active"]
    assert trigger["deleteAction"]["path"] == "/repos/{owner}/{repo}/hooks/{hookId}"
    exported(trigger)


def test_a_bad_url_names_its_field() -> None:
    with pytest.raises(SampleError) as caught:
        parse_sample_request(verb="get", url="ftp://example.com/items")
    assert caught.value.field == "url"
