"""Swagger 2.0 connector files (JSON or YAML) -> a design, triggers staying triggers.

Purpose: the import side of docs/design-mapping.md. Every operation with ``x-ms-trigger``
becomes a design trigger (webhook when its path item has ``x-ms-notification-content`` or a
parameter or body property carries ``x-ms-notification-url``, polling otherwise); the DELETE
operation that unsubscribes each webhook trigger moves into the trigger's ``deleteAction``;
general info, the first security definition and the apiProperties fields the design models are
taken out; everything else stays verbatim in ``passthrough``, so that exporting the design gives
back the same trigger facts. Operations with ``x-ms-notification-url`` but no ``x-ms-trigger``
("webhook actions") are actions and stay in passthrough.

Input: the swagger (bytes, text or an already parsed dict) and optionally apiProperties.
Output: ``ImportResult(design, notes)``; ``notes`` tell the user what became triggers, which
DELETE was matched, what stayed in passthrough and what was guessed. Bad input raises
``SwaggerImportError`` (a ``ValueError``) with a pointer, or line and column when the file
could not be parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.domain.design import DESIGN_VERSION, DesignError, clone_json, validate_design
from connectors.domain.documents import (
    DocumentError,
    check_content_size,
    check_tree,
    load_document,
)
from connectors.domain.refs import SwaggerImportError, check_refs
from connectors.domain.swagger.exporting.properties import without_secrets
from connectors.domain.swagger.importing.general import import_general
from connectors.domain.swagger.importing.paths import PathsImport
from connectors.domain.swagger.importing.polling import PolicyPool
from connectors.domain.swagger.importing.security import import_security

__all__ = ["ImportResult", "SwaggerImportError", "import_connector"]

SWAGGER_NAME = "apiDefinition.swagger.json"
PROPERTIES_NAME = "apiProperties.json"


@dataclass(frozen=True)
class ImportResult:
    design: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def import_connector(
    swagger: bytes | str | dict[str, Any],
    properties: bytes | str | dict[str, Any] | None = None,
) -> ImportResult:
    """Read a connector's swagger (and apiProperties) into a validated design."""
    doc = _read(swagger, SWAGGER_NAME)
    props = _read(properties, PROPERTIES_NAME) if properties is not None else {}
    try:
        design, notes = _build(doc, props)
    except SwaggerImportError as exc:
        raise exc.named(SWAGGER_NAME) from exc
    try:
        validate_design(design)
    except DesignError as exc:  # a gap in this importer, reported rather than crashing
        raise SwaggerImportError(f"the imported design is not valid: {exc}") from exc
    return ImportResult(design, notes)


def _build(doc: dict[str, Any], props: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The design and the notes; passthrough copies lose what the design now holds."""
    _check_version(doc)
    check_refs(doc)
    notes: list[str] = []
    passthrough = clone_json(doc)  # plain JSON values (``_read`` made sure): the fast copy
    passthrough.pop("swagger", None)
    props_passthrough = clone_json(props)
    section = _properties_section(props_passthrough)
    pool = PolicyPool(_policy_list(section))
    triggers = PathsImport(doc, passthrough, pool, notes).run()
    if section is not None and pool.taken:
        section["policyTemplateInstances"] = [
            p for p in section["policyTemplateInstances"] if not pool.is_taken(p)
        ]
    general = import_general(passthrough, props_passthrough, notes)
    connection = section.get("connectionParameters") if section is not None else None
    design = {
        "designVersion": DESIGN_VERSION,
        "general": general,
        "security": import_security(passthrough, connection, notes),
        "triggers": triggers,
        # The export never writes a client secret, so the design never keeps one either.
        "passthrough": {"swagger": passthrough, "properties": without_secrets(props_passthrough)},
    }
    kept = [key for key in passthrough if key not in ("paths", "x-ms-connector-metadata")]
    if kept:
        notes.append(f"kept verbatim in passthrough: {', '.join(kept)}")
    return design, notes


def _read(source: bytes | str | dict[str, Any], name: str) -> dict[str, Any]:
    try:
        if isinstance(source, dict):
            checked: dict[str, Any] = check_tree(source, name=name)
            check_content_size(checked, name=name)
            return checked
        if isinstance(source, bytes | str):
            return load_document(source, name=name)
    except DocumentError as exc:
        raise SwaggerImportError.from_document(exc) from exc
    raise SwaggerImportError(f"{name}: expected file content or a parsed object")


def _check_version(doc: dict[str, Any]) -> None:
    if "openapi" in doc:
        version = doc["openapi"]
        raise SwaggerImportError(
            "Power Platform takes Swagger 2.0 (OpenAPI 2.0); this file is OpenAPI "
            f"{version}. Convert it to Swagger 2.0 first (with an OpenAPI 3 to 2 converter such "
            "as APIMatic's), then import it again.",
            pointer="/openapi",
        )
    if "swagger" not in doc:
        raise SwaggerImportError(
            'the file has no "swagger" version; Power Platform takes Swagger 2.0 '
            '(add "swagger": "2.0" at the top if it is one)',
            pointer="",
        )
    if doc["swagger"] != "2.0":
        raise SwaggerImportError(
            f'"swagger" is {doc["swagger"]!r}; Power Platform takes Swagger "2.0" only',
            pointer="/swagger",
        )
    if not isinstance(doc.get("paths"), dict):
        found = "missing" if "paths" not in doc else "not an object"
        raise SwaggerImportError(
            f"paths is {found}; a swagger file lists its operations there", pointer="/paths"
        )


def _properties_section(props: dict[str, Any]) -> dict[str, Any] | None:
    if "properties" not in props:
        return None
    section = props["properties"]
    if not isinstance(section, dict):
        raise SwaggerImportError(
            "'properties' must be an object",
            name=PROPERTIES_NAME,
            pointer="/properties",
        )
    return section


def _policy_list(section: dict[str, Any] | None) -> list[Any]:
    instances = section.get("policyTemplateInstances") if section is not None else None
    return instances if isinstance(instances, list) else []
