"""A tray.io trigger connector of a design, in the layout of tray's Falafel framework.

Purpose: tray.io runs a trigger connector as Falafel message folders. For each webhook trigger
of the design this writes one folder: ``schema.js`` (the inputs the workflow's author fills: the
registration's parameters and body properties, and the delivery mode), ``model.js`` (the
registration request, tray's webhook URL at the design's callback pointer), ``destroy.js`` (the
DELETE at the DELETE action's path with the registration's id, or at its Location),
``request.js`` (which requests start the workflow; the body is what it gets) and, in
``acknowledge`` mode, ``response.js``. Polling triggers have no place in this layout: they are
left out and the connector's README says so.

Input: a design (``connectors.domain.design``).
Output: ``tray_files`` -> {path in the zip: text}; ``build_tray_package`` -> the zip's bytes
(sorted entries, fixed times: the same design gives the same bytes).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from connectors.domain.documents import escape_pointer
from connectors.domain.refs import Resolver
from connectors.domain.swagger.exporting import tray_js
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.domain.swagger.exporting.tray_js import js, module_js

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_FALAFEL_TYPES = {"string", "integer", "number", "boolean", "array", "object"}
DEFAULT_REPLY = {"status": 200, "contentType": "application/json", "body": ""}


def snake(text: str, fallback: str) -> str:
    """``OnIssueOpened`` -> ``on_issue_opened``: a folder name Falafel turns into a message."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    name = re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
    return name or fallback


def connector_name(design: dict[str, Any]) -> str:
    """``GitHub issues`` -> ``github_issues_trigger`` (a title's words, not its capitals)."""
    words = re.sub(r"[^a-z0-9]+", "_", design["general"]["title"].lower()).strip("_")
    return (words or "connector") + "_trigger"


def tray_settings(trigger: dict[str, Any]) -> dict[str, Any]:
    """The trigger's ``tray`` object with its defaults filled in."""
    tray = dict(trigger.get("tray") or {})
    tray.setdefault("delivery", "fire_and_forget")
    tray["filter"] = dict(tray.get("filter") or {})
    tray["reply"] = {**DEFAULT_REPLY, **(tray.get("reply") or {})}
    return tray


def _resolver(design: dict[str, Any]) -> Resolver:
    """``$ref``s (shared parameters, bodies, definitions) read in the exported swagger."""
    return Resolver(export_swagger(design, share=True))


def _followed(resolver: Resolver, node: Any) -> Any:
    if isinstance(node, dict) and "ref" in node:  # the design's {"ref": "#/..."}
        node = {"$ref": node["ref"]}
    return resolver.resolve(node, "")[0]


def _parameters(resolver: Resolver, trigger: dict[str, Any]) -> list[dict[str, Any]]:
    """The registration's parameters, shared ones read from the swagger."""
    found = []
    for raw in trigger["request"]["parameters"]:
        parameter = _followed(resolver, raw)
        if not isinstance(parameter, dict):
            continue
        if parameter.get("name") and parameter.get("in") in ("path", "query", "header"):
            found.append(parameter)
    return found


def _input(schema: dict[str, Any], title: str, *, required: bool) -> dict[str, Any]:
    kind = schema.get("type")
    entry: dict[str, Any] = {"type": kind if kind in _FALAFEL_TYPES else "string"}
    entry["title"] = title
    if schema.get("description"):
        entry["description"] = schema["description"]
    if "default" in schema:
        entry["default"] = schema["default"]
    if schema.get("enum"):
        entry["enum"] = schema["enum"]
    if required:
        entry["required"] = True
    return entry


def _body_schema(resolver: Resolver, trigger: dict[str, Any]) -> dict[str, Any]:
    body = _followed(resolver, trigger["request"].get("body"))
    schema = _followed(resolver, body.get("schema")) if isinstance(body, dict) else None
    return schema if isinstance(schema, dict) else {}


