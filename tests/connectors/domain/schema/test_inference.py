"""Tests for connectors.domain.schema.inference: exact schemas, warnings, limits and a
property-style check that every sample validates against, and as Swagger 2.0 holds, its schema."""

from __future__ import annotations

import copy
import json
import random
import uuid
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker
from openapi_spec_validator import OpenAPIV2SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from connectors.domain.schema.inference import (
    MAX_PROPERTIES,
    MAX_SAMPLES,
    MAX_TEXT_BYTES,
    InferenceResult,
    SchemaInferenceError,
    infer_schema,
    parse_samples,
    title_case,
)

UUID = "123e4567-e89b-12d3-a456-426614174000"


def property_schema(sample_values: list[Any]) -> dict[str, Any]:
    """Infer from samples {"v": value} and return the schema of "v" without the annotations."""
    result = infer_schema([{"v": value} for value in sample_values])
    schema = dict(result.schema["properties"]["v"])
    del schema["x-ms-summary"]
    return schema


# --- formats and number types -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T10:20:30Z", {"type": "string", "format": "date-time"}),
        ("2024-05-01T10:20:30.123+02:00", {"type": "string", "format": "date-time"}),
        ("2024-05-01t10:20:30z", {"type": "string", "format": "date-time"}),
        ("2024-05-01T10:20:30", {"type": "string"}),  # no offset: not RFC 3339
        ("2024-13-01T10:20:30Z", {"type": "string"}),  # month 13
        ("2024-05-01", {"type": "string", "format": "date"}),
        ("2024-02-29", {"type": "string", "format": "date"}),
        ("2023-02-29", {"type": "string"}),  # not a leap year
        ("2024-5-1", {"type": "string"}),
        ("ada@example.com", {"type": "string", "format": "email"}),
        ("first.last+tag@mail.example.co.uk", {"type": "string", "format": "email"}),
        ("ada@localhost", {"type": "string"}),
        ("ada @example.com", {"type": "string"}),
        ("https://example.com/orders/1?x=y#top", {"type": "string", "format": "uri"}),
        ("ftp://files.example.com", {"type": "string", "format": "uri"}),
        ("https://", {"type": "string"}),
        ("https://exa mple.com", {"type": "string"}),
        ("example.com/path", {"type": "string"}),
        (UUID, {"type": "string", "format": "uuid"}),
        (UUID.upper(), {"type": "string", "format": "uuid"}),
        (UUID[:-1], {"type": "string"}),
        ("hello", {"type": "string"}),
        ("", {"type": "string"}),
        (True, {"type": "boolean"}),
        (1.5, {"type": "number", "format": "double"}),
        (0, {"type": "integer", "format": "int32"}),
    ],
)
def test_a_single_value_gets_its_type_and_format(value: Any, expected: dict[str, Any]) -> None:
    assert property_schema([value]) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-05-01", "2024-06-01"], {"type": "string", "format": "date"}),
        (["2024-05-01", "soon"], {"type": "string"}),
        (["2024-05-01", "2024-05-01T00:00:00Z"], {"type": "string"}),
        ([UUID, "ada@example.com"], {"type": "string"}),
        (["https://a.example", "https://b.example/x"], {"type": "string", "format": "uri"}),
    ],
)
def test_a_format_is_kept_only_when_every_value_has_it(
    values: list[Any], expected: dict[str, Any]
) -> None:
    assert property_schema(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([2**31 - 1], {"type": "integer", "format": "int32"}),
        ([-(2**31)], {"type": "integer", "format": "int32"}),
        ([2**31], {"type": "integer", "format": "int64"}),
        ([-(2**31) - 1], {"type": "integer", "format": "int64"}),
        ([1, 2**31], {"type": "integer", "format": "int64"}),
        ([2**63 - 1, -(2**63)], {"type": "integer", "format": "int64"}),
        ([2**63], {"type": "integer"}),
        ([1, 2.5], {"type": "number", "format": "double"}),
        ([2.5, 2**40], {"type": "number", "format": "double"}),
        ([1.0], {"type": "number", "format": "double"}),
    ],
)
def test_integer_formats_and_widening_to_number(
    values: list[Any], expected: dict[str, Any]
) -> None:
    assert property_schema(values) == expected


def test_integers_beyond_int64_are_left_without_format_and_warned() -> None:
    result = infer_schema([{"big": 2**64}])
    assert result.warnings == [
        "at /properties/big: integers beyond the 64-bit range seen; no format set"
    ]


