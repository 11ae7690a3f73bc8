"""schema_edit: the schema editor's edits land where the property lives, keep the callback URL
what the platform needs, refuse bad values at their field, and leave a design that validates
and exports to a swagger Microsoft's schema accepts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from connectors.domain.design import validate_design
from connectors.domain.documents import lookup_pointer
from connectors.domain.lint import lint_design
from connectors.domain.schema.callback import schema_set_callback
from connectors.domain.schema.edit import (
    SchemaEdit,
    schema_add_property,
    schema_apply,
    schema_remove_property,
)
from connectors.domain.schema.tree import SchemaEditError, schema_rows
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.domain.schema.schema_designs import github, pushcut
from tests.connectors.domain.swagger.exporting.test_definition import schema_errors

BODY = "/triggers/0/request/body/schema"
NOTE = "/triggers/0/notification/schema"
DEFS = "/passthrough/swagger/definitions"


def at(design: dict[str, Any], location: str) -> Any:
    found, node = lookup_pointer(design, location)
    assert found, location
    return node


def exported(design: dict[str, Any]) -> dict[str, Any]:
    """The export of ``design``, checked: it validates and fits Microsoft's schema."""
    swagger = export_swagger(validate_design(design))
    assert schema_errors("apiDefinition.swagger.schema.json", swagger) == []
    return swagger


# --- each field, written at the row's location -------------------------------------------------


@pytest.mark.parametrize(
    ("root", "edit", "location", "expected"),
    [
        (
            "body",
            SchemaEdit("/name", title="Hook name"),
            f"{BODY}/properties/name",
            {"x-ms-summary": "Hook name"},
        ),
        ("body", SchemaEdit("/name", title=""), f"{BODY}/properties/name", {"x-ms-summary": None}),
        (
            "body",
            SchemaEdit("/name", description="  Use web.  "),
            f"{BODY}/properties/name",
            {"description": "Use web."},
        ),
        (
            "body",
            SchemaEdit("/name", type="integer"),
            f"{BODY}/properties/name",
            {"type": "integer"},
        ),
        (
            "body",
            SchemaEdit("/name", type="array"),
            f"{BODY}/properties/name",
            {"type": "array", "items": {"type": "string"}},
        ),
        (
            "body",
            SchemaEdit("/events", type="string"),
            f"{BODY}/properties/events",
            {"type": "string", "items": None},
        ),
        (
            "body",
            SchemaEdit("/name", format="password"),
            f"{BODY}/properties/name",
            {"format": "password"},
        ),
        (
            "body",
            SchemaEdit("/config/url", format=""),
            f"{BODY}/properties/config/properties/url",
            {"format": None},
        ),
        (
            "body",
            SchemaEdit("/active", visibility="advanced"),
            f"{BODY}/properties/active",
            {"x-ms-visibility": "advanced"},
        ),
        (
            "body",
            SchemaEdit("/active", visibility="none"),
            f"{BODY}/properties/active",
            {"x-ms-visibility": None},
        ),
        (
            "body",
            SchemaEdit("/active", default="true"),
            f"{BODY}/properties/active",
            {"default": True},
        ),
        (
            "body",
            SchemaEdit("/active", default=False),
            f"{BODY}/properties/active",
            {"default": False},
        ),
        (
            "body",
            SchemaEdit("/events", default='["push"]'),
            f"{BODY}/properties/events",
            {"default": ["push"]},
        ),
        (
            "body",
            SchemaEdit("/events", default=["push", "issues"]),
            f"{BODY}/properties/events",
            {"default": ["push", "issues"]},
        ),
        ("body", SchemaEdit("/name", default="web"), f"{BODY}/properties/name", {"default": "web"}),
        ("body", SchemaEdit("/name", default="50"), f"{BODY}/properties/name", {"default": "50"}),
        (
            "notification",
            SchemaEdit("/orders/0/id", default="50", format="int64"),
            f"{NOTE}/properties/orders/items/properties/id",
            {"default": 50, "format": "int64"},
        ),
        (
            "notification",
            SchemaEdit("/orders/0/lines/0/sku", title="SKU", visibility="important"),
            f"{NOTE}/properties/orders/items/properties/lines/items/properties/sku",
            {"x-ms-summary": "SKU", "x-ms-visibility": "important"},
        ),
    ],
)
def test_an_edit_writes_its_fields_at_the_rows_location(
    root: str, edit: SchemaEdit, location: str, expected: dict[str, Any]
) -> None:
    design = github()
    schema_apply(design, 0, root, [edit])
    node = at(design, location)
    assert {key: node.get(key) for key in expected} == expected
    exported(design)


