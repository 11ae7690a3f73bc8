"""authoring: the builders give triggers that are correct by construction."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.authoring.texts import notification_name
from connectors.domain.authoring.triggers import (
    new_polling_trigger,
    new_webhook_trigger,
    operation_id_from_summary,
    path_parameters_from_template,
    propose_delete_action,
    set_callback,
    set_item_samples,
    set_notification_samples,
)
from connectors.domain.design import new_design, validate_design
from connectors.domain.wizard.convert import convert_trigger
from connectors.domain.wizard.edit import guess_callback_pointer


def in_design(*triggers: dict[str, Any]) -> dict[str, Any]:
    design = new_design("Contoso")
    design["triggers"] = list(triggers)
    return validate_design(design)


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("When an order is created", "OnOrderCreated"),
        ("When a new issue is opened in a repository", "OnNewIssueOpenedInRepository"),
        ("when the API key gets rotated", "OnAPIKeyRotated"),
        ("When a café order is paid!", "OnCafeOrderPaid"),
        ("When", "OnEvent"),
        ("Delete a hook", "DeleteHook"),
        ("list-orders_v2", "ListOrdersV2"),
        ("2 factor enabled", "On2FactorEnabled"),
        ("OnOrderCreated", "OnOrderCreated"),
    ],
)
def test_operation_id_from_summary(summary: str, expected: str) -> None:
    assert operation_id_from_summary(summary) == expected


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("When an order is created", "Order created"),
        ("When a file gets uploaded.", "File uploaded"),
        ("When an issue is opened", "Issue opened"),
        ("when the API key was rotated", "API key rotated"),
        ("When", "Event"),
        ("", "Event"),
        ("New invoice", "New invoice"),
    ],
)
def test_notification_name_is_the_event_in_a_few_words(summary: str, expected: str) -> None:
    assert notification_name(summary) == expected


@pytest.mark.parametrize(
    "build",
    [
        lambda: new_webhook_trigger(summary="When an order is created", path="/hooks"),
        lambda: new_webhook_trigger(
            summary="When an order is created", path="/hooks", notification_samples=[{"id": 1}]
        ),
        lambda: convert_trigger(
            new_polling_trigger(summary="When an order is created", path="/o", state_parameter="s"),
            "webhook",
            others=[],
        ),
    ],
    ids=["new", "new-with-samples", "converted"],
)
def test_a_new_notification_is_named_not_described(build: Any) -> None:
    # The designer's "Response name": a short name, not a sentence.
    assert build()["notification"]["description"] == "Order created"


@pytest.mark.parametrize("summary", ["", "  ", "!!!", "中文"])
def test_operation_id_needs_letters_or_digits(summary: str) -> None:
    with pytest.raises(ValueError, match="operation ID"):
        operation_id_from_summary(summary)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/hooks", []),
        ("/hooks/{hookId}", [("hookId", "Hook ID")]),
        (
            "/repos/{owner}/{repo_name}/hooks/{owner}",
            [("owner", "Owner"), ("repo_name", "Repo Name")],
        ),
        ("/sites/{siteURL}", [("siteURL", "Site URL")]),
    ],
)
def test_path_parameters_from_template(path: str, expected: list[tuple[str, str]]) -> None:
    parameters = path_parameters_from_template(path)
    assert [(p["name"], p["summary"]) for p in parameters] == expected
    # No description made from the name ("The owner."): the linter asks the maker for one.
    assert not any("description" in p for p in parameters)
    assert all(
        p["in"] == "path" and p["required"] is True and p["type"] == "string" for p in parameters
    )


@pytest.mark.parametrize(
    ("method", "path", "delete_path", "operation_id", "summary"),
    [
        ("post", "/hooks", "/hooks/{hookId}", "DeleteHook", "Delete a hook"),
        ("post", "/hooks/", "/hooks/{hookId}", "DeleteHook", "Delete a hook"),
        (
            "post",
            "/repos/{owner}/{repo}/hooks",
            "/repos/{owner}/{repo}/hooks/{hookId}",
            "DeleteHook",
            "Delete a hook",
        ),
        (
            "post",
            "/event-subscriptions",
            "/event-subscriptions/{eventSubscriptionId}",
            "DeleteEventSubscription",
            "Delete an event subscription",
        ),
        (
            "post",
            "/webhookEntries",
            "/webhookEntries/{webhookEntryId}",
            "DeleteWebhookEntry",
            "Delete a webhook entry",
        ),
        ("post", "/", "/{subscriptionId}", "DeleteSubscription", "Delete a subscription"),
        ("put", "/hooks/{hookId}", "/hooks/{hookId}", "DeleteHook", "Delete a hook"),
        (
            "post",
            "/hooks/{hookId}",
            "/hooks/{hookId}/{subscriptionId}",
            "DeleteHook",
            "Delete a hook",
        ),
    ],
)
def test_propose_delete_action(
    method: str, path: str, delete_path: str, operation_id: str, summary: str
) -> None:
    trigger = {"request": {"method": method, "path": path}}
    action = propose_delete_action(trigger)
    assert (action["path"], action["operationId"], action["summary"]) == (
        delete_path,
        operation_id,
        summary,
    )
    assert action["visibility"] == "internal"
    assert action["description"].endswith(".") and action["description"] != action["summary"]
    assert action["parameters"] == path_parameters_from_template(delete_path)
    assert {"200", "204"} <= set(action["responses"])


def test_webhook_trigger_is_complete_and_fits_the_design_schema() -> None:
    trigger = new_webhook_trigger(
        summary="an order is created.", path="/hooks", notification_samples=[{"id": 1}]
    )
    in_design(trigger)
    assert trigger["summary"] == "When an order is created"
    assert trigger["description"] == "This operation triggers when an order is created."
    assert (trigger["kind"], trigger["operationId"], trigger["cardinality"]) == (
        "webhook",
        "OnOrderCreated",
        "single",
    )
    body = trigger["request"]["body"]
    assert trigger["request"]["callbackPointer"] == "/notificationUrl"
    assert body["required"] is True and body["schema"]["required"] == ["notificationUrl"]
    callback = body["schema"]["properties"]["notificationUrl"]
    assert (callback["type"], callback["x-ms-notification-url"], callback["x-ms-visibility"]) == (
        "string",
        True,
        "internal",
    )
    assert trigger["notification"]["schema"]["properties"]["id"]["type"] == "integer"
    assert trigger["notification"]["samples"] == [{"id": 1}]
    assert trigger["responses"]["201"]["headers"]["Location"]["type"] == "string"
    assert trigger["responses"]["201"]["headers"]["Location"]["description"]
    assert {"400", "401", "500"} <= set(trigger["responses"])
    assert trigger["deleteAction"] == propose_delete_action(trigger)


@pytest.mark.parametrize(
    ("properties", "pointer"),
    [
        ({"callbackUrl": {"type": "string"}}, "/callbackUrl"),
        ({"name": {"type": "string"}, "target_url": {}}, "/target_url"),
        ({"url": {"type": "string"}}, "/url"),
        ({"callbacks": {"type": "array"}}, "/notificationUrl"),
        ({"name": {"type": "string"}}, "/notificationUrl"),
    ],
)
def test_webhook_guesses_the_callback_property(properties: dict[str, Any], pointer: str) -> None:
    schema = {"type": "object", "properties": properties}
    trigger = new_webhook_trigger(summary="When x", path="/hooks", body_schema=schema)
    assert trigger["request"]["callbackPointer"] == pointer
    assert schema == {
        "type": "object",
        "properties": properties,
    }  # the caller's schema is untouched


@pytest.mark.parametrize(
    ("properties", "pointer"),
    [
        ({"config": {"type": "object", "properties": {"url": {"type": "string"}}}}, "/config/url"),
        ({"callbackUrl": {"$ref": "#/definitions/Url"}}, "/notificationUrl"),
        ({"a/b": {"properties": {"hookUrl": {}}}}, "/a~1b/hookUrl"),
    ],
    ids=["nested", "ref-is-no-choice", "escaped"],
)
def test_builders_and_the_wizard_guess_the_callback_alike(
    properties: dict[str, Any], pointer: str
) -> None:
    schema = {"type": "object", "properties": properties}
    assert guess_callback_pointer(schema) == pointer
    webhook = new_webhook_trigger(summary="When x", path="/hooks", body_schema=schema)
    assert webhook["request"]["callbackPointer"] == pointer
    polling = new_polling_trigger(summary="When x", path="/items", state_parameter="since")
    polling["request"]["body"] = {"name": "body", "schema": schema}
    converted = convert_trigger(polling, "webhook", others=[])
    assert converted["request"]["callbackPointer"] == pointer


def test_description_given_is_a_sentence_and_never_the_summary() -> None:
    trigger = new_webhook_trigger(summary="When x happens", path="/h", description="Fires on  x")
    assert trigger["description"] == "Fires on x."
    same = new_webhook_trigger(summary="When x happens", path="/h", description="When x happens.")
    assert same["description"] == "This operation triggers when x happens."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"summary": "When x", "path": "/h", "method": "get"}, "body"),
        ({"summary": "When x", "path": "hooks"}, "starts with '/'"),
        ({"summary": "  ", "path": "/h"}, "summary"),
        ({"summary": "When x", "path": "/h", "cardinality": "many"}, "cardinality"),
        ({"summary": "When x", "path": "/h", "callback_pointer": "url"}, "JSON pointer"),
        ({"summary": "When x", "path": "/h", "body_schema": {"$ref": "#/definitions/H"}}, r"\$ref"),
    ],
)
def test_webhook_rejects_what_cannot_be_correct(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        new_webhook_trigger(**kwargs)


def test_moving_the_callback_unmarks_the_old_property() -> None:
    trigger = new_webhook_trigger(summary="When x", path="/hooks")
    set_callback(trigger, "/config/url")
    schema = trigger["request"]["body"]["schema"]
    assert "x-ms-notification-url" not in schema["properties"]["notificationUrl"]
    assert "x-ms-visibility" not in schema["properties"]["notificationUrl"]
    assert schema["required"] == ["notificationUrl", "config"]
    assert schema["properties"]["config"]["properties"]["url"]["x-ms-notification-url"] is True
    set_callback(trigger, None)
    assert trigger["request"]["callbackPointer"] is None
    in_design(trigger)


def test_batch_webhook_without_samples_expects_a_list() -> None:
    trigger = new_webhook_trigger(summary="When x", path="/hooks", cardinality="batch")
    assert trigger["notification"]["schema"] == {"type": "array", "items": {"type": "object"}}


def test_notification_samples_give_schema_and_warnings() -> None:
    trigger = new_webhook_trigger(summary="When x", path="/hooks")
    assert trigger["notification"]["schema"] == {"type": "object"}
    warnings = set_notification_samples(trigger, [{"id": 1, "note": None}, {"id": 2, "note": None}])
    assert any("/properties/note" in warning for warning in warnings)
    assert set(trigger["notification"]["schema"]["properties"]) == {"id", "note"}
    assert len(trigger["notification"]["samples"]) == 2


def test_polling_trigger_with_trigger_value() -> None:
    trigger = new_polling_trigger(
        summary="When an invoice is added",
        path="/invoices?$orderby=createdAt desc&since=2024-01-01",
        state_parameter="since",
        value_path="createdAt",
        retry_interval=600,
        item_samples=[{"id": "a", "createdAt": "2024-05-01T10:00:00Z"}],
    )
    in_design(trigger)
    request = trigger["request"]
    assert (request["method"], request["path"], request["body"]) == ("get", "/invoices", None)
    state, orderby = request["parameters"]
    assert (state["name"], state["required"], state["visibility"], state["default"]) == (
        "since",
        True,
        "internal",
        "2024-01-01",
    )
    assert (orderby["name"], orderby["default"], orderby["required"]) == (
        "$orderby",
        "createdAt desc",
        False,
    )
    assert trigger["polling"] == {
        "stateParameter": "since",
        "valueCollection": "value",
        "valuePath": "createdAt",
        "retryInterval": 600,
        "metadata": True,
        "policy": None,
    }
    ok, waiting = trigger["responses"]["200"], trigger["responses"]["202"]
    assert (
        ok["schema"]["properties"]["value"]["items"]["properties"]["createdAt"]["format"]
        == "date-time"
    )
    for answer in (ok, waiting):
        assert set(answer["headers"]) == {"Location", "Retry-After"}
        assert answer["headers"]["Retry-After"]["default"] == 600
    assert "schema" not in waiting


def test_polling_trigger_with_policy() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added",
        path="/trips",
        state_parameter="$filter",
        value_path="TripId",
        use_policy=True,
    )
    in_design(trigger)
    polling = trigger["polling"]
    assert (polling["valueCollection"], polling["valuePath"], polling["metadata"]) == (
        None,
        None,
        True,
    )
    assert polling["policy"] == {
        "title": None,
        "triggerConfig": {"$filter": "@{triggerBody().value[0].TripId}"},
        "triggerDataPath": "@triggerBody().value",
    }


@pytest.mark.parametrize(
    ("collection", "cardinality", "expected"),
    [
        (
            "items",
            "batch",
            {"type": "object", "properties": {"items": {"type": "array", "items": "ITEM"}}},
        ),
        (None, "batch", {"type": "array", "items": "ITEM"}),
        (None, "single", "ITEM"),
    ],
)
def test_item_samples_shape_the_200_answer(
    collection: str | None, cardinality: str, expected: Any
) -> None:
    trigger = new_polling_trigger(
        summary="When x",
        path="/x",
        state_parameter="s",
        value_collection=collection,
        use_policy=collection is None,
        cardinality=cardinality,
    )
    set_item_samples(trigger, [{"id": 1}])
    id_schema = {"type": "integer", "format": "int32", "x-ms-summary": "Id"}
    item = {"type": "object", "properties": {"id": id_schema}}  # one sample: nothing required
    expected = copy.deepcopy(expected)
    if expected == "ITEM":
        expected = item
    elif "items" in expected:
        expected["items"] = item
    else:
        expected["properties"]["items"]["items"] = item
    assert trigger["responses"]["200"]["schema"] == expected


def test_trigger_value_needs_a_collection() -> None:
    with pytest.raises(ValueError, match="value_collection"):
        new_polling_trigger(summary="When x", path="/x", state_parameter="s", value_collection=None)


def test_policy_triggers_find_their_collection_in_the_data_path() -> None:
    trigger = new_polling_trigger(
        summary="When x", path="/x", state_parameter="s", value_collection="rows", use_policy=True
    )
    set_item_samples(trigger, [{"id": 1}])
    assert list(trigger["responses"]["200"]["schema"]["properties"]) == ["rows"]
