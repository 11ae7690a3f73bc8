"""Rules on responses and on the output schema a trigger gives the flow designer.

Purpose: without a declared output schema a trigger offers no dynamic content (USERS.md A6), and
a batch trigger whose output is not a list starts runs the author did not expect (A11).
Input: a ``Context``.
Output: ``Hit``s for OperationMustHaveResponse, OperationShouldHaveSuccessfulResponse,
DefaultResponseHasSchema, ResponseMustBeDefaultOrHttpStatusCode, SchemaDefinitionSetIncorrectly,
NotificationSchemaEmpty, BatchTriggerSchemaNotArray, SingleTriggerSchemaIsArray and
OperationHasManyResponsesWithSchema.
Decision for OperationHasManyResponsesWithSchema (Microsoft gives only its message, "only one
schema will be used in the designer"): it counts successful (2xx) responses with a schema, the
ones the designer takes outputs from; error responses describing their body are not counted
(most certified connectors describe their 400s, and the designer never shows those).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import show
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import Operation

_STATUS = re.compile(r"^[1-5][0-9][0-9]$")
# Keys that make a schema say something; an object with none of them is the empty schema "{}".
_MEANINGFUL = ("type", "properties", "items", "$ref", "allOf", "additionalProperties")
_DYNAMIC = ("x-ms-dynamic-schema", "x-ms-dynamic-properties")


def _responses(op: Operation) -> dict[str, Any]:
    raw = op.node.get("responses")
    # YAML reads an unquoted 200 as an int; status codes are compared as strings.
    return {str(code): value for code, value in raw.items()} if isinstance(raw, dict) else {}


def _response(ctx: Context, op: Operation, code: str) -> dict[str, Any]:
    node, _ = ctx.resolver.resolve(_responses(op).get(code), join(op.pointer, "responses", code))
    return node if isinstance(node, dict) else {}


def output_schema(ctx: Context, op: Operation) -> tuple[Any, str] | None:
    """(schema, pointer) a trigger hands to the flow: the notification content for a webhook,
    else the schema of the 200 (or 201) response; ``None`` when there is none."""
    if ctx.kind(op) == "webhook":
        found = op.notification_content()
        if found is None or not isinstance(found[0], dict) or "schema" not in found[0]:
            return None
        return (found[0]["schema"], join(found[1], "schema"))
    for code in ("200", "201"):
        response = _response(ctx, op, code)
        if "schema" in response:
            return (response["schema"], join(op.pointer, "responses", code, "schema"))
    return None


def schema_shape(ctx: Context, schema: Any, pointer: str) -> str:
    """ "array", "collection" (object with a list property), "dynamic", "empty" or "other"."""
    node, _ = ctx.resolver.resolve(schema, pointer)
    if not isinstance(node, dict):
        return "other"
    if any(k in node for k in _DYNAMIC):
        return "dynamic"
    if node.get("type") == "array":
        return "array"
    if not any(k in node for k in _MEANINGFUL):
        return "empty"
    props = node.get("properties")
    for name, sub in props.items() if isinstance(props, dict) else ():
        resolved, _ = ctx.resolver.resolve(sub, join(pointer, "properties", name))
        if isinstance(resolved, dict) and resolved.get("type") == "array":
            return "collection"
    return "other"


@rule("OperationMustHaveResponse", "error", "Every operation needs a response")
def operation_must_have_response(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if not _responses(op):
            yield Hit(
                op.pointer,
                f"The operation {op.label} has no response definition.",
                "Declare the success response (201 for a webhook registration, 200 otherwise).",
                design_key="responses",
            )


@rule("OperationShouldHaveSuccessfulResponse", "warning", "Declare a 2xx response")
def operation_should_have_successful_response(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        codes = [str(c) for c in _responses(op)]
        if codes and not any(c.startswith("2") for c in codes):
            yield Hit(
                op.pointer + "/responses",
                f"The operation {op.label} declares no successful (2xx) response, only "
                f"{', '.join(codes)}.",
                "Declare the 2xx responses the API returns; a 'default' alone says nothing.",
            )


@rule("DefaultResponseHasSchema", "error", "The default response may not have a schema")
def default_response_has_schema(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if "schema" in _response(ctx, op, "default"):
            yield Hit(
                join(op.pointer, "responses", "default", "schema"),
                f"The 'default' response of {op.label} has a schema.",
                "Move the schema to the success response (e.g. 200) and keep 'default' "
                "without one.",
            )


@rule("ResponseMustBeDefaultOrHttpStatusCode", "error", "Response keys are status codes")
def response_must_be_status_code(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for code in _responses(op):
            if code != "default" and not (code.startswith("x-") or _STATUS.match(code)):
                yield Hit(
                    join(op.pointer, "responses", code),
                    f"The response key {show(code)} of {op.label} is not an HTTP status code.",
                    "Use a three-digit status code such as 200, or 'default'.",
                )


@rule("OperationHasManyResponsesWithSchema", "warning", "Several success responses have a schema")
def operation_has_many_responses_with_schema(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        codes = [c for c in _responses(op) if c[:1] == "2" and "schema" in _response(ctx, op, c)]
        if len(codes) > 1:
            yield Hit(
                op.pointer + "/responses",
                f"The operation {op.label} has a schema on {len(codes)} successful responses "
                f"({', '.join(codes[:5])}); the designer uses only one of them for its outputs.",
                "Keep the schema on the response that carries the data (usually 200) and remove "
                "it from the others (a 202 of an asynchronous call, for example).",
            )


@rule("SchemaDefinitionSetIncorrectly", "error", "Trigger without an output schema")
def schema_definition_set_incorrectly(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        webhook = ctx.kind(op) == "webhook"
        if webhook and op.notification_content() is None:
            continue  # OperationMustHaveNotificationContentExtension says it better
        if output_schema(ctx, op) is None:
            where = "in 'x-ms-notification-content'" if webhook else "on the 200 or 201 response"
            yield Hit(
                op.pointer,
                f"The trigger {op.label} should define an output schema {where} to be visible "
                "in the designer.",
                "Add the schema (e.g. from a sample payload) "
                + ("to the notification." if webhook else "to the 200 response."),
                design_key="notification/schema" if webhook else "responses",
            )


@rule("NotificationSchemaEmpty", "warning", "Trigger output schema is empty")
def notification_schema_empty(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        found = output_schema(ctx, op)
        if found is not None and schema_shape(ctx, *found) == "empty":
            yield Hit(
                found[1],
                f"The output schema of trigger {op.label} is empty, so flows get no dynamic "
                "content from it.",
                "Describe the payload's properties (import them from a sample payload).",
                operation=op.pointer,
            )


@rule("BatchTriggerSchemaNotArray", "warning", "Batch trigger output is not a list")
def batch_trigger_schema_not_array(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        found = output_schema(ctx, op)
        if op.node.get("x-ms-trigger") != "batch" or found is None or ctx.policies_of(op):
            continue
        if schema_shape(ctx, *found) == "other":
            yield Hit(
                found[1],
                f"The trigger {op.label} is 'batch' (one run per item) but its output schema is "
                "not an array and holds no list.",
                "Use x-ms-trigger 'single' for one object per event, or describe the array.",
                operation=op.pointer,
            )


@rule("SingleTriggerSchemaIsArray", "info", "Single trigger output is an array")
def single_trigger_schema_is_array(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        found = output_schema(ctx, op)
        single = op.node.get("x-ms-trigger") == "single"
        if single and found is not None and schema_shape(ctx, *found) == "array":
            yield Hit(
                found[1],
                f"The trigger {op.label} is 'single' but its output is an array: each "
                "notification starts one run with the whole list.",
                "Use x-ms-trigger 'batch' to start one run per item, if that is intended.",
                operation=op.pointer,
            )