# --- title case and descriptions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("order_key", "Order Key"),
        ("orderKey", "Order Key"),
        ("OrderKey", "Order Key"),
        ("order-id", "Order Id"),
        ("order key", "Order Key"),
        ("order.key", "Order Key"),
        ("ORDER_KEY", "Order Key"),
        ("USER_ID", "User Id"),
        ("ID", "ID"),
        ("id", "Id"),
        ("_id", "Id"),
        ("userID", "User ID"),
        ("userIDs", "User IDs"),
        ("HTTPStatus", "HTTP Status"),
        ("URLPath", "URL Path"),
        ("addressLine2", "Address Line2"),
        ("line2Total", "Line2 Total"),
        ("größe", "Größe"),
        ("créé_le", "Créé Le"),
        ("x", "X"),
        ("$", "$"),
        ("", ""),
    ],
)
def test_title_case(key: str, expected: str) -> None:
    assert title_case(key) == expected


@pytest.mark.parametrize(
    ("key", "summary"),
    [
        ("order_key", "Order Key"),
        ("userID", "User ID"),
        ("before", "Before"),
        ("forced", "Forced"),
        ("$", "$"),
    ],
)
def test_every_property_has_a_title_and_no_description_made_from_its_key(
    key: str, summary: str
) -> None:
    # "The before." says nothing the key does not: the maker writes the description.
    schema = infer_schema([{key: 1}, {key: 2}]).schema["properties"][key]
    assert schema["x-ms-summary"] == summary
    assert "description" not in schema


# --- merging samples --------------------------------------------------------------------------


def test_two_samples_merge_into_one_schema() -> None:
    first = {"order_id": 1, "note": None, "total": 10, "status": "open", "extra": {"a": 1}}
    second = {"order_id": 2, "note": "rush", "total": 10.5, "status": "shipped", "tags": ["x"]}
    result = infer_schema([first, second])
    assert result.schema == {
        "type": "object",
        "properties": {
            "order_id": {
                "type": "integer",
                "format": "int32",
                "x-ms-summary": "Order Id",
            },
            "note": {
                "type": "string",
                "x-ms-summary": "Note",
                "x-nullable": True,
            },
            "total": {
                "type": "number",
                "format": "double",
                "x-ms-summary": "Total",
            },
            "status": {"type": "string", "x-ms-summary": "Status"},
            "extra": {
                "type": "object",
                "x-ms-summary": "Extra",
                # "extra" was in one sample only: nothing says "a" is always there.
                "properties": {
                    "a": {
                        "type": "integer",
                        "format": "int32",
                        "x-ms-summary": "A",
                    }
                },
            },
            "tags": {
                "type": "array",
                "x-ms-summary": "Tags",
                "items": {"type": "string"},
            },
        },
        "required": ["order_id", "note", "total", "status"],
    }
    assert result.warnings == []


@pytest.mark.parametrize(
    ("values", "expected", "warnings"),
    [
        ([None, 3], {"type": "integer", "format": "int32", "x-nullable": True}, []),
        (
            [None],
            {"type": "string", "x-nullable": True},
            ["at /properties/v: only null values seen; type guessed as string"],
        ),
        (
            [None, None],
            {"type": "string", "x-nullable": True},
            ["at /properties/v: only null values seen; type guessed as string"],
        ),
        (
            [1, "one"],
            {"type": "string"},
            ["at /properties/v: values of types integer, string seen; typed as string"],
        ),
        (
            ["one", 1.5, None],
            {"type": "string", "x-nullable": True},
            ["at /properties/v: values of types string, number seen; typed as string"],
        ),
        (
            [True, 1],
            {"type": "string"},
            ["at /properties/v: values of types boolean, integer seen; typed as string"],
        ),
        (
            [{"a": 1}, [1]],
            {"type": "string"},
            ["at /properties/v: values of types object, array seen; typed as string"],
        ),
    ],
)
def test_types_widen_and_nulls_become_x_nullable(
    values: list[Any], expected: dict[str, Any], warnings: list[str]
) -> None:
    result = infer_schema([{"v": value} for value in values])
    assert result.schema["properties"]["v"] == {**expected, "x-ms-summary": "V"}
    assert result.warnings == warnings


