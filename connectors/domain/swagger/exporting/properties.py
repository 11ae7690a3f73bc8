"""Design -> apiProperties.json, as docs/design-mapping.md (the contract) lays it out.

Purpose: write the connection parameters the security settings need (in the shapes Power Platform
itself writes, see REFERENCE.md section 1.2), the icon colour, publisher, capabilities and one
``pollingtrigger`` policy instance per polling trigger that keeps its state with a policy; merge
``passthrough.properties`` back verbatim. A client secret is never written: paconn takes it on
its command line (``--secret``).

Input: a design (``connectors.domain.design``); it is never changed.
Output: the apiProperties.json document as a ``dict`` (file key order); same design, same dict.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.domain.design import HTTP_METHODS

DEFAULT_ICON_BRAND_COLOR = "#da3b01"  # the colour independent publishers must use
REDIRECT_URL = "https://global.consent.azure-apim.net/redirect"
_AAD_LOGIN = "https://login.microsoftonline.com"
_MODELED_KEYS = frozenset({"iconBrandColor", "publisher", "stackOwner"})
# Fixed namespace so a policy title is a stable function of the trigger's operationId.
_POLICY_NAMESPACE = uuid.UUID("6f1d3c52-2b8e-4c1a-9d4e-7a0b5e3f9c21")
# The shape the schema demands, word for word, for the AAD tenant claim.
_TENANT_PARAMETER = {
    "type": "string",
    "metadata": {"sourceType": "AzureActiveDirectoryTenant"},
    "uiDefinition": {
        "constraints": {"hidden": "true", "required": "false"},
        "description": "The tenant ID of for the Azure Active Directory application",
        "displayName": "Tenant",
    },
}


def export_properties(design: dict[str, Any]) -> dict[str, Any]:
    """The apiProperties.json document of ``design`` (a new dict sharing nothing).

    Nothing here writes into the design, and ``_without_secrets`` rebuilds every dict and list
    of the result, so the design needs no copy first.
    """
    general = design["general"]
    extra: dict[str, Any] = design.get("passthrough", {}).get("properties") or {}
    extra_properties: dict[str, Any] = extra.get("properties") or {}
    properties: dict[str, Any] = {}
    # Imported connection parameters win: they may hold settings the design does not model.
    # Multi-auth connectors (connectionParameterSets) define theirs there and nowhere else.
    if "connectionParameters" in extra_properties:
        properties["connectionParameters"] = extra_properties["connectionParameters"]
    elif "connectionParameterSets" not in extra_properties:
        properties["connectionParameters"] = connection_parameters(design["security"], general)
    properties["iconBrandColor"] = (
        general.get("iconBrandColor")
        or extra_properties.get("iconBrandColor")
        or DEFAULT_ICON_BRAND_COLOR
    )
    if "capabilities" in extra_properties:
        properties["capabilities"] = extra_properties["capabilities"]
    else:
        properties["capabilities"] = _capabilities(design)
    for key in ("publisher", "stackOwner"):
        if general.get(key):
            properties[key] = general[key]
    policies = _policy_instances(
        design["triggers"], extra_properties.get("policyTemplateInstances")
    )
    if policies is not None:
        properties["policyTemplateInstances"] = policies
    for key, value in extra_properties.items():
        if key not in _MODELED_KEYS:
            properties.setdefault(key, value)
    document: dict[str, Any] = {"properties": properties}
    for key, value in extra.items():
        document.setdefault(key, value)
    return without_secrets(document)


def without_secrets(value: Any) -> Any:
    """``value`` minus every ``clientSecret`` (imported files carry placeholders or worse)."""
    if isinstance(value, dict):
        return {k: without_secrets(v) for k, v in value.items() if k.lower() != "clientsecret"}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def connection_parameters(security: dict[str, Any], general: dict[str, Any]) -> dict[str, Any]:
    """The ``connectionParameters`` for ``security`` (empty when there is no authentication)."""
    kind = security["type"]
    if kind == "basic":
        labels = security.get("basic") or {}
        username = labels.get("usernameLabel") or "Username"
        password = labels.get("passwordLabel") or "Password"
        return {
            "username": _secure(username, "The username for this API", tab_index=2, clear=True),
            "password": _secure(password, "The password for this API", tab_index=3, clear=False),
        }
    if kind == "apiKey":
        label = (security.get("apiKey") or {}).get("label") or "API Key"
        return {"api_key": _secure(label, "The API key for this API", tab_index=2, clear=False)}
    if kind == "oauth2":
        config = security.get("oauth2") or {}
        # paconn injects the client secret only into a parameter literally named "token".
        parameters: dict[str, Any] = {
            "token": {"type": "oauthSetting", "oAuthSettings": _oauth_settings(config, general)}
        }
        if config.get("identityProvider") == "aad":
            parameters["token:TenantId"] = copy.deepcopy(_TENANT_PARAMETER)
        return parameters
    return {}


def _secure(label: str, description: str, *, tab_index: int, clear: bool) -> dict[str, Any]:
    return {
        "type": "securestring",
        "uiDefinition": {
            "displayName": label,
            "description": description,
            "tooltip": f"Provide your {label}",
            "constraints": {"tabIndex": tab_index, "clearText": clear, "required": "true"},
        },
    }


def _oauth_settings(config: dict[str, Any], general: dict[str, Any]) -> dict[str, Any]:
    provider = config.get("identityProvider") or "oauth2"
    settings: dict[str, Any] = {"identityProvider": provider}
    if config.get("clientId"):
        settings["clientId"] = config["clientId"]
    settings["scopes"] = list(config.get("scopes") or [])
    settings["redirectMode"] = "Global"
    settings["redirectUrl"] = REDIRECT_URL
    # aadcertificate exists only for first-party apps (the schema accepts only "True" there).
    settings["properties"] = {"IsFirstParty": "True" if provider == "aadcertificate" else "False"}
    custom = _custom_parameters(provider, config, general)
    if custom:
        settings["customParameters"] = custom
    return settings


def _custom_parameters(
    provider: str, config: dict[str, Any], general: dict[str, Any]
) -> dict[str, Any]:
    token_url = config.get("tokenUrl")
    # Most providers refresh at the token URL; the platform needs a refresh URL to keep tokens.
    urls = (config.get("authorizationUrl"), token_url, config.get("refreshUrl") or token_url)
    if provider == "oauth2":
        names: tuple[str, ...] = ("authorizationUrl", "tokenUrl", "refreshUrl")
    elif provider == "oauth2generic":
        names = ("authorizationUrlTemplate", "tokenUrlTemplate", "refreshUrlTemplate")
    elif provider in ("aad", "aadcertificate"):
        return _aad_parameters(provider, config.get("authorizationUrl") or "", general)
    else:
        return {}  # facebook and unknown providers carry their own endpoints
    return {name: {"value": url} for name, url in zip(names, urls, strict=True) if url}


def _aad_parameters(
    provider: str, authorization_url: str, general: dict[str, Any]
) -> dict[str, Any]:
    # The design has no resource URI field: take ?resource= from a v1 authorization URL, else the
    # API's own origin, which is what an app registration for the API usually uses.
    parts = urlsplit(authorization_url)
    login = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else _AAD_LOGIN
    resource = (parse_qs(parts.query).get("resource") or [f"https://{general['host']}"])[0]
    if provider == "aadcertificate":
        return {"loginUriAAD": {"value": login}, "resourceUri": {"value": resource}}
    tenant = next((segment for segment in parts.path.split("/") if segment), "common")
    return {
        "loginUri": {"value": login},
        "tenantId": {"value": tenant},
        "resourceUri": {"value": resource},
    }


def _capabilities(design: dict[str, Any]) -> list[str]:
    """ "actions" when the swagger has operations that are not triggers, "triggers" when any."""
    capabilities = []
    paths = (design.get("passthrough", {}).get("swagger") or {}).get("paths") or {}
    if any(
        isinstance(operation, dict) and "x-ms-trigger" not in operation
        for item in paths.values()
        if isinstance(item, dict)
        for method, operation in item.items()
        if method in HTTP_METHODS
    ):
        capabilities.append("actions")
    if design["triggers"]:
        capabilities.append("triggers")
    return capabilities


def _policy_instances(triggers: list[dict[str, Any]], extra: Any) -> Any:
    if extra is not None and not isinstance(extra, list):
        return extra  # an odd imported value: kept as it was for the linter to report
    ours = []
    for trigger in triggers:
        policy = (trigger.get("polling") or {}).get("policy")
        if policy:
            ours.append(polling_policy_instance(trigger["operationId"], policy))
    modeled = {instance["parameters"]["x-ms-apimTemplate-operationName"][0] for instance in ours}
    kept = [instance for instance in extra or [] if not _polls_one_of(instance, modeled)]
    if extra is None and not ours:
        return None
    return kept + ours


def _polls_one_of(instance: Any, operation_ids: set[str]) -> bool:
    """Whether ``instance`` is a pollingtrigger policy the design now models (so not kept twice)."""
    if (
        not isinstance(instance, dict)
        or str(instance.get("templateId")).lower() != "pollingtrigger"
    ):
        return False
    parameters = instance.get("parameters")
    names = (
        parameters.get("x-ms-apimTemplate-operationName") if isinstance(parameters, dict) else None
    )
    if not isinstance(names, list):
        return False
    return any(isinstance(name, str) and name in operation_ids for name in names)


def polling_policy_instance(operation_id: str, policy: dict[str, Any]) -> dict[str, Any]:
    """The ``pollingtrigger`` policyTemplateInstance of one polling trigger (REFERENCE.md 1.3)."""
    parameters: dict[str, Any] = {
        "x-ms-apimTemplate-operationName": [operation_id],
        "x-ms-apimTemplateParameter.triggerConfig": dict(policy["triggerConfig"]),
        "x-ms-apimTemplateParameter.triggerDataPath": policy["triggerDataPath"],
    }
    extras = dict(policy.get("extras") or {})
    extra_parameters = extras.pop("parameters", None)
    if isinstance(extra_parameters, dict):
        for key, value in extra_parameters.items():
            parameters.setdefault(key, value)
    # The portal titles these "PollingTriggerPolicy_<guid>"; a name-based UUID keeps it stable.
    title = (
        policy.get("title") or f"PollingTriggerPolicy_{uuid.uuid5(_POLICY_NAMESPACE, operation_id)}"
    )
    instance: dict[str, Any] = {"templateId": "pollingtrigger", "title": title}
    # An imported instance keeps its own templateId spelling and its type key (or lack of one).
    if "templateId" not in extras:
        instance["type"] = "PollingTrigger"
    instance["parameters"] = parameters
    instance.update(extras)
    return instance
