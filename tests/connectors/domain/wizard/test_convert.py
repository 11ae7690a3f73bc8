"""authoring_convert: a webhook becomes a polling trigger and back, keeping what both share,
and the result validates, exports and lints without errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.lint import lint_swagger
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.wizard.convert import convert_trigger

SHARED = ("operationId", "summary", "description", "visibility", "triggerHint", "cardinality")


def webhook(**kwargs: Any) -> dict[str, Any]:
    trigger = new_webhook_trigger(
        summary="When an order is created",
        path="/shops/{shopId}/hooks",
        notification_samples=[{"id": 7, "total": 12.5}],
        **kwargs,
    )
    trigger["request"]["parameters"].append(
        {"name": "X-Api-Version", "in": "header", "required": False, "type": "string"}
    )
    trigger.update(visibility="important", triggerHint="Create an order to try it.")
    trigger["responses"]["404"] = {"description": "No such shop."}
    return trigger


def polling(**kwargs: Any) -> dict[str, Any]:
    return new_polling_trigger(
        summary="When an invoice is added",
        path="/invoices?status=open",
        state_parameter="cursor",
        item_samples=[{"id": 3, "amount": 9.5}],
        **kwargs,
    )


def errors_of(*triggers: dict[str, Any]) -> list[str]:
    design = new_design("Contoso")
    design["triggers"] = list(triggers)
    validate_design(design)
    swagger = export_swagger(design)
    findings = lint_swagger(swagger, properties=export_properties(design), design=design)
    return [f"{f.rule}: {f.message}" for f in findings if f.severity == "error"]


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (webhook, "polling"),
        (lambda: webhook(cardinality="batch"), "polling"),
        (polling, "webhook"),
        (lambda: polling(cardinality="single"), "webhook"),
        (lambda: polling(use_policy=True, value_collection="items"), "webhook"),
    ],
)
def test_conversion_keeps_the_shared_parts_and_gives_a_clean_design(build: Any, kind: str) -> None:
    original = build()
    before = copy.deepcopy(original)
    converted = convert_trigger(original, kind, others=[])
    assert original == before  # a copy: the input is not changed
    assert converted["kind"] == kind
    assert {key: converted[key] for key in SHARED} == {key: original[key] for key in SHARED}
    assert converted["request"]["path"] == original["request"]["path"]
    assert errors_of(converted) == []
    assert list(converted) == list(original)  # a new trigger's key order


def test_webhook_to_polling_drops_delete_and_callback_and_gets_polling_settings() -> None:
    converted = convert_trigger(webhook(), "polling", others=[])
    request = converted["request"]
    assert (request["method"], request["body"], request["callbackPointer"]) == ("get", None, None)
    assert (converted["deleteAction"], converted["notification"]) == (None, None)
    assert [(p["name"], p["in"]) for p in request["parameters"]] == [
        ("shopId", "path"),
        ("X-Api-Version", "header"),
        ("since", "query"),
    ]
    state = request["parameters"][-1]
    assert (state["visibility"], state["required"], state["default"]) == ("internal", True, "0")
    assert converted["polling"] == {
        "stateParameter": "since",
        "valueCollection": "value",
        "valuePath": "id",
        "retryInterval": 300,
        "metadata": True,
        "policy": None,
    }
    # the notification schema is now one item of the poll's answer
    item = converted["responses"]["200"]["schema"]["properties"]["value"]["items"]
    assert set(item["properties"]) == {"id", "total"}
    # the maker's 404 stays beside the polling answers and the known errors
    assert list(converted["responses"]) == ["200", "202", "400", "401", "500", "404"]


def test_a_batch_webhooks_list_of_events_becomes_the_polled_items() -> None:
    converted = convert_trigger(webhook(cardinality="batch"), "polling", others=[])
    item = converted["responses"]["200"]["schema"]["properties"]["value"]["items"]
    assert item["type"] == "object"
    assert set(item["properties"]) == {"id", "total"}


def test_an_existing_since_query_parameter_becomes_the_state() -> None:
    trigger = webhook()
    trigger["request"]["parameters"].append(
        {"name": "since", "in": "query", "required": False, "type": "string"}
    )
    request = convert_trigger(trigger, "polling", others=[])["request"]
    since = [p for p in request["parameters"] if p["name"] == "since"]
    assert len(since) == 1
    assert (since[0]["required"], since[0]["visibility"], since[0]["default"]) == (
        True,
        "internal",
        "0",
    )


def test_polling_to_webhook_gets_post_callback_notification_and_delete() -> None:
    converted = convert_trigger(polling(), "webhook", others=[])
    request = converted["request"]
    assert request["method"] == "post"
    assert request["callbackPointer"] == "/notificationUrl"
    assert [p["name"] for p in request["parameters"]] == ["status"]  # the state went
    assert converted["polling"] is None
    assert converted["deleteAction"]["path"] == "/invoices/{invoiceId}"
    assert converted["deleteAction"]["operationId"] == "DeleteInvoice"
    # the polled item is now what a notification carries (a list of them: batch)
    schema = converted["notification"]["schema"]
    assert schema["type"] == "array"
    assert set(schema["items"]["properties"]) == {"id", "amount"}
    assert list(converted["responses"]) == ["201", "400", "401", "500"]


def test_a_proposed_delete_is_shared_with_a_trigger_already_unsubscribing_there() -> None:
    other = new_webhook_trigger(summary="When an invoice is paid", path="/invoices")
    converted = convert_trigger(polling(), "webhook", others=[other])
    assert converted["deleteAction"] == other["deleteAction"]
    assert errors_of(other, converted) == []


def test_a_proposed_delete_takes_an_operation_id_nobody_uses() -> None:
    other = new_polling_trigger(
        summary="When an invoice is deleted",
        operation_id="DeleteInvoice",
        path="/deleted",
        state_parameter="since",
    )
    converted = convert_trigger(polling(), "webhook", others=[other])
    assert converted["deleteAction"]["operationId"] == "DeleteInvoice2"
    assert errors_of(other, converted) == []


def test_there_and_back_again_validates() -> None:
    trigger = webhook()
    back = convert_trigger(convert_trigger(trigger, "polling", others=[]), "webhook", others=[])
    assert back["deleteAction"]["path"] == trigger["deleteAction"]["path"]
    assert back["notification"]["schema"] == trigger["notification"]["schema"]
    assert errors_of(back) == []


def test_the_same_kind_is_an_unchanged_copy_and_an_unknown_kind_an_error() -> None:
    trigger = webhook()
    same = convert_trigger(trigger, "webhook", others=[])
    assert same == trigger and same is not trigger
    with pytest.raises(ValueError, match="webhook or polling"):
        convert_trigger(trigger, "push", others=[])
