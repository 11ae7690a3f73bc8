"""Polling settings of an imported trigger: state parameter, metadata, retry interval, policy.

Purpose: gather what makes a polling trigger poll, from three places: the parameter carrying
``x-ms-trigger-value`` (state parameter, value collection and value path), the operation's
``x-ms-trigger-metadata`` and its ``Retry-After`` answer, and the apiProperties
``pollingtrigger`` policy instance that names the operation. What does not fit the design's
shape stays verbatim where it was (parameter extras, operation extensions, passthrough).

Input: the document, the trigger being built, its operation extensions, a ``PolicyPool``.
Output: the design's ``polling`` object and notes.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from connectors.domain.refs import resolve

# Logic Apps offers connector polling triggers a 3-minute recurrence by default; Power Automate
# then clamps to the plan's minimum (5 or 15 minutes). Used only when the file declares nothing.
DEFAULT_RETRY_INTERVAL = 180
_METADATA = {"kind": "query", "mode": "polling"}
_POLICY_PARAMETERS = (
    "x-ms-apimTemplate-operationName",
    "x-ms-apimTemplateParameter.triggerConfig",
    "x-ms-apimTemplateParameter.triggerDataPath",
)
_SECONDS = re.compile(r"^\s*\d{1,5}\s*$")


class PolicyPool:
    """The apiProperties ``pollingtrigger`` instances; each can be taken by one trigger."""

    def __init__(self, instances: list[Any]) -> None:
        self.instances = [
            p
            for p in instances
            if isinstance(p, dict) and str(p.get("templateId", "")).lower() == "pollingtrigger"
        ]
        self.taken: list[dict[str, Any]] = []

    def take(self, operation_id: str, label: str, notes: list[str]) -> dict[str, Any] | None:
        for instance in self.instances:
            names = _operation_names(instance)
            if operation_id not in names or any(instance is t for t in self.taken):
                continue
            policy = _model_policy(instance) if names == [operation_id] else None
            if policy is None:
                title = instance.get("title")
                notes.append(
                    f"{label}: pollingtrigger policy {title!r} does not fit the design (it names "
                    "several operations or holds values it cannot); kept verbatim in apiProperties"
                )
                return None
            self.taken.append(instance)
            notes.append(f"{label}: pollingtrigger policy {policy.get('title')!r} imported")
            return policy
        return None

    def is_taken(self, instance: Any) -> bool:
        return any(instance is t for t in self.taken)


def import_polling(
    doc: dict[str, Any],
    trigger: dict[str, Any],
    extensions: dict[str, Any],
    pool: PolicyPool,
    notes: list[str],
    label: str,
) -> dict[str, Any]:
    """The design's ``polling`` object of ``trigger``; ``label`` names it in notes."""
    polling: dict[str, Any] = {"stateParameter": None, "valueCollection": None, "valuePath": None}
    if extensions.get("x-ms-trigger-metadata") == _METADATA:
        del extensions["x-ms-trigger-metadata"]
        polling["metadata"] = True
    else:
        polling["metadata"] = False
        if "x-ms-trigger-metadata" in extensions:
            notes.append(
                f"{label}: x-ms-trigger-metadata is not {{kind: query, mode: polling}}; "
                "kept verbatim"
            )
    _take_state_parameter(doc, trigger["request"]["parameters"], polling, label, notes)
    polling["retryInterval"] = _retry_interval(doc, trigger.get("responses"), label, notes)
    _drop_retry_defaults(trigger.get("responses"))
    polling["policy"] = (
        pool.take(trigger["operationId"], label, notes) if trigger["operationId"] else None
    )
    return polling


