"""Read an uploaded JSON or YAML document into a plain ``dict``, with errors a user can act on.

Purpose: one front door for every file a user gives us (apiDefinition.swagger.json, its YAML
form, apiProperties.json). It decides JSON against YAML by content, tolerates a UTF-8 BOM,
enforces size and nesting limits before any recursive parser sees the text, and turns every
failure into a ``DocumentError`` naming the file, the line and column (or the JSON pointer)
and what to change.

Input: ``bytes`` or ``str`` (``load_document``), or an already parsed value (``check_tree``).
Output: a ``dict`` holding only JSON values (str keys; str, int, finite float, bool, None,
list, dict), so that everything downstream can serialise it with ``json.dumps``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
# Enough for any 5 MB JSON text (two characters per node at best); also stops shared
# sub-trees in a handed-in dict from being walked exponentially often.
MAX_NODES = 3_000_000

# Outside strings, only brackets and the non-standard constants matter to the pre-scan.
# The string pattern is the "unrolled loop" form, linear even on megabyte strings.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|-?Infinity|NaN', re.DOTALL)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# YAML 1.1 reads on/off/yes/no as booleans and bare dates as dates; swagger means text.
_YAML_DROPPED_TAGS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")


class DocumentError(ValueError):
    """A document that cannot be read; says where (line/column or pointer) and what to do."""

    def __init__(
        self,
        reason: str,
        *,
        name: str = "file",
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ) -> None:
        self.reason = reason
        self.name = name
        self.line = line
        self.column = column
        self.pointer = pointer
        super().__init__(self._render())

    def _render(self) -> str:
        where = f" at {self.pointer or '/'}" if self.pointer is not None else ""
        if self.line is not None:
            where = f" line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{self.name}{where}: {self.reason}"


def load_document(data: bytes | str, *, name: str = "file") -> dict[str, Any]:
    """Parse ``data`` as JSON (when it starts with ``{`` or ``[``) or YAML; see the module doc."""
    text = decode_text(data, name=name)
    stripped = text.lstrip()
    if not stripped:
        raise DocumentError("the file is empty", name=name)
    if stripped[0] in "{[":
        value = load_json_text(text, name=name)
    else:
        value = _load_yaml_text(text, name=name)
    if not isinstance(value, dict):
        found = "nothing" if value is None else f"a {_json_type(value)}"
        raise DocumentError(f"the top level must be an object {{...}}, found {found}", name=name)
    return value


def decode_text(data: bytes | str, *, name: str = "file") -> str:
    """Bytes -> text (UTF-8, BOM tolerated; UTF-16 with a BOM too), after the size check."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise DocumentError(
            f"the file is {size / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB",
            name=name,
        )
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    encoding = "utf-16" if data[:2] in _UTF16_BOMS else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _line_column_bytes(data, exc.start) if encoding != "utf-16" else (None, None)
        raise DocumentError(
            f"byte 0x{data[exc.start]:02X} is not {encoding[:6].upper()} text; save the file "
            "as UTF-8",
            name=name,
            line=line,
            column=column,
        ) from None


def load_json_text(text: str, *, name: str = "file") -> Any:
    """Strict JSON (raw control characters in strings tolerated) with friendly errors."""
    _prescan_json(text, name=name)
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise _json_error(text, exc, name) from None
    except RecursionError:  # the pre-scan bounds depth; this is a last line of defence
        raise DocumentError(f"nesting is deeper than {MAX_DEPTH} levels", name=name) from None


def _prescan_json(text: str, *, name: str) -> None:
    """Bound the nesting depth and refuse NaN/Infinity without recursing (``json`` would)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                reason = f"nesting is deeper than {MAX_DEPTH} levels"
                raise _error_at(text, match.start(), reason, name)
        elif token in "]}":
            depth -= 1
        elif token[0] != '"':
            reason = f"{token} is not a JSON value; use a number, a string or null"
            raise _error_at(text, match.start(), reason, name)


def _error_at(text: str, pos: int, reason: str, name: str) -> DocumentError:
    line, column = line_column(text, pos)
    return DocumentError(reason, name=name, line=line, column=column)


def _json_error(text: str, exc: json.JSONDecodeError, name: str) -> DocumentError:
    """Translate ``json``'s message into what to change, pointing at the real culprit."""
    pos = exc.pos
    before = text[:pos].rstrip()
    char = text[pos : pos + 1]
    reason = exc.msg[:1].lower() + exc.msg[1:]
    if before.endswith(",") and char in ("}", "]"):
        pos = len(before) - 1
        reason = f"trailing comma is not allowed in JSON; remove the ',' before '{char}'"
    elif char == "/" and text[pos + 1 : pos + 2] in ("/", "*"):
        reason = "comments are not allowed in JSON; remove them"
    elif char == "'":
        reason = 'strings and property names need double quotes (") in JSON'
    elif exc.msg == "Extra data":
        reason = "unexpected text after the end of the JSON document"
    elif exc.msg.startswith("Expecting ',' delimiter"):
        reason = "expecting ',' between values; is a comma missing just before this?"
    return _error_at(text, pos, reason, name)


def _yaml_loader_base() -> type[yaml.SafeLoader]:
    # libyaml is much faster on megabyte files; the pure-Python loader behaves the same.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_yaml_loader_base()):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 scalars: ``on``/``yes``/``no`` stay text, dates stay text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML_DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _load_yaml_text(text: str, *, name: str) -> Any:
    try:
        _prescan_yaml(text, name=name)
        value = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no object tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = str(exc.problem or exc.context or "not valid YAML")
        raise DocumentError(
            f"not valid YAML: {reason}", name=name, line=line, column=column
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise DocumentError(f"not valid YAML: {exc}", name=name) from None
    return check_tree(value, name=name)


def _prescan_yaml(text: str, *, name: str) -> None:
    """Walk the event stream (iterative, unlike the composer) to bound depth and refuse aliases.

    Aliases are refused because ``*anchor`` shares one sub-tree many times: a few lines of
    YAML can stand for gigabytes once written out as JSON ("billion laughs").
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _yaml_event_error(f"nesting is deeper than {MAX_DEPTH} levels", event, name)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise _yaml_event_error(
                f"YAML aliases (*{event.anchor}) are not supported; write the value out in full",
                event,
                name,
            )


def _yaml_event_error(reason: str, event: yaml.Event, name: str) -> DocumentError:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return DocumentError(reason, name=name, line=line, column=column)


def check_tree(value: Any, *, name: str = "file") -> Any:
    """A copy of ``value`` holding JSON values only, checked for depth and size without recursion.

    YAML gives non-string keys (``200:`` is an int) and a handed-in dict may hold anything:
    keys become text (``200`` -> ``"200"``), anything that is not JSON is a ``DocumentError``
    naming its pointer.
    """
    holder: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, str, int]] = [(value, holder, 0, "", 1)]
    nodes = 0
    while stack:
        node, parent, key, pointer, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise DocumentError(f"more than {MAX_NODES:,} values; the file is too large", name=name)
        if isinstance(node, dict | list) and depth > MAX_DEPTH:
            raise DocumentError(
                f"nesting is deeper than {MAX_DEPTH} levels", name=name, pointer=pointer
            )
        if isinstance(node, dict):
            copy: dict[str, Any] = {}
            for raw_key, child in node.items():
                text_key = _key_text(raw_key, name=name, pointer=pointer)
                copy[text_key] = None  # keeps the key order; the stack fills the value in
                stack.append(
                    (child, copy, text_key, f"{pointer}/{escape_pointer(text_key)}", depth + 1)
                )
            parent[key] = copy
        elif isinstance(node, list | tuple):
            items: list[Any] = [None] * len(node)
            for index, child in enumerate(node):
                stack.append((child, items, index, f"{pointer}/{index}", depth + 1))
            parent[key] = items
        else:
            parent[key] = _scalar(node, name=name, pointer=pointer)
    return holder[0]


def _key_text(key: Any, *, name: str, pointer: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, int | float) and math.isfinite(key):
        return str(key)
    raise DocumentError(f"the key {key!r} is not text; quote it", name=name, pointer=pointer)


def _scalar(value: Any, *, name: str, pointer: str) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        raise DocumentError(f"{value} is not a JSON number; quote it", name=name, pointer=pointer)
    if isinstance(value, datetime.date):  # only from an explicit !!timestamp tag
        return value.isoformat()
    raise DocumentError(
        f"a {type(value).__name__} value is not JSON; use text, a number, true/false or null",
        name=name,
        pointer=pointer,
    )


def escape_pointer(token: str) -> str:
    """One RFC 6901 reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def line_column(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` (columns count characters, like editors)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def _line_column_bytes(data: bytes, pos: int) -> tuple[int, int]:
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line_start = max(data.rfind(b"\n", 0, pos) + 1, offset)
    column = len(data[line_start:pos].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, pos) + 1, column


def _json_type(value: Any) -> str:
    names = {list: "list [...]", str: "string", bool: "boolean", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)
