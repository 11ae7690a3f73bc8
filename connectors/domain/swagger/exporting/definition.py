"""Design -> apiDefinition.swagger.json, as docs/design-mapping.md (the contract) lays it out.

Purpose: turn the design document into the Swagger 2.0 file Power Platform reads: the modeled
fields (general info, security, triggers with their notification and DELETE action) are written
from the design, and ``passthrough.swagger`` is merged back verbatim, in its own order. This
module does the document level; ``swagger.exporting.operations`` writes the operations into
``paths``.

Input: a design (``connectors.domain.design``); it is never changed.
Output: ``export_swagger`` gives the document as a ``dict`` whose key order is the file's order
(sharing nothing with the design, or with ``share=True`` sharing its values: for readers);
``dump_json`` / ``dump_yaml`` render it as text. The same design always gives the same dict and
so byte-identical text.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from connectors.domain.design import clone_json
from connectors.domain.swagger.exporting.operations import export_paths, merge_extras

Swagger = dict[str, Any]

# Top-level order from the contract; every other passthrough key follows in passthrough order.
_LEADING_KEYS = (
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
)
# Passthrough keys the design models: the design's value wins over a stale passthrough copy.
_MODELED_TOP_KEYS = frozenset({"swagger", "host", "basePath", "schemes"})
DEFAULT_DEFINITION_NAMES = {"basic": "basic_auth", "apiKey": "API Key", "oauth2": "oauth2_auth"}
_METADATA_NAMES = {"website": "Website", "privacyPolicy": "Privacy policy"}
_MODELED_METADATA = frozenset({"Website", "Privacy policy", "Categories"})


def export_swagger(design: dict[str, Any], *, share: bool = False) -> Swagger:
    """The apiDefinition.swagger.json document of ``design``.

    A new document sharing nothing with ``design``; with ``share=True`` it may hold the design's
    own values (schemas, passthrough), which saves a deep copy for callers that only read it
    (dump, lint, diff) and must not be changed. The design is never changed either way.
    """
    built = _build(design)
    return built if share else clone_json(built)


def _build(design: dict[str, Any]) -> Swagger:
    general = design["general"]
    passthrough: dict[str, Any] = design.get("passthrough", {}).get("swagger") or {}
    info = passthrough.get("info")
    # An imported ``info`` that is not an object stays in passthrough (the import notes it);
    # the design's general info is the exported one.
    built: Swagger = {
        "swagger": "2.0",
        "info": _info(general, info if isinstance(info, dict) else None),
    }
    # The design's value wins; an imported value the design could not hold (a host that is not
    # text, a "wss" scheme) stays in passthrough and comes back from there.
    for key in ("host", "basePath", "schemes"):
        value = general.get(key) or passthrough.get(key)
        if value or key in passthrough:
            built[key] = value
    paths = passthrough.get("paths")
    built["paths"] = export_paths(design["triggers"], paths if isinstance(paths, dict) else {})
    definitions = _security_definitions(design["security"], passthrough.get("securityDefinitions"))
    if definitions is not None:
        built["securityDefinitions"] = definitions
    metadata = _connector_metadata(
        general.get("metadata"), passthrough.get("x-ms-connector-metadata")
    )
    return _ordered(built, passthrough, metadata)


def _ordered(built: Swagger, passthrough: Swagger, metadata: list[Any] | None) -> Swagger:
    doc: Swagger = {}
    for key in _LEADING_KEYS:
        if key in built:
            doc[key] = built[key]
        elif key in passthrough:
            doc[key] = passthrough[key]
    for key, value in passthrough.items():
        if key == "x-ms-connector-metadata":
            if metadata is not None:
                doc[key] = metadata
        elif key not in doc and key not in _MODELED_TOP_KEYS:
            doc[key] = value
    if metadata is not None and "x-ms-connector-metadata" not in doc:
        doc["x-ms-connector-metadata"] = metadata
    return doc


def _info(general: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    # description is always written: paconn's upsert reads info.description without a default.
    info = {
        "title": general["title"],
        "description": general.get("description") or "",
        "version": general.get("version") or "1.0",
    }
    merge_extras(info, extra)
    return info


def _connector_metadata(metadata: dict[str, Any] | None, extra: Any) -> Any:
    metadata = metadata or {}
    entries: list[Any] = [
        {"propertyName": name, "propertyValue": metadata[key]}
        for key, name in _METADATA_NAMES.items()
        if metadata.get(key)
    ]
    if metadata.get("categories"):
        entries.append(
            {"propertyName": "Categories", "propertyValue": ";".join(metadata["categories"])}
        )
    if extra is not None and not isinstance(extra, list):
        return entries if entries else extra  # an odd imported value, kept as it was
    for entry in extra or []:
        name = entry.get("propertyName") if isinstance(entry, dict) else None
        if not (isinstance(name, str) and name in _MODELED_METADATA):
            entries.append(entry)
    if not entries and extra is None:
        return None
    return entries


def _security_definitions(security: dict[str, Any], extra: Any) -> Any:
    if extra is not None and not isinstance(extra, dict):
        return extra  # an odd imported value: the linter reports it, export keeps it
    entries: dict[str, Any] = {}
    if security["type"] != "none":
        name = security.get("definitionName") or DEFAULT_DEFINITION_NAMES[security["type"]]
        entries[name] = _security_definition(security)
    for name, value in (extra or {}).items():
        entries.setdefault(name, value)
    if not entries and extra is None:
        return None
    return entries


def _security_definition(security: dict[str, Any]) -> dict[str, Any]:
    extras = dict(security.get("extras") or {})
    kind = security["type"]
    if kind == "basic":
        out: dict[str, Any] = {"type": "basic"}
    elif kind == "apiKey":
        config = security.get("apiKey") or {}
        out = {
            "type": "apiKey",
            "in": config.get("in") or "header",
            "name": config.get("name") or "api_key",
        }
    else:
        out = _oauth2_definition(security.get("oauth2") or {}, extras.pop("scopes", None))
    merge_extras(out, extras)
    return out


def _oauth2_definition(config: dict[str, Any], described: Any) -> dict[str, Any]:
    flow = config.get("flow") or "accessCode"
    out: dict[str, Any] = {"type": "oauth2", "flow": flow}
    # Swagger 2.0 allows each URL only on the flows that use it.
    if flow in ("accessCode", "implicit"):
        out["authorizationUrl"] = config.get("authorizationUrl") or ""
    if flow in ("accessCode", "password", "application"):
        out["tokenUrl"] = config.get("tokenUrl") or ""
    described = described if isinstance(described, dict) else {}
    out["scopes"] = {
        scope: described[scope] if isinstance(described.get(scope), str) else scope
        for scope in config.get("scopes") or []
    }
    return out


def dump_json(doc: dict[str, Any]) -> str:
    """JSON text: 4-space indent (Microsoft's coding standards), UTF-8 as is, final newline."""
    return json.dumps(doc, indent=4, ensure_ascii=False, separators=(",", ": ")) + "\n"


class _YamlDumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their key, as the portal's Swagger editor does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (descriptions) reads best as a literal block; PyYAML falls back to a quoted
    # style by itself when a block could not hold the text exactly (e.g. trailing spaces).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YamlDumper.add_representer(str, _represent_str)


def dump_yaml(doc: dict[str, Any]) -> str:
    """YAML text that loads back (``yaml.safe_load``) to a dict equal to ``doc``.

    Key order is kept; strings YAML 1.1 would read as something else ("yes", "on", "2024-01-01",
    "1.0", "null") are quoted by the dumper's resolver check; lines are never folded, so long
    URLs and descriptions stay on one line.
    """
    return yaml.dump(
        doc,
        Dumper=_YamlDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**30,
        indent=2,
    )
