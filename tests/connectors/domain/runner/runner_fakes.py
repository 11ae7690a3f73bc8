"""Fakes for the runner's tests: a publisher API on loopback and an in-memory callback endpoint.

``FakeApi`` is a small http.server on 127.0.0.1 (a thread) that implements a webhook
registration/DELETE and a polling endpoint, with the fault modes of issue 4; ``FakeCallbacks``
plays the app's /hooks/<token>/ receivers: ``fire`` on any endpoint makes the event happen, and
the fake API delivers it to every callback URL its subscriptions hold (as the simulator does).
Faults that only show on a re-registration: ``keeps_old_hook`` (a DELETE of a superseded hook
answers 204 and keeps it), ``old_callback`` (a new registration keeps the first one's callback
URL), ``delete_drops_all`` (any DELETE removes every hook), ``reregister_twice`` (a new
registration is stored twice), ``same_location`` (a new registration updates the first one).
Batches: a poll honours ``top`` (the oldest ``top`` new items) unless ``ignores_batch_size``;
``repeats_items`` sends the poll before's newest item again (a poll) or every notification twice;
``batch=True`` delivers arrays (11 items under ``ignores_batch_size``, else 2);
``again_status`` is what a DELETE of an already deleted hook answers (default 404).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design
from connectors.domain.runner import Received

API_KEY = "s3cr3t-Key-9f8e7d"
SAMPLE = {"orderId": 7, "status": "new"}


class FakeApi:
    def __init__(
        self, fault: str | None = None, *, again_status: int = 404, batch: bool = False
    ) -> None:
        self.fault = fault
        self.batch = batch
        self.again_status = again_status
        self.hooks: dict[str, dict[str, Any]] = {}
        self.items: list[dict[str, Any]] = [{"id": 1, "name": "first"}]
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeApi:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def deliver(self, callback_url: str) -> list[Any]:
        """Payloads for the hooks registered with ``callback_url`` (deleted ones, if faulty)."""
        payload: Any = (
            {"orderId": "not a number", "status": "new"} if self.fault == "bad_payload" else SAMPLE
        )
        if self.batch:
            count = 11 if self.fault == "ignores_batch_size" else 2
            payload = [{**SAMPLE, "orderId": number} for number in range(1, count + 1)]
        keeps_going = self.fault == "deliver_after_delete"
        copies = 2 if self.fault == "repeats_items" else 1
        return [
            payload
            for hook in self.hooks.values()
            if hook["callback"] == callback_url and (keeps_going or not hook["deleted"])
            for _ in range(copies)
        ]


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def _answer(self, status: int, body: Any = None, **headers: str) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            api.requests.append((self.command, self.path, dict(self.headers)))
            query = parse_qs(urlsplit(self.path).query)
            if API_KEY not in (self.headers.get("X-Api-Key"), *query.get("X-Api-Key", [])):
                self._answer(401, {"error": "no key"})
                return False
            return True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self._authorized():
                return
            live = [key for key, hook in api.hooks.items() if not hook["deleted"]]
            callback = body.get("notificationUrl")
            if live and api.fault == "old_callback":
                callback = api.hooks[live[0]]["callback"]
            if live and api.fault == "same_location":
                hook_id = live[0]
                api.hooks[hook_id]["callback"] = callback
            else:
                copies = 2 if live and api.fault == "reregister_twice" else 1
                for _ in range(copies):
                    hook_id = str(len(api.hooks) + 1)
                    api.hooks[hook_id] = {"callback": callback, "deleted": False, "body": body}
            location = {
                "no_location": None,
                "relative_location": f"/hooks/{hook_id}",
                "location_metadata": "http://169.254.169.254/latest/meta-data/",
            }.get(api.fault or "", f"{api.base_url}/hooks/{hook_id}")
            status = 200 if api.fault == "status_200" else 201
            headers = {"Location": location} if location else {}
            self._answer(status, {"id": hook_id}, **headers)

        def do_DELETE(self) -> None:
            if not self._authorized():
                return
            if api.fault == "delete_needs_header" and self.headers.get("X-Tenant") != "acme":
                self._answer(403, {"error": "X-Tenant header required"})
                return
            if api.fault == "delete_500":
                self._answer(500, {"error": "boom"})
                return
            hook_id = self.path.rsplit("/", 1)[-1]
            hook = api.hooks.get(hook_id)
            if hook is None:
                self._answer(404)
                return
            if hook["deleted"]:
                self._answer(api.again_status)
                return
            newer = [k for k, h in api.hooks.items() if int(k) > int(hook_id) and not h["deleted"]]
            if not (api.fault == "keeps_old_hook" and newer):
                hook["deleted"] = True
            if api.fault == "delete_drops_all":
                for other in api.hooks.values():
                    other["deleted"] = True
            self._answer(204)

        def do_GET(self) -> None:
            if not self._authorized():
                return
            if api.fault == "slow":
                time.sleep(1.0)
            query = parse_qs(urlsplit(self.path).query)
            since = int((query.get("since") or ["0"])[0])
            top = int((query.get("top") or ["0"])[0])
            page = f"&top={top}" if top else ""
            newest = max((item["id"] for item in api.items), default=0)
            retry = "999999" if api.fault == "retry_big" else "1"
            if since == 0:  # the first call: only the baseline
                base = "http://10.0.0.5" if api.fault == "location_private" else api.base_url
                self._answer(
                    202, None, Location=f"{base}/items?since={newest}{page}", Retry_After=retry
                )
                return
            api.items += [{"id": newest + 1, "name": "a"}, {"id": newest + 2, "name": "b"}]
            new = sorted((i for i in api.items if i["id"] > since), key=lambda i: -i["id"])
            if top and api.fault != "ignores_batch_size":
                new = new[-top:]  # the oldest page first; the rest on the next poll
            if api.fault == "repeats_items":  # the last item of the poll before, again
                new += [i for i in api.items if i["id"] == since]
            if api.fault == "oldest_first":
                new.reverse()
            state = since if api.fault == "state_stuck" else new[0]["id"] if new else since
            self._answer(
                200,
                {"value": new},
                Location=f"{api.base_url}/items?since={state}{page}",
                Retry_After=retry,
            )

    return Handler


class FakeEndpoint:
    def __init__(self, callbacks: FakeCallbacks, number: int) -> None:
        self.callbacks = callbacks
        self.url = f"https://designer.example.com/hooks/token{number}/"
        self.got: list[Received] = []
        self.counted = 0

    def fire(self) -> bool:
        self.callbacks.fires += 1
        for endpoint in self.callbacks.endpoints:
            endpoint.got += [
                Received(json.dumps(body), {"Content-Type": "application/json"})
                for body in self.callbacks.api.deliver(endpoint.url)
            ]
        return self.callbacks.can_fire

    def wait(self, seconds: float) -> list[Received]:
        deadline = time.monotonic() + seconds
        while not self.got and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.got)

    def received(self) -> list[Received]:
        return list(self.got)

    def count(self) -> int:
        self.counted += 1
        return len(self.got)


class FakeCallbacks:
    """``can_fire=False`` plays a real API: ``fire`` says a person must make the event happen
    (the fake API still delivers, as the person would, so the waits end at once)."""

    def __init__(self, api: FakeApi, *, can_fire: bool = True) -> None:
        self.api = api
        self.can_fire = can_fire
        self.fires = 0
        self.endpoints: list[FakeEndpoint] = []

    def new(self) -> FakeEndpoint:
        self.endpoints.append(FakeEndpoint(self, len(self.endpoints) + 1))
        return self.endpoints[-1]


def api_key_design() -> dict[str, Any]:
    design = new_design("Orders")
    design["security"] = {
        "type": "apiKey",
        "definitionName": "api_key",
        "apiKey": {"label": "API key", "name": "X-Api-Key", "in": "header"},
    }
    return design


def webhook_design(*, operation_header: bool = False) -> dict[str, Any]:
    design = api_key_design()
    trigger = new_webhook_trigger(
        summary="When an order is created",
        path="/hooks",
        body_schema={
            "type": "object",
            "properties": {"event": {"type": "string", "default": "order.created"}},
            "required": ["event"],
        },
        notification_samples=[SAMPLE],
    )
    if operation_header:
        trigger["request"]["parameters"].append(
            {
                "name": "X-Tenant",
                "in": "header",
                "required": True,
                "type": "string",
                "default": "acme",
            }
        )
    design["triggers"].append(trigger)
    return design


def polling_design() -> dict[str, Any]:
    design = api_key_design()
    design["triggers"].append(
        new_polling_trigger(
            summary="When an order is created",
            path="/items",
            state_parameter="since",
            value_collection="value",
            value_path="id",
            retry_interval=60,
            item_samples=[{"id": 1, "name": "a"}],
        )
    )
    return design


def resolver_for(*answers: str) -> Any:
    """A getaddrinfo stand-in answering each call with the next address (DNS rebinding)."""
    calls: list[str] = []

    def resolve(host: str, port: int, *args: Any) -> list[Any]:
        calls.append(host)
        address = answers[min(len(calls), len(answers)) - 1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve
