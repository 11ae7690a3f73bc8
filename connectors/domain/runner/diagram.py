"""A sequence diagram of a report's lifecycle, drawn as SVG text (no JavaScript, no library).

Purpose: show at a glance what went over the wire between the flow (the platform, played by
the runner), the API or simulator and the callback URL, in order, and which answer went
wrong. Requests are solid arrows, answers dashed, notifications reach the callback URL; each
answer and notification has its step's result as a class (``result-ok``, ``result-bad``, ...)
and a mark (✓ ✗ !), so that colour is never the only sign. Labels are shortened to fit the
lane between their two lifelines (a URL keeps its method and its tail), with the full text in
a ``<title>`` (a tooltip). Every text comes from the network or the design, so every text is
escaped (``xml.sax.saxutils``); the result is safe to inline in a page. Styles live in the
site's CSS (``static/css/report.css``): the page's Content-Security-Policy forbids inline ones.

Input: the report's steps as stored (``Step.as_dict()``), a ``Layout`` (``WIDE`` or
``NARROW``). Output: one ``<svg>`` element; ``messages`` gives the rows without drawing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Layout:
    """Where the three lifelines stand and how large the text is, in SVG units."""

    name: str
    width: int
    lane_x: tuple[int, int, int]
    participants: tuple[str, str, str]
    font: int = 12
    actor_font: int = 13
    row: int = 30


WIDE = Layout("wide", 770, (100, 440, 680), ("Flow (platform)", "{target}", "Callback URL"))
# For a phone: about 330 px wide, where the text is still 11 px high.
NARROW = Layout("narrow", 350, (26, 214, 306), ("Flow", "{target}", "Callback"), actor_font=12)
# A label's advance per character, in ems: a little more than a monospace font's 0.6, and
# each label is drawn with that exact length (textLength), so it never leaves its lane.
CHAR_EM = 0.62
PAD = 6
TOP = 64
MARKS = {"ok": "✓", "bad": "✗", "warn": "!", "running": "…", "neutral": ""}
# The webhook steps that watch the callback URL (``webhook:<operationId>:<name>``).
CALLBACK_STEPS = {"notify": "received", "deliver-once": "received", "silence": "silent"}
ELLIPSIS = "…"
MIN_HEAD = 4


@dataclass(frozen=True)
class Message:
    """One arrow: from lane ``source`` to lane ``target`` (0 flow, 1 API, 2 callback URL)."""

    step: int  # the step's number, from 1
    source: int
    target: int
    kind: str  # request, answer, notify or silence
    result: str  # ok, bad, warn, running or neutral
    text: str  # the whole label, before shortening
    short: str  # what to show when ``text`` does not fit
    full: str  # the tooltip: what the arrow stands for, in full


def shorten_end(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def shorten_request(method: str, target: str, limit: int) -> str:
    """``METHOD /path?query`` in at most ``limit`` characters: what goes is the middle of the
    path; the method and the last path segments (the resource, its id, the query) stay."""
    text = f"{method} {target}".strip()
    room = limit - len(method) - 2  # the space after the method, the ellipsis
    if len(text) <= limit or room < 4:
        return shorten_end(text, limit)
    tail = ""
    for segment in reversed(target.split("/")[1:]):
        candidate = f"/{segment}{tail}"
        if len(candidate) > room:
            break
        tail = candidate
    tail = tail or target[-(room - 1) :]
    head = target[: room - len(tail)]
    # A head shorter than a word says nothing: the tail alone reads better.
    return f"{method} {head if len(head) >= MIN_HEAD else ''}{ELLIPSIS}{tail}"


def _answer(exchange: dict[str, Any]) -> str:
    status = exchange.get("status")
    if status is None:
        return f"no answer: {exchange.get('error') or 'unknown error'}"
    try:
        return f"{status} {HTTPStatus(int(status)).phrase}"
    except ValueError:
        return str(status)


def _answer_results(step: dict[str, Any], exchanges: list[dict[str, Any]]) -> list[str]:
    """The result of each answer of a step: in a failed step the answers that went wrong
    (no answer, not 2xx) are red, or the last one when all look fine (its content was wrong)."""
    status = step.get("status")
    if status == "running":
        return ["running"] * len(exchanges)
    if status == "passed":
        warned = any(f.get("severity") == "warning" for f in step.get("findings") or [])
        results = ["ok"] * len(exchanges)
        if warned and results:
            results[-1] = "warn"
        return results
    if status not in ("failed", "error"):
        return ["neutral"] * len(exchanges)
    bad = [not (isinstance(e.get("status"), int) and 200 <= e["status"] < 300) for e in exchanges]
    if exchanges and not any(bad):
        bad[-1] = True
    return ["bad" if wrong else "ok" for wrong in bad]


def _step_messages(number: int, step: dict[str, Any]) -> list[Message]:
    title = " ".join(str(step.get("title") or step.get("key") or "").split())
    status = str(step.get("status") or "")
    exchanges = [e for e in step.get("exchanges") or [] if isinstance(e, dict)]
    rows: list[Message] = []
    for exchange, result in zip(exchanges, _answer_results(step, exchanges), strict=True):
        method = str(exchange.get("method") or "")
        url = str(exchange.get("url") or "")
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        rows.append(
            Message(
                step=number,
                source=0,
                target=1,
                kind="request",
                result="neutral",
                text=f"{method} {target}",
                short=method,
                full=f"Step {number}, {title}: {method} {url}",
            )
        )
        answer = _answer(exchange)
        mark = MARKS[result]
        rows.append(
            Message(
                step=number,
                source=1,
                target=0,
                kind="answer",
                result=result,
                text=f"{mark} {answer}".strip(),
                short=f"{mark} {exchange.get('status') or 'no answer'}".strip(),
                full=f"Step {number}, {title}: {answer} (step {status})",
            )
        )
    name = str(step.get("key") or "").rsplit(":", 1)[-1]
    # The last segment only: the operationId in the middle is the user's own text.
    if name in CALLBACK_STEPS and status not in ("skipped", ""):
        result = {"passed": "ok", "running": "running"}.get(status, "bad")
        kind = "silence" if name == "silence" else "notify"
        mark = MARKS[result]
        rows.append(
            Message(
                step=number,
                source=1,
                target=2,
                kind=kind,
                result=result,
                text=f"{mark} {title}",
                short=f"{mark} {CALLBACK_STEPS[name]}",
                full=f"Step {number}, {title}: {status}",
            )
        )
    return rows


def messages(steps: list[dict[str, Any]]) -> list[Message]:
    """Every arrow of the diagram, in order; skipped steps sent nothing and draw nothing."""
    rows: list[Message] = []
    for number, step in enumerate(steps, start=1):
        if isinstance(step, dict):
            rows.extend(_step_messages(number, step))
    return rows


def lane_chars(layout: Layout, source: int, target: int) -> int:
    """How many characters of a label fit between two lifelines."""
    span = abs(layout.lane_x[target] - layout.lane_x[source]) - 2 * PAD
    return int(span // (CHAR_EM * layout.font))


def fit_label(message: Message, layout: Layout) -> str:
    """The message's label, shortened to fit its lane."""
    limit = lane_chars(layout, message.source, message.target)
    if message.kind == "request":
        method, _, target = message.text.partition(" ")
        return shorten_request(method, target, limit)
    if len(message.text) <= limit:
        return message.text
    return shorten_end(message.short if len(message.short) <= limit else message.text, limit)


