"""The report's vocabulary: HTTP exchanges, findings, steps and the report result.

Purpose: plain dataclasses the runner fills and the Django side stores as JSON (``as_dict`` /
``from_dict``) and renders (``to_junit`` for CI pipelines).
Input: values the runner produces. Output: dicts of JSON types, and JUnit XML text.

Statuses: a step or report is ``passed | failed | error | skipped`` (``running`` while a step
is under way). A finding of severity ``error`` fails its step; ``error`` means the runner itself
could not do the step (a bug or an unexpected exception), not that the API is wrong.

``Step.wait_until``: while a running step waits for something only a person can make happen (the
event, against a real API), the moment the wait ends, in epoch seconds (UTC, ``time.time()``);
None otherwise, and always None once the step has ended.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any
from xml.etree import ElementTree


@dataclass
class Exchange:
    """One HTTP request and its answer (or ``error`` when there is no answer)."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str | None = None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    duration_ms: int = 0
    error: str | None = None

    def header(self, name: str) -> str | None:
        """A response header, whatever its case."""
        lowered = name.lower()
        return next((v for k, v in self.response_headers.items() if k.lower() == lowered), None)

    def json_body(self) -> tuple[bool, Any]:
        """(True, parsed body) when the response body is JSON, else (False, None)."""
        try:
            return True, json.loads(self.response_body or "")
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack
            return False, None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exchange:
        return cls(**data)


@dataclass(frozen=True)
class Finding:
    """What is wrong (or worth knowing), said so that the reader knows how to fix it."""

    code: str
    severity: str
    message: str
    pointer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(**data)


@dataclass
class Step:
    """One step of the report: what it did over HTTP and what it found."""

    key: str
    title: str
    status: str = "running"
    duration_ms: int = 0
    exchanges: list[Exchange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    detail: str = ""
    # Epoch seconds (UTC) when the current wait for a person ends; None when not waiting.
    wait_until: float | None = None
    # What a step found that the report shows besides its findings, as JSON: a dynamic-values
    # step's {"parameter", "operation", "choices": [{"value", "title"}], "total"}.
    data: dict[str, Any] = field(default_factory=dict)
    # The notifications the step's callback URL received, as ``callbacks.kept_notifications``
    # keeps them (the report offers each JSON one as a notification sample).
    received: list[dict[str, Any]] = field(default_factory=list)

    def add(self, code: str, severity: str, message: str, pointer: str | None = None) -> None:
        self.findings.append(Finding(code, severity, message, pointer))

    def has_errors(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "exchanges": [exchange.as_dict() for exchange in self.exchanges],
            "findings": [finding.as_dict() for finding in self.findings],
            "detail": self.detail,
            "wait_until": self.wait_until,
            "data": self.data,
            "received": self.received,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        return cls(
            key=data["key"],
            title=data["title"],
            status=data["status"],
            duration_ms=data.get("duration_ms", 0),
            exchanges=[Exchange.from_dict(item) for item in data.get("exchanges", [])],
            findings=[Finding.from_dict(item) for item in data.get("findings", [])],
            detail=data.get("detail", ""),
            wait_until=data.get("wait_until"),
            data=data.get("data") or {},
            received=list(data.get("received") or []),
        )


@dataclass
class ReportResult:
    """The outcome of one run: its overall status and its steps in order."""

    status: str
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def from_steps(cls, steps: list[Step]) -> ReportResult:
        return cls(overall_status(steps), steps)

    def findings(self) -> list[Finding]:
        return [finding for step in self.steps for finding in step.findings]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "steps": [step.as_dict() for step in self.steps]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportResult:
        return cls(data["status"], [Step.from_dict(item) for item in data.get("steps", [])])


def overall_status(steps: list[Step]) -> str:
    """error beats failed beats passed; a run of skipped steps alone did not pass anything."""
    statuses = {step.status for step in steps}
    for status in ("error", "failed"):
        if status in statuses:
            return status
    return "passed" if "passed" in statuses else "skipped"


def to_junit(result: ReportResult, name: str) -> str:
    """The report as JUnit XML: one test case per step; error findings become the failure."""
    suite = ElementTree.Element(
        "testsuite",
        name=name,
        tests=str(len(result.steps)),
        failures=str(sum(step.status == "failed" for step in result.steps)),
        errors=str(sum(step.status == "error" for step in result.steps)),
        skipped=str(sum(step.status == "skipped" for step in result.steps)),
        time=f"{sum(step.duration_ms for step in result.steps) / 1000:.3f}",
    )
    for step in result.steps:
        _junit_case(suite, step, name)
    ElementTree.indent(suite)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _junit_case(suite: ElementTree.Element, step: Step, name: str) -> None:
    case = ElementTree.SubElement(
        suite, "testcase", classname=name, name=step.key, time=f"{step.duration_ms / 1000:.3f}"
    )
    lines = [
        f"{f.severity} {f.code}: {f.message}" + (f" at {f.pointer}" if f.pointer else "")
        for f in step.findings
    ]
    errors = [f for f in step.findings if f.severity == "error"]
    if step.status in ("failed", "error"):
        first = errors[0] if errors else None
        tag = "failure" if step.status == "failed" else "error"
        outcome = ElementTree.SubElement(
            case,
            tag,
            message=f"{first.code}: {first.message}" if first else step.title,
            type=first.code if first else step.status,
        )
        outcome.text = "\n".join(lines)
    elif step.status == "skipped":
        ElementTree.SubElement(case, "skipped", message=step.detail or step.title)
    elif lines:
        ElementTree.SubElement(case, "system-out").text = "\n".join(lines)
