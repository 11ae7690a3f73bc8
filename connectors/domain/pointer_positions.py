"""Where an RFC 6901 JSON pointer stands in the text of a JSON or YAML document.

Purpose: the Swagger editor shows the linter's findings (and the importer's refusals), which
name JSON pointers, as markers on the lines of the text the user reads and edits. A member
(``/paths/~1hooks/post``) stands at its key, a list item (``/schemes/0``) at its value, the
whole document (``""``) at the first character. A pointer the text does not hold (a finding
about a missing ``description``) is placed at its nearest ancestor that the text does hold.

Input: the document's text (JSON when it starts with ``{`` or ``[``, YAML otherwise, as
``documents.load_document`` decides) and pointers. Output: ``TextSpan``s (1-based line and
column, 0-based character offsets of the start and end of the key or value); ``None`` or no
entry when the text cannot be read or holds no such node. Nothing here raises on bad text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import yaml

from connectors.domain.documents import escape_pointer, line_column

# One JSON token: a string, a structural character, or a bare literal (number, true, ...).
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)


@dataclass(frozen=True)
class TextSpan:
    """A key or value in the text: 1-based line and column, and character offsets."""

    line: int
    column: int
    start: int
    end: int


def pointer_span(text: str, pointer: str) -> TextSpan | None:
    """Where ``pointer`` stands in ``text``, or None when the text holds no such node."""
    return _index(text, set(_prefixes(pointer))).get(pointer)


def pointer_spans(text: str, pointers: Iterable[str]) -> dict[str, TextSpan]:
    """Each pointer's span, or its nearest ancestor's when the text does not hold it.

    A pointer gets no entry only when the text cannot be read at all (the document itself,
    ``""``, is every pointer's last ancestor).
    """
    wanted = {p for p in pointers if p == "" or p.startswith("/")}
    found = _index(text, {prefix for p in wanted for prefix in _prefixes(p)})
    located: dict[str, TextSpan] = {}
    for pointer in wanted:
        for prefix in reversed(list(_prefixes(pointer))):
            if prefix in found:
                located[pointer] = found[prefix]
                break
    return located


def _prefixes(pointer: str) -> Iterator[str]:
    """ "", then each longer pointer up to ``pointer`` itself."""
    yield ""
    parts = pointer.split("/")[1:]
    for end in range(1, len(parts) + 1):
        yield "/" + "/".join(parts[:end])


def _index(text: str, wanted: set[str]) -> dict[str, TextSpan]:
    stripped = text.lstrip()
    if not stripped:
        return {}
    try:
        if stripped[0] in "{[":
            return _json_index(text, wanted)
        return _yaml_index(text, wanted)
    except (yaml.YAMLError, RecursionError, ValueError, IndexError):
        return {}


def _span(text: str, start: int, end: int) -> TextSpan:
    line, column = line_column(text, start)
    return TextSpan(line=line, column=column, start=start, end=end)


# -- JSON ----------------------------------------------------------------------------------------


def _json_index(text: str, wanted: set[str]) -> dict[str, TextSpan]:
    """One pass over the tokens, a stack of open containers; records the wanted nodes only."""
    found: dict[str, TextSpan] = {}
    # Each open container: [pointer, is_object, next index, key of the member being read].
    stack: list[list[object]] = []
    expect_key = False
    key_span: tuple[int, int] | None = None
    for match in _JSON_TOKEN.finditer(text):
        token, start = match.group(), match.start()
        if token in ":,":
            expect_key = token == "," and bool(stack) and stack[-1][1] is True
            continue
        if token in "]}":
            stack.pop()
            expect_key = False
            continue
        if expect_key:  # a member's key: remember it, its value comes after the ':'
            stack[-1][3] = json.loads(token)
            key_span = (start, match.end())
            expect_key = False
            continue
        pointer = _json_child(stack, text, start, match.end(), key_span, wanted, found)
        if token in "[{":
            stack.append([pointer, token == "{", 0, None])
            expect_key = token == "{"
    if stack:
        raise ValueError("unclosed container")
    return found


def _json_child(
    stack: list[list[object]],
    text: str,
    start: int,
    end: int,
    key_span: tuple[int, int] | None,
    wanted: set[str],
    found: dict[str, TextSpan],
) -> str:
    """The pointer of the value starting at ``start``; records it when wanted."""
    if not stack:
        pointer = ""
    else:
        parent = stack[-1]
        if parent[1] is True:
            pointer = f"{parent[0]}/{escape_pointer(str(parent[3]))}"
            if key_span is not None:
                start, end = key_span
        else:
            pointer = f"{parent[0]}/{parent[2]}"
            parent[2] = int(str(parent[2])) + 1
    if pointer in wanted and pointer not in found:
        found[pointer] = _span(text, start, end)
    return pointer


# -- YAML ----------------------------------------------------------------------------------------


def _yaml_index(text: str, wanted: set[str]) -> dict[str, TextSpan]:
    """The composed node tree (marks, no values built), walked only where a pointer leads."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return {}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found: dict[str, TextSpan] = {}
    stack: list[tuple[yaml.Node, str, yaml.Node]] = [(root, "", root)]
    while stack:
        node, pointer, marked = stack.pop()
        if pointer in wanted:
            found[pointer] = _yaml_span(text, starts, marked)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{escape_pointer(str(key.value))}"
                if child in wanted:
                    stack.append((value, child, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = f"{pointer}/{index}"
                if child in wanted:
                    stack.append((item, child, item))
    return found


def _yaml_span(text: str, starts: list[int], node: yaml.Node) -> TextSpan:
    begin, finish = node.start_mark, node.end_mark
    start = starts[begin.line] + begin.column
    end = starts[finish.line] + finish.column if finish.line == begin.line else len(text)
    if finish.line != begin.line:  # a block value: underline its first line only
        newline = text.find("\n", start)
        end = newline if newline != -1 else len(text)
    return TextSpan(line=begin.line + 1, column=begin.column + 1, start=start, end=end)
