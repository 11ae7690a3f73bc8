"""Rules on webhook registration: the notification URL property and notification content.

Purpose: Microsoft's Webhooks rules and the webhook rules of its Operations table, which decide
whether the platform can hand its callback URL to the API at all (USERS.md A6, A7).
Input: a ``Context`` (its ``callbacks``: every x-ms-notification-url site per operation, found
through body schemas, nested properties and ``$ref``s).
Output: ``Hit``s for WebhookOperationsMissingNotificationUrlProperty,
OperationMustHaveNotificationContentExtension, NotificationUrlNotInternal,
NotificationUrlNotRequired, NotificationUrlNotString, NotificationUrlNotAllowedInThisPosition,
NotificationUrlOnAction and NotificationContentNotUsed.
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text, clip, show
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import CallbackSite, iter_chains, visibility_error
from connectors.domain.refs import is_flag

_CALLBACK = "request/callbackPointer"


def _sites(ctx: Context) -> dict[str, list[CallbackSite]]:
    """Callback sites grouped by where the flag is: a shared definition is reported once."""
    grouped: dict[str, list[CallbackSite]] = {}
    for sites in ctx.callbacks.values():
        for site in sites:
            grouped.setdefault(site.pointer, []).append(site)
    return grouped


def _users(sites: list[CallbackSite]) -> str:
    labels = sorted({s.operation.label for s in sites})
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    return ", ".join(labels[:3]) + more


def _where(site: CallbackSite) -> str:
    if not site.chain:
        return f"parameter '{as_text(site.param.name)}'"
    return f"body property '{site.payload_pointer or '/'}'"


def _hit(sites: list[CallbackSite], problem: str, fix: str) -> Hit:
    site = sites[0]
    return Hit(
        site.pointer,
        f"The notification URL {_where(site)} of {_users(sites)} {problem}",
        fix,
        operation=site.operation.pointer,
        design_key=_CALLBACK,
    )


@rule(
    "WebhookOperationsMissingNotificationUrlProperty",
    "error",
    "Webhook trigger without a notification URL property",
)
def webhook_missing_notification_url(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        if ctx.kind(op) == "webhook" and not ctx.callbacks_of(op):
            yield Hit(
                op.pointer,
                f"The webhook operation {op.label} is missing a notification URL property.",
                "Choose the body property that receives the callback URL (it gets "
                "x-ms-notification-url: true, internal, required, type string).",
                design_key=_CALLBACK,
            )


@rule(
    "OperationMustHaveNotificationContentExtension",
    "error",
    "Notification URL without x-ms-notification-content",
)
def missing_notification_content(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        sites = ctx.callbacks_of(op)
        webhook = ctx.kind(op) == "webhook"  # the design may say so before any flag is set
        if (sites or webhook) and op.notification_content() is None:
            why = (
                f"has {len(sites)} properties marked as notification URL"
                if sites
                else "is a webhook"
            )
            yield Hit(
                op.pointer,
                f"The operation {op.label} is missing notification content extension as it {why}.",
                "Describe the payload the API will POST to the callback (x-ms-notification-"
                "content with a schema), e.g. from a sample notification.",
                design_key="notification",
            )


def _internal(site: CallbackSite) -> bool:
    nodes = [site.param.node, *(step.node for step in site.chain)]
    return any(node.get("x-ms-visibility") == "internal" for node in nodes)


def _invalid_visibility(site: CallbackSite) -> str | None:
    nodes = [site.param.node, *(step.node for step in site.chain)]
    return next((e for e in map(visibility_error, nodes) if e), None)


@rule("NotificationUrlNotInternal", "error", "Notification URL property must be internal")
def notification_url_not_internal(ctx: Context) -> Iterator[Hit]:
    for sites in _sites(ctx).values():
        if not all(_internal(s) for s in sites):
            invalid = _invalid_visibility(sites[0])
            state = f"is not internal ({invalid})" if invalid else "is visible"
            yield _hit(
                sites,
                f"{state}: the property itself or one of its parents must be internal.",
                'Set "x-ms-visibility": "internal" on the property; the platform fills it in.',
            )


def _required(site: CallbackSite) -> bool:
    """Required in every object on the way down. The body parameter's own "required" is not
    part of the chain: certified connectors leave it false and pass Microsoft's validator."""
    if not site.chain:
        return site.param.node.get("required") is True
    for step in site.chain[1:]:
        if step.name is None:
            continue  # array items and allOf branches have no "required" of their own
        required = step.parent.get("required") if step.parent else None
        if not (isinstance(required, list) and step.name in required):
            return False
    return True


