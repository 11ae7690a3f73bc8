"""The report's sequence diagram: labels fit their lane, arrows carry their step's result."""

from __future__ import annotations

import re
from typing import Any

import pytest

from connectors.domain.runner.diagram import (
    CHAR_EM,
    NARROW,
    PAD,
    WIDE,
    Layout,
    fit_label,
    lane_chars,
    messages,
    sequence_svg,
    shorten_request,
)

SIM = "http://127.0.0.1:8000/sim/-QmgpgnlAw38Fq79qOWgWHu2kIHtaVXd"


def exchange(method: str, url: str, status: int | None = 200, error: str | None = None) -> Any:
    return {"method": method, "url": url, "status": status, "error": error, "duration_ms": 3}


def step(key: str, status: str, *exchanges: Any, findings: Any = ()) -> dict[str, Any]:
    return {
        "key": key,
        "title": key.rsplit(":", 1)[-1].capitalize(),
        "status": status,
        "exchanges": list(exchanges),
        "findings": list(findings),
    }


@pytest.mark.parametrize(
    ("method", "target", "limit", "expected"),
    [
        ("GET", "/orders", 40, "GET /orders"),
        ("DELETE", "/sim/-Qmgpgnl/hooks/fe2f420f5bb4b8c5", 30, "DELETE /sim/…/fe2f420f5bb4b8c5"),
        ("DELETE", "/sim/-Qmgpgnl/hooks/fe2f420f5bb4b8c5", 27, "DELETE …/fe2f420f5bb4b8c5"),
        ("GET", "/sim/-Qmgpgnl/orders/updates?since=s6", 24, "GET …/updates?since=s6"),
        ("GET", "/sim/-Qmgpgnl/orders/updates?since=s6", 34, "GET /sim/…/orders/updates?since=s6"),
        ("POST", "/a-very-long-single-segment-without-slashes", 16, "POST …t-slashes"),
    ],
)
def test_a_long_url_loses_its_middle_and_keeps_method_and_tail(
    method: str, target: str, limit: int, expected: str
) -> None:
    label = shorten_request(method, target, limit)
    assert label == expected
    assert len(label) <= limit


def test_every_label_fits_its_lane_in_both_layouts() -> None:
    long = f"{SIM}/orders/updates/with/a/very/long/path/indeed?since=s123456&top=100"
    steps = [
        step("webhook:A:register", "failed", exchange("POST", f"{SIM}/hooks", 201)),
        step("webhook:A:notify", "passed"),
        step("webhook:A:deliver-once", "failed"),
        step("webhook:A:delete", "error", exchange("DELETE", f"{SIM}/hooks/abc", None, "x" * 90)),
        step("polling:B:polls", "passed", exchange("GET", long, 202)),
    ]
    for layout in (WIDE, NARROW):
        for message in messages(steps):
            label = fit_label(message, layout)
            room = abs(layout.lane_x[message.target] - layout.lane_x[message.source]) - 2 * PAD
            assert len(label) * CHAR_EM * layout.font <= room, (layout.name, label)
            assert len(label) <= lane_chars(layout, message.source, message.target)