def _take_state_parameter(
    doc: dict[str, Any],
    parameters: list[dict[str, Any]],
    polling: dict[str, Any],
    label: str,
    notes: list[str],
) -> None:
    for parameter in parameters:
        raw = (
            resolve(doc, {"$ref": parameter["ref"]}, "")[0]
            if "ref" in parameter
            else parameter.get("extras", {})
        )
        if not isinstance(raw, dict) or "x-ms-trigger-value" not in raw:
            continue
        name = raw.get("name") if "ref" in parameter else parameter["name"]
        polling["stateParameter"] = name if isinstance(name, str) else None
        value = raw["x-ms-trigger-value"]
        exact = isinstance(value, dict) and set(value) == {"value-collection", "value-path"}
        if "ref" not in parameter and exact and all(isinstance(v, str) for v in value.values()):
            del parameter["extras"]["x-ms-trigger-value"]
            polling["valueCollection"] = value["value-collection"]
            polling["valuePath"] = value["value-path"]
        elif "ref" not in parameter:
            notes.append(
                f"{label}: x-ms-trigger-value of '{name}' has an unusual shape; kept verbatim"
            )
        return


def _retry_interval(doc: dict[str, Any], responses: Any, label: str, notes: list[str]) -> int:
    """The declared ``Retry-After`` default of a 202/200 answer, else the default interval."""
    for code in ("202", "200"):
        answer = resolve(doc, responses.get(code), "")[0] if isinstance(responses, dict) else None
        headers = answer.get("headers") if isinstance(answer, dict) else None
        for name, header in (headers or {}).items() if isinstance(headers, dict) else ():
            default = header.get("default") if isinstance(header, dict) else None
            if name.lower() == "retry-after" and _is_seconds(default):
                seconds = int(default)  # type: ignore[arg-type]
                if 1 <= seconds <= 86400:
                    notes.append(
                        f"{label}: retry interval {seconds} s from the declared Retry-After"
                    )
                    return seconds
    notes.append(
        f"{label}: no Retry-After default declared; retry interval guessed as "
        f"{DEFAULT_RETRY_INTERVAL} s (Logic Apps' default polling recurrence)"
    )
    return DEFAULT_RETRY_INTERVAL


def _drop_retry_defaults(responses: Any) -> None:
    """The export writes the retry interval as the default of every ``Retry-After`` header it
    finds: the defaults the file had are that interval now, so the design keeps none (and
    importing an export gives back the same design)."""
    for response in responses.values() if isinstance(responses, dict) else ():
        headers = response.get("headers") if isinstance(response, dict) else None
        for name, header in headers.items() if isinstance(headers, dict) else ():
            if name.lower() == "retry-after" and isinstance(header, dict):
                header.pop("default", None)


def _is_seconds(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(_SECONDS.match(value)))


def _operation_names(instance: dict[str, Any]) -> list[Any]:
    parameters = instance.get("parameters")
    names = (
        parameters.get("x-ms-apimTemplate-operationName") if isinstance(parameters, dict) else None
    )
    return names if isinstance(names, list) else []


def _model_policy(instance: dict[str, Any]) -> dict[str, Any] | None:
    """The design's policy, or None when the instance has values the design cannot hold."""
    parameters = instance.get("parameters")
    if not isinstance(parameters, dict):
        return None
    config = parameters.get("x-ms-apimTemplateParameter.triggerConfig")
    data_path = parameters.get("x-ms-apimTemplateParameter.triggerDataPath")
    title = instance.get("title")
    if not isinstance(config, dict) or not all(isinstance(v, str) for v in config.values()):
        return None
    if not isinstance(data_path, str) or not (title is None or isinstance(title, str)):
        return None
    # The export writes templateId, title, type and the three parameters itself, then extras
    # (other parameters under "parameters") without overwriting them.
    extras = {k: copy.deepcopy(v) for k, v in instance.items() if k not in ("title", "parameters")}
    others = {k: copy.deepcopy(v) for k, v in parameters.items() if k not in _POLICY_PARAMETERS}
    if others:
        extras["parameters"] = others
    policy: dict[str, Any] = {
        "triggerConfig": copy.deepcopy(config),
        "triggerDataPath": data_path,
        "extras": extras,
    }
    if "title" in instance:
        policy["title"] = title
    return policy
