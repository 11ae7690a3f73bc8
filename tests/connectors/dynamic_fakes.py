"""A loopback API with an action that lists projects, and a design whose polling trigger takes
its `project` from that list (dynamic values), for the runner's, the report's and the browser's
tests of dynamic values.

``ListApi`` answers ``GET /teams/{team}/projects`` (with the API key of ``runner_fakes``) as its
``mode`` says: "ok" (``{"value": [{"id", "name"}...]}``), "status" (500), "text" (not JSON;
"nan" and "deep" are not JSON either, only Python's parser would read them),
"flat" (the list without ``value``), "no-id" (items without ``id``), "empty" (no items); and
``GET /items`` (the trigger) with 202, a Location and Retry-After, as a polling API with nothing
new does.
"""

from __future__ import annotations

import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.connectors.domain.runner.runner_fakes import API_KEY, polling_design

PROJECTS = [{"id": n, "name": f"Project {n}"} for n in range(1, 61)]

LIST_PROJECTS = {
    "paths": {
        "/teams/{team}/projects": {
            "get": {
                "operationId": "ListProjects",
                "summary": "List projects",
                "parameters": [
                    {"name": "team", "in": "path", "required": True, "type": "string"},
                    {"name": "active", "in": "query", "type": "boolean"},
                ],
                "responses": {"200": {"description": "Projects"}},
            }
        }
    }
}

PROJECT_VALUES = {
    "x-ms-dynamic-values": {
        "operationId": "ListProjects",
        "parameters": {"team": {"parameter": "team"}, "active": True},
        "value-collection": "value",
        "value-path": "id",
        "value-title": "name",
    },
    "x-ms-dynamic-list": {
        "operationId": "ListProjects",
        "parameters": {"team": {"parameterReference": "team"}, "active": {"value": True}},
        "itemsPath": "value",
        "itemValuePath": "id",
        "itemTitlePath": "name",
    },
}


def dynamic_design(*, with_values: bool = True) -> dict[str, Any]:
    """The polling trigger GET /items with query parameters `team` (default "red") and
    `project` (listed by ListProjects when ``with_values``), ListProjects kept in passthrough."""
    design = polling_design()
    design["passthrough"]["swagger"] = copy.deepcopy(LIST_PROJECTS)
    parameters = design["triggers"][0]["request"]["parameters"]
    parameters.append(
        {"name": "team", "in": "query", "required": True, "type": "string", "default": "red"}
    )
    project: dict[str, Any] = {
        "name": "project",
        "in": "query",
        "required": False,
        "type": "string",
    }
    if with_values:
        project["extras"] = copy.deepcopy(PROJECT_VALUES)
    parameters.append(project)
    return design


class ListApi:
    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ListApi:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def projects(self) -> tuple[int, bytes]:
        body: Any = {
            "ok": {"value": PROJECTS},
            "flat": PROJECTS,
            "no-id": {"value": [{"name": "nameless"}]},
            "empty": {"value": []},
            "status": {"error": "down"},
        }.get(self.mode)
        data = {
            "text": b"<html>projects</html>",
            "nan": b'{"value": [{"id": NaN, "name": "odd"}]}',
            "deep": b"[" * 5000 + b"]" * 5000,
        }.get(self.mode) or json.dumps(body).encode()
        return (500 if self.mode == "status" else 200), data


def _handler(api: ListApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def _answer(self, status: int, data: bytes, **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            api.requests.append((self.path, dict(self.headers)))
            if self.headers.get("X-Api-Key") != API_KEY:
                self._answer(401, b'{"error": "no key"}')
            elif urlsplit(self.path).path.startswith("/teams/"):
                self._answer(*api.projects())
            else:
                location = f"{api.base_url}/items?since=0"
                self._answer(202, b"", Location=location, Retry_After="1")

    return Handler