@pytest.mark.parametrize(
    ("pointer", "required", "parent", "listed"),
    [
        ("/name", True, BODY, ["name", "config"]),  # in the order of the properties
        ("/config/content_type", True, f"{BODY}/properties/config", ["url", "content_type"]),
        (
            "/orders/0/lines/0/qty",
            True,
            f"{NOTE}/properties/orders/items/properties/lines/items",
            ["qty"],
        ),
    ],
)
def test_required_is_written_in_the_parents_list(
    pointer: str, required: bool, parent: str, listed: list[str]
) -> None:
    design = github()
    root = "notification" if pointer.startswith("/orders") else "body"
    schema_apply(design, 0, root, [SchemaEdit(pointer, required=required)])
    assert at(design, parent)["required"] == listed
    assert {r.pointer: r.required for r in schema_rows(design, 0, root)}[pointer] is required
    schema_apply(design, 0, root, [SchemaEdit(pointer, required=False)])
    assert pointer.rsplit("/", 1)[1] not in at(design, parent).get("required", [])
    exported(design)


def test_a_type_change_drops_a_format_and_default_of_the_old_type() -> None:
    design = github()
    schema_apply(design, 0, "body", [SchemaEdit("/name", format="password", default="web")])
    schema_apply(design, 0, "body", [SchemaEdit("/name", type="integer")])
    assert at(design, f"{BODY}/properties/name") == {"type": "integer", "x-ms-summary": "Name"}


def test_edits_of_a_ref_property_change_the_definition_in_passthrough() -> None:
    design = pushcut().design
    schema_apply(
        design,
        0,
        "body",
        [
            SchemaEdit("/url", title="Callback URL", description="Filled in by the platform."),
            SchemaEdit("/actionName", visibility="advanced", default="run"),
        ],
    )
    schema_apply(
        design, 0, "notification", [SchemaEdit("/timestamp", type="integer", format="int64")]
    )
    definitions = export_swagger(validate_design(design))["definitions"]
    url = definitions["Subscription"]["properties"]["url"]
    assert (url["x-ms-summary"], url["description"]) == (
        "Callback URL",
        "Filled in by the platform.",
    )
    action = definitions["Subscription"]["properties"]["actionName"]
    assert (action["x-ms-visibility"], action["default"]) == ("advanced", "run")
    timestamp = definitions["EventData"]["properties"]["timestamp"]
    assert (timestamp["type"], timestamp["format"]) == ("integer", "int64")
    assert design["triggers"][0]["request"]["body"]["schema"] == {
        "$ref": "#/definitions/Subscription"
    }


def test_pushcut_still_fits_microsofts_schema_as_well_as_before_after_edits() -> None:
    design = pushcut().design
    before = schema_errors("apiDefinition.swagger.schema.json", export_swagger(design))
    schema_apply(design, 0, "notification", [SchemaEdit("/id", required=True, title="ID")])
    schema_add_property(design, 0, "notification", "", "device", "string")
    after = schema_errors(
        "apiDefinition.swagger.schema.json", export_swagger(validate_design(design))
    )
    assert after == before


# --- add and remove -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "parent", "name", "kind", "pointer", "location"),
    [
        ("body", "", "secret", "string", "/secret", f"{BODY}/properties/secret"),
        (
            "body",
            "/config",
            "insecure_ssl",
            "boolean",
            "/config/insecure_ssl",
            f"{BODY}/properties/config/properties/insecure_ssl",
        ),
        (
            "notification",
            "/orders",
            "total",
            "number",
            "/orders/0/total",
            f"{NOTE}/properties/orders/items/properties/total",
        ),
        (
            "notification",
            "/orders/0/lines",
            "tags",
            "array",
            "/orders/0/lines/0/tags",
            f"{NOTE}/properties/orders/items/properties/lines/items/properties/tags",
        ),
        ("notification", "", "meta", "object", "/meta", f"{NOTE}/properties/meta"),
    ],
)
def test_add_a_property(
    root: str, parent: str, name: str, kind: str, pointer: str, location: str
) -> None:
    design = github()
    row = schema_add_property(design, 0, root, parent, name, kind)
    assert (row.pointer, row.location, row.type, row.required) == (pointer, location, kind, False)
    assert row.title == at(design, location)["x-ms-summary"]
    assert pointer in [r.pointer for r in schema_rows(design, 0, root)]
    exported(design)


