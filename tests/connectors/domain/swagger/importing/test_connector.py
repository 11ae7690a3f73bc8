"""import_connector: swagger (+ apiProperties) -> design; triggers stay triggers, the rest stays
verbatim in passthrough, and bad input is a SwaggerImportError / DocumentError, never a crash."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from types import ModuleType
from typing import Any

import pytest

from connectors.domain.design import validate_design
from connectors.domain.documents import DocumentError
from connectors.domain.lint import lint_design
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.importing.connector import (
    ImportResult,
    SwaggerImportError,
    import_connector,
)
from connectors.domain.swagger.importing.delete_matching import best_delete
from tests.paths import SHARED

SHARED = SHARED
CORPUS = SHARED / "corpus" / "dev"


def load_trigger_facts() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "trigger_facts", SHARED / "tools" / "trigger_facts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- factories -------------------------------------------------------------------------------


def swagger(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "Demo", "description": "Demo API.", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "paths": paths,
        **top,
    }


def callback_body(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    default = {
        "type": "object",
        "required": ["url"],
        "properties": {
            "url": {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"}
        },
    }
    return {"name": "body", "in": "body", "required": True, "schema": schema or default}


def registration(*parameters: Any, **keys: Any) -> dict[str, Any]:
    return {
        "operationId": "OnItemCreated",
        "summary": "When an item is created",
        "description": "This operation triggers when an item is created.",
        "x-ms-trigger": "single",
        "parameters": list(parameters) or [callback_body()],
        "responses": {"201": {"description": "Created"}},
        **keys,
    }


def unsubscribe(operation_id: str = "DeleteHook", **keys: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "x-ms-visibility": "internal",
        "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
        "responses": {"204": {"description": "Deleted"}},
        **keys,
    }


NOTIFICATION = {
    "description": "The item.",
    "schema": {"type": "object", "properties": {"id": {"type": "string"}}},
}


def webhook_doc(**top: Any) -> dict[str, Any]:
    return swagger(
        {
            "/hooks": {"post": registration(), "x-ms-notification-content": NOTIFICATION},
            "/hooks/{id}": {"delete": unsubscribe()},
            "/items": {
                "get": {"operationId": "ListItems", "responses": {"200": {"description": "OK"}}}
            },
        },
        **top,
    )


def polling_doc(**op_keys: Any) -> dict[str, Any]:
    state = {
        "name": "since",
        "in": "query",
        "type": "string",
        "required": False,
        "x-ms-visibility": "internal",
        "x-ms-trigger-value": {"value-collection": "value", "value-path": "modified"},
    }
    operation = {
        "operationId": "OnNewRows",
        "summary": "When a row is added",
        "x-ms-trigger": "batch",
        "x-ms-trigger-metadata": {"kind": "query", "mode": "polling"},
        "parameters": [state],
        "responses": {"200": {"description": "OK"}},
        **op_keys,
    }
    return swagger({"/rows": {"get": operation}})


def import_doc(doc: dict[str, Any], properties: Any = None) -> ImportResult:
    result = import_connector(json.dumps(doc), json.dumps(properties) if properties else None)
    validate_design(result.design)
    return result


def trigger_of(result: ImportResult, index: int = 0) -> dict[str, Any]:
    return result.design["triggers"][index]


def semantic_facts(doc: dict[str, Any]) -> Any:
    return load_trigger_facts().analyze(copy.deepcopy(doc), semantic=True)


def assert_round_trip(doc: dict[str, Any]) -> ImportResult:
    result = import_doc(doc)
    assert semantic_facts(export_swagger(result.design)) == semantic_facts(doc)
    return result


# --- version and shape errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "pointer", "words"),
    [
        (
            {"openapi": "3.0.1", "paths": {}},
            "/openapi",
            "Power Platform takes Swagger 2.0 (OpenAPI 2.0); this file is OpenAPI 3.0.1",
        ),
        ({"info": {}, "paths": {}}, "", 'no "swagger" version'),
        (
            {"swagger": "1.2", "paths": {}},
            "/swagger",
            "'1.2'; Power Platform takes Swagger \"2.0\" only",
        ),
        ({"swagger": 2.0, "paths": {}}, "/swagger", "2.0; Power Platform takes"),
        ({"swagger": "2.0"}, "/paths", "paths is missing"),
        ({"swagger": "2.0", "paths": []}, "/paths", "paths is not an object"),
        (swagger({"/a": "text"}), "/paths/~1a", "a path item must be an object"),
        (swagger({"/a": {"get": []}}), "/paths/~1a/get", "an operation must be an object"),
        (
            swagger({"/a": {"post": registration({"in": "query"})}}),
            "/paths/~1a/post/parameters/0",
            "non-empty 'name'",
        ),
        (
            swagger({"/a": {"post": registration({"name": "x", "in": "cookie"})}}),
            "/paths/~1a/post/parameters/0",
            "'in' is 'cookie'",
        ),
        (
            swagger({"/a": {"post": registration(callback_body(), callback_body())}}),
            "/paths/~1a/post/parameters/1",
            "a second body parameter",
        ),
        (
            swagger({"/a": {"post": registration({"name": "b", "in": "body"})}}),
            "/paths/~1a/post/parameters/0",
            "needs a 'schema' object",
        ),
        (
            swagger({"/a": {"post": registration(parameters={"a": 1})}}),
            "/paths/~1a/post/parameters",
            "parameters must be a list",
        ),
        (
            swagger({"/a": {"post": registration("text")}}),
            "/paths/~1a/post/parameters/0",
            "a parameter must be an object",
        ),
    ],
)
def test_bad_documents_get_clear_errors(doc: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(SwaggerImportError) as caught:
        import_connector(doc)
    assert caught.value.pointer == pointer
    assert str(caught.value).startswith(f"apiDefinition.swagger.json at {pointer or '/'}: ")
    assert words in str(caught.value)


LOOPS = {"LoopA": {"$ref": "#/definitions/LoopB"}, "LoopB": {"$ref": "#/definitions/LoopA"}}
BODY_REF = "/paths/~1a/post/parameters/0/schema/$ref"


@pytest.mark.parametrize(
    ("ref", "definitions", "pointer", "words"),
    [
        ("#/definitions/Missing", {}, BODY_REF, "$ref '#/definitions/Missing' points to nothing"),
        ("other.json#/definitions/X", {}, BODY_REF, "only references inside the same file"),
        (
            "#/definitions/LoopA",
            LOOPS,
            BODY_REF,
            "$ref loop: #/definitions/LoopA -> #/definitions/LoopB -> #/definitions/LoopA",
        ),
        ("#/definitions/Self", {"Self": {"$ref": "#/definitions/Self"}}, BODY_REF, "$ref loop"),
        (
            "#/definitions/Hop",
            {"Hop": {"$ref": "#/definitions/Gone"}},
            "/definitions/Hop/$ref",
            "'#/definitions/Gone' points to nothing",
        ),
        (
            "#/definitions/Fine",
            {"Fine": {"type": "object"}, "Bad": {"items": {"$ref": "#/x"}}},
            "/definitions/Bad/items/$ref",
            "'#/x' points to nothing",
        ),
    ],
    ids=["missing", "external", "loop", "self-loop", "dangling-hop", "dangling-elsewhere"],
)
def test_reference_errors_name_the_pointer_of_the_ref(
    ref: str, definitions: dict[str, Any], pointer: str, words: str
) -> None:
    body = {"name": "body", "in": "body", "schema": {"$ref": ref}}
    doc = swagger({"/a": {"post": registration(body)}}, definitions=definitions)
    with pytest.raises(SwaggerImportError) as caught:
        import_connector(doc)
    assert caught.value.pointer == pointer
    assert words in str(caught.value)


def test_non_text_ref_parameter() -> None:
    doc = swagger({"/a": {"post": registration({"$ref": 5})}})
    with pytest.raises(SwaggerImportError, match="must be text") as caught:
        import_connector(doc)
    assert caught.value.pointer == "/paths/~1a/post/parameters/0"


def test_recursive_schemas_are_fine() -> None:
    tree = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Tree"}}},
    }
    doc = webhook_doc(definitions={"Tree": tree})
    doc["paths"]["/items"]["get"]["responses"]["200"]["schema"] = {"$ref": "#/definitions/Tree"}
    assert_round_trip(doc)


def test_parse_errors_carry_line_and_column() -> None:
    with pytest.raises(SwaggerImportError) as caught:
        import_connector('{\n  "swagger": "2.0",\n  "paths": {},\n}')
    error = caught.value
    assert (error.line, error.column) == (3, 14)
    assert str(error) == (
        "apiDefinition.swagger.json line 3, column 14: "
        "trailing comma is not allowed in JSON; remove the ',' before '}'"
    )


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        ("[]", "apiProperties.json: the top level must be an object"),
        ('{"properties": []}', "'properties' must be an object"),
        ('{"properties": {,}}', "apiProperties.json line 1, column 17: expecting property name"),
    ],
)
def test_bad_api_properties(properties: str, words: str) -> None:
    with pytest.raises(SwaggerImportError, match=words.replace("(", r"\(")):
        import_connector(webhook_doc(), properties)


def test_yaml_swagger_imports_like_json() -> None:
    text = (
        "swagger: '2.0'\ninfo:\n  title: Demo\n  version: 1.0\nhost: api.example.com\n"
        "paths:\n  /rows:\n    get:\n      operationId: OnNewRows\n      x-ms-trigger: batch\n"
        "      responses:\n        200:\n          description: OK\n"
    )
    result = import_connector(text)
    trigger = trigger_of(result)
    assert (trigger["kind"], trigger["responses"]) == ("polling", {"200": {"description": "OK"}})
    assert result.design["general"]["version"] == "1.0"
    assert "info.version was the number 1.0; kept as the text '1.0'" in result.notes


# --- webhook triggers ------------------------------------------------------------------------


def test_webhook_trigger_takes_its_notification_and_delete_action() -> None:
    result = assert_round_trip(webhook_doc())
    trigger = trigger_of(result)
    assert trigger["kind"] == "webhook"
    assert (trigger["operationId"], trigger["cardinality"], trigger["visibility"]) == (
        "OnItemCreated",
        "single",
        "none",
    )
    assert trigger["request"] == {
        "method": "post",
        "path": "/hooks",
        "parameters": [],
        "body": {
            "name": "body",
            "required": True,
            "schema": callback_body()["schema"],
            "extras": {},
        },
        "callbackPointer": "/url",
    }
    assert trigger["notification"] == {**NOTIFICATION, "samples": [], "extras": {}}
    assert trigger["polling"] is None
    assert trigger["deleteAction"] == {
        "operationId": "DeleteHook",
        "path": "/hooks/{id}",
        "summary": "",
        "description": "",
        "visibility": "internal",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "type": "string", "extras": {}}
        ],
        "responses": {"204": {"description": "Deleted"}},
        "extensions": {},
    }
    assert list(result.design["passthrough"]["swagger"]["paths"]) == ["/items"]
    assert (
        "OnItemCreated (POST /hooks): imported as a webhook trigger (single), "
        "callback URL at body /url" in result.notes
    )
    assert (
        "DeleteHook (DELETE /hooks/{id}) is the delete action of: OnItemCreated [child]"
        in result.notes
    )


FLAG = {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"}
DEFINITIONS = {
    "Sub": {"type": "object", "properties": {"callbackUrl": FLAG}},
    "callbackUrl": FLAG,
    "Base": {"type": "object", "properties": {"url": FLAG}},
}


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        (
            {
                "type": "object",
                "properties": {"config": {"type": "object", "properties": {"url": FLAG}}},
            },
            "/config/url",
        ),
        ({"$ref": "#/definitions/Sub"}, "/callbackUrl"),
        (
            {
                "type": "object",
                "properties": {"callbackUrl": {"$ref": "#/definitions/callbackUrl"}},
            },
            "/callbackUrl",
        ),
        (
            {"type": "object", "properties": {"x-ms-notification-url": FLAG}},
            "/x-ms-notification-url",
        ),
        ({"type": "object", "properties": {"a/b~c": FLAG}}, "/a~1b~0c"),
        (
            {
                "type": "object",
                "properties": {
                    "p": {
                        "type": "object",
                        "properties": {
                            "properties": {"type": "object", "properties": {"endpointUrl": FLAG}}
                        },
                    }
                },
            },
            "/p/properties/endpointUrl",
        ),
        # Found, but the export would add a property next to the allOf, or make it internal:
        # left unchosen so the file keeps its facts.
        ({"allOf": [{"$ref": "#/definitions/Base"}]}, None),
        (
            {
                "type": "object",
                "properties": {"url": {"type": "string", "x-ms-notification-url": True}},
            },
            None,
        ),
        ({"type": "array", "items": {"type": "object", "properties": {"url": FLAG}}}, None),
    ],
    ids=[
        "nested",
        "ref-body",
        "ref-property",
        "odd-name",
        "escaped",
        "deep",
        "allOf",
        "not-internal",
        "array",
    ],
)
def test_callback_pointer_is_found_through_refs(
    schema: dict[str, Any], pointer: str | None
) -> None:
    doc = swagger(
        {
            "/hooks": {
                "post": registration(callback_body(schema)),
                "x-ms-notification-content": NOTIFICATION,
            }
        },
        definitions=DEFINITIONS,
    )
    result = assert_round_trip(doc)
    trigger = trigger_of(result)
    assert (trigger["kind"], trigger["request"]["callbackPointer"]) == ("webhook", pointer)
    if pointer is None:
        assert any("callback" in note and "OnItemCreated" in note for note in result.notes)


def test_global_body_parameter_stays_a_reference() -> None:
    parameters = {
        "Subscription": callback_body(),
        "Version": {"name": "v", "in": "header", "type": "string"},
    }
    op = registration({"$ref": "#/parameters/Version"}, {"$ref": "#/parameters/Subscription"})
    result = assert_round_trip(swagger({"/hooks": {"post": op}}, parameters=parameters))
    request = trigger_of(result)["request"]
    assert request["parameters"] == [{"ref": "#/parameters/Version"}]
    assert request["body"] == {"ref": "#/parameters/Subscription"}
    assert request["callbackPointer"] == "/url"
    assert result.design["passthrough"]["swagger"]["parameters"] == parameters


@pytest.mark.parametrize(
    ("path_item", "kind"),
    [
        (
            {
                "post": registration({"name": "x", "in": "query", "type": "string"}),
                "x-ms-notification-content": NOTIFICATION,
            },
            "webhook",
        ),
        ({"post": registration()}, "webhook"),
        (
            {
                "post": registration(
                    {"name": "cb", "in": "query", "type": "string", "x-ms-notification-url": True}
                )
            },
            "webhook",
        ),
        (
            {
                "post": registration({"name": "x", "in": "query", "type": "string"}),
                "parameters": [callback_body()],
            },
            "webhook",
        ),
        ({"post": registration({"name": "x", "in": "query", "type": "string"})}, "polling"),
        (
            {
                "get": registration({"name": "x", "in": "query", "type": "string"}),
                "x-ms-notification-content": "not an object",
            },
            "polling",
        ),
    ],
    ids=[
        "notification-content",
        "body-flag",
        "query-flag",
        "path-level-flag",
        "neither",
        "bad-content",
    ],
)
def test_trigger_kind(path_item: dict[str, Any], kind: str) -> None:
    result = assert_round_trip(swagger({"/hooks": path_item}))
    assert trigger_of(result)["kind"] == kind


def test_path_level_parameters_stay_in_passthrough() -> None:
    shared = [{"name": "tenant", "in": "path", "required": True, "type": "string"}]
    doc = swagger(
        {
            "/t/{tenant}/hooks": {
                "parameters": shared,
                "post": registration(),
                "x-ms-notification-content": NOTIFICATION,
            }
        }
    )
    result = assert_round_trip(doc)
    assert result.design["passthrough"]["swagger"]["paths"] == {
        "/t/{tenant}/hooks": {"parameters": shared}
    }


def test_webhook_actions_are_not_triggers() -> None:
    wait = {
        "operationId": "WaitForSignature",
        "parameters": [callback_body()],
        "responses": {"200": {"description": "OK"}},
    }
    doc = swagger({"/sign": {"post": wait, "x-ms-notification-content": NOTIFICATION}})
    result = assert_round_trip(doc)
    assert result.design["triggers"] == []
    assert result.design["passthrough"]["swagger"]["paths"] == doc["paths"]
    assert any(
        note.startswith(
            "WaitForSignature (POST /sign) has x-ms-notification-url but no x-ms-trigger"
        )
        for note in result.notes
    )


# --- DELETE matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registration_path", "delete_paths", "expected"),
    [
        ("/hooks", ["/hooks/{id}", "/hooks", "/hooks/x/{id}"], ("/hooks/{id}", "child")),
        ("/hooks", ["/hooks", "/hooks/x/{id}", "/other/{id}"], ("/hooks", "same-path")),
        (
            "/callbacks/{name}",
            ["/callbacks/{callbackId}"],
            ("/callbacks/{callbackId}", "same-path"),
        ),
        (
            "/webhooks",
            ["/webhooks/delete/{id}", "/unsubscribe"],
            ("/webhooks/delete/{id}", "descendant"),
        ),
        ("/webhook/FileCreated", ["/webhook/{id}", "/files/{id}"], ("/webhook/{id}", "sibling")),
        (
            "/v1/subscriptions/event/x",
            ["/v1/subscriptions/{id}/event/{type}", "/files/{id}"],
            ("/v1/subscriptions/{id}/event/{type}", "hook-named"),
        ),
        ("/a/b", ["/x/y"], None),
        ("/Hooks", ["/hooks/{ID}"], ("/hooks/{ID}", "child")),
    ],
)
def test_best_delete_ranking(
    registration_path: str, delete_paths: list[str], expected: tuple[str, str] | None
) -> None:
    match = best_delete(
        registration_path, [(p, {"operationId": "Remove"}) for p in sorted(delete_paths)]
    )
    assert (None if match is None else (match.path, match.category)) == expected


def test_internal_only_delete_is_the_last_resort() -> None:
    candidates = [("/zzz/{x}/y/z", {"operationId": "Remove", "x-ms-visibility": "internal"})]
    match = best_delete("/a/b/c", candidates)
    assert match is not None and match.category == "internal-only"


def test_best_delete_agrees_with_the_oracle() -> None:
    oracle = load_trigger_facts()
    rng = random.Random(7)
    segments = [
        "hooks",
        "webhook",
        "items",
        "{id}",
        "{key}",
        "v1",
        "Subscriptions",
        "files",
        "delete",
    ]
    for _ in range(3000):
        registration_path = "/" + "/".join(rng.choices(segments, k=rng.randint(1, 3)))
        deletes = sorted(
            {"/" + "/".join(rng.choices(segments, k=rng.randint(1, 4))) for _ in range(4)}
        )
        ops = {
            path: {
                "operationId": rng.choice(["Remove", "Unsubscribe", ""]),
                **({"x-ms-visibility": "internal"} if rng.random() < 0.4 else {}),
            }
            for path in deletes
        }
        expected = None
        for path in deletes:
            score = oracle.match_delete(registration_path, path, ops[path])
            if score is not None and (expected is None or score[:3] > expected[0]):
                expected = (score[:3], path)
        match = best_delete(registration_path, [(p, ops[p]) for p in deletes])
        assert (None if match is None else match.path) == (
            None if expected is None else expected[1]
        )


def test_one_delete_serves_several_triggers_and_is_written_once() -> None:
    second = registration(operationId="OnItemDeleted")
    doc = swagger(
        {
            "/webhook/created": {"post": registration(), "x-ms-notification-content": NOTIFICATION},
            "/webhook/deleted": {"post": second, "x-ms-notification-content": NOTIFICATION},
            "/webhook/{id}": {"delete": unsubscribe()},
            "/files/{id}": {
                "delete": unsubscribe("DeleteFile", **{"x-ms-visibility": "important"})
            },
        }
    )
    result = assert_round_trip(doc)
    first, other = result.design["triggers"]
    assert first["deleteAction"] == other["deleteAction"]
    assert first["deleteAction"] is not other["deleteAction"]
    assert list(result.design["passthrough"]["swagger"]["paths"]) == ["/files/{id}"]
    assert (
        "DELETE operations not matched to a trigger, kept as actions: "
        "DeleteFile (DELETE /files/{id})" in result.notes
    )
    assert list(export_swagger(result.design)["paths"]["/webhook/{id}"]) == ["delete"]


@pytest.mark.parametrize(
    ("delete", "words"),
    [
        (unsubscribe(operationId=None), "has no operationId"),
        (unsubscribe(parameters=[callback_body()]), "sends a request body"),
        (unsubscribe(parameters=[{"in": "path"}]), "cannot be a delete action"),
    ],
)
def test_a_delete_the_design_cannot_hold_stays_an_action(
    delete: dict[str, Any], words: str
) -> None:
    doc = swagger({"/hooks": {"post": registration()}, "/hooks/{id}": {"delete": delete}})
    result = assert_round_trip(doc)
    assert trigger_of(result)["deleteAction"] is None
    assert result.design["passthrough"]["swagger"]["paths"]["/hooks/{id}"] == {"delete": delete}
    assert any(words in note for note in result.notes)


def test_a_delete_on_the_registration_path_shares_the_path_item() -> None:
    doc = swagger({"/webhook": {"post": registration(), "delete": unsubscribe()}})
    result = assert_round_trip(doc)
    assert trigger_of(result)["deleteAction"]["path"] == "/webhook"
    assert "/webhook" not in result.design["passthrough"]["swagger"]["paths"]


def test_webhook_without_delete_gets_a_note() -> None:
    result = assert_round_trip(swagger({"/hooks": {"post": registration()}}))
    assert (
        "OnItemCreated: no DELETE operation matches; Power Automate cannot unsubscribe"
        in result.notes
    )


# --- polling triggers ------------------------------------------------------------------------


def test_polling_trigger_state_metadata_and_guessed_interval() -> None:
    result = assert_round_trip(polling_doc())
    trigger = trigger_of(result)
    assert (trigger["kind"], trigger["cardinality"], trigger["notification"]) == (
        "polling",
        "batch",
        None,
    )
    assert trigger["polling"] == {
        "stateParameter": "since",
        "valueCollection": "value",
        "valuePath": "modified",
        "metadata": True,
        "retryInterval": 180,
        "policy": None,
    }
    assert "x-ms-trigger-value" not in trigger["request"]["parameters"][0]["extras"]
    assert "x-ms-trigger-metadata" not in trigger["extensions"]
    assert any("retry interval guessed as 180 s" in note for note in result.notes)


@pytest.mark.parametrize(
    ("headers", "interval"),
    [
        ({"Retry-After": {"type": "integer", "default": 60}}, 60),
        ({"retry-after": {"type": "string", "default": "30"}}, 30),
        ({"Retry-After": {"type": "integer", "default": 0}}, 180),
        ({"Retry-After": {"type": "integer", "default": 999999}}, 180),
        ({"Retry-After": {"type": "string", "default": "soon"}}, 180),
        ({"Retry-After": {"type": "integer"}}, 180),
    ],
)
def test_retry_interval_comes_from_a_declared_retry_after(
    headers: dict[str, Any], interval: int
) -> None:
    responses = {
        "200": {"description": "OK"},
        "202": {"description": "Nothing new", "headers": headers},
    }
    result = assert_round_trip(polling_doc(responses=responses))
    assert trigger_of(result)["polling"]["retryInterval"] == interval


def pollingtrigger(*operations: str, **parameters: Any) -> dict[str, Any]:
    return {
        "templateId": "pollingtrigger",
        "title": "PollingTriggerPolicy_1",
        "type": "PollingTrigger",
        "parameters": {
            "x-ms-apimTemplate-operationName": list(operations),
            "x-ms-apimTemplateParameter.triggerConfig": {
                "$filter": "modified gt @{triggerBody().value[0].modified}"
            },
            "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody().value",
            **parameters,
        },
    }


SET_HEADER = {
    "templateId": "setheader",
    "title": "Version",
    "parameters": {"x-ms-apimTemplateParameter.name": "v"},
}


def test_polling_policy_moves_from_api_properties_into_the_trigger() -> None:
    from connectors.domain.swagger.exporting.properties import export_properties

    properties = {
        "properties": {
            "iconBrandColor": "#0078D6",
            "policyTemplateInstances": [SET_HEADER, pollingtrigger("OnNewRows")],
        }
    }
    result = import_doc(polling_doc(), properties)
    assert trigger_of(result)["polling"]["policy"] == {
        "title": "PollingTriggerPolicy_1",
        "triggerConfig": {"$filter": "modified gt @{triggerBody().value[0].modified}"},
        "triggerDataPath": "@triggerBody().value",
        "extras": {"templateId": "pollingtrigger", "type": "PollingTrigger"},
    }
    assert result.design["passthrough"]["properties"]["properties"]["policyTemplateInstances"] == [
        SET_HEADER
    ]
    exported = export_properties(result.design)["properties"]["policyTemplateInstances"]
    assert exported == [SET_HEADER, pollingtrigger("OnNewRows")]


@pytest.mark.parametrize(
    "policy",
    [
        pollingtrigger("OnNewRows", "OnOther"),
        pollingtrigger("OnNewRows", **{"x-ms-apimTemplateParameter.triggerConfig": {"a": 1}}),
    ],
    ids=["several-operations", "non-text-config"],
)
def test_a_policy_the_design_cannot_hold_stays_in_api_properties(policy: dict[str, Any]) -> None:
    properties = {"properties": {"policyTemplateInstances": [policy]}}
    result = import_doc(polling_doc(), properties)
    assert trigger_of(result)["polling"]["policy"] is None
    assert result.design["passthrough"]["properties"]["properties"]["policyTemplateInstances"] == [
        policy
    ]
    assert any("kept verbatim in apiProperties" in note for note in result.notes)


@pytest.mark.parametrize(
    ("op_keys", "extension"),
    [
        (
            {"x-ms-trigger-metadata": {"kind": "query"}},
            {"x-ms-trigger-metadata": {"kind": "query"}},
        ),
        ({"x-ms-trigger-metadata": None}, {"x-ms-trigger-metadata": None}),
    ],
)
def test_unusual_trigger_metadata_is_kept(
    op_keys: dict[str, Any], extension: dict[str, Any]
) -> None:
    result = assert_round_trip(polling_doc(**op_keys))
    trigger = trigger_of(result)
    assert trigger["polling"]["metadata"] is False
    assert extension.items() <= trigger["extensions"].items()


def test_unusual_trigger_value_stays_on_its_parameter() -> None:
    doc = polling_doc()
    state = doc["paths"]["/rows"]["get"]["parameters"][0]
    state["x-ms-trigger-value"] = {"value-path": "modified"}
    result = assert_round_trip(doc)
    trigger = trigger_of(result)
    assert trigger["polling"]["stateParameter"] == "since"
    assert trigger["polling"]["valuePath"] is None
    assert trigger["request"]["parameters"][0]["extras"]["x-ms-trigger-value"] == {
        "value-path": "modified"
    }


# --- parameters and operation keys -----------------------------------------------------------


def test_parameters_are_modeled_with_every_other_key_in_extras() -> None:
    parameter = {
        "name": "folder",
        "in": "query",
        "required": True,
        "type": "string",
        "format": "uuid",
        "default": "root",
        "x-ms-summary": "Folder",
        "description": "The folder to watch.",
        "x-ms-visibility": "important",
        "x-ms-dynamic-values": {"operationId": "ListFolders", "value-path": "id"},
    }
    result = assert_round_trip(
        swagger({"/hooks": {"post": registration(parameter, callback_body())}})
    )
    assert trigger_of(result)["request"]["parameters"] == [
        {
            "name": "folder",
            "in": "query",
            "required": True,
            "type": "string",
            "default": "root",
            "summary": "Folder",
            "description": "The folder to watch.",
            "visibility": "important",
            "extras": {
                "format": "uuid",
                "x-ms-dynamic-values": {"operationId": "ListFolders", "value-path": "id"},
            },
        }
    ]


@pytest.mark.parametrize(
    ("odd", "extras", "noted"),
    [
        ({"x-ms-visibility": ""}, {"x-ms-visibility": ""}, True),
        ({"x-ms-visibility": "Internal"}, {"x-ms-visibility": "Internal"}, True),
        ({"x-ms-visibility": "none"}, {"x-ms-visibility": "none"}, False),
        ({"required": "true"}, {"required": "true"}, True),
        ({"x-ms-summary": ""}, {"x-ms-summary": ""}, False),
        ({"x-ms-summary": 5}, {"x-ms-summary": 5}, True),
        ({"default": None}, {"default": None}, False),
        ({"type": ["string", "null"]}, {"type": ["string", "null"]}, True),
    ],
)
def test_parameter_values_the_design_cannot_hold_stay_in_extras(
    odd: dict[str, Any], extras: dict[str, Any], noted: bool
) -> None:
    parameter = {"name": "folder", "in": "query", **odd}
    result = import_doc(swagger({"/hooks": {"post": registration(parameter, callback_body())}}))
    modeled = trigger_of(result)["request"]["parameters"][0]
    assert modeled["extras"] == extras
    assert any("parameter 'folder'" in note for note in result.notes) is noted


@pytest.mark.parametrize(
    ("odd", "design_field", "value"),
    [
        ({"x-ms-visibility": "hidden"}, "visibility", "none"),
        ({"x-ms-visibility": "none"}, "visibility", "none"),
        ({"operationId": ""}, "operationId", ""),
        ({"summary": 12}, "summary", ""),
        ({"x-ms-trigger-hint": ["not", "text"]}, "triggerHint", None),
        ({"responses": "none"}, "responses", None),
    ],
)
def test_operation_values_the_design_cannot_hold_stay_in_extensions(
    odd: dict[str, Any], design_field: str, value: Any
) -> None:
    result = assert_round_trip(swagger({"/hooks": {"post": registration(**odd)}}))
    trigger = trigger_of(result)
    assert trigger.get(design_field) == value
    assert odd.items() <= trigger["extensions"].items()


def test_x_ms_trigger_outside_single_and_batch_stays_in_extensions() -> None:
    result = assert_round_trip(
        swagger({"/hooks": {"post": registration(**{"x-ms-trigger": "Single"})}})
    )
    trigger = trigger_of(result)
    assert "cardinality" not in trigger
    assert trigger["extensions"]["x-ms-trigger"] == "Single"
    assert (
        "OnItemCreated (POST /hooks): x-ms-trigger 'Single' is neither single nor batch; "
        "kept verbatim" in result.notes
    )


def test_unmodeled_operation_keys_are_kept_verbatim() -> None:
    keys = {
        "tags": ["Hooks"],
        "consumes": ["application/json"],
        "deprecated": False,
        "x-ms-trigger-hint": "Add an item.",
        "x-ms-no-generic-test": True,
    }
    result = assert_round_trip(swagger({"/hooks": {"post": registration(**keys)}}))
    trigger = trigger_of(result)
    assert trigger["triggerHint"] == "Add an item."
    assert trigger["extensions"] == {
        "tags": ["Hooks"],
        "consumes": ["application/json"],
        "deprecated": False,
        "x-ms-no-generic-test": True,
    }
    assert trigger["responses"] == {"201": {"description": "Created"}}


# --- general, metadata, security, apiProperties ----------------------------------------------

METADATA = [
    {"propertyName": "Website", "propertyValue": "https://example.com"},
    {"propertyName": "Privacy policy", "propertyValue": "https://example.com/privacy"},
    {"propertyName": "Categories", "propertyValue": "AI;Productivity"},
    {"propertyName": "Support", "propertyValue": "help@example.com"},
]


def test_general_info_and_connector_metadata() -> None:
    doc = webhook_doc(**{"x-ms-connector-metadata": METADATA, "tags": [{"name": "Hooks"}]})
    doc["info"]["contact"] = {"name": "Team"}
    result = assert_round_trip(doc)
    assert result.design["general"] == {
        "title": "Demo",
        "description": "Demo API.",
        "version": "1.0",
        "host": "api.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "metadata": {
            "website": "https://example.com",
            "privacyPolicy": "https://example.com/privacy",
            "categories": ["AI", "Productivity"],
        },
        "publisher": None,
        "stackOwner": None,
    }
    passthrough = result.design["passthrough"]["swagger"]
    assert passthrough["info"] == {"contact": {"name": "Team"}}
    assert passthrough["x-ms-connector-metadata"] == [METADATA[3]]
    assert "swagger" not in passthrough and "host" not in passthrough
    assert export_swagger(result.design)["x-ms-connector-metadata"] == METADATA
    assert "kept verbatim in passthrough: info, tags" in result.notes


@pytest.mark.parametrize(
    ("top", "field", "value", "kept", "words"),
    [
        (
            {"schemes": ["https", "wss"]},
            "schemes",
            ["https"],
            {"schemes": ["https", "wss"]},
            "http and https only",
        ),
        (
            {"schemes": ["https", "https"]},
            "schemes",
            ["https"],
            {"schemes": ["https", "https"]},
            "http and https only",
        ),
        ({"host": 8080}, "host", "", {"host": 8080}, "host 8080 is not text"),
        ({"basePath": None}, "basePath", "/", {"basePath": None}, "basePath None is not a path"),
        (
            {"x-ms-connector-metadata": [{"propertyName": "Privacy Policy", "propertyValue": "u"}]},
            "metadata",
            {"website": None, "privacyPolicy": None, "categories": []},
            {"x-ms-connector-metadata": [{"propertyName": "Privacy Policy", "propertyValue": "u"}]},
            "'Privacy Policy' is not spelled",
        ),
    ],
)
def test_general_values_the_design_cannot_hold_stay_in_passthrough(
    top: dict[str, Any], field: str, value: Any, kept: dict[str, Any], words: str
) -> None:
    result = import_doc(webhook_doc(**top))
    assert result.design["general"][field] == value
    assert kept.items() <= result.design["passthrough"]["swagger"].items()
    assert any(words in note for note in result.notes)


@pytest.mark.parametrize(
    ("change", "field", "value", "words"),
    [
        ({"basePath": "drop"}, "basePath", "/", "basePath is missing; '/' (the same thing)"),
        ({"host": "drop"}, "host", "", "host is missing"),
        ({"schemes": "drop"}, "schemes", [], "schemes is missing"),
        (
            {"info": {"title": "T" * 300, "version": "1"}},
            "title",
            "T" * 200,
            "longer than 200 characters",
        ),
        ({"info": {"version": 2}}, "title", "", "info.title is missing"),
        ({"info": {"title": "T", "version": 2}}, "version", "2", "info.version was the number 2"),
    ],
)
def test_general_gaps_are_filled_and_noted(
    change: dict[str, Any], field: str, value: Any, words: str
) -> None:
    doc = webhook_doc()
    for key, new in change.items():
        if new == "drop":
            del doc[key]
        else:
            doc[key] = new
    result = import_doc(doc)
    assert result.design["general"][field] == value
    assert any(words in note for note in result.notes)


OAUTH = {
    "type": "oauth2",
    "flow": "accessCode",
    "authorizationUrl": "https://login.example.com/authorize",
    "tokenUrl": "https://login.example.com/token",
    "scopes": {"read": "Read items", "write": ""},
}
TOKEN = {
    "type": "oauthSetting",
    "oAuthSettings": {
        "identityProvider": "oauth2",
        "clientId": "abc",
        "customParameters": {"refreshUrl": {"value": "https://login.example.com/refresh"}},
    },
}
API_KEY_PARAMETER = {"type": "securestring", "uiDefinition": {"displayName": "API key"}}


@pytest.mark.parametrize(
    ("definitions", "connection", "security", "kept"),
    [
        ({}, {}, {"type": "none"}, {}),
        (
            {"basic_auth": {"type": "basic"}},
            {"username": {"uiDefinition": {"displayName": "User"}}},
            {
                "type": "basic",
                "definitionName": "basic_auth",
                "basic": {"usernameLabel": "User"},
                "extras": {},
            },
            None,
        ),
        (
            {"API Key": {"type": "apiKey", "in": "header", "name": "X-Key", "description": "Key."}},
            {"api_key": API_KEY_PARAMETER},
            {
                "type": "apiKey",
                "definitionName": "API Key",
                "apiKey": {"name": "X-Key", "in": "header", "label": "API key"},
                "extras": {"description": "Key."},
            },
            None,
        ),
        (
            {"oauth": OAUTH},
            {"token": TOKEN},
            {
                "type": "oauth2",
                "definitionName": "oauth",
                "oauth2": {
                    "flow": "accessCode",
                    "scopes": ["read", "write"],
                    "authorizationUrl": OAUTH["authorizationUrl"],
                    "tokenUrl": OAUTH["tokenUrl"],
                    "identityProvider": "oauth2",
                    "clientId": "abc",
                    "refreshUrl": "https://login.example.com/refresh",
                },
                "extras": {"scopes": OAUTH["scopes"]},
            },
            None,
        ),
        (
            {"oauth": OAUTH, "key": {"type": "apiKey", "in": "query", "name": "k"}},
            {},
            {"type": "oauth2"},
            {"key": {"type": "apiKey", "in": "query", "name": "k"}},
        ),
        (
            {"cookie": {"type": "apiKey", "in": "cookie", "name": "k"}},
            {},
            {"type": "none"},
            {"cookie": {"type": "apiKey", "in": "cookie", "name": "k"}},
        ),
        (
            {"odd": {"type": "openIdConnect"}},
            {},
            {"type": "none"},
            {"odd": {"type": "openIdConnect"}},
        ),
    ],
    ids=["none", "basic", "apiKey", "oauth2", "two", "cookie", "unknown-type"],
)
def test_first_security_definition_becomes_the_design_security(
    definitions: dict[str, Any],
    connection: dict[str, Any],
    security: dict[str, Any],
    kept: dict[str, Any] | None,
) -> None:
    properties = {"properties": {"iconBrandColor": "#007ee5", "connectionParameters": connection}}
    result = import_doc(webhook_doc(securityDefinitions=definitions), properties)
    assert security.items() <= result.design["security"].items()
    assert result.design["passthrough"]["swagger"].get("securityDefinitions") == kept
    assert (
        result.design["passthrough"]["properties"]["properties"]["connectionParameters"]
        == connection
    )


def test_api_properties_fields_move_into_general() -> None:
    properties = {
        "$schema": "https://example.com/schema.json",
        "properties": {
            "iconBrandColor": "#0078D6",
            "publisher": "Contoso",
            "stackOwner": "Contoso Ltd",
            "capabilities": ["actions"],
            "connectionParameters": {},
        },
    }
    result = import_doc(webhook_doc(), properties)
    general = result.design["general"]
    assert (general["iconBrandColor"], general["publisher"], general["stackOwner"]) == (
        "#0078D6",
        "Contoso",
        "Contoso Ltd",
    )
    assert result.design["passthrough"]["properties"] == {
        "$schema": "https://example.com/schema.json",
        "properties": {"capabilities": ["actions"], "connectionParameters": {}},
    }


@pytest.mark.parametrize(
    ("colour", "noted"), [("#FFF", True), ("da3b01", True), (None, True), ("#DA3B01", False)]
)
def test_icon_colour_outside_rrggbb_stays_in_passthrough(colour: Any, noted: bool) -> None:
    result = import_doc(webhook_doc(), {"properties": {"iconBrandColor": colour}})
    assert ("iconBrandColor" in result.design["passthrough"]["properties"]["properties"]) is noted
    assert any("iconBrandColor" in note for note in result.notes) is noted


# --- fuzz: mutated corpus files give a design or a clear error, never a crash ----------------

FUZZ_CONNECTORS = [
    "WooCommerce",
    "Leadinfo",
    "ModuleQ",
    "Zippydoc",
    "Pushcut",
    "Team_Forms",
    "MicrosoftGraphSecurity",
    "3E_Events",
]
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1.5,
    "",
    "text",
    [],
    {},
    [1, "a"],
    {"$ref": 1},
    {"$ref": "#/nowhere"},
    {"$ref": "#/definitions/LoopA"},
]


def _containers(doc: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) position of ``doc``, walked without recursion."""
    found: list[tuple[Any, Any]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        keys = (
            list(node)
            if isinstance(node, dict)
            else range(len(node))
            if isinstance(node, list)
            else []
        )
        for key in keys:
            found.append((node, key))
            stack.append(node[key])
    return found


def _mutate(doc: dict[str, Any], rng: random.Random) -> None:
    positions = _containers(doc)
    for _ in range(rng.randint(1, 4)):
        container, key = rng.choice(positions)
        action = rng.random()
        try:
            if action < 0.35 and isinstance(container, dict):
                del container[key]
            elif action < 0.8:
                container[key] = copy.deepcopy(rng.choice(ODD_VALUES))
            else:
                container[key] = {
                    "$ref": rng.choice(
                        ["#/definitions/LoopA", "#/paths", "#", "#/definitions/x~2y"]
                    )
                }
        except (KeyError, IndexError):
            continue  # the position went away with an earlier mutation
    if rng.random() < 0.5 and isinstance(doc.get("definitions", {}), dict):
        doc.setdefault("definitions", {}).update(LOOPS)  # so "#/definitions/LoopA" loops


@pytest.mark.parametrize("connector", FUZZ_CONNECTORS)
def test_fuzzed_corpus_files_never_crash(connector: str) -> None:
    folder = CORPUS / connector
    original = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    properties = json.loads((folder / "apiProperties.json").read_text(encoding="utf-8-sig"))
    rng = random.Random(connector)
    outcomes = {"imported": 0, "refused": 0}
    for _ in range(150):
        doc, props = copy.deepcopy(original), copy.deepcopy(properties)
        _mutate(doc if rng.random() < 0.8 else props, rng)
        try:
            validate_design(import_connector(doc, props).design)
            outcomes["imported"] += 1
        except (SwaggerImportError, DocumentError):
            outcomes["refused"] += 1
    assert outcomes["imported"] and outcomes["refused"]


@pytest.mark.parametrize("connector", FUZZ_CONNECTORS[:4])
def test_damaged_file_text_never_crashes(connector: str) -> None:
    text = (CORPUS / connector / "apiDefinition.swagger.json").read_bytes()
    rng = random.Random(connector)
    for _ in range(80):
        cut = rng.randrange(len(text))
        damaged = (
            text[:cut]
            + rng.choice([b"", b",", b"}", b"\xff", b"[", b'"', b"\n- x: ["])
            + text[cut + rng.randint(0, 3) :]
        )
        try:
            import_connector(damaged)
        except SwaggerImportError as error:
            assert error.line is not None or error.pointer is not None


def test_paths_without_a_leading_slash_stay_in_passthrough() -> None:
    doc = swagger(
        {
            "hooks": {"post": registration()},
            "/hooks": {"post": registration(operationId="OnOther")},
            "hooks/{id}": {"delete": unsubscribe()},
        }
    )
    result = assert_round_trip(doc)
    assert [t["operationId"] for t in result.design["triggers"]] == ["OnOther"]
    assert trigger_of(result)["deleteAction"] is None
    assert set(result.design["passthrough"]["swagger"]["paths"]) == {"hooks", "hooks/{id}"}
    assert (
        "OnItemCreated (POST hooks): its path does not start with '/'; kept verbatim, not a trigger"
        in result.notes
    )


def test_broken_ref_met_while_looking_for_the_callback_names_its_own_pointer() -> None:
    """check_refs leaves example payloads alone; a body schema that points into one is walked
    by the callback search, whose errors name the real pointer (not "/$ref")."""
    payload = {"type": "object", "properties": {"url": {"$ref": "#/definitions/Gone"}}}
    body = {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/X/example"}}
    doc = swagger({"/a": {"post": registration(body)}}, definitions={"X": {"example": payload}})
    with pytest.raises(SwaggerImportError, match="points to nothing") as caught:
        import_connector(doc)
    assert caught.value.pointer == "/definitions/X/example/properties/url/$ref"


def test_info_that_is_not_an_object_imports_exports_and_lints() -> None:
    doc = webhook_doc(info=[1])
    result = import_doc(doc)
    assert any("info is missing or not an object" in note for note in result.notes)
    assert export_swagger(result.design)["info"]["title"] == ""
    assert all(f.rule != "LinterRuleFailed" for f in lint_design(result.design))
