"""swagger_export: designs built with the authoring builders export to files every oracle accepts.

The oracles are independent of this project: Microsoft's JSON schemas for apiDefinition and
apiProperties (shared/schemas), openapi-spec-validator's OpenAPI 2.0 validator, and the
trigger_facts tool (shared/tools). Then exact expectations for the contract's details
(docs/design-mapping.md): key order, omitted empties, callback chain, url-encoding, shared
DELETE, passthrough merge, determinism, JSON and YAML text.
"""

from __future__ import annotations

import copy
import itertools
import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import Draft4Validator, Draft7Validator, validator_for
from openapi_spec_validator import OpenAPIV2SpecValidator, validate

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.swagger.exporting.definition import dump_json, dump_yaml, export_swagger
from connectors.domain.swagger.exporting.properties import export_properties
from tests.paths import SHARED


def shared_dir() -> Path:
    """shared/ sits beside the repository (here and in CI's fresh clone)."""
    return SHARED


@cache
def schema_validator(name: str) -> Any:
    schema = json.loads((shared_dir() / "schemas" / name).read_text(encoding="utf-8"))
    cls = validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(name: str, doc: dict[str, Any]) -> list[str]:
    errors = schema_validator(name).iter_errors(doc)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


ORDER = {"id": 42, "status": "created", "total": 12.5, "customer": {"email": "a@example.com"}}
INVOICE = {"id": "inv-1", "amount": 10, "createdAt": "2024-05-01T10:00:00Z"}
SECURITIES: dict[str, dict[str, Any]] = {
    "none": {"type": "none"},
    "basic": {"type": "basic", "basic": {"usernameLabel": "Email", "passwordLabel": "Password"}},
    "apiKey": {
        "type": "apiKey",
        "apiKey": {"label": "API key", "name": "X-Api-Key", "in": "header"},
    },
    "oauth2": {
        "type": "oauth2",
        "definitionName": None,
        "oauth2": {
            "identityProvider": "oauth2",
            "clientId": "contoso-flow",
            "flow": "accessCode",
            "authorizationUrl": "https://login.contoso.com/authorize",
            "tokenUrl": "https://login.contoso.com/token",
            "scopes": ["orders.read", "offline_access"],
        },
        "extras": {"scopes": {"orders.read": "Read your orders."}},
    },
}


def webhook(cardinality: str) -> dict[str, Any]:
    return new_webhook_trigger(
        summary="When an order is created",
        path="/hooks",
        # A batch webhook is sent a list of events at once.
        notification_samples=[ORDER] if cardinality == "single" else [[ORDER, ORDER]],
        cardinality=cardinality,
    )


def polling(cardinality: str, *, use_policy: bool) -> dict[str, Any]:
    return new_polling_trigger(
        summary="When an invoice is added",
        path="/invoices?$orderby=createdAt desc",
        state_parameter="since",
        value_path="createdAt",
        item_samples=[INVOICE],
        use_policy=use_policy,
        cardinality=cardinality,
    )


def several(cardinality: str) -> list[dict[str, Any]]:
    """Two webhooks and a polling trigger that share no path, parameter or DELETE."""
    repo_hook = new_webhook_trigger(
        summary="When a commit is pushed",
        path="/repos/{owner}/{repo}/hooks",
        body_schema={
            "type": "object",
            "properties": {
                "events": {"type": "array", "items": {"type": "string"}},
                "config": {"type": "object", "properties": {"url": {"type": "string"}}},
            },
        },
        callback_pointer="/config/url",
        notification_samples=[
            {"ref": "refs/heads/main", "commits": [{"id": "abc"}]}
        ],  # holds a list
        cardinality=cardinality,
    )
    subscription = new_webhook_trigger(
        summary="Ticket closed",
        path="/event-subscriptions",
        method="PUT",
        body_schema={"type": "object", "properties": {"callbackUrl": {"type": "string"}}},
        cardinality=cardinality,
    )
    tickets = new_polling_trigger(
        summary="When a ticket is opened",
        path="/projects/{projectId}/tickets",
        state_parameter="after",
        value_collection=None,
        use_policy=True,
        cardinality=cardinality,
    )
    return [repo_hook, subscription, tickets]


SHAPES = {
    "webhook": lambda c: [webhook(c)],
    "polling-trigger-value": lambda c: [polling(c, use_policy=False)],
    "polling-policy": lambda c: [polling(c, use_policy=True)],
    "several": several,
}
CASES = list(itertools.product(SECURITIES, SHAPES, ("single", "batch")))


