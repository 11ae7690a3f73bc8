"""General info, connector metadata and apiProperties of an imported connector -> design.

Purpose: fill ``general`` from ``info``, ``host``, ``basePath``, ``schemes``,
``x-ms-connector-metadata`` (Website, Privacy policy, Categories) and apiProperties
(iconBrandColor, publisher, stackOwner), removing from the passthrough copies exactly what the
design now holds, as docs/design-mapping.md says. A value the design cannot hold (a non-text
host, a ``ws`` scheme, a colour that is not ``#rrggbb``) stays in passthrough with a note.

Input: the passthrough copies of the swagger and of apiProperties (changed in place), notes.
Output: the design's ``general`` object.
"""

from __future__ import annotations

from typing import Any

from connectors.domain.design import SCHEMES

_TITLE_LIMIT = 200  # design.py's maxLength for general.title
_METADATA_KEYS = {"Website": "website", "Privacy policy": "privacyPolicy"}
_COLOUR_DIGITS = frozenset("0123456789abcdefABCDEF")


def import_general(
    swagger: dict[str, Any], properties: dict[str, Any], notes: list[str]
) -> dict[str, Any]:
    """``general`` from the passthrough copies; the modeled keys are removed from them."""
    general: dict[str, Any] = {}
    _import_info(swagger, general, notes)
    _import_location(swagger, general, notes)
    general["metadata"] = _import_metadata(swagger, notes)
    section = properties.get("properties")
    if isinstance(section, dict):
        _import_brand(section, general, notes)
    else:
        general.update({"publisher": None, "stackOwner": None})
    return general


def _import_info(swagger: dict[str, Any], general: dict[str, Any], notes: list[str]) -> None:
    info = swagger.get("info")
    if not isinstance(info, dict):
        notes.append("info is missing or not an object: title, description and version start empty")
        info = {}
    title = info.get("title")
    if isinstance(title, str):
        general["title"] = info.pop("title")[:_TITLE_LIMIT]
        if len(title) > _TITLE_LIMIT:
            notes.append(f"info.title is longer than {_TITLE_LIMIT} characters; cut to fit")
    else:
        general["title"] = ""
        notes.append("info.title is missing or not text; give the connector a title")
    for key in ("description", "version"):
        value = info.get(key)
        if isinstance(value, str):
            general[key] = info.pop(key)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            general[key] = str(info.pop(key))  # YAML reads `version: 1.0` as a number
            notes.append(f"info.{key} was the number {value}; kept as the text {general[key]!r}")
        else:
            general[key] = ""
            if key in info:
                notes.append(f"info.{key} is not text; kept verbatim")
    if isinstance(swagger.get("info"), dict) and not swagger["info"]:
        del swagger["info"]


def _import_location(swagger: dict[str, Any], general: dict[str, Any], notes: list[str]) -> None:
    host = swagger.get("host")
    general["host"] = swagger.pop("host") if isinstance(host, str) else ""
    if "host" in swagger:
        notes.append(f"host {host!r} is not text; kept in passthrough")
    elif not general["host"]:
        notes.append("host is missing; give the API's host name in the wizard")
    base_path = swagger.get("basePath")
    if isinstance(base_path, str) and base_path:
        general["basePath"] = swagger.pop("basePath")
    else:
        general["basePath"] = "/"
        note = "basePath is missing; '/' (the same thing) is written on export"
        if "basePath" in swagger:
            note = f"basePath {base_path!r} is not a path; kept in passthrough"
        notes.append(note)
    schemes = swagger.get("schemes")
    listed: list[Any] = schemes if isinstance(schemes, list) else []
    if listed and all(s in SCHEMES for s in listed) and len(set(listed)) == len(listed):
        general["schemes"] = swagger.pop("schemes")
    else:
        general["schemes"] = list(dict.fromkeys(s for s in listed if s in SCHEMES))
        if "schemes" not in swagger:
            notes.append("schemes is missing; choose https in the wizard")
        else:
            notes.append(
                f"schemes {schemes!r}: Power Platform takes http and https only; kept verbatim"
            )


def _import_metadata(swagger: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"website": None, "privacyPolicy": None, "categories": []}
    entries = swagger.get("x-ms-connector-metadata")
    if not isinstance(entries, list):
        return metadata
    kept = []
    for entry in entries:
        field = _metadata_field(entry, metadata)
        if field == "categories":
            metadata["categories"] = entry["propertyValue"].split(";")
        elif field:
            metadata[field] = entry["propertyValue"]
        else:
            kept.append(entry)
            name = entry.get("propertyName") if isinstance(entry, dict) else None
            if isinstance(name, str) and name.lower() in (
                "website",
                "privacy policy",
                "categories",
            ):
                notes.append(
                    f"x-ms-connector-metadata entry {name!r} is not spelled 'Website', "
                    "'Privacy policy' or 'Categories'; kept verbatim"
                )
    # The (possibly empty) list stays so that the export writes the key where it was.
    swagger["x-ms-connector-metadata"] = kept
    return metadata


def _metadata_field(entry: Any, metadata: dict[str, Any]) -> str | None:
    """The design field an entry fills, when it is a plain entry the design has room for."""
    if not isinstance(entry, dict) or set(entry) != {"propertyName", "propertyValue"}:
        return None
    name, value = entry["propertyName"], entry["propertyValue"]
    if not isinstance(value, str) or not value:
        return None
    if name == "Categories":
        return "categories" if not metadata["categories"] else None
    field = _METADATA_KEYS.get(name) if isinstance(name, str) else None
    return field if field and metadata[field] is None else None


def _import_brand(section: dict[str, Any], general: dict[str, Any], notes: list[str]) -> None:
    colour = section.get("iconBrandColor")
    if _is_colour(colour):
        general["iconBrandColor"] = section.pop("iconBrandColor")
    elif "iconBrandColor" in section:
        notes.append(f"apiProperties iconBrandColor {colour!r} is not #rrggbb; kept verbatim")
    for key in ("publisher", "stackOwner"):
        value = section.get(key)
        general[key] = (section.pop(key) or None) if isinstance(value, str) else None
        if key in section:
            notes.append(f"apiProperties {key} {value!r} is not text; kept verbatim")


def _is_colour(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 7
        and value[0] == "#"
        and all(c in _COLOUR_DIGITS for c in value[1:])
    )
