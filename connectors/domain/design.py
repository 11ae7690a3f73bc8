"""The design document: the one JSON document a connector draft is.

Purpose: everything the wizard edits about a custom connector (general info, security, the
triggers with their request, notification schema, DELETE action or polling settings) plus a
*passthrough* part that keeps, verbatim, whatever an imported swagger or apiProperties file held
that the design does not model (actions, definitions, policies, extensions).

Input: a plain ``dict`` (as stored in the database or parsed from JSON).
Output: the same ``dict`` validated against ``DESIGN_SCHEMA`` (``validate_design``) and migrated to
the current ``DESIGN_VERSION`` (``migrate_design``); ``new_design`` builds an empty one.

Every other engine module (export, import, lint, the runner) reads this shape; the JSON Schema
below is its one source of truth. Pointers into a design ("design fields") are RFC 6901 JSON
pointers such as ``/triggers/0/summary``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import fastjsonschema
from jsonschema import Draft7Validator

from connectors.domain.documents import escape_pointer

DESIGN_VERSION = 1

Design = dict[str, Any]

VISIBILITIES = ("none", "advanced", "internal", "important")
SECURITY_TYPES = ("none", "basic", "apiKey", "oauth2")
IDENTITY_PROVIDERS = ("oauth2", "oauth2generic", "aad", "aadcertificate", "facebook")
PARAMETER_LOCATIONS = ("path", "query", "header", "formData")
PRIMITIVE_TYPES = ("string", "integer", "number", "boolean", "array", "file")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
# Swagger 2.0 allows only http, https, ws and wss; Power Platform accepts http and https.
SCHEMES = ("http", "https")
MAX_BATCH_SIZE = 5000

_JSON_OBJECT: dict[str, Any] = {"type": "object"}
_TEXT: dict[str, Any] = {"type": "string"}
_OPTIONAL_TEXT: dict[str, Any] = {"type": ["string", "null"]}

# A parameter the design models field by field; ``extras`` keeps the Swagger keys it does not
# model (format, enum, x-ms-dynamic-values, x-ms-url-encoding, ...) verbatim.
_PARAMETER: dict[str, Any] = {
    "type": "object",
    "required": ["name", "in", "required"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "in": {"enum": list(PARAMETER_LOCATIONS)},
        # Imported files sometimes carry types Swagger does not allow; the linter reports them.
        "type": {"type": "string"},
        "required": {"type": "boolean"},
        "default": {},
        "summary": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "visibility": {"enum": list(VISIBILITIES)},
        "extras": _JSON_OBJECT,
    },
}

# A shared parameter of the swagger (``#/parameters/Name``), kept as a reference.
_PARAMETER_REF: dict[str, Any] = {
    "type": "object",
    "required": ["ref"],
    "additionalProperties": False,
    "properties": {"ref": {"type": "string", "pattern": "^#/"}},
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null. Object keywords (properties, required) apply to objects only, so
    widening the type is enough; it avoids a oneOf, which is slow to check on every save."""
    return {**schema, "type": ["object", "null"]}


