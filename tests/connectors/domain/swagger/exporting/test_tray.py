"""The tray.io trigger connector's files: what each message folder holds and what it says."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import design_errors, new_design, validate_design
from connectors.domain.swagger.exporting.tray import build_tray_package, tray_files

FOLDER = "connectors/shop_trigger/on_order_created"


def design(**tray: Any) -> dict[str, Any]:
    """A webhook whose callback is nested (/config/url), with a DELETE /hooks/{hookId}."""
    result = new_design("Shop")
    trigger = new_webhook_trigger(
        summary="When an order is created",
        path="/hooks",
        body_schema={
            "type": "object",
            "required": ["config"],
            "properties": {
                "config": {"type": "object", "properties": {"url": {"type": "string"}}},
                "event": {"type": "string", "default": "created", "x-ms-summary": "Event"},
            },
        },
        notification_samples=[{"id": "o-1", "type": "order.created"}],
    )
    trigger["operationId"] = "OnOrderCreated"
    trigger["request"]["callbackPointer"] = "/config/url"
    if tray:
        trigger["tray"] = tray
    result["triggers"].append(trigger)
    return validate_design(result)


def message(files: dict[str, str]) -> dict[str, str]:
    prefix = FOLDER + "/"
    return {
        path.removeprefix(prefix): text for path, text in files.items() if path.startswith(prefix)
    }


def test_a_webhook_gets_the_falafel_layout() -> None:
    files = tray_files(design())
    assert {"package.json", "index.js", "README.md"} <= files.keys()
    assert "connectors/shop_trigger/connector.js" in files
    assert "connectors/shop_trigger/global_model.js" in files
    assert set(message(files)) == {
        "schema.js", "model.js", "response.sample.json", "destroy.js", "request.js"
    }  # fmt: skip
    package = json.loads(files["package.json"])
    assert package["dependencies"] == {"@trayio/falafel": "1.38.1"}
    assert package["main"] == "index.js"


def test_the_model_places_the_webhook_url_at_the_nested_callback_pointer() -> None:
    model = message(tray_files(design()))["model.js"]
    assert 'var CALLBACK_POINTER = "/config/url";' in model
    assert "setPointer(body, CALLBACK_POINTER, params.webhook_url)" in model
    assert 'method: "post"' in model and '"/hooks"' in model


def test_the_schema_lists_the_body_inputs_and_the_delivery_mode() -> None:
    schema = message(tray_files(design()))["schema.js"]
    literal = json.loads(schema.split("module.exports = ", 1)[1].rstrip().rstrip(";"))
    assert literal["delivery"] == "fire_and_forget"
    assert literal["input"]["event"] == {"type": "string", "title": "Event", "default": "created"}
    assert literal["input"]["config"]["type"] == "object"  # url inside it is tray's to fill


def test_body_inputs_behind_refs_are_read_from_the_swagger() -> None:
    shared = design()
    trigger = shared["triggers"][0]
    schema = trigger["request"]["body"]["schema"]
    schema["properties"]["event"] = {"$ref": "#/definitions/Event"}
    shared["passthrough"]["swagger"] = {
        "definitions": {
            "Event": {"type": "string", "x-ms-summary": "Event"},
            "Hook": schema,
        }
    }
    trigger["request"]["body"]["schema"] = {"$ref": "#/definitions/Hook"}
    literal = json.loads(
        message(tray_files(shared))["schema.js"].split("module.exports = ", 1)[1].rstrip(" ;\n")
    )
    assert literal["input"]["event"] == {"type": "string", "title": "Event"}
    assert literal["input"]["config"]["type"] == "object"


def test_a_top_level_callback_is_not_an_input() -> None:
    shop = design()
    shop["triggers"][0]["request"]["callbackPointer"] = "/event"
    schema = message(tray_files(shop))["schema.js"]
    assert '"event"' not in schema and '"config"' in schema


def test_without_a_filter_the_request_checks_the_method_only() -> None:
    request = message(tray_files(design()))["request.js"]
    assert 'var METHOD = "POST";' in request
    assert "var HEADER_NAME = null;" in request and "var BODY_POINTER = null;" in request
    assert "return http.body;" in request and "reply:" not in request


def test_a_filter_names_the_header_and_body_field() -> None:
    shop = design(
        filter={"headerName": "X-Event", "headerValue": "order.created",
                "bodyPointer": "/type", "bodyValue": "order.created"}
    )  # fmt: skip
    request = message(tray_files(shop))["request.js"]
    assert 'var HEADER_NAME = "X-Event";' in request
    assert 'var HEADER_VALUE = "order.created";' in request
    assert 'var BODY_POINTER = "/type";' in request


def test_acknowledge_writes_response_js_and_the_reply() -> None:
    shop = design(
        delivery="acknowledge",
        reply={"status": 202, "contentType": "text/plain", "body": "ok {{/id}}"},
    )
    files = message(tray_files(shop))
    assert "response.js" in files
    assert "status: 202" in files["request.js"]
    assert '"text/plain"' in files["request.js"] and '"ok {{/id}}"' in files["request.js"]
    assert '"delivery": "acknowledge"' in files["schema.js"]
    for mode in ("fire_and_forget", "request_response"):
        assert "response.js" not in message(tray_files(design(delivery=mode)))


def test_destroy_uses_the_id_in_the_delete_path_or_else_the_location() -> None:
    shop = design()
    shop["triggers"][0]["deleteAction"]["path"] = "/hooks/{hookId}"
    destroy = message(tray_files(shop))["destroy.js"]
    assert '"/hooks/{hookId}"' in destroy and "params.hook_id" in destroy
    shop["triggers"][0]["deleteAction"] = None
    assert "params.hook_location" in message(tray_files(shop))["destroy.js"]


def test_the_sample_becomes_response_sample_json() -> None:
    sample = json.loads(message(tray_files(design()))["response.sample.json"])
    assert sample == {"id": "o-1", "type": "order.created"}


def test_polling_triggers_are_left_out_with_a_note() -> None:
    shop = design()
    shop["triggers"].append(
        new_polling_trigger(summary="When an order is paid", path="/orders", state_parameter="s")
    )
    files = tray_files(shop)
    assert not [path for path in files if "when_an_order_is_paid" in path or "/orders" in path]
    assert len({path.rsplit("/", 1)[0] for path in files if path.endswith("schema.js")}) == 1
    assert "When an order is paid: a polling trigger" in files["README.md"]


def test_design_text_cannot_break_out_of_the_javascript() -> None:
    shop = design(filter={"headerName": "X-Event", "headerValue": 'a"\n\u2028});evil();//'})
    request = message(tray_files(shop))["request.js"]
    assert "evil();" in request and "\u2028" not in request
    assert 'var HEADER_VALUE = "a\\"\\n\\u2028});evil();//";' in request


def test_the_zip_is_byte_identical_for_the_same_design() -> None:
    first, second = build_tray_package(design()), build_tray_package(design())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == sorted(tray_files(design()))


def test_the_tray_key_is_optional_and_checked() -> None:
    shop = design()
    assert "tray" not in shop["triggers"][0]  # a design from before stays valid
    shop["triggers"][0]["tray"] = {"delivery": "sometimes", "reply": {"status": 42}}
    errors = design_errors(shop)
    assert [pointer for pointer, _ in errors] == [
        "/triggers/0/tray/delivery",
        "/triggers/0/tray/reply/status",
    ]