def build(security: str, shape: str, cardinality: str) -> dict[str, Any]:
    design = new_design("Contoso Orders")
    design["general"].update(
        description="Orders, invoices and tickets of a Contoso shop.",
        iconBrandColor="#0b6a0b",
        publisher="Contoso",
        metadata={
            "website": "https://contoso.com",
            "privacyPolicy": "https://contoso.com/privacy",
            "categories": ["Sales and CRM", "Productivity"],
        },
    )
    design["security"] = copy.deepcopy(SECURITIES[security])
    design["triggers"] = SHAPES[shape](cardinality)
    return validate_design(design)


@pytest.mark.parametrize(
    ("name", "draft"),
    [
        ("apiDefinition.swagger.schema.json", Draft4Validator),
        ("paconn-apiProperties.schema.json", Draft7Validator),
    ],
)
def test_oracle_schemas_are_read_with_their_own_draft(name: str, draft: type) -> None:
    assert type(schema_validator(name)) is draft


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES)
def test_exported_swagger_fits_microsofts_schema(
    security: str, shape: str, cardinality: str
) -> None:
    doc = export_swagger(build(security, shape, cardinality))
    assert schema_errors("apiDefinition.swagger.schema.json", doc) == []


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES)
def test_exported_properties_fit_paconns_schema(
    security: str, shape: str, cardinality: str
) -> None:
    doc = export_properties(build(security, shape, cardinality))
    assert schema_errors("paconn-apiProperties.schema.json", doc) == []


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES)
def test_openapi_v2_validator_accepts_export(security: str, shape: str, cardinality: str) -> None:
    validate(export_swagger(build(security, shape, cardinality)), cls=OpenAPIV2SpecValidator)


def trigger_facts(doc: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "apiDefinition.swagger.json"
    path.write_text(dump_json(doc), encoding="utf-8")
    tool = shared_dir() / "tools" / "trigger_facts.py"
    done = subprocess.run([sys.executable, str(tool), str(path)], capture_output=True, check=True)
    facts = json.loads(done.stdout)
    return {fact["operationId"]: fact for fact in facts["triggers"]}


def notification_properties(schema: dict[str, Any]) -> list[str]:
    """Top-level property names, or those of the items when the payload is a list."""
    return sorted(schema.get("properties") or schema.get("items", {}).get("properties", {}))


def expected_webhook_facts(trigger: dict[str, Any]) -> dict[str, Any]:
    action = trigger["deleteAction"]
    return {
        "kind": "webhook",
        "x-ms-trigger": trigger["cardinality"],
        "callback_pointers": [trigger["request"]["callbackPointer"]],
        "callback_visibility": ["internal"],
        "notification_properties": notification_properties(trigger["notification"]["schema"]),
        "delete": {
            "operationId": action["operationId"],
            "method": "delete",
            "path": action["path"],
            "visibility": "internal",
            "match": "same-path" if action["path"] == trigger["request"]["path"] else "child",
        },
        "has_201": True,
        "location_header": True,
    }


def webhook_facts(fact: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": fact["kind"],
        "x-ms-trigger": fact["x-ms-trigger"],
        "callback_pointers": [c["pointer"] for c in fact["callback"]],
        "callback_visibility": [c["visibility"] for c in fact["callback"]],
        "notification_properties": fact["notification"]["properties"]
        or fact["notification"].get("array_item_properties", []),
        "delete": fact["delete"],
        "has_201": "201" in fact["responses"],
        "location_header": fact["location_header"],
    }


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES)
def test_trigger_facts_of_export(
    security: str, shape: str, cardinality: str, tmp_path: Path
) -> None:
    design = build(security, shape, cardinality)
    facts = trigger_facts(export_swagger(design), tmp_path)
    assert sorted(facts) == sorted(t["operationId"] for t in design["triggers"])
    for trigger in design["triggers"]:
        fact = facts[trigger["operationId"]]
        if trigger["kind"] == "webhook":
            assert webhook_facts(fact) == expected_webhook_facts(trigger)
        else:
            assert fact["kind"] == "polling"
            assert fact["x-ms-trigger"] == cardinality
            assert fact["x-ms-trigger-metadata"] == {"kind": "query", "mode": "polling"}
            assert {"200", "202"} <= set(fact["responses"])
            assert (fact["retry_after_header"], fact["location_header"]) == (True, True)
            assert (fact["callback"], fact["notification"], fact["delete"]) == ([], None, None)


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES)
def test_linter_finds_no_error_in_export(security: str, shape: str, cardinality: str) -> None:
    from connectors.domain.lint import lint_swagger  # written alongside; see the module

    design = build(security, shape, cardinality)
    findings = lint_swagger(
        export_swagger(design), properties=export_properties(design), design=design
    )
    assert [f for f in findings if f.severity == "error"] == []


