"""Operation parameters of an imported swagger -> design parameters and request body.

Purpose: the design models a parameter field by field (name, in, type, required, default,
summary <- x-ms-summary, description, visibility <- x-ms-visibility) and keeps every other key
verbatim in ``extras``. A value the design cannot hold (an x-ms-visibility outside the enum, a
non-boolean ``required``, ...) also goes to ``extras`` untouched, so the export writes it back
as it was; a note says so. ``$ref`` parameters stay references: ``{"ref": "#/parameters/X"}``,
and one that resolves to ``in: body`` becomes the request body.

Input: the document, the operation's raw ``parameters`` list and its pointer.
Output: ``ImportedParameters`` (parameters, body or None, notes).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from connectors.domain.design import PARAMETER_LOCATIONS, VISIBILITIES
from connectors.domain.refs import SwaggerImportError, resolve

_TEXT_FIELDS = (("x-ms-summary", "summary"), ("description", "description"))


@dataclass
class ImportedParameters:
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    # Index in the raw list of the body parameter (for callback search and messages).
    body_pointer: str | None = None
    notes: list[str] = field(default_factory=list)


def import_parameters(
    doc: dict[str, Any], raw: Any, pointer: str, label: str
) -> ImportedParameters:
    """Model every entry of an operation's ``parameters``; ``label`` names it in notes."""
    result = ImportedParameters()
    if raw is None:
        return result
    if not isinstance(raw, list):
        raise SwaggerImportError("parameters must be a list", pointer=pointer)
    for index, entry in enumerate(raw):
        at = f"{pointer}/{index}"
        if not isinstance(entry, dict):
            raise SwaggerImportError("a parameter must be an object", pointer=at)
        if isinstance(entry.get("$ref"), str):
            _add_reference(doc, entry, at, label, result)
        elif "$ref" in entry:
            raise SwaggerImportError("$ref must be text such as '#/parameters/Name'", pointer=at)
        elif entry.get("in") == "body":
            _set_body(result, _model_body(entry, at, label, result.notes), at)
        else:
            result.parameters.append(model_parameter(entry, at, label, result.notes))
    return result


def _add_reference(
    doc: dict[str, Any], entry: dict[str, Any], at: str, label: str, result: ImportedParameters
) -> None:
    target, _ = resolve(doc, entry, at)
    if not isinstance(target, dict):
        raise SwaggerImportError(
            f"$ref '{entry['$ref']}' does not name a parameter object", pointer=at
        )
    if len(entry) > 1:
        # JSON Reference: keys next to "$ref" are ignored by every reader, so nothing is lost.
        result.notes.append(
            f"{label}: keys next to $ref at {at} are ignored by Power Platform; dropped"
        )
    reference = {"ref": entry["$ref"]}
    if target.get("in") == "body":
        _set_body(result, reference, at)
    else:
        result.parameters.append(reference)


def _set_body(result: ImportedParameters, body: dict[str, Any], at: str) -> None:
    if result.body is not None:
        raise SwaggerImportError(
            f"a second body parameter (the first is at {result.body_pointer}); "
            "an operation has at most one",
            pointer=at,
        )
    result.body = body
    result.body_pointer = at


def model_parameter(entry: dict[str, Any], at: str, label: str, notes: list[str]) -> dict[str, Any]:
    """A non-body parameter: modeled fields plus ``extras`` (everything else, verbatim)."""
    name = _name(entry, at)
    location = entry.get("in")
    if location not in PARAMETER_LOCATIONS:
        raise SwaggerImportError(
            f"parameter '{name}': 'in' is {location!r}; use path, query, header, formData or body",
            pointer=at,
        )
    modeled: dict[str, Any] = {"name": name, "in": location, "required": False}
    extras = {k: copy.deepcopy(v) for k, v in entry.items() if k not in ("name", "in")}
    if isinstance(extras.get("required"), bool):
        modeled["required"] = extras.pop("required")
    if isinstance(extras.get("type"), str):
        modeled["type"] = extras.pop("type")
    # The export leaves a null default out, so an explicit null stays in extras as written.
    if extras.get("default") is not None:
        modeled["default"] = extras.pop("default")
    _take_texts(modeled, extras)
    _take_visibility(modeled, extras, f"{label}, parameter '{name}'", notes)
    _note_leftovers(extras, ("required", "type"), f"{label}, parameter '{name}'", notes)
    if location == "path" and next(iter(extras.items()), None) == _SINGLE_ENCODING:
        # Where the export writes it for every path parameter: the design's default, so that
        # importing an export gives back the design it came from.
        del extras["x-ms-url-encoding"]
    modeled["extras"] = extras
    return modeled


_SINGLE_ENCODING = ("x-ms-url-encoding", "single")


def _model_body(entry: dict[str, Any], at: str, label: str, notes: list[str]) -> dict[str, Any]:
    name = _name(entry, at)
    if not isinstance(entry.get("schema"), dict):
        raise SwaggerImportError(f"body parameter '{name}' needs a 'schema' object", pointer=at)
    extras = {k: copy.deepcopy(v) for k, v in entry.items() if k not in ("name", "in")}
    body: dict[str, Any] = {"name": name, "schema": extras.pop("schema")}
    if isinstance(extras.get("required"), bool):
        body["required"] = extras.pop("required")
    _take_texts(body, extras)
    _note_leftovers(extras, ("required",), f"{label}, body '{name}'", notes)
    body["extras"] = extras
    return body


def _name(entry: dict[str, Any], at: str) -> str:
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise SwaggerImportError("a parameter needs a non-empty 'name'", pointer=at)
    return name


def _take_texts(modeled: dict[str, Any], extras: dict[str, Any]) -> None:
    # Empty texts are left out on export, so an explicit "" stays in extras as written.
    for swagger_key, design_key in _TEXT_FIELDS:
        if isinstance(extras.get(swagger_key), str) and extras[swagger_key]:
            modeled[design_key] = extras.pop(swagger_key)


def _take_visibility(
    modeled: dict[str, Any], extras: dict[str, Any], label: str, notes: list[str]
) -> None:
    value = extras.get("x-ms-visibility")
    # An explicit "none" equals the default; the export leaves it out, so keep the key as written.
    if value in VISIBILITIES and value != "none":
        modeled["visibility"] = extras.pop("x-ms-visibility")
    elif "x-ms-visibility" in extras and value != "none":
        notes.append(
            f"{label}: x-ms-visibility {value!r} is not none/advanced/internal/important; "
            "kept verbatim"
        )


def _note_leftovers(
    extras: dict[str, Any], keys: tuple[str, ...], label: str, notes: list[str]
) -> None:
    for key in keys:
        if key in extras:
            notes.append(f"{label}: '{key}' is {extras[key]!r}, not a valid value; kept verbatim")
    for key in ("x-ms-summary", "description"):
        if key in extras and not isinstance(extras[key], str | None):
            notes.append(f"{label}: '{key}' is not text; kept verbatim")