def trigger_inputs(
    design: dict[str, Any], trigger: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """(schema.js inputs, {path|query|header|body: {input name: name in the request}}).
    A top-level body property that is itself the callback is tray's to fill, not an input."""
    inputs: dict[str, Any] = {}
    where: dict[str, dict[str, str]] = {"path": {}, "query": {}, "header": {}, "body": {}}
    resolver = _resolver(design)
    for parameter in _parameters(resolver, trigger):
        name = parameter["name"]
        inputs[name] = _input(
            {**parameter, **(parameter.get("extras") or {})},
            parameter.get("summary") or name,
            required=bool(parameter.get("required")),
        )
        where[parameter["in"]][name] = name
    schema = _body_schema(resolver, trigger)
    pointer = trigger["request"].get("callbackPointer") or ""
    required = set(schema.get("required") or [])
    for name, raw in (schema.get("properties") or {}).items():
        prop = _followed(resolver, raw)
        if not isinstance(prop, dict) or pointer == "/" + escape_pointer(name):
            continue
        key = name if name not in inputs else f"body_{name}"
        title = prop.get("x-ms-summary") or name
        inputs[key] = _input(
            prop, title, required=name in required and prop.get("type") != "object"
        )
        where["body"][key] = name
    return inputs, where


def _schema_js(trigger: dict[str, Any], tray: dict[str, Any], inputs: dict[str, Any]) -> str:
    schema = {
        "title": trigger.get("summary") or trigger.get("operationId") or "Trigger",
        "description": trigger.get("description") or "",
        "delivery": tray["delivery"],
        "input": inputs,
    }
    return module_js("The trigger's inputs, as the workflow's author sees them.", schema)


def _destroy_js(trigger: dict[str, Any], where: dict[str, dict[str, str]]) -> str:
    action = trigger.get("deleteAction")
    if not action:
        return tray_js.destroy_js(path=None, path_inputs={}, id_name=None)
    names = _TEMPLATE.findall(action["path"])
    unknown = [name for name in names if name not in where["path"].values()]
    if not unknown:  # nothing in the path names the hook: the Location does
        return tray_js.destroy_js(path=None, path_inputs={}, id_name=None)
    return tray_js.destroy_js(path=action["path"], path_inputs=where["path"], id_name=unknown[-1])


def _sample(trigger: dict[str, Any]) -> Any:
    samples = (trigger.get("notification") or {}).get("samples") or []
    return samples[0] if samples else {}


def message_files(design: dict[str, Any], trigger: dict[str, Any]) -> dict[str, str]:
    """The files of one webhook trigger's message folder, by file name."""
    tray = tray_settings(trigger)
    inputs, where = trigger_inputs(design, trigger)
    request = trigger["request"]
    files = {
        "schema.js": _schema_js(trigger, tray, inputs),
        "model.js": tray_js.model_js(
            method=request["method"],
            path=request["path"],
            inputs=where,
            pointer=request.get("callbackPointer"),
        ),
        "response.sample.json": js(_sample(trigger)) + "\n",
        "destroy.js": _destroy_js(trigger, where),
        "request.js": tray_js.request_js(tray=tray),
    }
    if tray["delivery"] == "acknowledge":
        files["response.js"] = tray_js.RESPONSE
    return files


def base_url(design: dict[str, Any]) -> str:
    general = design["general"]
    scheme = "https" if "https" in (general.get("schemes") or ["https"]) else "http"
    return f"{scheme}://{general['host']}{(general.get('basePath') or '/').rstrip('/')}"


def _auth(design: dict[str, Any]) -> dict[str, Any]:
    security = design["security"]
    key = security.get("apiKey") or {}
    return {"type": security["type"], "name": key.get("name"), "in": key.get("in")}


def _message_names(triggers: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for index, trigger in enumerate(triggers):
        name = snake(trigger.get("operationId") or "", f"trigger_{index + 1}")
        names.append(name if name not in names else f"{name}_{index + 1}")
    return names


def tray_files(design: dict[str, Any]) -> dict[str, str]:
    """Every file of the connector, by its path in the zip."""
    general = design["general"]
    name = connector_name(design)
    folder = f"connectors/{name}"
    webhooks = [t for t in design["triggers"] if t["kind"] == "webhook"]
    connector = {
        "title": general["title"],
        "description": general.get("description") or "",
        "version": general.get("version") or "1.0",
        "tags": ["trigger"],
    }
    files = {
        "package.json": tray_js.package_json(name, "1.0.0", general.get("description") or ""),
        "index.js": tray_js.INDEX,
        "README.md": _readme(design, name),
        f"{folder}/connector.js": module_js("The connector, as tray lists it.", connector),
        f"{folder}/global_model.js": tray_js.global_model_js(
            base_url=base_url(design), auth=_auth(design)
        ),
    }
    for message, trigger in zip(_message_names(webhooks), webhooks, strict=True):
        for file_name, text in message_files(design, trigger).items():
            files[f"{folder}/{message}/{file_name}"] = text
    return files


def _readme(design: dict[str, Any], name: str) -> str:
    lines = [f"# {design['general']['title']} (tray.io trigger connector `{name}`)", ""]
    lines += [
        "A Falafel connector: `npm install`, then tray runs `index.js`. Each folder under "
        f"`connectors/{name}/` is one trigger.",
        "",
    ]
    webhooks = [t for t in design["triggers"] if t["kind"] == "webhook"]
    for message, trigger in zip(_message_names(webhooks), webhooks, strict=True):
        mode = tray_settings(trigger)["delivery"]
        lines.append(f"- `{message}`: {trigger.get('summary') or message} (delivery: {mode})")
    polling = [t for t in design["triggers"] if t["kind"] != "webhook"]
    if polling:
        lines += ["", "## Left out", ""]
        lines += [
            f"- {t.get('summary') or t.get('operationId')}: a polling trigger; tray's trigger "
            "connectors are webhooks, so it is not in this connector."
            for t in polling
        ]
    if not webhooks:
        lines += ["", "The design has no webhook trigger yet: the connector has no message."]
    return "\n".join(lines) + "\n"


def build_tray_package(design: dict[str, Any]) -> bytes:
    """The zip of ``tray_files(design)``."""
    buffer = io.BytesIO()
    files = tray_files(design)
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            entry = zipfile.ZipInfo(path, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[path].encode("utf-8"), compresslevel=9)
    return buffer.getvalue()