def _text(
    x: float, y: float, text: str, font: int, css: str, anchor: str = "middle", fixed: bool = True
) -> str:
    """A text; ``fixed``: drawn with the length the layout counted on, whatever the font."""
    length = round(len(text) * CHAR_EM * font, 1)
    sized = f'textLength="{length:g}" lengthAdjust="spacing" ' if fixed else ""
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" {sized}'
        f'class="{css}">{escape(text)}</text>'
    )


def _participants(layout: Layout, target_name: str, bottom: int) -> list[str]:
    parts = []
    font = layout.actor_font
    for x, name in zip(layout.lane_x, layout.participants, strict=True):
        name = name.format(target=target_name)
        box = len(name) * CHAR_EM * font + 16
        left = min(max(x - box / 2, 2), layout.width - 2 - box)
        parts.append(
            f'<line x1="{x}" y1="36" x2="{x}" y2="{bottom}" class="seq-lifeline"/>'
            f'<rect x="{left:g}" y="8" width="{box:g}" height="28" rx="4" class="seq-actor"/>'
            # A box wider than the name needs (sans, narrower than the counted width).
            + _text(left + box / 2, 27, name, font, "seq-actor-name", fixed=False)
        )
    return parts


def _bands(rows: list[Message], layout: Layout) -> list[str]:
    """A tinted band behind the arrows of each step that failed or is running."""
    parts = []
    for number in dict.fromkeys(row.step for row in rows):
        indexes = [i for i, row in enumerate(rows) if row.step == number]
        results = {rows[i].result for i in indexes}
        tint = "bad" if "bad" in results else "running" if "running" in results else ""
        if tint:
            top = TOP + indexes[0] * layout.row - layout.row + 10
            height = len(indexes) * layout.row
            parts.append(
                f'<rect x="0" y="{top}" width="{layout.width}" height="{height}" '
                f'class="seq-band result-{tint}"/>'
            )
    return parts