@pytest.mark.parametrize(
    ("samples", "required"),
    [
        # One sample shows what a payload can hold, not what it must: nothing is required.
        ([{"before": "a", "after": "b"}], None),
        ([[{"id": 1}, {"id": 2}]], None),  # two items of one sample are still one sample
        ([{"a": 1, "b": 2}, {"a": 3}], ["a"]),
        ([{"a": 1}, {"b": 2}], None),
        ([[{"id": 1, "n": 1}], [{"id": 2}]], ["id"]),
    ],
)
def test_required_needs_two_samples_and_a_key_in_every_one(
    samples: list[Any], required: list[str] | None
) -> None:
    schema = infer_schema(samples).schema
    objects = schema["items"] if schema["type"] == "array" else schema
    assert objects.get("required") == required


def test_a_nested_object_seen_in_one_sample_marks_nothing_required() -> None:
    schema = infer_schema([{"user": {"name": "Ada"}}, {"user": None}]).schema
    assert schema["required"] == ["user"]
    assert "required" not in schema["properties"]["user"]


def test_required_is_the_intersection_in_first_seen_key_order() -> None:
    result = infer_schema([{"b": 1, "a": 1, "c": 1}, {"c": 1, "d": 1, "b": 1}, {"b": 1, "c": 1}])
    assert list(result.schema["properties"]) == ["b", "a", "c", "d"]
    assert result.schema["required"] == ["b", "c"]


def test_no_required_list_when_no_key_is_in_every_sample() -> None:
    assert "required" not in infer_schema([{"a": 1}, {"b": 2}]).schema


def test_schema_keys_come_in_the_house_order() -> None:
    result = infer_schema([{"p": {"q": [1]}}, {"p": None}, {"p": {"q": [2]}}])
    outer = result.schema["properties"]["p"]
    assert list(outer) == [
        "type",
        "x-ms-summary",
        "x-nullable",
        "properties",
        "required",
    ]
    assert list(outer["properties"]["q"]) == ["type", "x-ms-summary", "items"]
    assert list(outer["properties"]["q"]["items"]) == ["type", "format"]


def test_same_input_gives_byte_identical_output() -> None:
    samples = [{"z": [{"b": None, "a": "2024-01-01"}], "y": 1}, {"y": 2.0, "x": True}]
    first = json.dumps(infer_schema(samples).schema)
    assert json.dumps(infer_schema(copy.deepcopy(samples)).schema) == first


# --- arrays -----------------------------------------------------------------------------------


def test_only_empty_arrays_give_string_items_and_a_warning() -> None:
    result = infer_schema([{"tags": []}, {"tags": []}])
    assert result.schema["properties"]["tags"]["items"] == {"type": "string"}
    assert result.warnings == [
        "at /properties/tags/items: only empty arrays seen; type guessed as string"
    ]


def test_an_empty_array_next_to_a_filled_one_takes_the_filled_items() -> None:
    result = infer_schema([{"tags": []}, {"tags": [7]}])
    assert result.schema["properties"]["tags"]["items"] == {"type": "integer", "format": "int32"}
    assert result.warnings == []


def test_items_merge_across_all_elements_of_all_samples() -> None:
    samples = [
        {"lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2, "gift": True}]},
        {"lines": [{"sku": "c", "qty": 1.5, "note": None}]},
    ]
    items = infer_schema(samples).schema["properties"]["lines"]["items"]
    assert items["type"] == "object"
    assert list(items["properties"]) == ["sku", "qty", "gift", "note"]
    assert items["required"] == ["sku", "qty"]
    assert items["properties"]["qty"]["type"] == "number"
    assert items["properties"]["note"]["x-nullable"] is True


def test_nested_arrays_of_objects() -> None:
    samples = [{"grid": [[{"a": 1}], [{"a": 2, "b": "x"}]]}, {"grid": [[{"a": 3}]]}]
    result = infer_schema(samples)
    assert result.schema["properties"]["grid"]["items"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "a": {
                    "type": "integer",
                    "format": "int32",
                    "x-ms-summary": "A",
                },
                "b": {"type": "string", "x-ms-summary": "B"},
            },
            "required": ["a"],
        },
    }
    assert result.warnings == []


def test_a_top_level_array_gives_an_array_schema() -> None:
    result = infer_schema([[{"id": UUID}], [{"id": UUID, "n": 1}]])
    assert result.schema == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": {
                    "type": "string",
                    "format": "uuid",
                    "x-ms-summary": "Id",
                },
                "n": {
                    "type": "integer",
                    "format": "int32",
                    "x-ms-summary": "N",
                },
            },
            "required": ["id"],
        },
    }


