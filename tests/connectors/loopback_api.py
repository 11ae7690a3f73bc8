"""A loopback "My API" for the tests of reports against a real API.

It accepts the registration POST (201 with a Location) and, when given a payload, POSTs it to
the callback URL found in the registration body (``callbackUrl``) a moment later, as an event
would come; it accepts the DELETE (204, then 404 for a subscription already deleted).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackApi:
    """Registration (201 + Location, then one notification to the body's callbackUrl) and
    DELETE (204, then 404 for a subscription already deleted)."""

    def __init__(self, payload: Any = None) -> None:
        self.payload = payload
        self.hooks: dict[str, bool] = {}  # id -> deleted
        self.delivered: list[int] = []  # the callback's answers
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> LoopbackApi:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def notify(self, callback_url: str) -> None:
        time.sleep(0.2)  # after the registration's answer, as an event would come
        request = urllib.request.Request(
            callback_url,
            data=json.dumps(self.payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                self.delivered.append(answer.status)
        except urllib.error.HTTPError as refused:  # 410 once the report has ended
            self.delivered.append(refused.code)


def _handler(api: LoopbackApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any = None, **headers: str) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            hook_id = str(len(api.hooks) + 1)
            api.hooks[hook_id] = False
            self._answer(201, {"id": hook_id}, Location=f"{api.base_url}/hooks/{hook_id}")
            if api.payload is not None:
                callback = body["callbackUrl"]
                threading.Thread(target=api.notify, args=(callback,), daemon=True).start()

        def do_DELETE(self) -> None:
            hook_id = self.path.rstrip("/").rsplit("/", 1)[-1]
            if api.hooks.get(hook_id) is False:
                api.hooks[hook_id] = True
                self._answer(204)
            else:
                self._answer(404)

    return Handler
