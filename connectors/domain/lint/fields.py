"""Map a finding's swagger pointer back to the design field it comes from.

Purpose: the wizard shows a finding beside the field to change, so each finding carries a JSON
pointer into the design, following docs/design-mapping.md (the export contract) in reverse.
Input: the ``Context`` (its design and operations) and a rule's ``Hit``.
Output: a design pointer such as ``/triggers/0/summary`` or ``/general/host``, or ``None`` when the
pointer lies in passthrough (actions, shared definitions) or no design was given.
"""

from __future__ import annotations

from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.lint.context import PROPERTIES_PREFIX, Context
from connectors.domain.lint.model import Hit
from connectors.domain.lint.refs import join, unescape
from connectors.domain.lint.walker import Operation

# Same names in the swagger and under the design's "general".
_GENERAL = ("host", "basePath", "schemes")
_INFO = ("title", "description", "version")
_PROPERTIES = ("iconBrandColor", "publisher", "stackOwner")
# Operation keys the design models under another name; others go to "extensions".
_OPERATION_KEYS = {
    "summary": "summary",
    "description": "description",
    "operationId": "operationId",
    "x-ms-visibility": "visibility",
    "x-ms-trigger": "cardinality",
    "x-ms-trigger-hint": "triggerHint",
    "x-ms-trigger-metadata": "polling/metadata",
}
_PARAMETER_KEYS = {"x-ms-summary": "summary", "x-ms-visibility": "visibility"}
_PARAMETER_KEYS.update({k: k for k in ("name", "in", "required", "type", "default", "description")})


def _tokens(pointer: str) -> list[str]:
    return [unescape(t) for t in pointer.split("/")[1:]] if pointer else []


def _tail(tokens: list[str]) -> str:
    return join("", *tokens)


def _base(ctx: Context, op: Operation) -> tuple[str, dict[str, Any]] | None:
    """Design pointer and object of what ``op`` is in the design: a trigger or a DELETE action."""
    index = ctx.design_trigger(op)
    if index is not None:
        return (f"/triggers/{index}", ctx.design["triggers"][index])
    if op.method != "delete":
        return None
    for index in ctx.design_triggers.values():
        action = ctx.design["triggers"][index].get("deleteAction")
        if isinstance(action, dict) and action.get("path") == op.path:
            return (f"/triggers/{index}/deleteAction", action)
    return None


def _operation_at(ctx: Context, tokens: list[str]) -> Operation | None:
    if len(tokens) >= 3 and tokens[0] == "paths" and tokens[2] in HTTP_METHODS:
        return ctx.by_pointer.get(join("/paths", tokens[1], tokens[2]))
    return None


def _design_param(owner: dict[str, Any], node: dict[str, Any], ref: Any) -> str | None:
    request = owner.get("request") if isinstance(owner.get("request"), dict) else owner
    params = request.get("parameters") if isinstance(request, dict) else None
    for index, item in enumerate(params if isinstance(params, list) else []):
        if not isinstance(item, dict):
            continue
        if (ref is not None and item.get("ref") == ref) or (
            ref is None
            and item.get("name") == node.get("name")
            and item.get("in") == node.get("in")
        ):
            return f"{'/request' if request is not owner else ''}/parameters/{index}"
    body = request.get("body") if isinstance(request, dict) else None
    body_ref = body.get("ref") if isinstance(body, dict) else None
    if request is not owner and (node.get("in") == "body" or (ref and ref == body_ref)):
        return "/request/body"
    return None


def _parameter_field(owner: dict[str, Any], raw: Any, node: Any, rest: list[str]) -> str | None:
    if not isinstance(node, dict):
        return None
    ref = raw.get("$ref") if isinstance(raw, dict) else None
    where = _design_param(owner, node, ref)
    if where is None or not rest or ref is not None:
        return where
    if rest[0] == "schema" or where.endswith("/body"):
        return where + _tail(rest)
    if rest[0] == "x-ms-trigger-value":  # export writes it from the trigger's polling settings
        return "/polling"
    key = _PARAMETER_KEYS.get(rest[0])
    return where + "/" + key if key else where + join("/extras", *rest)


