"""The first ``securityDefinitions`` entry of an imported swagger -> the design's ``security``.

Purpose: the wizard edits one authentication (Power Platform imports only the top one too).
The first entry becomes ``security`` (its key in ``definitionName``, unmodeled keys such as
OAuth scope descriptions in ``extras``); the other entries stay in passthrough. The labels and
OAuth settings shown in the wizard are read from apiProperties ``connectionParameters``, which
themselves stay verbatim in passthrough (the export writes them back as they were). An entry the
design cannot hold faithfully (an unknown type or flow, ``in: cookie``) stays in passthrough
and the design says "none", with a note.

Input: the passthrough copy of the swagger (changed in place), the apiProperties
``connectionParameters`` (or None), notes.
Output: the design's ``security`` object.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.domain.design import IDENTITY_PROVIDERS

_FLOWS = ("accessCode", "implicit", "password", "application")
# Which URLs each OAuth 2.0 flow carries in Swagger 2.0 (the export writes exactly these).
_FLOW_URLS = {
    "accessCode": ("authorizationUrl", "tokenUrl"),
    "implicit": ("authorizationUrl",),
    "password": ("tokenUrl",),
    "application": ("tokenUrl",),
}


def import_security(
    swagger: dict[str, Any], connection_parameters: Any, notes: list[str]
) -> dict[str, Any]:
    definitions = swagger.get("securityDefinitions")
    if not isinstance(definitions, dict) or not definitions:
        if "securityDefinitions" in swagger and not isinstance(definitions, dict):
            notes.append("securityDefinitions is not an object; kept verbatim, no authentication")
        return {"type": "none"}
    name, entry = next(iter(definitions.items()))
    parameters = connection_parameters if isinstance(connection_parameters, dict) else {}
    security = _model_entry(entry, parameters)
    if security is None:
        notes.append(
            f"security definition {name!r} does not fit the design (type, flow or location); "
            "kept verbatim, the wizard shows no authentication"
        )
        return {"type": "none"}
    security["definitionName"] = name
    del definitions[name]
    if definitions:
        notes.append(
            f"security: {name!r} imported; {', '.join(map(repr, definitions))} kept verbatim "
            "(the wizard edits one authentication, like the portal)"
        )
    else:
        del swagger["securityDefinitions"]
    return security


def _model_entry(entry: Any, parameters: dict[str, Any]) -> dict[str, Any] | None:
    if not isinstance(entry, dict):
        return None
    kind = entry.get("type")
    extras = {k: copy.deepcopy(v) for k, v in entry.items() if k != "type"}
    if kind == "basic":
        return {"type": "basic", "basic": _basic_labels(parameters), "extras": extras}
    if kind == "apiKey":
        config = _api_key(extras, parameters)
        return None if config is None else {"type": "apiKey", "apiKey": config, "extras": extras}
    if kind == "oauth2":
        oauth = _oauth2(extras, parameters)
        return None if oauth is None else {"type": "oauth2", "oauth2": oauth, "extras": extras}
    return None


def _basic_labels(parameters: dict[str, Any]) -> dict[str, str]:
    labels = {}
    for parameter, field in (("username", "usernameLabel"), ("password", "passwordLabel")):
        label = _display_name(parameters.get(parameter))
        if label:
            labels[field] = label
    return labels


def _api_key(extras: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any] | None:
    name, location = extras.get("name"), extras.get("in")
    if not isinstance(name, str) or location not in ("header", "query"):
        return None
    config = {"name": extras.pop("name"), "in": extras.pop("in")}
    label = _display_name(parameters.get("api_key"))
    if label:
        config["label"] = label
    return config


def _oauth2(extras: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any] | None:
    flow = extras.get("flow")
    scopes = extras.get("scopes", {})
    if flow not in _FLOWS or not isinstance(scopes, dict):
        return None
    if not all(isinstance(v, str) for v in scopes.values()):
        return None
    oauth: dict[str, Any] = {"flow": extras.pop("flow"), "scopes": list(scopes)}
    for key in _FLOW_URLS[flow]:
        # A URL the flow does not use stays in extras, where the export writes it back as is.
        if isinstance(extras.get(key), str):
            oauth[key] = extras.pop(key)
    _oauth_settings(oauth, parameters.get("token"))
    return oauth


def _oauth_settings(oauth: dict[str, Any], token: Any) -> None:
    """Provider, client id and refresh URL live in apiProperties; show them in the wizard."""
    settings = token.get("oAuthSettings") if isinstance(token, dict) else None
    if not isinstance(settings, dict):
        return
    if settings.get("identityProvider") in IDENTITY_PROVIDERS:
        oauth["identityProvider"] = settings["identityProvider"]
    if isinstance(settings.get("clientId"), str):
        oauth["clientId"] = settings["clientId"]
    custom = settings.get("customParameters")
    refresh = custom.get("refreshUrl") if isinstance(custom, dict) else None
    if isinstance(refresh, dict) and isinstance(refresh.get("value"), str):
        oauth["refreshUrl"] = refresh["value"]


def _display_name(parameter: Any) -> str | None:
    ui = parameter.get("uiDefinition") if isinstance(parameter, dict) else None
    label = ui.get("displayName") if isinstance(ui, dict) else None
    return label if isinstance(label, str) and label else None