def test_a_top_level_null_is_guessed_at_the_root() -> None:
    result = infer_schema([None])
    assert result == InferenceResult(
        schema={"type": "string", "x-nullable": True},
        warnings=["at the root: only null values seen; type guessed as string"],
    )


def test_warning_pointers_escape_slash_and_tilde() -> None:
    result = infer_schema([{"a/b": {"c~d": None}}])
    assert result.warnings == [
        "at /properties/a~1b/properties/c~0d: only null values seen; type guessed as string"
    ]


# --- limits and bad input ---------------------------------------------------------------------


def nested(depth: int) -> Any:
    """A value with `depth` levels of objects above a leaf: {"a": {"a": ... 1}}."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def test_nesting_up_to_the_limit_is_accepted() -> None:
    infer_schema([nested(32)])


@pytest.mark.parametrize(
    ("samples", "max_depth", "message"),
    [
        ([nested(33)], 32, "sample 1 at " + "/a" * 33 + ": nested deeper than 32 levels"),
        (
            [{}, {"items": [{"a": {"b": 1}}]}],
            3,
            "sample 2 at /items/0/a/b: nested deeper than 3 levels",
        ),
        ([[[[1]]]], 2, "sample 1 at /0/0/0: nested deeper than 2 levels"),
    ],
)
def test_depth_limit_names_the_pointer(samples: list[Any], max_depth: int, message: str) -> None:
    with pytest.raises(SchemaInferenceError) as error:
        infer_schema(samples, max_depth=max_depth)
    assert str(error.value) == message


def test_value_count_limit_names_the_pointer() -> None:
    with pytest.raises(SchemaInferenceError) as error:
        infer_schema([{"a": [1, 2]}, {"a": [3, 4, 5]}], max_nodes=7)
    assert str(error.value) == "sample 2 at /a/1: more than 7 values in all samples together"


def test_distinct_property_limit_names_the_pointer() -> None:
    wide = {f"k{i}": i for i in range(MAX_PROPERTIES + 1)}
    with pytest.raises(SchemaInferenceError) as error:
        infer_schema([wide], max_nodes=10 * MAX_PROPERTIES)
    assert str(error.value) == (
        f"sample 1 at /k{MAX_PROPERTIES}: more than {MAX_PROPERTIES} distinct properties"
    )


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        ([], "no samples given: paste at least one JSON body"),
        ([{}] * (MAX_SAMPLES + 1), f"{MAX_SAMPLES + 1} samples given; at most 50 allowed"),
        ('{"a": 1}', "samples must be a list of parsed JSON values"),
        ({"a": 1}, "samples must be a list of parsed JSON values"),
        ([{"a": {1: "x"}}], "sample 1 at /a: object key 1 is not a string"),
        ([{"a": [{1, 2}]}], "sample 1 at /a/0: set is not a JSON value"),
    ],
)
def test_bad_samples_are_refused_with_a_clear_message(samples: Any, message: str) -> None:
    with pytest.raises(SchemaInferenceError) as error:
        infer_schema(samples)
    assert str(error.value) == message


@pytest.mark.parametrize("max_depth", [0, 501])
def test_a_max_depth_the_walk_cannot_honour_is_a_programming_error(max_depth: int) -> None:
    with pytest.raises(ValueError, match="max_depth must be between 1 and 500"):
        infer_schema([{}], max_depth=max_depth)


def test_schema_inference_error_is_a_value_error() -> None:
    assert issubclass(SchemaInferenceError, ValueError)


# --- parse_samples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ('{"a": 1}', [{"a": 1}]),
        ('\ufeff{"a": 1}', [{"a": 1}]),
        (["[1, 2]", '\ufeff"x"', "null"], [[1, 2], "x", None]),
        (("1.5",), [1.5]),
    ],
)
def test_parse_samples_reads_one_or_many_texts(texts: Any, expected: list[Any]) -> None:
    assert parse_samples(texts) == expected


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (
            '{"a": 1,}',
            "sample 1 line 1, column 8: trailing comma is not allowed in JSON",
        ),
        (
            ['{"a": 1}', '{\n  "a": 1\n  "b": 2\n}'],
            "sample 2 line 3, column 3: expecting ',' between values",
        ),
        (
            ["{}", "[]", "\ufeff[1, 2"],
            "sample 3 line 1, column 6: the file ends inside an array opened at line 1, column 1",
        ),
        (
            "{'a': 1}",
            'sample 1 line 1, column 2: strings and property names need double quotes (")',
        ),
        ('{"a": 1} {"b": 2}', "sample 1 line 1, column 10: unexpected text after the end"),
        ('{"a": NaN}', "sample 1 line 1, column 7: NaN is not a JSON value"),
        ("  \n ", "sample 1 is empty"),
        ([], "no samples given: paste at least one JSON body"),
        (["{}"] * 51, "51 samples given; at most 50 allowed"),
        (["{}", 5], "sample 2 is not text"),
        ("[" * 100_000, "sample 1 line 1, column 65: nesting is deeper than 64 levels"),
    ],
)
def test_parse_samples_errors_name_sample_line_and_column(texts: Any, message: str) -> None:
    with pytest.raises(SchemaInferenceError) as error:
        parse_samples(texts)
    assert str(error.value).startswith(message)


def test_parse_samples_refuses_more_than_the_total_size_limit() -> None:
    half = '"' + "x" * (MAX_TEXT_BYTES // 2) + '"'
    with pytest.raises(SchemaInferenceError) as error:
        parse_samples([half, half])
    assert str(error.value) == f"sample 2: samples larger than {MAX_TEXT_BYTES} bytes in total"


# --- property-style check: samples validate, schema is Swagger 2.0 ----------------------------


def draft4(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as JSON Schema draft 4 sees it: x-nullable becomes a ["X", "null"] type."""
    converted = {key: value for key, value in schema.items() if not key.startswith("x-ms-")}
    if converted.pop("x-nullable", False):
        converted["type"] = [converted["type"], "null"]
    if "properties" in converted:
        converted["properties"] = {k: draft4(v) for k, v in converted["properties"].items()}
    if "items" in converted:
        converted["items"] = draft4(converted["items"])
    return converted


