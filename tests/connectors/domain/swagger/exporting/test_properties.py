"""properties_export: apiProperties.json per security type, polling policies, passthrough.

Shapes follow what Power Platform itself writes (REFERENCE.md 1.2/1.3); every document must fit
paconn's apiProperties schema (shared/schemas), and no client secret is ever written.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

import pytest
from jsonschema.validators import validator_for

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design, validate_design
from connectors.domain.swagger.exporting.properties import export_properties
from tests.paths import SHARED

REDIRECT = "https://global.consent.azure-apim.net/redirect"


@cache
def properties_validator() -> Any:
    path = SHARED / "schemas" / "paconn-apiProperties.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def design_with(security: dict[str, Any], *triggers: dict[str, Any]) -> dict[str, Any]:
    design = new_design("Contoso")
    design["general"]["host"] = "api.contoso.com"
    design["security"] = security
    design["triggers"] = list(triggers)
    return validate_design(design)


def oauth(provider: str, **config: Any) -> dict[str, Any]:
    base = {
        "identityProvider": provider,
        "clientId": "client-1",
        "authorizationUrl": "https://login.contoso.com/authorize",
        "tokenUrl": "https://login.contoso.com/token",
        "scopes": ["read"],
    }
    return {"type": "oauth2", "oauth2": base | config}


def oauth_settings(
    provider: str, custom: dict[str, Any] | None, first_party: str = "False"
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "identityProvider": provider,
        "clientId": "client-1",
        "scopes": ["read"],
        "redirectMode": "Global",
        "redirectUrl": REDIRECT,
        "properties": {"IsFirstParty": first_party},
    }
    if custom is not None:
        settings["customParameters"] = custom
    return settings


def secure(label: str, description: str, tab: int, clear: bool) -> dict[str, Any]:
    return {
        "type": "securestring",
        "uiDefinition": {
            "displayName": label,
            "description": description,
            "tooltip": f"Provide your {label}",
            "constraints": {"tabIndex": tab, "clearText": clear, "required": "true"},
        },
    }


LOGIN = {
    "authorizationUrl": {"value": "https://login.contoso.com/authorize"},
    "tokenUrl": {"value": "https://login.contoso.com/token"},
    "refreshUrl": {"value": "https://login.contoso.com/token"},
}
AAD_URL = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize"
TENANT = {
    "type": "string",
    "metadata": {"sourceType": "AzureActiveDirectoryTenant"},
    "uiDefinition": {
        "constraints": {"hidden": "true", "required": "false"},
        "description": "The tenant ID of for the Azure Active Directory application",
        "displayName": "Tenant",
    },
}
CONNECTION_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "none": ({"type": "none"}, {}),
    "basic": (
        {"type": "basic", "basic": {"usernameLabel": "Email", "passwordLabel": "Passphrase"}},
        {
            "username": secure("Email", "The username for this API", 2, True),
            "password": secure("Passphrase", "The password for this API", 3, False),
        },
    ),
    "apiKey": (
        {"type": "apiKey", "apiKey": {"label": "Contoso key", "name": "X-Key", "in": "query"}},
        {"api_key": secure("Contoso key", "The API key for this API", 2, False)},
    ),
    "oauth2": (
        oauth("oauth2"),
        {"token": {"type": "oauthSetting", "oAuthSettings": oauth_settings("oauth2", LOGIN)}},
    ),
    "oauth2-refresh-url": (
        oauth("oauth2", refreshUrl="https://login.contoso.com/refresh"),
        {
            "token": {
                "type": "oauthSetting",
                "oAuthSettings": oauth_settings(
                    "oauth2", LOGIN | {"refreshUrl": {"value": "https://login.contoso.com/refresh"}}
                ),
            }
        },
    ),
    "oauth2generic": (
        oauth("oauth2generic"),
        {
            "token": {
                "type": "oauthSetting",
                "oAuthSettings": oauth_settings(
                    "oauth2generic", {f"{name}Template": value for name, value in LOGIN.items()}
                ),
            }
        },
    ),
    "aad": (
        oauth("aad", authorizationUrl=AAD_URL + "?resource=https://graph.microsoft.com"),
        {
            "token": {
                "type": "oauthSetting",
                "oAuthSettings": oauth_settings(
                    "aad",
                    {
                        "loginUri": {"value": "https://login.microsoftonline.com"},
                        "tenantId": {"value": "contoso.onmicrosoft.com"},
                        "resourceUri": {"value": "https://graph.microsoft.com"},
                    },
                ),
            },
            "token:TenantId": TENANT,
        },
    ),
    "aadcertificate": (
        oauth("aadcertificate", authorizationUrl=""),
        {
            "token": {
                "type": "oauthSetting",
                "oAuthSettings": oauth_settings(
                    "aadcertificate",
                    {
                        "loginUriAAD": {"value": "https://login.microsoftonline.com"},
                        "resourceUri": {"value": "https://api.contoso.com"},
                    },
                    first_party="True",
                ),
            }
        },
    ),
    "facebook": (
        oauth("facebook"),
        {"token": {"type": "oauthSetting", "oAuthSettings": oauth_settings("facebook", None)}},
    ),
}


@pytest.mark.parametrize("case", CONNECTION_CASES)
def test_connection_parameters_per_security_type(case: str) -> None:
    security, expected = CONNECTION_CASES[case]
    document = export_properties(design_with(copy.deepcopy(security)))
    assert document["properties"]["connectionParameters"] == expected
    assert list(properties_validator().iter_errors(document)) == []
    assert "clientsecret" not in json.dumps(document).lower()


def test_minimal_document_in_file_order() -> None:
    document = export_properties(design_with({"type": "none"}))
    assert document == {
        "properties": {"connectionParameters": {}, "iconBrandColor": "#da3b01", "capabilities": []}
    }


def test_general_fields_and_derived_capabilities() -> None:
    design = design_with(
        {"type": "none"}, new_webhook_trigger(summary="When a hook fires", path="/hooks")
    )
    design["general"].update(
        iconBrandColor="#123456", publisher="Contoso", stackOwner="Contoso Ltd"
    )
    design["passthrough"]["swagger"] = {"paths": {"/orders": {"get": {"responses": {}}}}}
    properties = export_properties(design)["properties"]
    assert list(properties) == [
        "connectionParameters",
        "iconBrandColor",
        "capabilities",
        "publisher",
        "stackOwner",
    ]
    assert properties["iconBrandColor"] == "#123456"
    assert properties["capabilities"] == ["actions", "triggers"]


def test_polling_policy_instance_shape() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added",
        path="/trips",
        state_parameter="$filter",
        value_path="TripId",
        use_policy=True,
    )
    document = export_properties(design_with({"type": "none"}, trigger))
    (instance,) = document["properties"]["policyTemplateInstances"]
    assert instance["title"].startswith("PollingTriggerPolicy_")
    assert instance == {
        "templateId": "pollingtrigger",
        "title": instance["title"],
        "type": "PollingTrigger",
        "parameters": {
            "x-ms-apimTemplate-operationName": ["OnTripAdded"],
            "x-ms-apimTemplateParameter.triggerConfig": {
                "$filter": "@{triggerBody().value[0].TripId}"
            },
            "x-ms-apimTemplateParameter.triggerDataPath": "@triggerBody().value",
        },
    }
    assert export_properties(design_with({"type": "none"}, trigger)) == document  # stable title
    assert list(properties_validator().iter_errors(document)) == []


def test_polling_without_policy_writes_no_instance() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added", path="/trips", state_parameter="since"
    )
    assert (
        "policyTemplateInstances"
        not in export_properties(design_with({"type": "none"}, trigger))["properties"]
    )


def test_passthrough_wins_for_connections_and_capabilities_and_is_merged_verbatim() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added", path="/trips", state_parameter="s", use_policy=True
    )
    design = design_with(oauth("oauth2"), trigger)
    imported_token: dict[str, Any] = {
        "token": {"type": "oauthSetting", "oAuthSettings": {"identityProvider": "aad"}}
    }
    with_secret = copy.deepcopy(imported_token)
    with_secret["token"]["oAuthSettings"]["clientSecret"] = "[[DUMMY]]"
    stale = {
        "templateId": "pollingtrigger",
        "parameters": {"x-ms-apimTemplate-operationName": ["OnTripAdded"]},
    }
    header = {
        "templateId": "setheader",
        "title": "Set",
        "parameters": {"x-ms-apimTemplateParameter.name": "a"},
    }
    design["passthrough"]["properties"] = {
        "properties": {
            "scriptOperations": ["OnTripAdded"],
            "connectionParameters": with_secret,
            "capabilities": [],
            "policyTemplateInstances": [header, stale],
            "iconBrandColor": "#000000",
        },
        "$schema": "https://example.com/schema",
    }
    document = export_properties(design)
    properties = document["properties"]
    assert properties["connectionParameters"] == imported_token
    assert properties["capabilities"] == []
    assert properties["iconBrandColor"] == "#da3b01"
    # The stale imported instance gives way to the design's one; others stay, in order.
    kept, ours = properties["policyTemplateInstances"]
    assert kept == header
    assert ours["parameters"]["x-ms-apimTemplate-operationName"] == ["OnTripAdded"]
    assert ours["title"].startswith("PollingTriggerPolicy_")
    assert list(properties)[-1] == "scriptOperations"
    assert list(document) == ["properties", "$schema"]


def test_imported_policy_keeps_its_own_template_spelling_and_extra_parameters() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added", path="/trips", state_parameter="s", use_policy=True
    )
    trigger["polling"]["policy"]["extras"] = {
        "templateId": "PollingTrigger",
        "parameters": {"x-ms-apimTemplate-policySection": "Request"},
    }
    (instance,) = export_properties(design_with({"type": "none"}, trigger))["properties"][
        "policyTemplateInstances"
    ]
    assert instance["templateId"] == "PollingTrigger"
    assert "type" not in instance
    assert instance["parameters"]["x-ms-apimTemplate-policySection"] == "Request"


def test_export_does_not_mutate_the_design() -> None:
    trigger = new_polling_trigger(
        summary="When a trip is added", path="/trips", state_parameter="s", use_policy=True
    )
    design = design_with(oauth("aad"), trigger)
    before = copy.deepcopy(design)
    document = export_properties(design)
    document["properties"]["policyTemplateInstances"][0]["parameters"][
        "x-ms-apimTemplateParameter.triggerConfig"
    ]["s"] = "x"
    assert design == before


def test_multi_auth_connectors_get_no_derived_connection_parameters() -> None:
    design = design_with(oauth("oauth2"))
    sets = {"values": [{"name": "prod", "parameters": {"token": {"type": "oauthSetting"}}}]}
    design["passthrough"]["properties"] = {"properties": {"connectionParameterSets": sets}}
    properties = export_properties(design)["properties"]
    assert "connectionParameters" not in properties
    assert properties["connectionParameterSets"] == sets
