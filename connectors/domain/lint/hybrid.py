"""Rules on ``x-ms-notification``: a fetch trigger that names the webhook operation notifying it.

Purpose: the operation-level ``x-ms-notification: {operationId}`` links a trigger (the "fetch"
operation) to the webhook operation that subscribes for notifications; Microsoft's validator
checks where it may appear, what it points to, and that shared parameters agree.
Input: a ``Context``.
Output: ``Hit``s for NotificationExtensionSupportedForTriggerOnly,
NotificationExtensionNotSupportedInWebhookOperation, OperationIdNotFound (also for the
operations dynamic values name, see ``dynamic``),
NotificationOperationMustBeWebhook and ParamtersWithSameNameMustHaveSameTypeAndVisibility.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.dynamic import unknown_operations
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text, show
from connectors.domain.lint.walker import Operation, text

_WEBHOOK_KINDS = ("webhook", "webhook-action")


def _linked(ctx: Context) -> Iterator[tuple[Operation, str | None]]:
    """Operations with x-ms-notification and the operationId it names (None if unreadable)."""
    for op in ctx.operations:
        if "x-ms-notification" in op.node:
            link = op.node["x-ms-notification"]
            yield op, text(link.get("operationId")) if isinstance(link, dict) else None


@rule(
    "NotificationExtensionSupportedForTriggerOnly",
    "error",
    "x-ms-notification only on trigger operations",
)
def notification_extension_trigger_only(ctx: Context) -> Iterator[Hit]:
    for op, _ in _linked(ctx):
        if not op.is_trigger:
            yield Hit(
                op.pointer + "/x-ms-notification",
                f"The 'x-ms-notification' of {op.label} is supported for trigger operations only.",
                "Remove x-ms-notification, or make the operation a trigger (x-ms-trigger).",
            )


@rule(
    "NotificationExtensionNotSupportedInWebhookOperation",
    "error",
    "x-ms-notification not allowed on a webhook operation",
)
def notification_extension_in_webhook(ctx: Context) -> Iterator[Hit]:
    for op, _ in _linked(ctx):
        if ctx.kind(op) in _WEBHOOK_KINDS:
            yield Hit(
                op.pointer + "/x-ms-notification",
                f"The 'x-ms-notification' extension must not be defined in the webhook "
                f"operation {op.label}.",
                "Put x-ms-notification on the fetch (polling) trigger that the webhook notifies.",
            )


@rule("OperationIdNotFound", "error", "An extension names an unknown operationId")
def operation_id_not_found(ctx: Context) -> Iterator[Hit]:
    yield from unknown_operations(ctx)  # x-ms-dynamic-values and x-ms-dynamic-list
    for op, target in _linked(ctx):
        if target is None or target not in ctx.by_operation_id:
            yield Hit(
                op.pointer + "/x-ms-notification/operationId",
                f"The operationId {show(target)} named by x-ms-notification of {op.label} could "
                "not be found in this document.",
                "Name the operationId of the webhook operation that notifies this trigger.",
            )


@rule(
    "NotificationOperationMustBeWebhook",
    "error",
    "x-ms-notification must name a webhook operation",
)
def notification_operation_must_be_webhook(ctx: Context) -> Iterator[Hit]:
    for op, target in _linked(ctx):
        other = ctx.by_operation_id.get(target) if target else None
        if other is not None and ctx.kind(other) not in _WEBHOOK_KINDS:
            yield Hit(
                op.pointer + "/x-ms-notification/operationId",
                f"The operation '{target}' named by x-ms-notification of {op.label} is not a "
                "webhook operation.",
                "Name an operation that registers a notification URL (x-ms-notification-url).",
            )


@rule(
    "ParamtersWithSameNameMustHaveSameTypeAndVisibility",
    "error",
    "Fetch and subscribe parameters must agree",
)
def same_name_same_type_and_visibility(ctx: Context) -> Iterator[Hit]:
    for op, target in _linked(ctx):
        other = ctx.by_operation_id.get(target) if target else None
        if other is None:
            continue
        for param in op.params:
            twin = other.param(param.name) if isinstance(param.name, str) else None
            if twin is None or param.location == "body" or twin.location == "body":
                continue
            mine = (param.node.get("type"), param.node.get("x-ms-visibility", "none"))
            theirs = (twin.node.get("type"), twin.node.get("x-ms-visibility", "none"))
            if mine != theirs:
                here, there = ("/".join(as_text(v) for v in pair) for pair in (mine, theirs))
                yield Hit(
                    param.pointer,
                    f"The parameter '{as_text(param.name)}' is {here} (type/visibility) in "
                    f"{op.label} but {there} in {other.label}.",
                    "Give same-named parameters of the fetch and subscribe operations the same "
                    "type and visibility.",
                )