def _is_datetime(value: str) -> bool:
    parsed = datetime.fromisoformat(value.upper())
    return "T" in value.upper() and parsed.tzinfo is not None


def _is_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and " " not in value


def _is_int(low: int, high: int) -> Any:
    return lambda value: low <= value <= high


# Checks written independently of the module's regular expressions, so they can disagree.
FORMAT_CHECKS: dict[str, tuple[Any, type]] = {
    "date-time": (_is_datetime, str),
    "date": (date.fromisoformat, str),
    "uuid": (uuid.UUID, str),
    "email": (lambda value: value.count("@") == 1 and "." in value.split("@")[1], str),
    "uri": (_is_uri, str),
    "int32": (_is_int(-(2**31), 2**31 - 1), int),
    "int64": (_is_int(-(2**63), 2**63 - 1), int),
    "double": (lambda value: True, float),
}


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, (check, applies_to) in FORMAT_CHECKS.items():

        def checked(value: Any, check: Any = check, applies_to: type = applies_to) -> bool:
            if not isinstance(value, applies_to) or isinstance(value, bool):
                return True
            result = check(value)
            return result is not False

        checker.checks(name, raises=(ValueError,))(checked)
    return checker


def assert_swagger_2_schema(schema: dict[str, Any]) -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "Inference check", "version": "1.0"},
        "paths": {
            "/hook": {
                "post": {"responses": {"200": {"description": "Notification", "schema": schema}}}
            }
        },
    }
    validate(document, cls=OpenAPIV2SpecValidator)
    assert_no_json_schema_only_keywords(schema, "")


def assert_no_json_schema_only_keywords(schema: dict[str, Any], pointer: str) -> None:
    assert not {"$schema", "anyOf", "oneOf", "allOf", "not"} & set(schema), pointer
    assert isinstance(schema["type"], str) and schema["type"] != "null", pointer
    if schema["type"] == "array":
        assert "items" in schema, pointer
    for name, child in schema.get("properties", {}).items():
        assert child["x-ms-summary"] and "description" not in child, pointer
        assert_no_json_schema_only_keywords(child, f"{pointer}/properties/{name}")
    if "items" in schema:
        assert_no_json_schema_only_keywords(schema["items"], f"{pointer}/items")


def resolve(schema: dict[str, Any], pointer: str) -> Any:
    node: Any = schema
    for part in pointer.split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