def test_add_a_property_to_a_definition() -> None:
    design = pushcut().design
    row = schema_add_property(design, 0, "notification", "", "device", "string")
    assert (row.location, row.definition) == (f"{DEFS}/EventData/properties/device", "EventData")


@pytest.mark.parametrize(
    ("root", "pointer", "parent", "gone"),
    [
        ("body", "/events", BODY, "events"),
        ("body", "/config/content_type", f"{BODY}/properties/config", "content_type"),
        (
            "notification",
            "/orders/0/lines/0/sku",
            f"{NOTE}/properties/orders/items/properties/lines/items",
            "sku",
        ),
    ],
)
def test_remove_a_property(root: str, pointer: str, parent: str, gone: str) -> None:
    design = github()
    schema_apply(design, 0, root, [SchemaEdit(pointer, required=True)])
    schema_remove_property(design, 0, root, pointer)
    assert gone not in at(design, parent).get("properties", {})
    assert gone not in at(design, parent).get("required", [])
    assert pointer not in [r.pointer for r in schema_rows(design, 0, root)]
    exported(design)


def test_removing_the_last_property_leaves_an_object() -> None:
    design = github()
    schema_remove_property(design, 0, "notification", "/orders")
    assert at(design, NOTE) == {"type": "object"}
    exported(design)


# --- errors: one type, naming the field and the pointer -----------------------------------------


def apply(root: str, edit: SchemaEdit) -> Callable[[dict[str, Any]], Any]:
    return lambda design: schema_apply(design, 0, root, [edit])


@pytest.mark.parametrize(
    ("action", "field", "pointer", "words"),
    [
        (apply("body", SchemaEdit("/nope", title="x")), "pointer", "/nope", "no property"),
        (apply("body", SchemaEdit("/name", type="text")), "type", "/name", "Choose a type"),
        (apply("body", SchemaEdit("/config", type="string")), "type", "/config", "Remove what"),
        (
            apply("body", SchemaEdit("/config/url", type="integer")),
            "type",
            "/config/url",
            "callback",
        ),
        (
            apply("body", SchemaEdit("/active", format="int32")),
            "format",
            "/active",
            "boolean has no format",
        ),
        (
            apply("body", SchemaEdit("/events", format="csv")),
            "format",
            "/events",
            "array has no format",
        ),
        (
            apply("notification", SchemaEdit("/orders/0/id", format="date")),
            "format",
            "/orders/0/id",
            "int32, int64",
        ),
        (
            apply("body", SchemaEdit("/name", format="no spaces")),
            "format",
            "/name",
            "format is a name",
        ),
        (
            apply("body", SchemaEdit("/name", visibility="hidden")),
            "visibility",
            "/name",
            "none, advanced",
        ),
        (
            apply("body", SchemaEdit("/config/url", visibility="important")),
            "visibility",
            "/config/url",
            "internal",
        ),
        (
            apply("body", SchemaEdit("/config/url", visibility="")),
            "visibility",
            "/config/url",
            "internal",
        ),
        (
            apply("body", SchemaEdit("/config/url", required=False)),
            "required",
            "/config/url",
            "callback",
        ),
        (apply("body", SchemaEdit("/config", required=False)), "required", "/config", "callback"),
        (
            apply("notification", SchemaEdit("/orders/0/id", default="ten")),
            "default",
            "/orders/0/id",
            "whole number",
        ),
        (
            apply("notification", SchemaEdit("/orders/0/id", default="2.5")),
            "default",
            "/orders/0/id",
            "whole number",
        ),
        (
            apply("notification", SchemaEdit("/orders/0/id", default="true")),
            "default",
            "/orders/0/id",
            "whole number",
        ),
        (
            apply("body", SchemaEdit("/active", default="yes")),
            "default",
            "/active",
            "true or false",
        ),
        (apply("body", SchemaEdit("/events", default="push")), "default", "/events", "JSON list"),
        (apply("body", SchemaEdit("/events", default="[1]")), "default", "/events", "string value"),
        (apply("body", SchemaEdit("/config", default="[]")), "default", "/config", "JSON object"),
        (
            apply("body", SchemaEdit("/active", default="NaN")),
            "default",
            "/active",
            "true or false",
        ),
        (
            apply("body", SchemaEdit("/name", format="date-time", default="yesterday")),
            "default",
            "/name",
            "date-time value",
        ),
        (
            lambda d: schema_remove_property(d, 0, "body", "/config/url"),
            "pointer",
            "/config/url",
            "callback URL",
        ),
        (
            lambda d: schema_remove_property(d, 0, "body", "/config"),
            "pointer",
            "/config",
            "callback URL",
        ),
        (
            lambda d: schema_remove_property(d, 0, "body", "/nope"),
            "pointer",
            "/nope",
            "no property",
        ),
        (
            lambda d: schema_add_property(d, 0, "body", "/config", "url", "string"),
            "name",
            "/config",
            "already",
        ),
        (lambda d: schema_add_property(d, 0, "body", "", "  ", "string"), "name", "", "name"),
        (
            lambda d: schema_add_property(d, 0, "body", "/name", "x", "string"),
            "parent",
            "/name",
            "string has no properties",
        ),
        (
            lambda d: schema_add_property(d, 0, "body", "/events", "x", "string"),
            "parent",
            "/events",
            "string has no properties",
        ),
        (
            lambda d: schema_add_property(d, 0, "body", "/nope", "x", "string"),
            "parent",
            "/nope",
            "no property",
        ),
        (lambda d: schema_add_property(d, 0, "body", "", "x", "date"), "type", "", "Choose a type"),
        (
            lambda d: schema_add_property(d, 0, "sample", "", "x", "string"),
            "root",
            "",
            "body or notification",
        ),
        (
            lambda d: schema_add_property(d, 7, "body", "", "x", "string"),
            "index",
            "",
            "no trigger 7",
        ),
    ],
)
def test_a_bad_edit_is_refused_at_its_field_and_changes_nothing(
    action: Callable[[dict[str, Any]], Any], field: str, pointer: str, words: str
) -> None:
    design = github()
    before = copy.deepcopy(design)
    with pytest.raises(SchemaEditError) as caught:
        action(design)
    assert (caught.value.field, caught.value.pointer) == (field, pointer)
    assert words in str(caught.value)
    assert design == before