def _in_operation(ctx: Context, op: Operation, rest: list[str]) -> str | None:
    found = _base(ctx, op)
    if found is None:
        return None
    base, owner = found
    if not rest:
        return base
    if rest[0] == "parameters" and len(rest) >= 2:
        raw_list = op.node.get("parameters")
        index = int(rest[1]) if rest[1].isdigit() else -1
        if not isinstance(raw_list, list) or not 0 <= index < len(raw_list):
            return base
        raw = raw_list[index]
        node, _ = ctx.resolver.resolve(raw, "")
        where = _parameter_field(owner, raw, node, rest[2:])
        return base + where if where else base
    if rest[0] == "responses":
        return base + _tail(rest)
    key = _OPERATION_KEYS.get(rest[0])
    return base + "/" + key if key else base + join("/extensions", *rest)


def _path_trigger(ctx: Context, path: str) -> Operation | None:
    """The first operation on ``path`` that is a design trigger (path-level facts belong to it)."""
    found = (op for op in ctx.operations if op.path == path and ctx.design_trigger(op) is not None)
    return next(found, None)


def _notification(ctx: Context, tokens: list[str]) -> str | None:
    op = _path_trigger(ctx, tokens[1])
    if op is None:
        return None
    rest = tokens[3:]
    known = not rest or rest[0] in ("schema", "description")
    return f"/triggers/{ctx.design_trigger(op)}/notification" + (_tail(rest) if known else "")


def _top_level(ctx: Context, tokens: list[str]) -> str | None:
    head = tokens[0] if tokens else ""
    if head in _GENERAL:
        return "/general/" + head + _tail(tokens[1:2])
    if head == "info" and len(tokens) > 1 and tokens[1] in _INFO:
        return "/general/" + tokens[1]
    if head == "x-ms-connector-metadata":
        return "/general/metadata"
    definitions = ctx.swagger.get("securityDefinitions")
    if head == "securityDefinitions" and isinstance(definitions, dict) and len(tokens) > 1:
        return "/security" if tokens[1] == next(iter(definitions), None) else None
    return None


def _properties_field(ctx: Context, pointer: str) -> str | None:
    tokens = _tokens(pointer[len(PROPERTIES_PREFIX) :])
    if tokens[:2] == ["properties", "policyTemplateInstances"] and len(tokens) > 2:
        names = {n for p in ctx.policies if p.pointer == pointer for n in p.operation_ids}
        for op in ctx.operations:
            index = ctx.design_trigger(op)
            if index is not None and op.operation_id in names:
                return f"/triggers/{index}/polling/policy"
        return None
    if tokens[:1] == ["properties"] and len(tokens) > 1:
        if tokens[1] == "connectionParameters":
            return "/security"
        return "/general/" + tokens[1] if tokens[1] in _PROPERTIES else None
    return None


def design_field(ctx: Context, hit: Hit) -> str | None:
    """The design pointer ``hit`` comes from, when a design was given and one exists."""
    if not ctx.design:
        return None
    if hit.pointer.startswith(PROPERTIES_PREFIX):
        return _properties_field(ctx, hit.pointer)
    tokens = _tokens(hit.pointer)
    op = ctx.by_pointer.get(hit.operation or "") or _operation_at(ctx, tokens)
    if op is None and hit.design_key is not None and len(tokens) == 2 and tokens[0] == "paths":
        op = _path_trigger(ctx, tokens[1])
    if op is not None and hit.design_key is not None:
        found = _base(ctx, op)
        if found is None:
            return None
        key = hit.design_key
        if found[0].endswith("/deleteAction") and key.startswith("request/"):
            key = key[len("request/") :]  # a DELETE action keeps its parameters at top level
        return found[0] + "/" + key
    if op is not None and (hit.pointer + "/").startswith(op.pointer + "/"):
        return _in_operation(ctx, op, _tokens(hit.pointer[len(op.pointer) :]))
    if op is not None and tokens[:1] == ["parameters"] and len(tokens) > 1:
        found = _base(ctx, op)
        where = found and _design_param(found[1], {}, "#" + join("", *tokens[:2]))
        return found[0] + where if found and where else None
    if len(tokens) >= 3 and tokens[0] == "paths" and tokens[2] == "x-ms-notification-content":
        return _notification(ctx, tokens)
    return _top_level(ctx, tokens)
