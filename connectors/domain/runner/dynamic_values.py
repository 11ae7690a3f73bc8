"""Dynamic values: call the operation that lists a trigger parameter's values, as the designer does.

Purpose: one step per trigger parameter with dynamic values (``dynamic:<operationId>:<name>``),
before the trigger's own lifecycle (the flow's author picks the value first). The step calls the
listing action (its method, path and parameters from the exported swagger; the mapped
parameters from the run's parameter values or the trigger parameters' defaults, fixed values as
given), authenticated like the trigger's request, through the ``Recorder``. The answer must be
200 with JSON holding the value collection (the answer itself when none is named), whose items
have the value path.

Output: the step, with ``Step.data`` = ``{"parameter": name, "operation": operationId,
"choices": [{"value": v, "title": t}, ...], "total": n}``: at most ``MAX_CHOICES`` choices, the
title being the item's title path (or the value when there is none), ``total`` all items.
"""

from __future__ import annotations

import json
from typing import Any

from connectors.domain.documents import DocumentError, load_json_text
from connectors.domain.runner.build import example_value, operation_request, resolve
from connectors.domain.runner.model import Step
from connectors.domain.runner.plan import Plan
from connectors.domain.runner.steps import Recorder
from connectors.domain.swagger.dynamic_values import DynamicValues, read_dynamic_values

MAX_CHOICES = 50
_MISSING = object()


def run_dynamic_values(
    plan: Plan, trigger: dict[str, Any], swagger: dict[str, Any], recorder: Recorder
) -> None:
    """One step for each of the trigger's parameters whose values an operation lists."""
    for parameter in trigger["request"].get("parameters") or []:
        dynamic = read_dynamic_values(parameter) if "ref" not in parameter else None
        if dynamic is None or not dynamic.operation_id:
            continue
        name = parameter["name"]
        key = f"dynamic:{trigger.get('operationId')}:{name}"
        with recorder.step(key, f"List the values of {name}") as step:
            step.data = {"parameter": name, "operation": dynamic.operation_id, "choices": []}
            list_values(plan, trigger, swagger, recorder, step, dynamic)


def _operation(swagger: dict[str, Any], operation_id: str) -> tuple[str, str, dict, list] | None:
    """(method, path, operation, parameters with path-level ones merged) of ``operation_id``."""
    for path, item in (swagger.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, node in item.items():
            if isinstance(node, dict) and node.get("operationId") == operation_id:
                shared = [resolve(p, swagger) for p in item.get("parameters") or []]
                own = [resolve(p, swagger) for p in node.get("parameters") or []]
                keys = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
                merged = [
                    p
                    for p in shared
                    if isinstance(p, dict) and (p.get("name"), p.get("in")) not in keys
                ]
                return method, path, node, merged + [p for p in own if isinstance(p, dict)]
    return None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else json.dumps(value)


def _mapped_values(
    plan: Plan, trigger: dict[str, Any], dynamic: DynamicValues, step: Step
) -> dict[str, str] | None:
    """The listing operation's parameter values; None, with a finding, when one has none."""
    own = {p.get("name"): p for p in trigger["request"].get("parameters") or [] if "ref" not in p}
    values: dict[str, str] = {}
    for mapping in dynamic.mappings:
        if mapping.parameter is None:
            values[mapping.name] = _text(mapping.value)
            continue
        source = own.get(mapping.parameter) or {}
        given = plan.parameter_values.get(mapping.parameter, source.get("default", _MISSING))
        if given is _MISSING or given is None:
            step.add(
                "MissingParameterValue",
                "error",
                f"{mapping.name} of {dynamic.operation_id} comes from the trigger's parameter "
                f"{mapping.parameter}, which has no default and no value for this run: give it "
                "a default or a value in the test form.",
            )
            return None
        values[mapping.name] = _text(given)
    return values


def list_values(
    plan: Plan,
    trigger: dict[str, Any],
    swagger: dict[str, Any],
    recorder: Recorder,
    step: Step,
    dynamic: DynamicValues,
) -> None:
    found = _operation(swagger, dynamic.operation_id)
    if found is None or "x-ms-trigger" in found[2]:
        what = "is not in the connector" if found is None else "is a trigger"
        step.add(
            "DynamicValuesOperationNotFound",
            "error",
            f"The operation {dynamic.operation_id} that lists the values {what}: choose an "
            "action of this connector under the parameter's Values.",
        )
        return
    method, path, _, parameters = found
    values = _mapped_values(plan, trigger, dynamic, step)
    if values is None:
        return
    call = operation_request(plan.base_url, path, parameters, swagger, values)
    if call.missing:
        step.add(
            "MissingParameterValue",
            "error",
            f"The path parameter(s) {', '.join(call.missing)} of {dynamic.operation_id} have no "
            "default and no mapping: map them under the parameter's Values.",
        )
        return
    body = next((p for p in parameters if p.get("in") == "body"), None)
    plan.authenticate(call.headers, call.params)
    exchange = recorder.call(
        step,
        method.upper(),
        call.full_url(),
        headers=call.headers,
        json=example_value(body.get("schema"), swagger) if body else None,
    )
    if exchange.error is None:
        check_answer(step, exchange.status, exchange.response_body, dynamic)


def _at(node: Any, path: str) -> Any:
    """The value at a "/"-separated path ("" is the node itself); ``_MISSING`` if absent."""
    for token in [t for t in path.split("/") if t]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def check_answer(step: Step, status: int | None, body: str | None, dynamic: DynamicValues) -> None:
    """The answer holds the collection, its items the value path; records the choices."""
    name = dynamic.operation_id
    if status != 200:
        step.add(
            "DynamicValuesStatus",
            "error",
            f"{name} answered {status}; the designer shows the dropdown only from a 200 answer "
            "with the list. Check the operation's path, parameters and authentication.",
        )
        return
    try:  # the app's own loader: bounded nesting, no NaN (a report's steps must stay JSON)
        answer = load_json_text(body or "", name=name)
    except DocumentError:
        step.add(
            "DynamicValuesNotJson", "error", f"{name} did not answer JSON: answer a JSON list."
        )
        return
    items = _at(answer, dynamic.collection)
    if not isinstance(items, list):
        where = f"'{dynamic.collection}'" if dynamic.collection else "the answer itself"
        step.add(
            "DynamicValuesCollectionMissing",
            "error",
            f"In {name}'s answer, {where} is not an array of items. Set the value collection "
            "to the property that holds the array (e.g. value), or leave it empty when the "
            "answer is the array.",
        )
        return
    _record_choices(step, items, dynamic)


def _record_choices(step: Step, items: list[Any], dynamic: DynamicValues) -> None:
    choices: list[dict[str, Any]] = []
    without = 0
    for item in items:
        value = _at(item, dynamic.value_path)
        if value is _MISSING or isinstance(value, dict | list):
            without += 1
            continue
        title = _at(item, dynamic.title_path) if dynamic.title_path else value
        if len(choices) < MAX_CHOICES:
            choices.append({"value": value, "title": value if title is _MISSING else title})
    step.data["choices"] = choices
    step.data["total"] = len(items)
    step.detail = f"{len(items)} value(s) listed by {dynamic.operation_id}."
    if without:
        step.add(
            "DynamicValuesValuePathMissing",
            "error",
            f"{without} of {len(items)} item(s) have no '{dynamic.value_path}' with a single "
            "value: set the value path to the property of each item that is the value.",
        )
    elif not items:
        step.add(
            "DynamicValuesEmpty",
            "info",
            f"{dynamic.operation_id} listed no values, so the flow's author would see an empty "
            "dropdown: create an item in the service to see one.",
        )