def _arrow(row: Message, index: int, layout: Layout, prefix: str, first: bool) -> str:
    """One arrow with its label; the first arrow of a step has the step's number beside it."""
    y = TOP + index * layout.row
    x1, x2 = layout.lane_x[row.source], layout.lane_x[row.target]
    tip = x2 - 1 if x2 > x1 else x2 + 1
    number = ""
    if first:
        left = layout.lane_x[0] - 8
        number = _text(left, y - 6, str(row.step), layout.font, "seq-step", anchor="end")
    return (
        f'<g class="seq-msg kind-{row.kind} result-{row.result}"><title>{escape(row.full)}</title>'
        f'<line x1="{x1}" y1="{y}" x2="{tip}" y2="{y}" class="seq-arrow" '
        f'marker-end="url(#{prefix}-head-{row.result})"/>'
        + _text((x1 + x2) / 2, y - 6, fit_label(row, layout), layout.font, "seq-label")
        + number
        + "</g>"
    )


def _description(rows: list[Message]) -> str:
    requests = sum(row.kind == "request" for row in rows)
    notes = sum(row.kind in ("notify", "silence") for row in rows)
    text = f"{requests} request(s) to the API and {notes} check(s) of the callback URL."
    wrong = [row for row in rows if row.result == "bad"]
    if wrong:
        text += " Went wrong: " + "; ".join(row.full for row in wrong) + "."
    return text


def sequence_svg(
    steps: list[dict[str, Any]],
    *,
    title: str = "Lifecycle",
    target_name: str = "API",
    layout: Layout = WIDE,
    id_prefix: str = "sequence",
) -> str:
    """The diagram of ``steps`` drawn for ``layout``; ids start with ``id_prefix``."""
    rows = messages(steps)
    prefix = f"{id_prefix}-{layout.name}"
    height = TOP + max(len(rows) - 1, 0) * layout.row + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sequence sequence-{layout.name}" '
        f'width="{layout.width}" height="{height}" viewBox="0 0 {layout.width} {height}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(_description(rows))}</desc><defs>',
    ]
    for result in MARKS:
        parts.append(
            f'<marker id="{prefix}-head-{result}" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" class="seq-head result-{result}"/></marker>'
        )
    parts.append("</defs>")
    parts += _bands(rows, layout)
    parts += _participants(layout, target_name, height - 4)
    for index, row in enumerate(rows):
        first = index == 0 or rows[index - 1].step != row.step
        parts.append(_arrow(row, index, layout, prefix, first))
    if not rows:
        parts.append(_text(layout.width / 2, TOP - 8, "Nothing sent yet.", layout.font, "seq-none"))
    parts.append("</svg>")
    return "".join(parts)
