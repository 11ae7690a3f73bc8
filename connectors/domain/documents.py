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

import contextlib
import datetime
import json
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import ConstructorError

# What a document may hold, measured on its content: the UTF-8 size of its compact JSON (no
# indentation, no YAML layout). The same measure on every side: a compact file, its YAML form
# and the indented export of the design it became measure alike, so what imports exports to
# something that imports again.
MAX_BYTES = 5 * 1024 * 1024
# The file as sent may be larger than its content (indentation, YAML layout): read up to this.
MAX_FILE_BYTES = 11 * 1024 * 1024
MAX_DEPTH = 64
# Enough for any 5 MB JSON text (two characters per node at best); also stops shared
# sub-trees in a handed-in dict from being walked exponentially often.
MAX_NODES = 3_000_000

# Outside strings, only brackets and the non-standard constants matter to the pre-scan.
# The string pattern is the "unrolled loop" form, linear even on megabyte strings.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]|-?Infinity|NaN', re.DOTALL)
# A JSON string or a number token, to find where a number the parser refused stands.
_JSON_NUMBERS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?\d[\d.eE+-]*', re.DOTALL)
_JSON_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
# A surrogate escape (\ud800-\udfff) somewhere: only then are the strings scanned for lone ones.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A surrogate is not a character: UTF-8 cannot hold it, so saving or printing it would fail.
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    check_content_size(value, name=name)
    return value


def content_size(value: Any) -> int:
    """The measure of ``MAX_BYTES``: the UTF-8 size of ``value`` as compact JSON."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def check_content_size(value: Any, *, name: str = "file") -> None:
    """Refuse a document holding more than ``MAX_BYTES`` (see there)."""
    size = content_size(value)
    if size > MAX_BYTES:
        raise DocumentError(
            f"the document holds {size / 1048576:.1f} MB (measured as compact JSON, without "
            f"indentation); the limit is {MAX_BYTES // 1048576} MB",
            name=name,
        )


def decode_text(data: bytes | str, *, name: str = "file") -> str:
    """Bytes -> text (UTF-8, BOM tolerated; UTF-16 with a BOM too), after the size check."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise DocumentError(
            f"the file is {size / 1048576:.1f} MB; files are read up to "
            f"{MAX_FILE_BYTES // 1048576} MB (and up to {MAX_BYTES // 1048576} MB of content, "
            "measured as compact JSON)",
            name=name,
        )
    if isinstance(data, str):
        surrogate = _SURROGATE.search(data)
        if surrogate:
            raise _error_at(data, surrogate.start(), _SURROGATE_REASON, name)
        return data.removeprefix("\ufeff")
    encoding = "utf-16" if data[:2] in _UTF16_BOMS else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _line_column_bytes(data, exc.start) if encoding != "utf-16" else (None, None)
        raise DocumentError(
            f"byte 0x{data[exc.start]:02X} is not {encoding.removesuffix('-sig').upper()} text; "
            "save the file as UTF-8",
            name=name,
            line=line,
            column=column,
        ) from None


_SURROGATE_REASON = (
    "a lone surrogate (\\ud800-\\udfff) is not a character; use the character itself, or a "
    "complete surrogate pair"
)


class _NotFinite(Exception):
    """Raised by the float hook: ``1e999`` would be infinity, which JSON cannot hold."""


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NotFinite(token)
    return value


