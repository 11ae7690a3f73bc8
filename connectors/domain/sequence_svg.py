"""A sequence diagram of a report's lifecycle, drawn as SVG text (no JavaScript, no library).

Purpose: show what went over the wire between the runner, the API and the callback URL, in
order, with each answer's status. Every text comes from the network or the design, so every
text is escaped (``xml.sax.saxutils``); the result is safe to inline in a page.

Input: the report's steps as stored (``Step.as_dict()``). Output: one ``<svg>`` element.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

LANES = ("Runner", "API", "Callback URL")
LANE_X = (90, 330, 570)
WIDTH = 660
ROW = 26
TOP = 50
MAX_LABEL = 60
# The webhook steps that watch the callback URL (``webhook:<operationId>:<name>``).
CALLBACK_STEPS = frozenset({"notify", "deliver-once", "silence"})


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _arrow(y: int, source: int, target: int, label: str, css: str) -> str:
    x1, x2 = LANE_X[source], LANE_X[target]
    mid = (x1 + x2) // 2
    return (
        f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" class={quoteattr(css)} '
        'marker-end="url(#arrowhead)"/>'
        f'<text x="{mid}" y="{y - 5}" text-anchor="middle">{escape(_label(label))}</text>'
    )


def _rows(steps: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    rows: list[tuple[int, int, str, str]] = []
    for step in steps:
        for exchange in step.get("exchanges") or []:
            path = urlsplit(exchange.get("url") or "").path or "/"
            rows.append((0, 1, f"{exchange.get('method', '')} {path}", "request"))
            status = exchange.get("status")
            answer = str(status) if status is not None else (exchange.get("error") or "no answer")
            css = "answer-ok" if status is not None and 200 <= status < 300 else "answer-bad"
            rows.append((1, 0, answer, css))
        key = str(step.get("key", ""))
        # The last segment only: the operationId in the middle is the user's own text.
        if key.rsplit(":", 1)[-1] in CALLBACK_STEPS:
            status = step.get("status", "")
            css = "answer-ok" if status == "passed" else "answer-bad"
            rows.append((1, 2, f"{step.get('title', key)}: {status}", css))
    return rows


def sequence_svg(steps: list[dict[str, Any]], *, title: str = "Lifecycle") -> str:
    rows = _rows(steps)
    height = TOP + ROW * (len(rows) + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f"aria-label={quoteattr(title)}>",
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrowhead" markerWidth="8" markerHeight="8" refX="8" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    for name, x in zip(LANES, LANE_X, strict=True):
        parts.append(
            f'<text x="{x}" y="20" text-anchor="middle" class="lane">{escape(name)}</text>'
        )
        parts.append(f'<line x1="{x}" y1="28" x2="{x}" y2="{height - 8}" class="lifeline"/>')
    for index, (source, target, label, css) in enumerate(rows):
        parts.append(_arrow(TOP + ROW * index, source, target, label, css))
    parts.append("</svg>")
    return "".join(parts)
