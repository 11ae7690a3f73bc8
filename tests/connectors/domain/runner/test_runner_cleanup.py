"""What a lost run left subscribed: found in its stored steps, deleted with the connection's
authentication as one more step (USERS.md D15)."""

from __future__ import annotations

from typing import Any

import httpx

from connectors.domain.runner import AddressPolicy, OutboundClient, Plan, Step
from connectors.domain.runner.cleanup import delete_leftovers, leftover_locations
from tests.connectors.domain.runner.runner_fakes import API_KEY, FakeApi, webhook_design
from tests.connectors.domain.runner.test_runner_lifecycle import CREDENTIALS


def exchange(method: str, url: str, status: int | None, location: str | None = None) -> Any:
    return {
        "method": method,
        "url": url,
        "request_headers": {},
        "request_body": None,
        "status": status,
        "response_headers": {"Location": location} if location else {},
        "response_body": None,
        "duration_ms": 1,
        "error": None,
    }


def step(key: str, *exchanges: Any) -> dict[str, Any]:
    return {"key": key, "title": key, "status": "passed", "exchanges": list(exchanges)}


A, B = "https://api.example.com/hooks/1", "https://api.example.com/hooks/2"


def test_registrations_minus_what_a_delete_removed() -> None:
    steps = [
        step("webhook:On:register", exchange("POST", "https://api.example.com/hooks", 201, A)),
        step("webhook:On:notify"),
        step("webhook:On:reregister", exchange("POST", "https://api.example.com/hooks", 201, B)),
        step("webhook:On:delete-old", exchange("DELETE", A + "?X-Api-Key=[redacted]", 204)),
    ]
    assert leftover_locations(steps) == [B]
    gone = [*steps, step("webhook:On:delete", exchange("DELETE", B, 404))]
    assert leftover_locations(gone) == []
    refused = [*steps, step("webhook:On:delete", exchange("DELETE", B, 500))]
    assert leftover_locations(refused) == [B]


def test_only_webhook_registrations_with_an_absolute_location_count() -> None:
    steps = [
        step("polling:On:first", exchange("GET", "https://api.example.com/items", 202, A)),
        step("webhook:On:register", exchange("POST", "https://api.example.com/hooks", 201, "/h/3")),
        step("webhook:Other:register", exchange("POST", "https://api.example.com/x", 400, A)),
        step("webhook:Third:register", exchange("POST", "https://api.example.com/x", None)),
    ]
    assert leftover_locations(steps) == []


def registered(api: FakeApi) -> str:
    answer = httpx.post(
        f"{api.base_url}/hooks",
        json={"notificationUrl": "https://designer.example.com/hooks/t/"},
        headers={"X-Api-Key": API_KEY},
    )
    return str(answer.headers["Location"])


def clean(api: FakeApi, locations: list[str]) -> tuple[Step, list[Step]]:
    stored: list[Step] = []
    plan = Plan(webhook_design(), [], api.base_url, CREDENTIALS)
    with OutboundClient(AddressPolicy(allow_loopback=True), read_timeout=2) as client:
        return delete_leftovers(plan, client, stored.append, locations), stored


def test_leftovers_are_deleted_with_the_connections_key_only() -> None:
    with FakeApi() as api:
        location = registered(api)
        done, stored = clean(api, [location, f"{api.base_url}/hooks/99"])
        assert all(hook["deleted"] for hook in api.hooks.values())
        deletes = [r for r in api.requests if r[0] == "DELETE"]
    assert len(deletes) == 2 and all(r[2].get("X-Api-Key") == API_KEY for r in deletes)
    assert done.key == "cleanup" and done.status == "passed" and not done.findings
    assert "2 subscription(s); 2 deleted" in done.detail  # a 404: already gone
    assert [s.status for s in stored] == ["running", "passed"]
    assert API_KEY not in str(stored[-1].as_dict())


def test_a_leftover_the_api_will_not_delete_is_an_error() -> None:
    with FakeApi(fault="delete_500") as api:
        done, _ = clean(api, [registered(api)])
    assert done.status == "failed"
    assert [f.code for f in done.findings] == ["LeftoverNotDeleted"]