@rule("NotificationUrlNotRequired", "error", "Notification URL must be required along its chain")
def notification_url_not_required(ctx: Context) -> Iterator[Hit]:
    for sites in _sites(ctx).values():
        if not all(_required(s) for s in sites):
            yield _hit(
                sites,
                "is not required all the way through the schema chain.",
                "List the property, and each parent object, in the 'required' array of the "
                "object holding it.",
            )


@rule("NotificationUrlNotString", "error", "Notification URL property must be a string")
def notification_url_not_string(ctx: Context) -> Iterator[Hit]:
    for sites in _sites(ctx).values():
        node = sites[0].chain[-1].node if sites[0].chain else sites[0].param.node
        if node.get("type") != "string":
            yield _hit(
                sites,
                f"has type {show(node.get('type'))}; it must be of type string.",
                'Set "type": "string".',
            )


def _output_definitions(ctx: Context) -> set[str]:
    """Top-level definitions reachable from response and notification schemas."""
    visited: set[str] = set()
    roots = []
    for op in ctx.operations:
        found = op.notification_content()
        if found and isinstance(found[0], dict):
            roots.append((found[0].get("schema"), join(found[1], "schema")))
        responses = op.node.get("responses")
        for code, resp in responses.items() if isinstance(responses, dict) else ():
            node, where = ctx.resolver.resolve(resp, join(op.pointer, "responses", code))
            if isinstance(node, dict):
                roots.append((node.get("schema"), join(where, "schema")))
    names = set()
    for schema, pointer in roots:
        for chain in iter_chains(ctx.resolver, schema, pointer, visited):
            parts = chain[-1].pointer.split("/")
            if parts[1:2] == ["definitions"] and len(parts) > 2:
                names.add(parts[2])
    return names


def _misplaced_flags(ctx: Context) -> Iterator[str]:
    """Flags outside any request body: in responses, notification content, output-only
    definitions. Flags in definitions no operation uses are left alone."""
    in_bodies = {site.pointer for sites in ctx.callbacks.values() for site in sites}
    outputs: set[str] | None = None
    for pointer, value in ctx.scan.flags:
        if pointer in in_bodies or not is_flag(value):
            continue
        parts = pointer.split("/")
        if "/responses/" in pointer + "/" or "x-ms-notification-content" in parts:
            yield pointer
        elif parts[1:2] == ["definitions"] and len(parts) > 2:
            outputs = _output_definitions(ctx) if outputs is None else outputs
            if parts[2] in outputs:
                yield pointer


@rule(
    "NotificationUrlNotAllowedInThisPosition",
    "error",
    "Notification URL only allowed in a request body",
)
def notification_url_not_allowed_here(ctx: Context) -> Iterator[Hit]:
    for sites in _sites(ctx).values():
        if not sites[0].chain:
            yield _hit(
                sites,
                f"is a {as_text(sites[0].param.location)} parameter; it is allowed only in the "
                "input body.",
                "Move the callback URL into a property of the body schema.",
            )
    for pointer in _misplaced_flags(ctx):
        yield Hit(
            pointer,
            "The notification URL property is not allowed in this position (an output "
            "schema); it is allowed only in the input body.",
            "Remove x-ms-notification-url here; mark the request body property instead.",
        )


@rule("NotificationUrlOnAction", "info", "Webhook action: waits for a callback, not a trigger")
def notification_url_on_action(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if ctx.kind(op) == "webhook-action":
            yield Hit(
                op.pointer,
                f"The operation {op.label} has a notification URL but no x-ms-trigger: it runs "
                "as a webhook action (the flow waits for the callback) and is not a trigger.",
                "Nothing to do for a wait-for-callback action. To start flows instead, add "
                "x-ms-trigger: single and a DELETE operation.",
            )


@rule("NotificationContentNotUsed", "info", "Notification content on a path without a webhook")
def notification_content_not_used(ctx: Context) -> Iterator[Hit]:
    paths = ctx.swagger.get("paths")
    receiving = {op.path for op in ctx.operations if op.is_trigger or ctx.callbacks_of(op)}
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict) or "x-ms-notification-content" not in item:
            continue
        if path not in receiving:
            yield Hit(
                join("/paths", path, "x-ms-notification-content"),
                f"The path {clip(str(path))} has x-ms-notification-content but no trigger or "
                "webhook operation that would receive it.",
                "Move it to the path of the webhook registration, or remove it.",
            )