def test_one_bad_edit_of_several_writes_none_of_them() -> None:
    design = github()
    before = copy.deepcopy(design)
    edits = [SchemaEdit("/name", title="Hook name"), SchemaEdit("/active", default="maybe")]
    with pytest.raises(SchemaEditError) as caught:
        schema_apply(design, 0, "body", edits)
    assert (caught.value.field, caught.value.pointer) == ("default", "/active")
    assert design == before


def test_the_callback_url_of_a_definition_keeps_its_contract_too() -> None:
    design = pushcut().design
    with pytest.raises(SchemaEditError) as caught:
        schema_remove_property(design, 0, "body", "/url")
    assert caught.value.field == "pointer" and "callback URL" in caught.value.message
    with pytest.raises(SchemaEditError):
        schema_apply(design, 0, "body", [SchemaEdit("/url", required=False)])


def test_a_polling_trigger_has_no_body_to_add_to() -> None:
    from connectors.domain.authoring.triggers import new_polling_trigger

    design = github()
    design["triggers"].append(new_polling_trigger(summary="When x", path="/x", state_parameter="s"))
    with pytest.raises(SchemaEditError) as caught:
        schema_add_property(design, 1, "body", "", "x", "string")
    assert caught.value.field == "root" and "no request body" in caught.value.message


def test_a_property_whose_ref_points_nowhere_cannot_be_edited_or_added_to() -> None:
    design = github()
    design["triggers"][0]["notification"]["schema"] = {
        "type": "object",
        "properties": {"odd": {"$ref": "#/definitions/Missing"}},
    }
    with pytest.raises(SchemaEditError) as caught:
        schema_apply(design, 0, "notification", [SchemaEdit("/odd", title="Odd")])
    assert (caught.value.field, "points to nothing" in caught.value.message) == ("pointer", True)
    with pytest.raises(SchemaEditError) as added:
        schema_add_property(design, 0, "notification", "/odd", "x", "string")
    assert added.value.field == "parent"


# --- the callback URL property, chosen through refs too ----------------------------------------


def callback_findings(design: dict[str, Any]) -> list[str]:
    return [f.rule for f in lint_design(design) if "NotificationUrl" in f.rule]


