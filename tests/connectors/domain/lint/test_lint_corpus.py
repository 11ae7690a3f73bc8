"""The linter over every dev-corpus connector (known facts, well-formed findings, speed) and
over mutated and garbage documents (it never raises and no rule fails)."""

from __future__ import annotations

import copy
import json
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from connectors.domain.lint import RULES, Finding, lint_swagger

# shared/ sits beside the repository root (here and in CI's fresh clone).
CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus" / "dev"
NOT_JSON = {"DocuSignDemo"}  # trailing commas, as upstream
NOTIFICATION_URL_RULES = {
    "WebhookOperationsMissingNotificationUrlProperty",
    "OperationMustHaveNotificationContentExtension",
    "NotificationUrlNotInternal",
    "NotificationUrlNotRequired",
    "NotificationUrlNotString",
    "NotificationUrlNotAllowedInThisPosition",
}
NAMES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name not in NOT_JSON)


@cache
def load(name: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    folder = CORPUS / name
    swagger = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    props = folder / "apiProperties.json"
    return swagger, json.loads(props.read_text(encoding="utf-8-sig")) if props.exists() else None


@cache
def lint(name: str) -> tuple[Finding, ...]:
    swagger, properties = load(name)
    return tuple(lint_swagger(swagger, properties=properties))


def where(name: str, rule: str) -> list[str]:
    return [f.pointer for f in lint(name) if f.rule == rule]


def _resolves(doc: Any, pointer: str) -> bool:
    node = doc
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def test_the_corpus_is_there() -> None:
    assert len(NAMES) == 40, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_findings_are_well_formed_sorted_and_point_into_the_files(name: str) -> None:
    swagger, properties = load(name)
    findings = lint(name)
    assert "LinterRuleFailed" not in {f.rule for f in findings}
    assert list(findings) == sorted(findings, key=lambda f: (f.pointer, f.rule, f.message))
    for f in findings:
        assert RULES[f.rule].severity == f.severity
        assert f.message and f.fix and f.field is None
        if f.pointer.startswith("apiProperties:"):
            assert _resolves(properties, f.pointer[len("apiProperties:") :]), f
        else:
            # A finding may name a member that is missing ("/info/title"): its parent exists.
            parent = f.pointer.rsplit("/", 1)[0]
            assert _resolves(swagger, f.pointer) or _resolves(swagger, parent), f
    assert lint_swagger(swagger, properties=properties) == list(findings)  # deterministic


KNOWN = [
    ("Cornerstone_Learning_vILT", "WebhookMissingDeleteAction", 7),
    ("RAPID_Platform", "WebhookMissingDeleteAction", 1),
    ("tyntec-SMS", "WebhookMissingDeleteAction", 2),
    ("tyntec-SMS", "OperationMustHaveResponse", 2),
    ("Eduframe", "DeleteActionNotInternal", 1),
    ("Signi", "NotificationUrlOnAction", 6),
    ("CompanyConnect", "NotificationUrlOnAction", 3),
    ("RAPID_Platform", "NotificationSchemaEmpty", 1),
    ("ModuleQ", "BatchTriggerSchemaNotArray", 1),
    ("Zellis", "SingleTriggerSchemaIsArray", 1),
    ("Azure_Communication_Services_SMS_Events", "SingleTriggerSchemaIsArray", 1),
    ("JIRA", "NotificationContentNotUsed", 1),
    ("Almabase", "PolicyOperationNotFound", 1),
    ("NetDocuments", "SchemaDefinitionSetIncorrectly", 1),
    ("DocuSign", "BodyOrFormDataParameterInFetchOperationNotAllowed", 1),
    ("Actsoft", "PollingTriggerMissingAcceptedResponse", 0),
    ("MicrosoftGraphSecurity", "PollingTriggerMissingAcceptedResponse", 0),
    ("JIRA", "PollingTriggerMissingAcceptedResponse", 4),
    ("FORCAM_FORCE_Bridge", "WebhookRegistrationMissingLocationHeader", 0),
]


@pytest.mark.parametrize(("name", "rule", "count"), KNOWN, ids=[f"{n}-{r}" for n, r, _ in KNOWN])
def test_known_facts(name: str, rule: str, count: int) -> None:
    assert len(where(name, rule)) == count, where(name, rule)


def test_known_pointers() -> None:
    eduframe_delete = "/paths/~1users~1{user_id}~1authentications~1{authentication_id}/delete"
    assert where("Eduframe", "DeleteActionNotInternal") == [eduframe_delete]
    assert "/paths/~1v2~1registerwebhook~1{contractId}/post" in where(
        "Signi", "NotificationUrlOnAction"
    )
    assert where("tyntec-SMS", "OperationMustHaveResponse") == [
        "/paths/~1chat-api~1v2~1applications~1ms-connector~1inbound-message-callback/patch",
        "/paths/~1conversations~1v3~1power-automate~1webhooks~1channels~1sms~1phone-numbers~1"
        "{smsSender}/post",
    ]


@pytest.mark.parametrize(
    "name",
    ["WooCommerce", "3E_Events", "Encodian", "Gravity_Forms_Professional", "Signi", "Zippydoc"],
)
def test_healthy_callbacks_raise_no_notification_url_error(name: str) -> None:
    """Nested callbacks, $ref bodies, shared $ref callback definitions, webhook actions and a
    property literally named x-ms-notification-url are all read correctly."""
    assert {f.rule for f in lint(name)} & NOTIFICATION_URL_RULES == set()


# ---- mutated and garbage documents -------------------------------------------------------


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for _ in range(levels):
        node = {"type": "object", "properties": {"a": node}, "$ref": "#/definitions/A"}
    return node


GARBAGE: list[Any] = [
    None,
    0,
    -1.5,
    True,
    "",
    "x",
    [],
    {},
    [None],
    [[[]]],
    {"a": {"b": []}},
    {"$ref": "#/definitions/Gone"},
    {"$ref": 5},
    {"$ref": "#"},
    {"$ref": "#/"},
    {"$ref": "#/paths"},
    {"$ref": "http://example.com/a.json"},
    {"type": ["string", "null"]},
    {"properties": []},
    {"required": "x"},
    {"x-ms-notification-url": True},
    {"name": {}, "in": []},
    {"in": "path"},
    "/a?b#c",
    "{",
    {"x-ms-trigger": []},
]


def _containers(doc: Any) -> list[tuple[Any, Any]]:
    found, stack = [], [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def _mutate(rng: random.Random, doc: Any) -> None:
    spots = _containers(doc)
    for _ in range(rng.randint(1, 25)):
        parent, key = rng.choice(spots)
        if isinstance(parent, dict) and rng.random() < 0.2:
            parent.pop(key, None)
        elif isinstance(parent, list) and isinstance(key, int) and key >= len(parent):
            continue
        else:
            parent[key] = copy.deepcopy(rng.choice(GARBAGE))


SMALL = [n for n in NAMES if len(json.dumps(load(n)[0])) < 60_000]


@pytest.mark.parametrize("seed", range(8))
def test_mutated_corpus_documents_never_break_the_linter(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        swagger, properties = copy.deepcopy(load(rng.choice(SMALL)))
        _mutate(rng, swagger if rng.random() < 0.8 else properties)
        design = rng.choice([None, {"triggers": [{"request": {"path": "/x", "method": "post"}}]}])
        findings = lint_swagger(swagger, properties=properties, design=design)
        assert "LinterRuleFailed" not in {f.rule for f in findings}


@pytest.mark.parametrize(
    "garbage",
    [
        *GARBAGE,
        {"paths": []},
        {"paths": {"/a": []}},
        {"paths": {"/a": {"get": []}}},
        {"paths": {"/a": {"get": {"parameters": {}, "responses": []}}}},
        {
            "swagger": 2,
            "info": [],
            "host": {"a": 1},
            "basePath": 5,
            "schemes": "https",
            "paths": {1: {}},
        },
        {
            "paths": {
                "/a/{id}": {
                    "parameters": [5, None],
                    "post": {"parameters": [{"$ref": "#/parameters/x"}]},
                }
            }
        },
    ],
)
def test_garbage_documents_are_reported_not_raised(garbage: Any) -> None:
    findings = lint_swagger(garbage, properties=garbage, design=garbage)
    assert "LinterRuleFailed" not in {f.rule for f in findings}
    if not isinstance(garbage, dict):
        assert [f.rule for f in findings] == ["JsonTypeIncorrect"]


def test_cyclic_and_deep_documents() -> None:
    cyclic: dict[str, Any] = {
        "swagger": "2.0",
        "paths": {"/a": {"post": {"x-ms-trigger": "single"}}},
    }
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    schema["properties"]["self"] = schema
    cyclic["paths"]["/a"]["post"]["parameters"] = [{"name": "b", "in": "body", "schema": schema}]
    cyclic["loop"] = cyclic
    deep = {
        "swagger": "2.0",
        "definitions": {"A": _deep(5000)},
        "paths": {
            "/b": {
                "get": {
                    "parameters": [
                        {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/A"}}
                    ],
                    "responses": {
                        "200": {"description": "x", "schema": {"$ref": "#/definitions/A"}}
                    },
                }
            }
        },
    }
    for doc in (cyclic, deep):
        assert "LinterRuleFailed" not in {f.rule for f in lint_swagger(doc)}
    assert "DocumentTooDeep" in {f.rule for f in lint_swagger(deep)}


def test_yaml_alias_bomb_stays_cheap() -> None:
    """Each level refers four times to the one below: 4**12 paths to a handful of objects."""
    text = "a: &a {type: object, properties: {x: {type: string}}}\n"
    for level in range(12):
        below = "a" if level == 0 else f"l{level - 1}"
        text += f"l{level}: &l{level} {{type: object, properties: "
        text += "{" + ", ".join(f"p{i}: *{below}" for i in range(4)) + "}}\n"
    doc = {
        "swagger": "2.0",
        "definitions": yaml.safe_load(text),
        "paths": {
            "/b": {
                "post": {
                    "parameters": [
                        {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/l11"}}
                    ],
                    "responses": {
                        "200": {"description": "x", "schema": {"$ref": "#/definitions/l11"}}
                    },
                }
            }
        },
    }
    # An alias bomb expands exponentially if walked naively: the walker's node cap stops it.
    findings = lint_swagger(doc)
    assert "LinterRuleFailed" not in {f.rule for f in findings}
