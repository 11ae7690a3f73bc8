"""The simulator's absolute URLs come from SITE_URL, and it delivers only to this app's receiver.

Django checks only the host name of ``Host`` against ALLOWED_HOSTS, so a request may name any
port (or, with ``ALLOWED_HOSTS = ["*"]``, any host): nothing the simulator builds or calls may
follow it. A loopback listener stands for "another port of this host" and must hear nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from django.test import Client

from connectors import services_simulator
from connectors.models import CallbackHook, Report, SimulatorSession
from tests.connectors.conftest import a_report, make_report_draft, own_callback

pytestmark = pytest.mark.django_db
Fault = SimulatorSession.Fault
SITE = "http://testserver"


class Listener:
    """An HTTP server on a free loopback port that records every request it gets."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        heard = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                heard.append(self.path)
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def listener() -> Iterator[Listener]:
    heard = Listener()
    heard.thread.start()
    try:
        yield heard
    finally:
        heard.server.shutdown()
        heard.server.server_close()


@pytest.fixture
def site(settings: Any) -> str:
    settings.SITE_URL = SITE
    return SITE


def sim_report(fault: str = Fault.NONE) -> tuple[Report, SimulatorSession]:
    report = a_report(make_report_draft(polling=False), fault=fault)
    assert report.simulator is not None
    return report, report.simulator


def register(sim: SimulatorSession, callback: str, host: str) -> Any:
    return Client().post(
        f"/sim/{sim.token}/hooks",
        data=json.dumps({"callbackUrl": callback, "event": "created"}),
        content_type="application/json",
        HTTP_HOST=host,
    )


def test_a_forged_host_port_cannot_make_the_simulator_call_that_port(
    site: str, listener: Listener
) -> None:
    report, sim = sim_report()
    token = CallbackHook.objects.create(report=report, token="forged-port-token").token
    forged = f"127.0.0.1:{listener.port}"  # an allowed host name, another port of this host
    response = register(sim, f"http://{forged}/hooks/{token}/", forged)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["pointer"] == "/callbackUrl" and f"{SITE}/hooks/" in error["message"]
    sim.refresh_from_db()
    assert sim.hooks == {}
    fired = Client().post(f"/sim/{sim.token}/_control/fire", HTTP_HOST=forged)
    assert fired.status_code == 200 and fired.json()["delivered"] == 0
    assert listener.paths == []


def test_a_stored_callback_on_another_port_is_never_called(
    site: str, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither by a fire nor by the DELETE of ``delivers_after_delete``, whatever the Host."""

    class Now:  # the delivery timer, run at once
        def __init__(self, delay: float, function: Any, args: Any) -> None:
            self.call = lambda: function(*args)

        def start(self) -> None:
            self.call()

    monkeypatch.setattr(services_simulator.threading, "Timer", Now)
    report, sim = sim_report(Fault.DELIVERS_AFTER_DELETE)
    token = CallbackHook.objects.create(report=report, token="forged-port-token").token
    forged = f"127.0.0.1:{listener.port}"
    trigger = sim.design["triggers"][0]["operationId"]
    callback = f"http://{forged}/hooks/{token}/"
    sim.hooks = {"hook1": {"trigger": trigger, "callback": callback, "deleted": False, "seq": 1}}
    sim.save(update_fields=["hooks"])
    fired = Client().post(f"/sim/{sim.token}/_control/fire", HTTP_HOST=forged)
    assert fired.json()["refused"] == 1
    assert Client().delete(f"/sim/{sim.token}/hooks/hook1", HTTP_HOST=forged).status_code == 204
    assert listener.paths == []


def test_with_any_host_allowed_a_foreign_host_is_still_refused(
    site: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []
    monkeypatch.setattr(httpx.Client, "post", lambda self, url, **kw: sent.append(url))
    settings.ALLOWED_HOSTS = ["*"]
    report, sim = sim_report()
    token = CallbackHook.objects.create(report=report, token="foreign-host-token").token
    response = register(sim, f"http://evil.example/hooks/{token}/", "evil.example")
    assert response.status_code == 400
    Client().post(f"/sim/{sim.token}/_control/fire", HTTP_HOST="evil.example")
    assert sent == []


def test_a_callback_of_another_report_is_refused(site: str) -> None:
    _report, sim = sim_report()
    other = a_report(make_report_draft())
    response = register(sim, own_callback(other), "testserver")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/callbackUrl"


def test_locations_come_from_site_url_not_from_the_host_header(site: str) -> None:
    report, sim = sim_report()
    forged = "127.0.0.1:6379"
    registered = register(sim, own_callback(report), forged)
    assert registered.status_code == 201
    assert registered["Location"].startswith(f"{SITE}/sim/{sim.token}/hooks/")
    polling = a_report(make_report_draft(webhook=False)).simulator
    assert polling is not None
    first = Client().get(f"/sim/{polling.token}/orders/updates?since=0", HTTP_HOST=forged)
    assert first.status_code == 202
    assert first["Location"].startswith(f"{SITE}/sim/{polling.token}/orders/updates?")


def test_deliver_all_sends_only_to_the_receiver_at_site_url(site: str) -> None:
    sent: list[str] = []

    def post(self: Any, url: str, **kwargs: Any) -> httpx.Response:
        sent.append(url)
        return httpx.Response(202)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx.Client, "post", post)
        budget = services_simulator.DeliveryBudget.for_one_event()
        for foreign in (
            "http://169.254.169.254/latest/meta-data/",
            "http://testserver:6379/hooks/abcdefgh12/",
            "http://evil.example/hooks/abcdefgh12/",
            f"{SITE}/hooks/abcdefgh12/?x=1",
        ):
            assert services_simulator._deliver_all(foreign, [{"a": 1}], budget) == 0
        assert sent == []
        own = f"{SITE}/hooks/abcdefgh12/"
        assert services_simulator._deliver_all(own, [{"a": 1}], budget) == 1
    assert sent == [own]
