"""Dynamic values in the design: both extensions read and written in Microsoft's shapes, the
candidate operations (passthrough actions, never triggers), and an export with a form-authored
dynamic parameter that fits Microsoft's schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.domain.lint import lint_design
from connectors.domain.swagger.dynamic_values import (
    DynamicValues,
    Mapping,
    candidate_operations,
    extensions,
    read_dynamic_values,
    set_dynamic_values,
)
from connectors.domain.swagger.exporting.definition import export_swagger
from tests.connectors.domain.swagger.exporting.test_definition import schema_errors
from tests.connectors.dynamic_fakes import LIST_PROJECTS, PROJECT_VALUES, dynamic_design

AUTHORED = DynamicValues(
    "ListProjects",
    (Mapping("team", parameter="team"), Mapping("active", value=True)),
    "value",
    "id",
    "name",
)


def test_extensions_are_microsofts_two_shapes() -> None:
    values, listed = extensions(AUTHORED)
    assert values == PROJECT_VALUES["x-ms-dynamic-values"]
    assert listed == PROJECT_VALUES["x-ms-dynamic-list"]
    # Empty paths and no mappings leave their keys out.
    bare = extensions(DynamicValues("ListProjects", (), "", "id", ""))
    assert bare == (
        {"operationId": "ListProjects", "value-path": "id"},
        {"operationId": "ListProjects", "itemValuePath": "id"},
    )


@pytest.mark.parametrize("key", ["x-ms-dynamic-values", "x-ms-dynamic-list"])
def test_either_extension_reads_the_same(key: str) -> None:
    parameter = {"name": "project", "extras": {key: PROJECT_VALUES[key]}}
    assert read_dynamic_values(parameter) == AUTHORED


def test_values_win_over_list_and_odd_shapes_read_as_fixed_values() -> None:
    extras = {
        "x-ms-dynamic-values": {"operationId": "A", "parameters": {"f": ["id", "title"]}},
        "x-ms-dynamic-list": {"operationId": "B"},
    }
    read = read_dynamic_values({"extras": extras})
    assert read == DynamicValues("A", (Mapping("f", value=["id", "title"]),))
    assert read_dynamic_values({"extras": {"x-ms-dynamic-values": "A"}}) is None
    assert read_dynamic_values({"name": "x"}) is None


def test_set_writes_both_and_static_removes_both_keeping_other_extras() -> None:
    parameter: dict[str, Any] = {"name": "project", "extras": {"format": "uuid"}}
    set_dynamic_values(parameter, AUTHORED)
    assert parameter["extras"] == {"format": "uuid", **PROJECT_VALUES}
    set_dynamic_values(parameter, None)
    assert parameter["extras"] == {"format": "uuid"}
    alone: dict[str, Any] = {"name": "project", "extras": copy.deepcopy(PROJECT_VALUES)}
    set_dynamic_values(alone, None)
    assert "extras" not in alone


def test_candidates_are_passthrough_actions_with_their_parameters() -> None:
    design = dynamic_design()
    swagger = design["passthrough"]["swagger"]
    swagger["paths"]["/orders"] = {
        "get": {"operationId": "OnNewOrders", "x-ms-trigger": "batch"},
        "post": {"summary": "No operationId"},
        "parameters": [{"$ref": "#/parameters/Tenant"}],
        "put": {"operationId": "PutOrders", "parameters": [{"$ref": "#/parameters/Gone"}]},
    }
    swagger["parameters"] = {"Tenant": {"name": "tenant", "in": "header", "type": "string"}}
    found = {op.operation_id: op for op in candidate_operations(design)}
    assert sorted(found) == ["ListProjects", "PutOrders"]
    assert found["ListProjects"].label == "ListProjects: List projects"
    assert found["ListProjects"].parameter_names() == ["team", "active"]
    assert found["PutOrders"].parameter_names() == ["tenant"]
    assert (found["ListProjects"].method, found["ListProjects"].path) == (
        "get",
        "/teams/{team}/projects",
    )


def test_a_form_authored_dynamic_parameter_exports_to_microsofts_schema() -> None:
    design = dynamic_design(with_values=False)
    project = design["triggers"][0]["request"]["parameters"][-1]
    set_dynamic_values(project, AUTHORED)
    swagger = export_swagger(design)
    exported = swagger["paths"]["/items"]["get"]["parameters"][-1]
    assert exported["x-ms-dynamic-values"] == PROJECT_VALUES["x-ms-dynamic-values"]
    assert exported["x-ms-dynamic-list"] == PROJECT_VALUES["x-ms-dynamic-list"]
    assert (
        swagger["paths"]["/teams/{team}/projects"]
        == LIST_PROJECTS["paths"]["/teams/{team}/projects"]
    )
    assert schema_errors("apiDefinition.swagger.schema.json", swagger) == []
    dynamic_rules = {
        "OperationIdNotFound",
        "DynamicValuesOperationIsTrigger",
        "OperationParameterNameNotFound",
        "DynamicValuesParameterReferenceNotFound",
        "DynamicValuesPathEmpty",
        "DynamicListMismatch",
    }
    assert [f for f in lint_design(design) if f.rule in dynamic_rules] == []


def test_the_schema_refuses_a_list_reference_in_the_wrong_shape() -> None:
    """The oracle can fail: x-ms-dynamic-list takes one of value / parameterReference."""
    design = dynamic_design()
    listed = design["triggers"][0]["request"]["parameters"][-1]["extras"]["x-ms-dynamic-list"]
    listed["parameters"]["team"] = {"parameterReference": "team", "value": "red"}
    assert schema_errors("apiDefinition.swagger.schema.json", export_swagger(design)) != []
