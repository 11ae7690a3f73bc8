"""Trigger lifecycle rules of our own: how a webhook is unregistered and what a trigger declares.

Purpose: the platform registers a webhook, expects 201 + Location, and later calls DELETE on that
Location; without a DELETE operation hooks pile up at the provider (USERS.md A1, A2). Microsoft's
validator checks none of this.
Input: a ``Context`` (``delete_match`` finds the DELETE operation: the design's own choice, else
a DELETE whose path is a child, the same path, a descendant or a sibling of the registration
path, else one named like a hook or marked internal; the match kind is shown in messages).
Output: ``Hit``s for WebhookMissingDeleteAction, DeleteActionNotInternal,
WebhookRegistrationMissing201, WebhookRegistrationMissingLocationHeader,
TriggerCardinalityNotValid and TriggerMetadataNotValid.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.domain.lint.context import Context, DeleteMatch
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import show
from connectors.domain.lint.walker import Operation, visibility_error


def _webhooks(ctx: Context) -> Iterator[Operation]:
    return (op for op in ctx.triggers if ctx.kind(op) == "webhook")


@rule("WebhookMissingDeleteAction", "error", "Webhook trigger without a DELETE operation")
def webhook_missing_delete_action(ctx: Context) -> Iterator[Hit]:
    for op in _webhooks(ctx):
        if ctx.delete_match(op) is None:
            yield Hit(
                op.pointer,
                f"The webhook trigger {op.label} has no DELETE operation to unregister it, so "
                "hooks pile up at the provider when flows are changed or deleted.",
                "Add an internal DELETE operation for the URL the registration returns in its "
                "Location header (e.g. DELETE /hooks/{id}).",
                design_key="deleteAction",
            )


@rule("DeleteActionNotInternal", "warning", "The webhook's DELETE operation should be internal")
def delete_action_not_internal(ctx: Context) -> Iterator[Hit]:
    users: dict[str, tuple[DeleteMatch, list[str]]] = {}
    for op in _webhooks(ctx):
        match = ctx.delete_match(op)
        if match is not None and match.operation.visibility != "internal":
            entry = users.setdefault(match.operation.pointer, (match, []))
            entry[1].append(op.label)
    for pointer, (match, labels) in users.items():
        invalid = visibility_error(match.operation.node)
        yield Hit(
            pointer,
            f"The DELETE operation {match.operation.label} (matched as {match.how} of "
            f"{', '.join(sorted(labels))}) is not internal{': ' + invalid if invalid else ''}, "
            "so flow makers see it as an action.",
            'Set "x-ms-visibility": "internal" on it (the platform calls it, not the user).',
            design_key="visibility",
        )


def _responses(op: Operation) -> dict[str, Any]:
    raw = op.node.get("responses")
    return {str(k): v for k, v in raw.items()} if isinstance(raw, dict) else {}


@rule("WebhookRegistrationMissing201", "warning", "Webhook registration should answer 201")
def webhook_registration_missing_201(ctx: Context) -> Iterator[Hit]:
    for op in _webhooks(ctx):
        codes = _responses(op)
        if codes and "201" not in codes:
            yield Hit(
                op.pointer + "/responses",
                f"The webhook registration {op.label} declares {', '.join(codes)} but not 201 "
                "Created, which the platform expects together with a Location header.",
                "Declare the 201 response (with a Location header) the API returns.",
            )


def _has_location(ctx: Context, op: Operation, code: str) -> bool:
    response, _ = ctx.resolver.resolve(_responses(op).get(code), op.pointer)
    headers = response.get("headers") if isinstance(response, dict) else None
    return isinstance(headers, dict) and any(str(h).lower() == "location" for h in headers)


@rule("WebhookRegistrationMissingLocationHeader", "info", "Registration declares no Location")
def webhook_registration_missing_location(ctx: Context) -> Iterator[Hit]:
    for op in _webhooks(ctx):
        success = [c for c in _responses(op) if c.startswith("2")]
        if success and not any(_has_location(ctx, op, c) for c in success):
            yield Hit(
                op.pointer + "/responses",
                f"The webhook registration {op.label} does not declare the Location header the "
                "platform uses to call DELETE later.",
                "Declare a Location header on the 201 response; the API must return the hook's "
                "absolute URL there (the test runner checks it).",
            )


@rule("TriggerCardinalityNotValid", "error", "x-ms-trigger must be 'single' or 'batch'")
def trigger_cardinality_not_valid(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        value = op.node.get("x-ms-trigger")
        if value not in ("single", "batch"):
            yield Hit(
                op.pointer + "/x-ms-trigger",
                f"The x-ms-trigger value {show(value)} of {op.label} is neither 'single' nor "
                "'batch'.",
                "Use 'single' (one run per notification) or 'batch' (one run per array item).",
            )


@rule(
    "TriggerMetadataNotValid", "error", "x-ms-trigger-metadata must be {kind: query, mode: polling}"
)
def trigger_metadata_not_valid(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if "x-ms-trigger-metadata" not in op.node:
            continue
        meta = op.node["x-ms-trigger-metadata"]
        ok = (
            isinstance(meta, dict) and meta.get("kind") == "query" and meta.get("mode") == "polling"
        )
        if not ok or not op.is_trigger:
            yield Hit(
                op.pointer + "/x-ms-trigger-metadata",
                f"The x-ms-trigger-metadata of {op.label} must be {{kind: query, mode: polling}} "
                "on an operation with x-ms-trigger.",
                'Use {"kind": "query", "mode": "polling"} on the polling trigger, or remove it.',
            )
