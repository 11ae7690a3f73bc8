"""Who uses a shared piece of a design: the "also used by ..." of the schema editor.

Purpose: an edit of a property that lives in ``#/definitions/X`` (or in a shared body parameter
``#/parameters/X``) changes every operation using X, so the editor says which ones. The design's
triggers (request, notification, responses, DELETE action) and every part of the passthrough
swagger (its operations and path items, definitions, shared parameters and responses) are
*holders*; a holder uses a piece when it refers to it, directly or through other pieces.

Input: a design (``connectors.domain.design``). Output: ``SchemaUsage.users_of(piece)`` gives
the labels of the holders using a piece ("trigger OnIssueOpened (notification)", "operation
GetDevices (GET /devices)", "definition Wrapper"), in design order; ``shared_piece`` names the
piece a design location lives in. ``$ref``s inside example payloads are text, not references
(``refs.is_example``); the graph is walked without recursion, so loops are harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.domain.design import HTTP_METHODS
from connectors.domain.documents import escape_pointer, unescape_pointer
from connectors.domain.refs import is_example

SWAGGER_LOCATION = "/passthrough/swagger"
SHARED_KINDS = {"definitions": "definition", "parameters": "parameter", "responses": "response"}

Holder = tuple[Any, ...]


def shared_piece(location: str) -> str | None:
    """``/passthrough/swagger/definitions/X/properties/y`` -> "#/definitions/X"; None when the
    location is in no shared piece (a trigger's own inline schema)."""
    if not location.startswith(SWAGGER_LOCATION + "/"):
        return None
    tokens = location[len(SWAGGER_LOCATION) + 1 :].split("/")
    if len(tokens) < 2 or tokens[0] not in SHARED_KINDS:
        return None
    return f"#/{tokens[0]}/{tokens[1]}"


def piece_name(piece: str) -> str:
    """ "#/definitions/a~1b" -> "a/b": the name the author gave the piece."""
    return unescape_pointer(piece.split("/", 2)[2])


class SchemaUsage:
    """The holders of a design and the pieces each refers to; built once, asked many times."""

    def __init__(self, design: dict[str, Any]) -> None:
        self._labels: dict[Holder, str] = {}
        self._uses: dict[Holder, set[str]] = {}
        self._found: dict[tuple[str, Holder | None], tuple[str, ...]] = {}
        for index, trigger in enumerate(design.get("triggers") or []):
            self._add_trigger(index, trigger)
        swagger = (design.get("passthrough") or {}).get("swagger") or {}
        self._add_paths(swagger.get("paths"))
        for kind, singular in SHARED_KINDS.items():
            pieces = swagger.get(kind)
            for name, node in pieces.items() if isinstance(pieces, dict) else ():
                piece = f"#/{kind}/{escape_pointer(str(name))}"
                self._add(("piece", piece), f"{singular} {name}", node)
        self._users: dict[str, list[Holder]] = {}
        for holder, pieces in self._uses.items():
            for piece in pieces:
                self._users.setdefault(piece, []).append(holder)

    def users_of(self, piece: str, *, besides: Holder | None = None) -> tuple[str, ...]:
        """Labels of every holder using ``piece`` (directly or not), ``besides`` and the piece
        itself left out, in design order, each label once."""
        key = (piece, besides)
        if key not in self._found:
            reached = self._reaching(piece)
            order = [
                h for h in self._labels if h in reached and h not in (besides, ("piece", piece))
            ]
            self._found[key] = tuple(dict.fromkeys(self._labels[h] for h in order))
        return self._found[key]

    def _reaching(self, piece: str) -> set[Holder]:
        reached: set[Holder] = set()
        todo = [piece]
        while todo:
            for holder in self._users.get(todo.pop(), []):
                if holder not in reached:
                    reached.add(holder)
                    if holder[0] == "piece":
                        todo.append(holder[1])
        return reached

    def _add_trigger(self, index: int, trigger: dict[str, Any]) -> None:
        name = trigger.get("operationId") or trigger.get("summary") or f"#{index + 1}"
        request = trigger.get("request") or {}
        parts = [*(request.get("parameters") or []), request.get("body")]
        design_refs = [part.get("ref") for part in parts if isinstance(part, dict)]
        self._add(("trigger", index, "request"), f"trigger {name} (request)", request, design_refs)
        for part in ("notification", "responses"):
            self._add(("trigger", index, part), f"trigger {name} ({part})", trigger.get(part))
        action = trigger.get("deleteAction")
        if isinstance(action, dict):
            label = f"operation {action.get('operationId')} (DELETE {action.get('path')})"
            refs = [p.get("ref") for p in action.get("parameters") or [] if isinstance(p, dict)]
            self._add(("delete", action.get("path")), label, action, refs)

    def _add_paths(self, paths: Any) -> None:
        for path, item in paths.items() if isinstance(paths, dict) else ():
            if not isinstance(item, dict):
                continue
            for method, op in item.items():
                if method in HTTP_METHODS and isinstance(op, dict):
                    name = f"{op['operationId']} " if isinstance(op.get("operationId"), str) else ""
                    label = f"operation {name}({method.upper()} {path})"
                    self._add(("operation", path, method), label, op)
            rest = {k: v for k, v in item.items() if k not in HTTP_METHODS}
            self._add(("path", path), f"path {path}", rest)

    def _add(self, holder: Holder, label: str, node: Any, design_refs: Any = ()) -> None:
        """Record ``holder``; the design's own parameter refs (``{"ref": R}``) come apart."""
        pieces = {_piece_of(ref) for ref in [*_refs_in(node), *design_refs]}
        self._labels.setdefault(holder, label)
        self._uses.setdefault(holder, set()).update(p for p in pieces if p is not None)


def _piece_of(ref: Any) -> str | None:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    return shared_piece(SWAGGER_LOCATION + ref[1:])


def _refs_in(node: Any) -> Iterator[str]:
    """Every ``$ref`` text under ``node`` (example payloads left out), without recursion."""
    stack: list[tuple[Any, Any]] = [(node, None)]
    while stack:
        current, current_key = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                yield current["$ref"]
            stack.extend(
                (value, key)
                for key, value in current.items()
                if isinstance(value, dict | list) and not is_example(key, current_key)
            )
        elif isinstance(current, list):
            stack.extend((value, None) for value in current)