def test_choose_a_callback_property_that_lives_in_a_definition() -> None:
    design = pushcut().design
    schema_set_callback(design, 0, "/actionName")
    subscription = design["passthrough"]["swagger"]["definitions"]["Subscription"]
    chosen, old = subscription["properties"]["actionName"], subscription["properties"]["url"]
    assert (chosen["x-ms-notification-url"], chosen["x-ms-visibility"], chosen["type"]) == (
        True,
        "internal",
        "string",
    )
    assert "x-ms-notification-url" not in old and "x-ms-visibility" not in old
    assert design["triggers"][0]["request"]["callbackPointer"] == "/actionName"
    assert callback_findings(design) == []
    exported(design)


def test_choose_a_callback_property_below_a_ref_requires_the_whole_chain() -> None:
    design = github()
    design["triggers"][0]["request"]["body"]["schema"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "config": {"$ref": "#/definitions/Config"}},
    }
    design["triggers"][0]["request"]["callbackPointer"] = None
    design["passthrough"]["swagger"]["definitions"] = {
        "Config": {"type": "object", "properties": {"url": {"type": "string"}}}
    }
    assert callback_findings(design) == ["WebhookOperationsMissingNotificationUrlProperty"]
    schema_set_callback(design, 0, "/config/url")
    assert design["triggers"][0]["request"]["body"]["schema"]["required"] == ["config"]
    config = design["passthrough"]["swagger"]["definitions"]["Config"]
    assert config["required"] == ["url"]
    assert config["properties"]["url"]["x-ms-notification-url"] is True
    assert callback_findings(design) == []
    assert {r.pointer: r.callback for r in schema_rows(design, 0, "body")}["/config/url"]
    exported(design)


def test_choose_another_inline_callback_property() -> None:
    design = github()
    schema_set_callback(design, 0, "/name")
    schema = design["triggers"][0]["request"]["body"]["schema"]
    assert schema["properties"]["name"]["x-ms-notification-url"] is True
    assert "x-ms-notification-url" not in schema["properties"]["config"]["properties"]["url"]
    assert "name" in schema["required"]
    assert callback_findings(design) == []
    exported(design)


@pytest.mark.parametrize("pointer", ["/active", "/events", "/config", "/nope", ""])
def test_a_callback_must_be_a_text_property_outside_lists(pointer: str) -> None:
    design = github()
    before = copy.deepcopy(design)
    with pytest.raises(SchemaEditError) as caught:
        schema_set_callback(design, 0, pointer)
    assert (caught.value.field, caught.value.pointer) == ("pointer", pointer)
    assert design == before


# --- a body property's test value (x-ms-test-value) ---------------------------------------------


@pytest.mark.parametrize(
    ("edit", "location", "value"),
    [
        (SchemaEdit("/name", test_value="web"), f"{BODY}/properties/name", "web"),
        (SchemaEdit("/active", test_value="true"), f"{BODY}/properties/active", True),
        (SchemaEdit("/events", test_value='["push"]'), f"{BODY}/properties/events", ["push"]),
        (
            SchemaEdit("/config/content_type", test_value="json"),
            f"{BODY}/properties/config/properties/content_type",
            "json",
        ),
    ],
)
def test_a_test_value_is_written_typed_and_exported(
    edit: SchemaEdit, location: str, value: Any
) -> None:
    design = github()
    schema_apply(design, 0, "body", [edit])
    assert at(design, location)["x-ms-test-value"] == value
    assert schema_rows(design, 0, "body")[0].test_value == at(
        design, f"{BODY}/properties/name"
    ).get("x-ms-test-value")
    exported(design)
    schema_apply(design, 0, "body", [SchemaEdit(edit.pointer, test_value="")])
    assert "x-ms-test-value" not in at(design, location)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (SchemaEdit("/config/url", test_value="https://x.test/"), "fills in the callback URL"),
        (SchemaEdit("/name", format="password", test_value="s3cret"), "A secret takes no test"),
        (SchemaEdit("/active", test_value="maybe"), "true or false"),
    ],
)
def test_a_test_value_is_refused_on_the_callback_a_secret_or_a_wrong_type(
    edit: SchemaEdit, words: str
) -> None:
    design = github()
    before = copy.deepcopy(design)
    with pytest.raises(SchemaEditError) as caught:
        schema_apply(design, 0, "body", [edit])
    assert (caught.value.field, caught.value.pointer) == ("test_value", edit.pointer)
    assert words in str(caught.value)
    assert design == before