# ---- exact expectations -------------------------------------------------------------------


def test_top_level_keys_follow_the_contract_order() -> None:
    design = build("apiKey", "webhook", "single")
    design["passthrough"]["swagger"] = {
        "x-ms-capabilities": {"testConnection": {"operationId": "Ping"}},
        "tags": [],
        "security": [{"API Key": []}],
        "definitions": {"Order": {"type": "object"}},
        "produces": ["application/json"],
        "consumes": ["application/json"],
        "info": {"contact": {"name": "Contoso"}},
    }
    assert list(export_swagger(design)) == [
        "swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths",
        "definitions", "securityDefinitions", "security", "tags", "x-ms-capabilities",
        "x-ms-connector-metadata",
    ]  # fmt: skip


def test_connector_metadata_keeps_its_passthrough_place_and_other_entries() -> None:
    design = build("none", "webhook", "single")
    design["passthrough"]["swagger"] = {
        "x-ms-connector-metadata": [
            {"propertyName": "Support", "propertyValue": "help@contoso.com"}
        ],
        "x-ms-docs": {"url": "https://contoso.com/docs"},
    }
    doc = export_swagger(design)
    assert list(doc)[-2:] == ["x-ms-connector-metadata", "x-ms-docs"]
    assert doc["x-ms-connector-metadata"] == [
        {"propertyName": "Website", "propertyValue": "https://contoso.com"},
        {"propertyName": "Privacy policy", "propertyValue": "https://contoso.com/privacy"},
        {"propertyName": "Categories", "propertyValue": "Sales and CRM;Productivity"},
        {"propertyName": "Support", "propertyValue": "help@contoso.com"},
    ]


def test_info_keeps_unmodeled_keys_after_the_modeled_ones() -> None:
    design = build("none", "webhook", "single")
    design["passthrough"]["swagger"] = {"info": {"contact": {"name": "Contoso"}, "title": "stale"}}
    assert export_swagger(design)["info"] == {
        "title": "Contoso Orders",
        "description": "Orders, invoices and tickets of a Contoso shop.",
        "version": "1.0",
        "contact": {"name": "Contoso"},
    }


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ("none", None),
        ("basic", {"basic_auth": {"type": "basic"}}),
        ("apiKey", {"API Key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}),
        (
            "oauth2",
            {
                "oauth2_auth": {
                    "type": "oauth2",
                    "flow": "accessCode",
                    "authorizationUrl": "https://login.contoso.com/authorize",
                    "tokenUrl": "https://login.contoso.com/token",
                    "scopes": {
                        "orders.read": "Read your orders.",
                        "offline_access": "offline_access",
                    },
                }
            },
        ),
    ],
)
def test_security_definition_per_type(security: str, expected: dict[str, Any] | None) -> None:
    assert (
        export_swagger(build(security, "webhook", "single")).get("securityDefinitions") == expected
    )


def test_named_security_definition_comes_first_then_passthrough_ones() -> None:
    design = build("basic", "webhook", "single")
    design["security"].update(definitionName="Basic", extras={"description": "Contoso login"})
    design["passthrough"]["swagger"] = {
        "securityDefinitions": {"key": {"type": "apiKey", "in": "query", "name": "k"}}
    }
    assert export_swagger(design)["securityDefinitions"] == {
        "Basic": {"type": "basic", "description": "Contoso login"},
        "key": {"type": "apiKey", "in": "query", "name": "k"},
    }


def test_webhook_operation_in_contract_order_with_empties_omitted() -> None:
    design = build("none", "webhook", "single")
    trigger = design["triggers"][0]
    trigger.update(
        description="",
        triggerHint="Create an order to see it work.",
        extensions={"tags": ["Orders"]},
    )
    operation = export_swagger(design)["paths"]["/hooks"]["post"]
    assert list(operation) == [
        "summary", "operationId", "x-ms-trigger", "x-ms-trigger-hint", "parameters", "responses",
        "tags",
    ]  # fmt: skip
    assert "x-ms-visibility" not in operation