def test_lane_chars_follow_the_distance_between_lifelines() -> None:
    tight = Layout("t", 200, (10, 110, 190), ("a", "b", "c"), font=10)
    assert lane_chars(tight, 0, 1) == int((100 - 2 * PAD) // (CHAR_EM * 10))
    assert lane_chars(tight, 1, 0) == lane_chars(tight, 0, 1)
    assert lane_chars(tight, 1, 2) < lane_chars(tight, 0, 1)


def test_requests_go_to_the_api_answers_come_back_notifications_reach_the_callback() -> None:
    steps = [
        step("webhook:A:register", "passed", exchange("POST", f"{SIM}/hooks", 201)),
        step("webhook:A:notify", "passed"),
    ]
    rows = [(m.source, m.target, m.kind) for m in messages(steps)]
    assert rows == [(0, 1, "request"), (1, 0, "answer"), (1, 2, "notify")]


WARNING = {"severity": "warning", "code": "W", "message": "m"}


def answered(*statuses: int | None) -> list[Any]:
    return [exchange("GET", f"/r{i}", status, "timed out") for i, status in enumerate(statuses)]


@pytest.mark.parametrize(
    ("status", "answers", "findings", "results"),
    [
        # A failed step whose answers all look fine: its last answer is the one to look at.
        ("failed", answered(200, 201), [], ["ok", "bad"]),
        # A failed step: the answers that went wrong, not the fine ones.
        ("error", answered(500, 200), [], ["bad", "ok"]),
        ("failed", answered(None), [], ["bad"]),
        ("passed", answered(404), [], ["ok"]),
        ("passed", answered(200, 200), [WARNING], ["ok", "warn"]),
        ("running", answered(200), [], ["running"]),
    ],
)
def test_answers_take_the_colour_of_what_they_caused(
    status: str, answers: list[Any], findings: list[Any], results: list[str]
) -> None:
    rows = messages([step("s:a", status, *answers, findings=findings)])
    assert [m.result for m in rows if m.kind == "answer"] == results
    assert {m.result for m in rows if m.kind == "request"} == {"neutral"}


@pytest.mark.parametrize(
    ("name", "status", "drawn"),
    [
        ("notify", "passed", [("notify", "ok")]),
        ("deliver-once", "failed", [("notify", "bad")]),
        ("silence", "passed", [("silence", "ok")]),
        ("silence", "skipped", []),
        ("register", "passed", []),
    ],
)
def test_callback_steps_draw_one_notification_arrow(name: str, status: str, drawn: Any) -> None:
    rows = messages([step(f"webhook:notify:{name}", status)])
    assert [(m.kind, m.result) for m in rows] == drawn


def test_the_marks_say_the_result_without_colour() -> None:
    steps = [
        step("a:register", "failed", exchange("POST", "/hooks", 201)),
        step("b:polls", "passed", exchange("GET", "/items", 200)),
    ]
    answers = [m.text for m in messages(steps) if m.kind == "answer"]
    assert answers == ["✗ 201 Created", "✓ 200 OK"]


def test_the_svg_is_named_described_and_classed_by_result() -> None:
    steps = [
        step("webhook:A:register", "failed", exchange("POST", f"{SIM}/hooks", 201)),
        step("webhook:A:notify", "passed"),
    ]
    svg = sequence_svg(steps, title="Report 7", target_name="Simulator", id_prefix="r7")
    assert 'role="img" aria-labelledby="r7-wide-title r7-wide-desc"' in svg
    assert '<title id="r7-wide-title">Report 7</title>' in svg
    desc = re.search(r'<desc id="r7-wide-desc">(.*?)</desc>', svg)
    assert desc and "Went wrong: Step 1, Register: 201 Created" in desc.group(1)
    assert svg.count('class="seq-lifeline"') == 3
    assert 'class="seq-msg kind-answer result-bad"' in svg
    assert 'class="seq-msg kind-notify result-ok"' in svg
    assert 'marker-end="url(#r7-wide-head-bad)"' in svg
    assert ">Simulator</text>" in svg
    assert f"<title>Step 1, Register: POST {SIM}/hooks</title>" in svg  # the full URL on hover


def test_each_label_is_drawn_with_the_length_the_layout_gave_it() -> None:
    steps = [step("p:polls", "passed", exchange("GET", f"{SIM}/orders/updates?since=s6"))]
    svg = sequence_svg(steps, layout=NARROW)
    labels = re.findall(r'textLength="([\d.]+)"[^>]*class="seq-label">([^<]*)<', svg)
    assert labels and all(
        float(length) == round(len(text) * CHAR_EM * NARROW.font, 1) for length, text in labels
    )
    assert ("GET …/updates?since=s6" in svg) and (SIM not in svg.split("<title>")[0])


def test_every_text_is_escaped() -> None:
    evil = step(
        "x:<b>", "failed", exchange("GET", "http://h/<script>alert(1)</script>", None, "<i>")
    )
    svg = sequence_svg([evil], title="<title>")
    assert "<script>" not in svg and "<i>" not in svg and "&lt;script&gt;" in svg


def test_an_empty_report_draws_the_participants_and_says_nothing_was_sent() -> None:
    svg = sequence_svg([], layout=NARROW)
    assert svg.count('class="seq-actor"') == 3 and "Nothing sent yet." in svg