VARIED_SAMPLE_SETS: list[list[Any]] = [
    [{"id": UUID, "created": "2024-05-01T10:00:00Z", "email": "a@example.com"}],
    [{"n": 1}, {"n": 2.5}, {"n": None}, {}],
    [{"due": "2024-05-01", "link": "https://example.com/x"}, {"due": None, "link": "ftp://f.io"}],
    [[1, 2, 3], [], [2**40]],
    [{"tags": []}, {"tags": [], "meta": None}],
    [{"grid": [[{"a": 1}], [{"a": 2, "b": [True, False]}]]}, {"grid": []}],
    [{"user": {"name": "Ada", "roles": [{"id": 1}, {"id": 2, "scope": "all"}]}}, {"user": None}],
    [{"a/b": 1, "c~d": {"e f": "x"}}],
    [{"when": "2024-05-01T10:00:00.5+02:00", "count": 2**31 - 1}, {"count": -(2**31)}],
    [{"big": 2**70, "ratio": 0.25}],
    ["just a string"],
    [None, None],
    [{"value": [{"id": "1", "changeType": "created", "resource": "x", "clientState": None}]}],
]


SCALARS: dict[str, list[Any]] = {
    "boolean": [True, False],
    "integer": [0, 7, -(2**40), 2**31],
    "number": [0.5, -1.25, 3],  # the 3 exercises integer + number -> number
    "text": ["text", "", "2024-01-02", UUID],  # mixed: no format survives
    "date-time": ["2024-01-02T03:04:05Z", "1999-12-31t23:59:59.5-05:00"],
    "date": ["2024-01-02", "2024-02-29"],
    "uuid": [UUID, str(uuid.UUID(int=7))],
    "email": ["a@b.example", "first.last@mail.example.org"],
    "uri": ["https://x.io/p?q=1", "ftp://files.example.com/a"],
}


def random_json(rng: random.Random, shape_seed: int, path: str, depth: int) -> Any:
    """A random JSON value whose type at each path is fixed per sample set (seeded by the path),
    so the samples of one set are compatible; presence, nulls, lengths and values vary."""
    shape = random.Random(f"{shape_seed}{path}")
    containers = ["object", "object", "array"] if depth < 4 else []
    kind = shape.choice(containers if depth == 0 else [*containers, *SCALARS])
    if rng.random() < 0.15:
        return None
    if kind == "object":
        keys = [f"k{i}" for i in range(5) if rng.random() < 0.7]
        return {key: random_json(rng, shape_seed, f"{path}/{key}", depth + 1) for key in keys}
    if kind == "array":
        length = rng.randint(0, 3)
        return [random_json(rng, shape_seed, f"{path}/*", depth + 1) for _ in range(length)]
    return rng.choice(SCALARS[kind])


def random_sample_sets(count: int) -> list[list[Any]]:
    rng = random.Random(20240501)  # fixed seed: a failure reproduces
    return [
        [random_json(rng, set_number, "", 0) for _ in range(rng.randint(1, 5))]
        for set_number in range(count)
    ]


@pytest.mark.parametrize("samples", VARIED_SAMPLE_SETS + random_sample_sets(60))
def test_samples_validate_against_their_schema_and_it_is_swagger_2(samples: list[Any]) -> None:
    result = infer_schema(samples)
    assert_swagger_2_schema(result.schema)
    for warning in result.warnings:
        assert "typed as string" not in warning  # these sets have no mixed-type positions
        pointer = warning.removeprefix("at ").split(":")[0]
        assert pointer == "the root" or resolve(result.schema, pointer)
    validator = Draft4Validator(draft4(result.schema), format_checker=format_checker())
    for number, sample in enumerate(samples, start=1):
        errors = [error.message for error in validator.iter_errors(sample)]
        assert errors == [], f"sample {number}"


@pytest.mark.parametrize(
    "bad",
    [
        {"$schema": "http://json-schema.org/schema#", "type": "object"},
        {"type": ["null", "string"]},
        {"type": "null"},
        {"anyOf": [{"type": "null"}, {"type": "object"}]},
        {"type": "array"},
    ],
)
def test_the_swagger_check_catches_what_genson_emits(bad: dict[str, Any]) -> None:
    # Guard on the checker itself: these are the shapes USERS.md A9 saw from genson.
    with pytest.raises((AssertionError, OpenAPIValidationError)):
        assert_swagger_2_schema(bad)


def test_the_draft4_check_catches_a_wrong_format() -> None:
    validator = Draft4Validator(
        draft4({"type": "string", "format": "date"}), format_checker=format_checker()
    )
    assert not validator.is_valid("2023-02-29")
    assert validator.is_valid("2024-02-29")