def test_callback_chain_in_the_inline_schema_is_required_string_and_internal() -> None:
    design = build("none", "several", "single")
    trigger = design["triggers"][0]
    # The design's schema loses its markers (as an edited or hand-made design might).
    trigger["request"]["body"]["required"] = False
    trigger["request"]["body"]["schema"]["properties"]["config"] = {"type": "object"}
    body = export_swagger(design)["paths"]["/repos/{owner}/{repo}/hooks"]["post"]["parameters"][-1]
    assert body["required"] is False  # the parameter itself is the design's (linted, not forced)
    assert body["schema"]["required"] == ["config"]
    config = body["schema"]["properties"]["config"]
    assert config["required"] == ["url"]
    assert config["properties"]["url"] == {
        "type": "string",
        "x-ms-notification-url": True,
        "x-ms-visibility": "internal",
    }


def test_callback_walk_stops_at_a_shared_definition() -> None:
    design = build("none", "webhook", "single")
    design["triggers"][0]["request"]["body"]["schema"] = {"$ref": "#/definitions/Hook"}
    design["passthrough"]["swagger"] = {"definitions": {"Hook": {"type": "object"}}}
    doc = export_swagger(design)
    assert doc["paths"]["/hooks"]["post"]["parameters"][-1]["schema"] == {
        "$ref": "#/definitions/Hook"
    }
    assert doc["definitions"] == {"Hook": {"type": "object"}}


def test_path_parameters_are_required_and_url_encoded_unless_extras_say_otherwise() -> None:
    design = build("none", "several", "single")
    owner, repo = design["triggers"][0]["request"]["parameters"]
    owner["required"] = False
    repo["extras"] = {"x-ms-url-encoding": "double"}
    params = export_swagger(design)["paths"]["/repos/{owner}/{repo}/hooks"]["post"]["parameters"]
    assert [(p["name"], p["required"], p.get("x-ms-url-encoding")) for p in params] == [
        ("owner", True, "single"),
        ("repo", True, "double"),
        ("body", True, None),
    ]


def test_state_parameter_carries_trigger_value_only_when_both_parts_are_set() -> None:
    design = build("none", "polling-trigger-value", "batch")
    state = export_swagger(design)["paths"]["/invoices"]["get"]["parameters"][0]
    assert state["x-ms-trigger-value"] == {"value-collection": "value", "value-path": "createdAt"}
    design["triggers"][0]["polling"]["valuePath"] = None
    state = export_swagger(design)["paths"]["/invoices"]["get"]["parameters"][0]
    assert "x-ms-trigger-value" not in state


def test_shared_delete_action_is_written_once() -> None:
    design = build("none", "webhook", "single")
    second = new_webhook_trigger(summary="When an order is paid", path="/hooks", method="put")
    design["triggers"].append(second)
    assert second["deleteAction"] == design["triggers"][0]["deleteAction"]
    second["deleteAction"]["summary"] = "A stale copy"
    paths = export_swagger(design)["paths"]
    deletes = [item["delete"] for item in paths.values() if "delete" in item]
    assert [d["summary"] for d in deletes] == ["Delete a hook"]
    assert list(paths["/hooks"]) == ["post", "x-ms-notification-content", "put"]


def test_passthrough_is_merged_verbatim_and_in_order() -> None:
    design = build("none", "webhook", "single")
    ping = {
        "operationId": "Ping",
        "responses": {"200": {"description": "OK"}},
        "x-custom": [1, {"b": 2}],
    }
    design["passthrough"]["swagger"] = {
        "paths": {"/zeta": {"get": ping}, "/hooks": {"parameters": [], "get": ping}, "/alpha": {}},
        "definitions": {"Z": {"type": "string"}, "A": {"type": "integer"}},
    }
    doc = export_swagger(design)
    # The trigger's own item keeps its passthrough place; its DELETE's new item follows it.
    assert list(doc["paths"]) == ["/zeta", "/hooks", "/hooks/{hookId}", "/alpha"]
    assert list(doc["paths"]["/hooks"]) == [
        "parameters",
        "get",
        "post",
        "x-ms-notification-content",
    ]
    assert doc["paths"]["/zeta"]["get"] == ping
    assert list(doc["definitions"]) == ["Z", "A"]


