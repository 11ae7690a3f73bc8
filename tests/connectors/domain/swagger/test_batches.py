"""Batches (batch size, page-size parameter, external id): export, import of our own export,
the description paragraph, and the external id's check against the item schema."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.design import DesignError, validate_design
from connectors.domain.swagger.batches import (
    BatchFacts,
    describe,
    item_schema,
    pointer_problem,
    read_batches,
)
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.importing.connector import import_connector
from tests.connectors.domain.runner.runner_fakes import polling_design, webhook_design


def batched_polling() -> dict[str, Any]:
    design = polling_design()
    trigger = design["triggers"][0]
    trigger["request"]["parameters"].append(
        {"name": "top", "in": "query", "required": False, "type": "integer", "default": 25}
    )
    trigger["batchSize"] = 25
    trigger["externalId"] = "/id"
    trigger["polling"]["pageSizeParameter"] = "top"
    return design


def batched_webhook() -> dict[str, Any]:
    design = webhook_design()
    trigger = design["triggers"][0]
    trigger["cardinality"] = "batch"
    trigger["batchSize"] = 10
    trigger["externalId"] = "/orderId"
    return design


def operation(design: dict[str, Any]) -> dict[str, Any]:
    swagger = export_swagger(design)
    path = design["triggers"][0]["request"]["path"]
    method = design["triggers"][0]["request"]["method"]
    return swagger["paths"][path][method]  # type: ignore[no-any-return]


def test_polling_export_sets_the_page_size_default_and_says_the_rest() -> None:
    design = batched_polling()
    design["triggers"][0]["request"]["parameters"][-1].pop("default")
    op = operation(design)
    top = next(p for p in op["parameters"] if p.get("name") == "top")
    assert top["default"] == 25
    assert op["description"].endswith(
        "Each run receives at most 25 items (page size: query parameter top). "
        "Items are identified by /id."
    )


def test_webhook_export_is_a_batch_trigger() -> None:
    op = operation(batched_webhook())
    assert op["x-ms-trigger"] == "batch"
    assert op["description"].endswith(
        "Each run receives at most 10 items. Items are identified by /orderId."
    )


@pytest.mark.parametrize("build", [batched_polling, batched_webhook])
@pytest.mark.parametrize(
    "description", ["", "Runs when an order is created.", "Two\n\nparagraphs."]
)
def test_import_of_our_export_gives_back_the_same_design(build: Any, description: str) -> None:
    design = build()
    design["triggers"][0]["description"] = description
    again = import_connector(export_swagger(design), export_properties(design)).design
    assert again["triggers"][0]["description"] == description
    for key in ("batchSize", "externalId", "cardinality"):
        assert again["triggers"][0].get(key) == design["triggers"][0].get(key)
    polling = again["triggers"][0].get("polling") or {}
    assert polling.get("pageSizeParameter") == (design["triggers"][0].get("polling") or {}).get(
        "pageSizeParameter"
    )


def test_a_design_without_batches_imports_without_the_keys() -> None:
    again = import_connector(export_swagger(polling_design())).design
    assert "batchSize" not in again["triggers"][0]
    assert "externalId" not in again["triggers"][0]


@pytest.mark.parametrize(
    ("text", "rest", "facts"),
    [
        ("Plain words.", "Plain words.", BatchFacts()),
        ("A.\n\nEach run receives at most 1 item.", "A.", BatchFacts(size=1)),
        ("Items are identified by /a b/c.", "", BatchFacts(pointer="/a b/c")),
        # Only a last paragraph of its own counts: a sentence inside the text stays text.
        (
            "Note: Each run receives at most 5 items.",
            "Note: Each run receives at most 5 items.",
            BatchFacts(),
        ),
    ],
)
def test_read_batches(text: str, rest: str, facts: BatchFacts) -> None:
    assert read_batches(text) == (rest, facts)


def test_describe_without_batches_is_the_description() -> None:
    assert describe({"description": "Words."}) == "Words."


@pytest.mark.parametrize(
    ("trigger", "error"),
    [
        ({"batchSize": 0}, "/triggers/0/batchSize"),
        ({"batchSize": "ten"}, "/triggers/0/batchSize"),
        ({"externalId": "id"}, "/triggers/0/externalId"),
        ({"polling": {"pageSizeParameter": 3}}, "/triggers/0/polling/pageSizeParameter"),
    ],
)
def test_the_schema_refuses_bad_batches(trigger: dict[str, Any], error: str) -> None:
    design = batched_polling()
    for key, value in trigger.items():
        if isinstance(value, dict):
            design["triggers"][0][key].update(value)
        else:
            design["triggers"][0][key] = value
    with pytest.raises(DesignError) as raised:
        validate_design(design)
    assert [pointer for pointer, _ in raised.value.errors] == [error]


@pytest.mark.parametrize(
    ("pointer", "words"),
    [
        ("/id", ""),
        ("/name", ""),
        ("/nope", "has no property 'nope'"),
        ("id", "JSON pointer"),
        ("/", "JSON pointer"),
    ],
)
def test_the_external_id_points_into_the_polling_item(pointer: str, words: str) -> None:
    design = batched_polling()
    swagger = export_swagger(design)
    problem = pointer_problem(pointer, item_schema(design["triggers"][0], swagger), swagger)
    assert (words in problem) if words else problem == ""


def test_the_external_id_points_into_the_notification_item() -> None:
    design = batched_webhook()
    swagger = export_swagger(design)
    schema = item_schema(design["triggers"][0], swagger)
    assert pointer_problem("/orderId", schema, swagger) == ""
    assert "has no property 'id'" in pointer_problem("/id", schema, swagger)
