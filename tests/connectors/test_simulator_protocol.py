"""The simulator speaks the design's API: registration, DELETE, 202/200 polling, control."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from connectors.models import SimulatorSession
from tests.connectors.conftest import a_report, make_report_draft, own_callback

pytestmark = pytest.mark.django_db
Fault = SimulatorSession.Fault


def session(fault: str = Fault.NONE) -> SimulatorSession:
    """The simulator of a queued report (a simulator answers only while its report is live)."""
    simulator = a_report(make_report_draft(), fault=fault).simulator
    assert simulator is not None
    return simulator


def callback(sim: SimulatorSession) -> str:
    """A callback URL of this app that the simulator's report handed out."""
    return own_callback(sim.reports.get())


def register(sim: SimulatorSession, body: Any) -> Any:
    client = Client(enforce_csrf_checks=True)  # a machine endpoint: no CSRF token needed
    return client.post(
        f"/sim/{sim.token}/hooks", data=json.dumps(body), content_type="application/json"
    )


def test_registration_answers_201_with_an_absolute_location_under_the_base() -> None:
    sim = session()
    url = callback(sim)
    response = register(sim, {"callbackUrl": url, "event": "created"})
    assert response.status_code == 201
    assert response["Location"].startswith(f"{settings.SITE_URL}/sim/{sim.token}/hooks/")
    sim.refresh_from_db()
    assert [h["callback"] for h in sim.hooks.values()] == [url]


def test_registration_body_is_checked_against_the_schema() -> None:
    response = register(session(), {"callbackUrl": 5})
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/callbackUrl"


def test_delete_forgets_the_hook_and_a_second_delete_is_404() -> None:
    sim = session()
    location = register(sim, {"callbackUrl": callback(sim)})["Location"]
    assert Client().delete(location).status_code == 204
    assert Client().get(f"/sim/{sim.token}/_control/hooks").json()["hooks"][0]["deleted"] is True
    assert Client().delete(location).status_code == 404


def hooks(sim: SimulatorSession) -> list[bool]:
    """Whether each hook of ``sim`` is deleted, oldest first."""
    listed = Client().get(f"/sim/{sim.token}/_control/hooks").json()["hooks"]
    return [hook["deleted"] for hook in listed]


def test_a_trigger_keeps_several_live_hooks_and_a_delete_removes_only_its_own() -> None:
    sim = session()
    url_b = callback(sim)
    first = register(sim, {"callbackUrl": callback(sim)})["Location"]
    second = register(sim, {"callbackUrl": url_b})["Location"]
    assert first != second and hooks(sim) == [False, False]
    assert Client().delete(first).status_code == 204
    assert hooks(sim) == [True, False]
    sim.refresh_from_db()
    live = [h["callback"] for h in sim.hooks.values() if not h["deleted"]]
    assert live == [url_b]
    assert Client().delete(second).status_code == 204
    assert Client().delete(second).status_code == 404
    assert hooks(sim) == [True, True]


def test_hooks_are_listed_oldest_first_whatever_the_stored_key_order() -> None:
    sim = session()
    sim.hooks = {  # some databases (PostgreSQL jsonb) do not keep the key order
        "bbbb": {"trigger": "T", "callback": "x", "deleted": True, "seq": 2},
        "aaaa": {"trigger": "T", "callback": "y", "deleted": False, "seq": 1},
    }
    sim.save(update_fields=["hooks"])
    listed = Client().get(f"/sim/{sim.token}/_control/hooks").json()["hooks"]
    assert [hook["id"] for hook in listed] == ["aaaa", "bbbb"]


def test_a_delete_of_an_unknown_hook_is_404() -> None:
    sim = session()
    location = register(sim, {"callbackUrl": callback(sim)})["Location"]
    unknown = location.rsplit("/", 1)[0] + "/0123456789abcdef"
    assert Client().delete(unknown).status_code == 404
    assert hooks(sim) == [False]


def test_keeps_old_hook_ignores_the_delete_of_a_superseded_hook_only() -> None:
    sim = session(Fault.KEEPS_OLD_HOOK)
    first = register(sim, {"callbackUrl": callback(sim)})["Location"]
    assert Client().delete(first).status_code == 204  # no newer hook: really deleted
    assert hooks(sim) == [True]
    old = register(sim, {"callbackUrl": callback(sim)})["Location"]
    new = register(sim, {"callbackUrl": callback(sim)})["Location"]
    assert Client().delete(old).status_code == 204  # answered as done...
    assert hooks(sim) == [True, False, False]  # ...but kept
    assert Client().delete(new).status_code == 204
    assert hooks(sim) == [True, False, True]


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        (Fault.NO_LOCATION, lambda r: r.status_code == 201 and "Location" not in r),
        (Fault.RELATIVE_LOCATION, lambda r: r["Location"].startswith("/sim/")),
        (Fault.STATUS_200, lambda r: r.status_code == 200),
    ],
)
def test_registration_faults(fault: str, check: Any) -> None:
    sim = session(fault)
    assert check(register(sim, {"callbackUrl": callback(sim)}))


def test_delete_needing_a_header_refuses_the_connection_only_delete() -> None:
    sim = session(Fault.DELETE_NEEDS_HEADER)
    location = register(sim, {"callbackUrl": callback(sim)})["Location"]
    assert Client().delete(location).status_code == 401
    assert Client().delete(location, HTTP_X_SIMULATOR_CONFIRM="yes").status_code == 204


def poll(sim: SimulatorSession, url: str | None = None) -> Any:
    return Client().get(url or f"/sim/{sim.token}/orders/updates?since=0")


@pytest.mark.parametrize("fault", [Fault.NONE, Fault.OLDEST_FIRST, Fault.STATE_STUCK])
def test_polling_baseline_then_items_then_nothing_new(fault: str) -> None:
    sim = session(fault)
    first = poll(sim)
    assert first.status_code == 202 and first["Retry-After"] == "300"
    second = poll(sim, first["Location"])
    assert second.status_code == 200
    ids = [item["id"] for item in second.json()["value"]]
    assert ids == ([1, 2, 3] if fault == Fault.OLDEST_FIRST else [3, 2, 1])
    third = poll(sim, second["Location"])
    assert third.status_code == (200 if fault == Fault.STATE_STUCK else 202)


def test_fire_refuses_callbacks_that_are_not_this_apps_receiver() -> None:
    sim = session()
    # Registration refuses such a URL now; one stored before that must not be called either.
    trigger = sim.design["triggers"][0]["operationId"]
    sim.hooks = {
        "h1": {"trigger": trigger, "callback": "http://169.254.169.254/latest/", "deleted": False}
    }
    sim.save(update_fields=["hooks"])
    response = Client().post(f"/sim/{sim.token}/_control/fire")
    assert response.json() == {"hooks": 1, "delivered": 0, "refused": 1, "skipped": 0}


def test_unknown_token_and_unknown_path_are_404() -> None:
    assert Client().get("/sim/unknown/orders/updates").status_code == 404
    assert Client().get(f"/sim/{session().token}/nowhere").status_code == 404


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("[" * 5000 + "]" * 5000, "nesting is deeper than 64 levels"),
        ('{"callbackUrl": ' + "7" * 5000 + "}", "more than 4300 digits"),
        ('{"callbackUrl": "x"', "the file ends inside an object"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_hostile_registration_body_is_a_400_that_says_where(raw: Any, words: str) -> None:
    sim = session()
    response = Client().post(f"/sim/{sim.token}/hooks", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert words in response.json()["error"]
    sim.refresh_from_db()
    assert sim.hooks == {}