def test_extensions_fill_only_what_the_design_leaves_unset() -> None:
    design = build("none", "webhook", "single")
    trigger = design["triggers"][0]
    trigger["operationId"] = ""
    del trigger["cardinality"]
    trigger["extensions"] = {"operationId": "", "x-ms-trigger": "Single", "summary": "stale"}
    operation = export_swagger(design)["paths"]["/hooks"]["post"]
    assert operation["operationId"] == ""
    assert operation["x-ms-trigger"] == "Single"
    assert operation["summary"] == "When an order is created"


def test_export_does_not_mutate_the_design_and_shares_nothing_with_it() -> None:
    design = build("oauth2", "several", "batch")
    design["triggers"][0]["request"]["body"]["schema"]["properties"]["config"] = {"type": "object"}
    before = copy.deepcopy(design)
    doc = export_swagger(design)
    export_properties(design)
    assert design == before
    doc["paths"]["/repos/{owner}/{repo}/hooks"]["post"]["responses"]["201"]["description"] = (
        "changed"
    )
    assert design == before


@pytest.mark.parametrize(("security", "shape", "cardinality"), CASES[::5])
def test_same_design_gives_byte_identical_text(security: str, shape: str, cardinality: str) -> None:
    first = build(security, shape, cardinality)
    second = build(security, shape, cardinality)
    assert dump_json(export_swagger(first)) == dump_json(export_swagger(second))
    assert dump_yaml(export_swagger(first)) == dump_yaml(export_swagger(second))


def test_json_text_uses_four_spaces_no_trailing_whitespace_and_a_final_newline() -> None:
    text = dump_json({"info": {"title": "Café ☕", "x": [1, {}]}, "paths": {}})
    assert text == (
        '{\n    "info": {\n        "title": "Café ☕",\n        "x": [\n            1,\n'
        '            {}\n        ]\n    },\n    "paths": {}\n}\n'
    )
    exported = dump_json(export_swagger(build("oauth2", "several", "batch")))
    assert all(line == line.rstrip() for line in exported.splitlines())
    assert json.loads(exported) == export_swagger(build("oauth2", "several", "batch"))


TRICKY_STRINGS = [
    "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "2024-01-01",
    "2024-01-01T10:00:00Z", "1.0", "010", "0x1F", "1e3", ".inf", "-.nan", "12:30:00", "",
    " leading", "trailing ", "#comment", "- dash", "key: value", "@at", "`tick", "%percent",
    "'quoted'", '"double"', "{braces}", "[brackets]", "a\nb", "a\n", "a\n\n", "\nlead",
    "line with trailing space \nnext", "tab\tinside", "\u2028sep", "é ü 中文 😀",
    "x" * 500, "word " * 100, "https://example.com/" + "p" * 300 + "?q=1&r=2#frag",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY_STRINGS)
def test_yaml_round_trips_tricky_strings_as_values_and_keys(value: str) -> None:
    doc = {"description": value, "enum": [value], value: {"default": value}}
    assert yaml.safe_load(dump_yaml(doc)) == doc


def test_yaml_round_trips_an_export_with_order_and_readable_block_style() -> None:
    design = build("oauth2", "several", "batch")
    design["general"]["description"] = "First line.\nSecond line."
    doc = export_swagger(design)
    text = dump_yaml(doc)
    assert yaml.safe_load(text) == doc
    assert list(yaml.safe_load(text)) == list(doc)
    assert text.startswith("swagger: '2.0'\ninfo:\n  title: Contoso Orders\n  description: |-\n")
    assert "\n  - https\n" in text  # list items indented under their key
    assert "{" not in text.split("paths:")[0]  # block style, not flow style


@pytest.mark.parametrize("info", [[1], "text", 5, None])
def test_imported_info_that_is_not_an_object_gives_way_to_the_general_info(info: Any) -> None:
    design = build("none", "webhook", "single")
    design["passthrough"]["swagger"] = {"info": info}
    doc = export_swagger(design)
    assert doc["info"] == {
        "title": "Contoso Orders",
        "description": design["general"]["description"],
        "version": design["general"]["version"],
    }


def test_passthrough_path_item_that_is_not_an_object_gives_way_to_a_trigger() -> None:
    design = build("none", "webhook", "single")
    design["passthrough"]["swagger"] = {"paths": {"/hooks": [1], "/other": "kept"}}
    paths = export_swagger(design)["paths"]
    assert list(paths["/hooks"]) == ["post", "x-ms-notification-content"]
    assert paths["/other"] == "kept"
