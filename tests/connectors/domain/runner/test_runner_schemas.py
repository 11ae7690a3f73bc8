"""The notification schema's violations, said precisely: which property and why, bounded."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.domain.runner.schemas import (
    SHOWN_PROBLEMS,
    json_type,
    mismatch_message,
    schema_errors,
)

ORDER: dict[str, Any] = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": ["new", "paid"]},
        "total": {"type": "number"},
        "customer": {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": "string"}, "a/b": {"type": "boolean"}},
        },
        "lines": {
            "type": "array",
            "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
        },
    },
}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"id": 1, "status": "new"}, []),
        ({"id": "7", "status": "new"}, [("/id", 'expected integer, got string "7"')]),
        ({"id": True, "status": "new"}, [("/id", "expected integer, got boolean true")]),
        ({"id": None, "status": "new"}, [("/id", "expected integer, got null")]),
        ({"id": 1, "status": "new", "total": [1]}, [("/total", "expected number, got array")]),
        ({"status": "new"}, [("/id", 'required property "id" missing')]),
        (
            {},
            [
                ("/id", 'required property "id" missing'),
                ("/status", 'required property "status" missing'),
            ],
        ),
        (
            {"id": 1, "status": "gone"},
            [("/status", '"gone" is not one of the enum values "new", "paid"')],
        ),
        (
            {"id": 1, "status": "new", "customer": {}},
            [("/customer/email", 'required property "email" missing')],
        ),
        (
            {"id": 1, "status": "new", "customer": {"email": "a@b.c", "a/b": "yes"}},
            [("/customer/a~1b", 'expected boolean, got string "yes"')],
        ),
        (
            {"id": 1, "status": "new", "lines": [{"sku": "a"}, {"sku": 5}]},
            [("/lines/1/sku", "expected string, got integer 5")],
        ),
        ([], [("", "expected object, got array")]),
    ],
)
def test_each_violation_names_the_property_and_why(payload: Any, expected: list) -> None:
    assert schema_errors(ORDER, payload) == expected


def test_a_long_value_is_shortened_in_the_message() -> None:
    ((where, message),) = schema_errors(ORDER, {"id": "x" * 500, "status": "new"})
    assert where == "/id"
    assert message.startswith('expected integer, got string "xxx') and message.endswith("…")
    assert len(message) < 80


def test_a_type_list_and_additional_properties_are_named() -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"note": {"type": ["string", "null"]}},
    }
    assert schema_errors(schema, {"note": 3, "extra": 1}) == [
        ("/extra", 'property "extra" not allowed by the schema'),
        ("/note", "expected string or null, got integer 3"),
    ]


def test_an_unusable_schema_is_one_problem_not_a_crash() -> None:
    broken = {"$ref": "#/definitions/Missing"}
    ((where, message),) = schema_errors(broken, {})
    assert where == "" and message.startswith("the schema cannot be used")


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (3, "integer"),
        (2.5, "number"),
        ("", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_json_type(value: Any, name: str) -> None:
    assert json_type(value) == name


@pytest.mark.parametrize(
    ("count", "ending"),
    [
        (1, "(/p0: why 0)."),
        (SHOWN_PROBLEMS, f"/p{SHOWN_PROBLEMS - 1}: why {SHOWN_PROBLEMS - 1})."),
        (SHOWN_PROBLEMS + 1, "; and 1 more problem)."),
        (SHOWN_PROBLEMS + 40, "; and 40 more problems)."),
    ],
)
def test_one_message_per_payload_names_the_first_few_problems(count: int, ending: str) -> None:
    problems = [(f"/p{n}", f"why {n}") for n in range(count)]
    message = mismatch_message("Notification 2", problems)
    assert message.startswith("Notification 2 does not fit the notification schema (/p0: why 0")
    assert message.endswith(ending)
    assert message.count("why") == min(count, SHOWN_PROBLEMS)


def test_the_root_is_written_as_a_slash() -> None:
    assert mismatch_message("Notification 1", [("", "expected object, got array")]) == (
        "Notification 1 does not fit the notification schema (/: expected object, got array)."
    )


def test_a_long_enum_is_cut_after_ten_values() -> None:
    schema = {"enum": [f"v{n}" for n in range(30)]}
    ((where, message),) = schema_errors(schema, "x")
    assert where == ""
    assert message.startswith('"x" is not one of the enum values "v0", "v1"')
    assert message.endswith('"v9", …') and '"v10"' not in message