def _modeled_or_ref(modeled: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    """A modeled object or a ``{"ref": "#/..."}``: one object schema with both shapes' keys and
    an anyOf of their required keys, the common (modeled) shape first so it matches at once."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "additionalProperties": False,
        "properties": {**modeled["properties"], **_PARAMETER_REF["properties"]},
        "anyOf": [{"required": modeled["required"]}, {"required": ["ref"]}],
    }


_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["name", "schema"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "required": {"type": "boolean"},
        "summary": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "schema": _JSON_OBJECT,
        "extras": _JSON_OBJECT,
    },
}

_REQUEST = {
    "type": "object",
    "required": ["method", "path", "parameters", "body"],
    "additionalProperties": False,
    "properties": {
        "method": {"enum": list(HTTP_METHODS)},
        "path": {"type": "string", "pattern": "^/"},
        "parameters": {"type": "array", "items": _modeled_or_ref(_PARAMETER)},
        "body": _modeled_or_ref(_BODY, nullable=True),
        # RFC 6901 pointer into the body *payload* of the property that receives the callback
        # URL ("/notificationUrl", "/config/url"); "" is never valid, null means none chosen.
        "callbackPointer": {"type": ["string", "null"], "pattern": "^/"},
    },
}

_NOTIFICATION = {
    "type": "object",
    "required": ["description", "samples", "schema"],
    "additionalProperties": False,
    "properties": {
        "description": _OPTIONAL_TEXT,
        "samples": {"type": "array"},
        "schema": {"type": ["object", "null"]},
        "extras": _JSON_OBJECT,
    },
}

_DELETE_ACTION = {
    "type": "object",
    "required": ["operationId", "path", "parameters"],
    "additionalProperties": False,
    "properties": {
        "operationId": {"type": "string", "minLength": 1},
        "path": {"type": "string", "pattern": "^/"},
        "summary": _OPTIONAL_TEXT,
        "description": _OPTIONAL_TEXT,
        "visibility": {"enum": list(VISIBILITIES)},
        "parameters": {"type": "array", "items": _modeled_or_ref(_PARAMETER)},
        "responses": _JSON_OBJECT,
        "extensions": _JSON_OBJECT,
    },
}

_POLICY = {
    "type": "object",
    "required": ["triggerConfig", "triggerDataPath"],
    "additionalProperties": False,
    "properties": {
        "title": _OPTIONAL_TEXT,
        "triggerConfig": {"type": "object", "additionalProperties": {"type": "string"}},
        "triggerDataPath": {"type": "string"},
        "extras": _JSON_OBJECT,
    },
}

_POLLING = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # Name of the internal query parameter that carries the state between polls.
        "stateParameter": _OPTIONAL_TEXT,
        # x-ms-trigger-value on the state parameter: the collection in the response and the
        # property of its newest (first) item that gives the next state.
        "valueCollection": _OPTIONAL_TEXT,
        "valuePath": _OPTIONAL_TEXT,
        # Seconds between polls, as Retry-After on the 202/200 answers.
        "retryInterval": {"type": "integer", "minimum": 1, "maximum": 86400},
        # Whether the operation carries x-ms-trigger-metadata {kind: query, mode: polling}.
        "metadata": {"type": "boolean"},
        # The apiProperties pollingtrigger policy instance, when the state is kept that way.
        "policy": _nullable(_POLICY),
        # The query parameter that asks for at most ``batchSize`` items (its default on export).
        "pageSizeParameter": _OPTIONAL_TEXT,
    },
}

# tray.io export of a webhook trigger: how tray answers the publisher (delivery), which requests
# start the workflow (a header and/or a body field with the value to match) and, for
# "acknowledge", the reply the connector sends (its body: a template of {{/pointer}} fields).
TRAY_DELIVERY_MODES = ("fire_and_forget", "acknowledge", "request_response")
_TRAY = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        "delivery": {"enum": list(TRAY_DELIVERY_MODES)},
        "filter": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "headerName": _OPTIONAL_TEXT,
                "headerValue": _OPTIONAL_TEXT,
                "bodyPointer": {"type": ["string", "null"], "pattern": "^/"},
                "bodyValue": _OPTIONAL_TEXT,
            },
        },
        "reply": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "contentType": _TEXT,
                "body": _TEXT,
            },
        },
    },
}

_TRIGGER = {
    "type": "object",
    "required": ["kind", "operationId", "summary", "description", "visibility", "request"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": ["webhook", "polling"]},
        "operationId": {"type": "string"},
        "summary": {"type": "string"},
        "description": {"type": "string"},
        "visibility": {"enum": list(VISIBILITIES)},
        "triggerHint": _OPTIONAL_TEXT,
        "cardinality": {"enum": ["single", "batch"]},
        "request": _REQUEST,
        # Swagger responses object of the operation, verbatim.
        "responses": _JSON_OBJECT,
        # Operation keys the design does not model (tags, consumes, x-ms-* ...), verbatim.
        "extensions": _JSON_OBJECT,
        "notification": _nullable(_NOTIFICATION),
        "deleteAction": _nullable(_DELETE_ACTION),
        "polling": _nullable(_POLLING),
        # At most this many items per run (a poll's page, or one notification's array).
        "batchSize": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_BATCH_SIZE},
        # RFC 6901 pointer into one item to the value that identifies it ("/id").
        "externalId": {"type": ["string", "null"], "pattern": "^/"},
        "tray": _TRAY,
    },
}

_SECURITY = {
    "type": "object",
    "required": ["type"],
    "additionalProperties": False,
    "properties": {
        "type": {"enum": list(SECURITY_TYPES)},
        # Key of the entry in securityDefinitions (kept so that a round trip keeps its name).
        "definitionName": _OPTIONAL_TEXT,
        "basic": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"usernameLabel": _TEXT, "passwordLabel": _TEXT},
        },
        "apiKey": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "label": _TEXT,
                "name": _TEXT,
                "in": {"enum": ["header", "query"]},
            },
        },
        "oauth2": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "identityProvider": {"enum": list(IDENTITY_PROVIDERS)},
                "clientId": _TEXT,
                "flow": {"enum": ["accessCode", "implicit", "password", "application"]},
                "authorizationUrl": _TEXT,
                "tokenUrl": _TEXT,
                "refreshUrl": _TEXT,
                "scopes": {"type": "array", "items": _TEXT},
            },
        },
        # Keys of the security definition the design does not model, verbatim.
        "extras": _JSON_OBJECT,
    },
}

_GENERAL = {
    "type": "object",
    "required": ["title", "host", "basePath", "schemes"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "maxLength": 200},
        "description": _TEXT,
        "version": _TEXT,
        "host": _TEXT,
        "basePath": _TEXT,
        "schemes": {"type": "array", "items": {"enum": list(SCHEMES)}, "uniqueItems": True},
        "iconBrandColor": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
        "publisher": _OPTIONAL_TEXT,
        "stackOwner": _OPTIONAL_TEXT,
        "metadata": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "website": _OPTIONAL_TEXT,
                "privacyPolicy": _OPTIONAL_TEXT,
                "categories": {"type": "array", "items": _TEXT},
            },
        },
    },
}

DESIGN_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Trigger Designer connector design",
    "type": "object",
    "required": ["designVersion", "general", "security", "triggers", "passthrough"],
    "additionalProperties": False,
    "properties": {
        "designVersion": {"const": DESIGN_VERSION},
        "general": _GENERAL,
        "security": _SECURITY,
        "triggers": {"type": "array", "items": _TRIGGER},
        "passthrough": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"swagger": _JSON_OBJECT, "properties": _JSON_OBJECT},
        },
    },
}

_VALIDATOR = Draft7Validator(DESIGN_SCHEMA)
# Every save validates the whole design: the compiled validator answers "valid" in a fraction of
# jsonschema's time; jsonschema runs only for an invalid design, to list every error.
_IS_VALID = fastjsonschema.compile(DESIGN_SCHEMA)


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def clone_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, text, numbers), as ``json.loads(json.dumps())``
    would make it (tuples become lists), about three times faster than ``copy.deepcopy`` on the
    large documents a design can hold (imported passthrough) and twice as fast as the round trip.
    Anything else (non-text keys, other types) takes the JSON round trip, errors included."""
    kind = type(value)
    if kind is dict:
        if all(type(key) is str for key in value):
            return {key: clone_json(item) for key, item in value.items()}
    elif kind is list or kind is tuple:
        return [clone_json(item) for item in value]
    elif kind in _JSON_SCALARS:
        return value
    return json.loads(json.dumps(value))


class DesignError(ValueError):
    """A design document that does not fit the schema; ``errors`` lists (pointer, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{pointer or '/'}: {message}" for pointer, message in errors))


def _pointer(path: Any) -> str:
    return "".join("/" + escape_pointer(str(part)) for part in path)


def design_errors(design: Any) -> list[tuple[str, str]]:
    """Every schema violation of ``design`` as (JSON pointer, message), in document order."""
    try:
        _IS_VALID(design)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(_VALIDATOR.iter_errors(design), key=lambda e: list(map(str, e.absolute_path)))
    return [(_pointer(e.absolute_path), _message(e)) for e in errors]


def _message(error: Any) -> str:
    # "not valid under any of the given schemas" helps nobody: say what the modeled shape (the
    # first branch of a modeled-or-ref anyOf) misses instead.
    if error.validator == "anyOf" and error.context:
        first = [e.message for e in error.context if e.schema_path and e.schema_path[0] == 0]
        if first:
            return "; ".join(first)
    return str(error.message)


def validate_design(design: Any) -> Design:
    """Return ``design`` unchanged when it fits ``DESIGN_SCHEMA``; raise ``DesignError`` if not."""
    errors = design_errors(design)
    if errors:
        raise DesignError(errors)
    return design


# Migrations: MIGRATIONS[n] turns a version-n design into a version-(n+1) design. There is one
# version so far; the loop below is what later versions plug into.
MIGRATIONS: dict[int, Callable[[Design], Design]] = {}


def migrate_design(design: Design, *, copy: bool = True) -> Design:
    """Bring a stored design up to ``DESIGN_VERSION`` (a copy; the input is not changed).

    ``copy=False`` hands back ``design`` itself when it is already current: for a caller that
    owns it (just decoded from the database) or only reads it. An older design is always copied.
    """
    version = design.get("designVersion") if isinstance(design, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DesignError([("/designVersion", "missing or not a positive whole number")])
    if version > DESIGN_VERSION:
        raise DesignError(
            [("/designVersion", f"version {version} is newer than this app ({DESIGN_VERSION})")]
        )
    if not copy and version == DESIGN_VERSION:
        return design
    migrated = clone_json(design)
    while migrated["designVersion"] < DESIGN_VERSION:
        step = MIGRATIONS[migrated["designVersion"]]
        migrated = step(migrated)
    return migrated


def new_design(title: str) -> Design:
    """An empty design: no triggers, no authentication, an HTTPS host still to fill in."""
    return {
        "designVersion": DESIGN_VERSION,
        "general": {
            "title": title,
            "description": "",
            "version": "1.0",
            "host": "api.example.com",
            "basePath": "/",
            "schemes": ["https"],
            "iconBrandColor": "#da3b01",
            "publisher": None,
            "stackOwner": None,
            "metadata": {"website": None, "privacyPolicy": None, "categories": []},
        },
        "security": {"type": "none"},
        "triggers": [],
        "passthrough": {"swagger": {}, "properties": {}},
    }
