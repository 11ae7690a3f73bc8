"""A team with one member of each role, a stranger in another team, and a draft of the team."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from connectors.models import ConnectorDraft, Membership, Team
from tests.factories import add_member, make_draft, make_team, make_user


@dataclass
class World:
    team: Team
    owner: Any
    editor: Any
    viewer: Any
    stranger: Any
    draft: ConnectorDraft


@pytest.fixture
def world(db: None) -> World:
    owner, editor, viewer, stranger = (make_user(n) for n in ("olga", "eddie", "vera", "mallory"))
    team = make_team("Acme", owner=owner)
    add_member(team, editor, Membership.Role.EDITOR)
    add_member(team, viewer, Membership.Role.VIEWER)
    make_team("Evil corp", owner=stranger)
    return World(team, owner, editor, viewer, stranger, make_draft(team, owner, "Orders"))


def webhook_swagger(operation_id: str = "OnItemCreated", **top: Any) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "Items", "description": "Items API.", "version": "1.0"},
        "host": "api.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "paths": {
            "/hooks": {
                "post": {
                    "operationId": operation_id,
                    "summary": "When an item is created",
                    "description": "This operation triggers when an item is created.",
                    "x-ms-trigger": "single",
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "required": True,
                            "schema": {
                                "type": "object",
                                "required": ["url"],
                                "properties": {
                                    "url": {
                                        "type": "string",
                                        "x-ms-notification-url": True,
                                        "x-ms-visibility": "internal",
                                    }
                                },
                            },
                        }
                    ],
                    "responses": {"201": {"description": "Created"}},
                }
            }
        },
        **top,
    }


def swagger_bytes(doc: dict[str, Any] | None = None) -> bytes:
    return json.dumps(doc or webhook_swagger(), indent=2).encode()
