"""Polling trigger rules of our own: the state parameter and the 202 contract.

Purpose: a polling trigger keeps its state in one query parameter that the platform fills in
(x-ms-trigger-value, or a ``pollingtrigger`` policy of apiProperties); when that parameter is
visible, optional or undeclared, the state is lost between polls (USERS.md A12, A13, A15).
Input: a ``Context`` (``state_parameters``: from x-ms-trigger-value, the policies and the design).
Output: ``Hit``s for PollingStateParameterNotInternal, PollingStateParameterMissingTriggerValue,
PollingStateParameterNotFound, TriggerValueNotValid, PollingTriggerMissingAcceptedResponse and
PolicyOperationNotFound.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.domain.lint.context import PROPERTIES_PREFIX, Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import Operation, visibility_error


def _polling(ctx: Context) -> Iterator[Operation]:
    return (op for op in ctx.triggers if ctx.kind(op) == "polling")


@rule("PollingStateParameterNotInternal", "warning", "Polling state parameter should be internal")
def polling_state_parameter_not_internal(ctx: Context) -> Iterator[Hit]:
    for op in _polling(ctx):
        for name in ctx.state_parameters(op):
            param = op.param(name)
            if param is not None and param.node.get("x-ms-visibility") != "internal":
                invalid = visibility_error(param.node)
                state = f"is not internal: {invalid}," if invalid else "is visible,"
                yield Hit(
                    param.pointer,
                    f"The polling state parameter '{as_text(name)}' of {op.label} {state} so "
                    "flow makers can overwrite the state the platform keeps between polls.",
                    'Set "x-ms-visibility": "internal" (and "required": true with a default).',
                    operation=op.pointer,
                )


@rule(
    "PollingStateParameterMissingTriggerValue",
    "warning",
    "Polling state parameter without x-ms-trigger-value or policy",
)
def polling_state_missing_trigger_value(ctx: Context) -> Iterator[Hit]:
    for op in _polling(ctx):
        for name, source in ctx.state_parameters(op).items():
            param = op.param(name)
            # Only the design can name a state parameter the swagger does not mark as such.
            if source == "design" and param is not None and not ctx.policies_of(op):
                yield Hit(
                    param.pointer,
                    f"The state parameter '{name}' of {op.label} has no x-ms-trigger-value "
                    "and no pollingtrigger policy, so the platform never updates it.",
                    "Set the collection and the property of the newest item that give the "
                    "next state (value-collection, value-path).",
                    design_key="polling",
                )


@rule("PollingStateParameterNotFound", "warning", "Polling state names a parameter that is absent")
def polling_state_parameter_not_found(ctx: Context) -> Iterator[Hit]:
    for op in _polling(ctx):
        for name, source in ctx.state_parameters(op).items():
            if op.param(name) is None:
                yield Hit(
                    op.pointer,
                    f"The polling state parameter '{name}' of {op.label} (from the {source}) is "
                    "not a parameter of the operation.",
                    f"Add a required, internal query parameter named '{name}', or pick an "
                    "existing one as the state parameter.",
                    design_key="polling/stateParameter",
                )


@rule("TriggerValueNotValid", "error", "x-ms-trigger-value needs value-collection / value-path")
def trigger_value_not_valid(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        for param in op.params:
            if "x-ms-trigger-value" not in param.node:
                continue
            value = param.node["x-ms-trigger-value"]
            keys = ("value-collection", "value-path")
            if not isinstance(value, dict) or not any(isinstance(value.get(k), str) for k in keys):
                yield Hit(
                    join(param.pointer, "x-ms-trigger-value"),
                    f"The x-ms-trigger-value of parameter '{as_text(param.name)}' of {op.label} "
                    "names no value-collection or value-path.",
                    'Use {"value-collection": "value", "value-path": "id"} (the list in the '
                    "response and the property of its newest item).",
                    operation=op.pointer,
                )


@rule(
    "PollingTriggerMissingAcceptedResponse",
    "info",
    "Polling trigger declares no 202 and no state mechanism",
)
def polling_trigger_missing_202(ctx: Context) -> Iterator[Hit]:
    for op in _polling(ctx):
        responses = op.node.get("responses")
        codes = {str(c) for c in responses} if isinstance(responses, dict) else set()
        if "202" not in codes and not ctx.state_parameters(op):
            yield Hit(
                op.pointer + "/responses",
                f"The polling trigger {op.label} declares no 202 response and no state "
                "parameter: nothing says how it avoids returning the same items on every poll.",
                "Either have the API answer 202 + Location + Retry-After (declare the 202), or "
                "choose a state parameter the platform fills in.",
            )


@rule("PolicyOperationNotFound", "warning", "A policy names an operation that does not exist")
def policy_operation_not_found(ctx: Context) -> Iterator[Hit]:
    props = ctx.properties.get("properties")
    raw = props.get("policyTemplateInstances") if isinstance(props, dict) else None
    for index, policy in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(policy, dict):
            continue
        params = policy.get("parameters")
        names = params.get("x-ms-apimTemplate-operationName") if isinstance(params, dict) else None
        title = as_text(policy.get("title") or policy.get("templateId"))
        for op_id in names if isinstance(names, list) else []:
            if isinstance(op_id, str) and op_id not in ctx.by_operation_id:
                yield Hit(
                    PROPERTIES_PREFIX + join("/properties/policyTemplateInstances", index),
                    f"The policy '{title}' applies to operation '{op_id}', which the swagger "
                    "does not define.",
                    "Update x-ms-apimTemplate-operationName after renaming an operationId.",
                )