def load_json_text(text: str, *, name: str = "file") -> Any:
    """Strict JSON (raw control characters in strings tolerated) with friendly errors.

    The result holds JSON values only: numbers are finite and every string is UTF-8 text.
    """
    _prescan_json(text, name=name)
    try:
        value = json.loads(text, strict=False, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise _json_error(text, exc, name) from None
    except RecursionError:  # the pre-scan bounds depth; this is a last line of defence
        raise DocumentError(f"nesting is deeper than {MAX_DEPTH} levels", name=name) from None
    except _NotFinite as exc:
        token = exc.args[0]
        reason = f"the number {_short(token)} is too large for JSON; use a smaller number"
        raise _number_error(text, lambda found: found == token, reason, name) from None
    except ValueError as exc:  # int(): more digits than Python converts (4300 by default)
        raise _number_error(text, _int_refused, _value_reason(exc), name) from None
    if _SURROGATE_ESCAPE.search(text):
        pos = _lone_surrogate_escape(text)
        if pos is not None:
            raise _error_at(text, pos, _SURROGATE_REASON, name)
    return value


def _int_refused(token: str) -> bool:
    if not re.fullmatch(r"-?\d+", token):
        return False
    try:
        int(token)
    except ValueError:
        return True
    return False


def _number_error(
    text: str, refused: Callable[[str], bool], reason: str, name: str
) -> DocumentError:
    """``reason`` at the first number token (outside strings) that ``refused`` picks out."""
    for match in _JSON_NUMBERS.finditer(text):
        token = match.group()
        if token[0] != '"' and refused(token):
            return _error_at(text, match.start(), reason, name)
    return DocumentError(reason, name=name)


def _lone_surrogate_escape(text: str) -> int | None:
    """Where the first ``\\uD8xx``-``\\uDFxx`` escape stands that is not half of a pair.

    ``json`` turns a high escape directly followed by a low one into one character and keeps
    any other surrogate escape as it is. Only valid JSON comes here, so the string tokens of
    ``_JSON_TOKENS`` are the document's strings.
    """
    for token in _JSON_TOKENS.finditer(text):
        string = token.group()
        if string[0] != '"' or "\\u" not in string:
            continue
        high: re.Match[str] | None = None
        for escape in _JSON_ESCAPE.finditer(string):
            code = int(escape.group(1), 16) if escape.group(1) else -1
            if high is not None:
                if escape.start() == high.end() and 0xDC00 <= code <= 0xDFFF:
                    high = None
                    continue
                return token.start() + high.start()
            if 0xD800 <= code <= 0xDBFF:
                high = escape
            elif 0xDC00 <= code <= 0xDFFF:
                return token.start() + escape.start()
        if high is not None:
            return token.start() + high.start()
    return None


def _value_reason(exc: ValueError | OverflowError) -> str:
    """What to change for a value Python cannot convert (the exception's own words otherwise)."""
    message = str(exc)
    if "Exceeds the limit" in message:
        return "a number with more than 4300 digits is not supported; write it as text"
    return message[:1].lower() + message[1:]


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


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
    if exc.msg.startswith("Unterminated string"):
        line, column = line_column(text, pos)
        reason = (
            f'the file ends inside a string opened at line {line}, column {column}; close it with "'
        )
        pos = len(text)
    elif not text[pos:].strip():
        reason = _cut_short(text)
        pos = len(text)
    elif char not in _JSON_SYNTAX:
        reason = _unexpected(char)
    elif before.endswith(",") and char in ("}", "]"):
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


# Every character JSON has a use for outside strings (``json`` reads the literals' letters).
_JSON_SYNTAX = frozenset(" \t\n\r{}[],:\"-+.0123456789eEtrufalsnNIiy/'")


def _unexpected(char: str) -> str:
    code = f"U+{ord(char):04X}"
    label = unicodedata.name(char, "")
    what = f"{code} ({label})" if label else code
    if char.isspace():
        return f"unexpected character {what}: JSON allows only spaces, tabs and line breaks here"
    return f"unexpected character {what}; remove it or put it inside a string"


def _cut_short(text: str) -> str:
    """Why a text that ends too early cannot be read: the bracket still open, innermost."""
    opened: list[tuple[str, int]] = []
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            opened.append((token, match.start()))
        elif token in "]}" and opened:
            opened.pop()
    if not opened:
        return "the file ends where a value should be"
    bracket, start = opened[-1]
    line, column = line_column(text, start)
    kind, closer = ("an object", "}") if bracket == "{" else ("an array", "]")
    return (
        f"the file ends inside {kind} opened at line {line}, column {column}; "
        f"is the end of the file missing, or a '{closer}'?"
    )


def _yaml_loader_base() -> type[yaml.SafeLoader]:
    # libyaml is much faster on megabyte files; the pure-Python loader behaves the same.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_yaml_loader_base()):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 scalars: ``on``/``yes``/``no`` stay text, dates stay text.

    A value its tag cannot hold (``!!int abc``, ``!!timestamp 2020-13-45``, an integer of more
    than 4300 digits) is a ``ConstructorError`` at the value's line and column, not a bare
    ``ValueError``.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            value = node.value if isinstance(node.value, str) else ""
            problem = f"cannot read {_short(value)!r} as {tag}: {_value_reason(exc)}"
            if "4300 digits" not in problem:
                problem += "; fix the value or quote it"
            raise ConstructorError(None, None, problem, node.start_mark) from None


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
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, where it stands
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        code = f"U+{ord(char[:1] or chr(0)):04X}"
        reason = (
            f"not valid YAML: unexpected character {code}: YAML allows no control characters, "
            f'not even in quotes; remove it, or write it as "\\u{code[2:]}" in double quotes'
        )
        raise _error_at(text, exc.position, reason, name) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise DocumentError(f"not valid YAML: {exc}", name=name) from None
    return check_tree(value, name=name)


def _prescan_yaml(text: str, *, name: str) -> None:
    """Walk the event stream (iterative, unlike the composer) to bound depth and refuse aliases.

    Aliases are refused because ``*anchor`` shares one sub-tree many times: a few lines of
    YAML can stand for gigabytes once written out as JSON ("billion laughs").
    """
    try:
        _walk_yaml_events(text, _Loader, name)
    except yaml.YAMLError as exc:
        # libyaml reads flow collections ahead of the events it yields and refuses deep ones in
        # its own words before the walk sees level 65. Walk again with the pure-Python parser,
        # which yields as it reads: our own error wins wherever it applies, else the first one.
        with contextlib.suppress(yaml.YAMLError):
            _walk_yaml_events(text, yaml.SafeLoader, name)
        raise exc


def _walk_yaml_events(text: str, loader: type[yaml.SafeLoader], name: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
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


# Below this many bits an int has fewer than 4300 decimal digits, Python's conversion limit.
_SAFE_INT_BITS = 14_000


def _key_text(key: Any, *, name: str, pointer: str) -> str:
    if isinstance(key, str):
        if _SURROGATE.search(key):
            raise DocumentError(f"a key: {_SURROGATE_REASON}", name=name, pointer=pointer)
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, int | float) and math.isfinite(key):
        return str(key)
    raise DocumentError(f"the key {key!r} is not text; quote it", name=name, pointer=pointer)


def _scalar(value: Any, *, name: str, pointer: str) -> Any:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise DocumentError(_SURROGATE_REASON, name=name, pointer=pointer)
        return value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # More digits than ``str`` converts (4300 by default) and ``json.dumps`` would fail.
        if value.bit_length() > _SAFE_INT_BITS:
            try:
                str(value)
            except ValueError as exc:
                raise DocumentError(_value_reason(exc), name=name, pointer=pointer) from None
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
    """One RFC 6901 reference token ("~" first, so the "~1" made for "/" stays as it is)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    """The key or index one RFC 6901 reference token stands for ("~1" first, then "~0")."""
    return token.replace("~1", "/").replace("~0", "~")


def lookup_pointer(doc: Any, pointer: str) -> tuple[bool, Any]:
    """(True, the value at RFC 6901 ``pointer`` in ``doc``) or (False, None) when there is none.

    "" is the whole document. A list index is ASCII digits below the list's length; "-" and
    anything else name nothing. A ``$ref`` on the way is not followed.
    """
    if not pointer:
        return (True, doc)
    if not pointer.startswith("/"):
        return (False, None)
    node = doc
    for raw in pointer[1:].split("/"):
        token = unescape_pointer(raw)
        if isinstance(node, dict):
            if token not in node:
                return (False, None)
            node = node[token]
        elif isinstance(node, list) and token.isascii() and token.isdigit():
            if int(token) >= len(node):
                return (False, None)
            node = node[int(token)]
        else:
            return (False, None)
    return (True, node)


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
