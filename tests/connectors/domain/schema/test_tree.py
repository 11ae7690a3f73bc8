"""schema_tree: one flat row per property of a webhook's body or notification, refs resolved,
with where each lives and who else uses the definition it lives in."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.design import new_design
from connectors.domain.schema.tree import (
    MAX_DEPTH,
    SchemaEditError,
    callback_candidates,
    schema_rows,
)
from tests.connectors.domain.schema.schema_designs import (
    ADDRESS,
    NODE,
    customer_operation,
    github,
    pushcut,
    ref,
    with_definitions,
)

BODY = "/triggers/0/request/body/schema"
NOTE = "/triggers/0/notification/schema"
DEFS = "/passthrough/swagger/definitions"


def table(rows: list[Any], *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(getattr(row, name) for name in fields) for row in rows]


# --- Pushcut: a real connector whose body and notification are $refs ---------------------------


def test_pushcut_body_rows_live_in_the_subscription_definition() -> None:
    imported = pushcut()
    # What the import told the maker: the callback is /url of the body.
    assert any("callback URL at body /url" in note for note in imported.notes)
    rows = schema_rows(imported.design, 0, "body")
    assert table(rows, "pointer", "location", "required", "visibility", "callback") == [
        ("/actionName", f"{DEFS}/Subscription/properties/actionName", True, "important", False),
        ("/url", f"{DEFS}/Subscription/properties/url", True, "internal", True),
    ]
    assert {row.definition for row in rows} == {"Subscription"}
    assert rows[0].title == "Action Name" and rows[1].description == "url"
    assert all(row.parent_location == f"{DEFS}/Subscription" for row in rows)


def test_pushcut_callback_candidate_is_the_flagged_definition_property() -> None:
    design = pushcut().design
    candidates = {c.pointer: c for c in callback_candidates(design, 0)}
    pointer = design["triggers"][0]["request"]["callbackPointer"]
    assert pointer == "/url" and set(candidates) == {"/actionName", "/url"}
    location = candidates[pointer].location
    node = design["passthrough"]["swagger"]["definitions"]["Subscription"]["properties"]["url"]
    assert location == f"{DEFS}/Subscription/properties/url"
    assert node["x-ms-notification-url"] is True
    assert candidates[pointer].definition == "Subscription"


def test_pushcut_notification_lists_the_event_data_properties() -> None:
    rows = schema_rows(pushcut().design, 0, "notification")
    assert table(rows, "pointer", "type", "title", "visibility", "definition") == [
        ("/id", "string", None, "internal", "EventData"),
        ("/actionName", "string", "Action Name", "none", "EventData"),
        ("/input", "string", "Action Input", "important", "EventData"),
        ("/timestamp", "number", "Action Timestamp", "advanced", "EventData"),
    ]
    assert rows[0].location == f"{DEFS}/EventData/properties/id"
    assert rows[3].description == "Timestamp of the event"


# --- inline schemas: a GitHub-style registration, nested arrays of objects ---------------------


def test_github_registration_body_rows() -> None:
    rows = schema_rows(github(), 0, "body")
    assert table(rows, "pointer", "name", "depth", "type", "required", "location") == [
        ("/name", "name", 0, "string", False, f"{BODY}/properties/name"),
        ("/active", "active", 0, "boolean", False, f"{BODY}/properties/active"),
        ("/events", "events", 0, "array", False, f"{BODY}/properties/events"),
        ("/config", "config", 0, "object", True, f"{BODY}/properties/config"),
        ("/config/url", "url", 1, "string", True, f"{BODY}/properties/config/properties/url"),
        (
            "/config/content_type",
            "content_type",
            1,
            "string",
            False,
            f"{BODY}/properties/config/properties/content_type",
        ),
    ]
    by_pointer = {row.pointer: row for row in rows}
    assert by_pointer["/events"].items_type == "string"
    assert by_pointer["/config/url"].callback and by_pointer["/config/url"].visibility == "internal"
    assert by_pointer["/config/url"].format == "uri" and by_pointer["/name"].title == "Name"
    assert {row.definition for row in rows} == {None} and {row.shared_with for row in rows} == {()}
    assert by_pointer["/config/url"].parent_location == f"{BODY}/properties/config"


def test_github_callback_candidates_are_the_strings_outside_arrays() -> None:
    candidates = callback_candidates(github(), 0)
    assert table(candidates, "pointer", "name", "depth") == [
        ("/name", "name", 0),
        ("/config/url", "url", 1),
        ("/config/content_type", "content_type", 1),
    ]
    assert candidates[1].location == f"{BODY}/properties/config/properties/url"


def test_nested_arrays_of_objects_use_item_zero_in_their_pointers() -> None:
    rows = schema_rows(github(), 0, "notification")
    items = f"{NOTE}/properties/orders/items"
    assert table(rows, "pointer", "depth", "type", "in_array", "location") == [
        ("/orders", 0, "array", False, f"{NOTE}/properties/orders"),
        ("/orders/0/id", 1, "integer", True, f"{items}/properties/id"),
        ("/orders/0/lines", 1, "array", True, f"{items}/properties/lines"),
        (
            "/orders/0/lines/0/sku",
            2,
            "string",
            True,
            f"{items}/properties/lines/items/properties/sku",
        ),
        (
            "/orders/0/lines/0/qty",
            2,
            "integer",
            True,
            f"{items}/properties/lines/items/properties/qty",
        ),
    ]
    assert rows[0].items_type == "object" and rows[2].parent_location == items


def test_a_batch_notification_lists_the_properties_of_its_items() -> None:
    design = github()
    design["triggers"][0]["notification"]["schema"] = {
        "type": "array",
        "items": {"type": "object", "properties": {"id": {"type": "string"}}},
    }
    assert table(schema_rows(design, 0, "notification"), "pointer", "location") == [
        ("/0/id", f"{NOTE}/items/properties/id")
    ]


def test_a_body_from_a_shared_parameter_is_listed_where_it_lives() -> None:
    design = with_definitions({"Hook": ADDRESS}, {"type": "object"})
    design["passthrough"]["swagger"]["parameters"] = {
        "HookBody": {"name": "body", "in": "body", "schema": ref("Hook")}
    }
    design["triggers"][0]["request"]["body"] = {"ref": "#/parameters/HookBody"}
    rows = schema_rows(design, 0, "body")
    assert table(rows, "pointer", "location", "required", "definition") == [
        ("/street", f"{DEFS}/Hook/properties/street", False, "Hook"),
        ("/city", f"{DEFS}/Hook/properties/city", True, "Hook"),
    ]
    design["passthrough"]["swagger"]["parameters"]["HookBody"]["schema"] = {
        "type": "object",
        "properties": {"target": {"type": "string"}},
    }
    (row,) = schema_rows(design, 0, "body")
    assert row.location == "/passthrough/swagger/parameters/HookBody/schema/properties/target"
    assert row.definition is None


def test_allof_members_and_properties_that_are_refs() -> None:
    notification = {
        "allOf": [ref("Address"), {"type": "object", "properties": {"zip": {"type": "string"}}}],
        "properties": {"home": ref("Address")},
    }
    rows = schema_rows(with_definitions({"Address": ADDRESS}, notification), 0, "notification")
    assert table(rows, "pointer", "location", "ref") == [
        ("/home", f"{DEFS}/Address", "#/definitions/Address"),
        ("/home/street", f"{DEFS}/Address/properties/street", None),
        ("/home/city", f"{DEFS}/Address/properties/city", None),
        ("/street", f"{DEFS}/Address/properties/street", None),
        ("/city", f"{DEFS}/Address/properties/city", None),
        ("/zip", f"{NOTE}/allOf/1/properties/zip", None),
    ]


# --- cycles, depth and broken refs --------------------------------------------------------------


def test_a_self_referencing_definition_stops_at_its_recursive_rows() -> None:
    rows = schema_rows(with_definitions({"Node": NODE}, ref("Node")), 0, "notification")
    assert table(rows, "pointer", "type", "recursive", "location") == [
        ("/name", "string", False, f"{DEFS}/Node/properties/name"),
        ("/children", "array", True, f"{DEFS}/Node/properties/children"),
        ("/parent", "object", True, f"{DEFS}/Node"),
    ]


def test_a_cycle_below_the_root_is_listed_once_round() -> None:
    definitions = {"Node": NODE}
    rows = schema_rows(
        with_definitions(definitions, {"properties": {"root": ref("Node")}}), 0, "notification"
    )
    assert [(row.pointer, row.recursive) for row in rows] == [
        ("/root", False),
        ("/root/name", False),
        ("/root/children", True),
        ("/root/parent", True),
    ]


@pytest.mark.parametrize(
    ("definitions", "status"),
    [
        ({"A": ref("B"), "B": ref("A")}, "loop"),  # refs that only point at each other
        ({}, "broken"),  # a ref to nothing
    ],
)
def test_refs_that_lead_nowhere_give_a_leaf(definitions: dict[str, Any], status: str) -> None:
    notification = {"type": "object", "properties": {"odd": ref("A")}}
    (row,) = schema_rows(with_definitions(definitions, notification), 0, "notification")
    assert (row.pointer, row.type, row.ref, row.recursive) == (
        "/odd",
        None,
        "#/definitions/A",
        status == "loop",
    )
    assert row.location == f"{NOTE}/properties/odd"


def test_absurd_depth_stops_without_a_recursion_error() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(5000):
        schema = {"type": "object", "properties": {"a": schema}}
    design = github()
    design["triggers"][0]["notification"]["schema"] = schema
    rows = schema_rows(design, 0, "notification")
    assert len(rows) == MAX_DEPTH + 1
    assert rows[-1].recursive and not any(row.recursive for row in rows[:-1])
    assert rows[-1].pointer == "/a" * (MAX_DEPTH + 1)


def test_deeply_nested_arrays_stop_too() -> None:
    schema: dict[str, Any] = {"type": "object", "properties": {"x": {"type": "string"}}}
    for _ in range(5000):
        schema = {"type": "array", "items": schema}
    design = github()
    design["triggers"][0]["notification"]["schema"] = {
        "type": "object",
        "properties": {"deep": schema},
    }
    (row,) = schema_rows(design, 0, "notification")
    assert (row.pointer, row.type, row.recursive) == ("/deep", "array", True)


# --- shared definitions -------------------------------------------------------------------------


def test_a_definition_shared_with_another_operation_says_so() -> None:
    design = with_definitions({"Address": ADDRESS}, ref("Address"), paths=customer_operation())
    rows = schema_rows(design, 0, "notification")
    assert {row.shared_with for row in rows} == {("operation GetCustomer (GET /customers/{id})",)}
    assert {row.definition for row in rows} == {"Address"}


def test_shared_with_names_every_other_user_direct_or_not() -> None:
    definitions = {
        "Address": ADDRESS,
        "Customer": {"type": "object", "properties": {"home": ref("Address")}},
    }
    body = {"type": "object", "properties": {"shipTo": ref("Address")}}
    design = with_definitions(definitions, ref("Customer"), body=body)
    notification = {row.pointer: row for row in schema_rows(design, 0, "notification")}
    # Editing Address changes the body of this same trigger and the Customer definition.
    assert notification["/home/city"].shared_with == (
        "trigger OnNodeChanges (request)",
        "definition Customer",
    )
    assert notification["/home"].definition == "Address"
    body_rows = {row.pointer: row for row in schema_rows(design, 0, "body")}
    assert body_rows["/shipTo/city"].shared_with == (
        "trigger OnNodeChanges (notification)",
        "definition Customer",
    )


def test_refs_in_example_payloads_are_not_uses() -> None:
    paths = customer_operation()
    operation = paths["/customers/{id}"]["get"]
    operation["responses"]["200"]["schema"] = {"type": "object", "example": ref("Address")}
    design = with_definitions({"Address": ADDRESS}, ref("Address"), paths=paths)
    assert {row.shared_with for row in schema_rows(design, 0, "notification")} == {()}


# --- what has no rows, and what is refused ------------------------------------------------------


def test_a_polling_trigger_has_no_body_or_notification_rows() -> None:
    from connectors.domain.authoring.triggers import new_polling_trigger

    design = new_design("Items")
    design["triggers"] = [new_polling_trigger(summary="When x", path="/x", state_parameter="s")]
    assert schema_rows(design, 0, "body") == schema_rows(design, 0, "notification") == []


@pytest.mark.parametrize(
    ("index", "root", "field"), [(0, "response", "root"), (3, "body", "index")]
)
def test_a_bad_root_or_index_is_an_error_naming_it(index: int, root: str, field: str) -> None:
    with pytest.raises(SchemaEditError) as caught:
        schema_rows(github(), index, root)
    assert caught.value.field == field
