"""The Swagger editor's text -> the design, as a file import, keeping what the text cannot hold.

Purpose: the Swagger editor shows the whole apiDefinition (JSON or YAML) and saves it back. The
text is imported like an uploaded file (``swagger.importing.connector.import_connector``:
triggers stay triggers, the rest goes to passthrough), together with the apiProperties the design
it was opened on exports, so that its security connection parameters, policies and branding are
kept. Notification samples live only in the design (no exported file holds them): a trigger that
keeps its operationId keeps its samples. A refusal names its line and column in the text: a
parse error has them already, an importer error's JSON pointer is mapped onto the text.

Input: the text and the design the editor was opened on. Output: ``ImportResult`` (the new
design and the importer's notes), or ``EditorTextError`` (a ``ValueError``) with a line, a
column and a message that says both.
"""

from __future__ import annotations

import copy
from typing import Any

from connectors.domain.pointer_positions import pointer_spans
from connectors.domain.swagger.exporting.properties import export_properties
from connectors.domain.swagger.importing.connector import (
    ImportResult,
    SwaggerImportError,
    import_connector,
)


class EditorTextError(ValueError):
    """Text the editor cannot save: where (1-based line and column) and why."""

    def __init__(self, reason: str, *, line: int, column: int) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        super().__init__(f"Line {line}, column {column}: {reason}")


def import_edited_swagger(text: str, previous: dict[str, Any]) -> ImportResult:
    """The design ``text`` describes, with ``previous``'s apiProperties and samples."""
    try:
        result = import_connector(text, export_properties(previous))
    except SwaggerImportError as error:
        raise _positioned(text, error) from error
    _keep_samples(previous, result.design)
    _keep_tray(previous, result.design)
    return result


def _positioned(text: str, error: SwaggerImportError) -> EditorTextError:
    if error.line is not None:
        return EditorTextError(error.reason, line=error.line, column=error.column or 1)
    pointer = error.pointer or ""
    span = pointer_spans(text, [pointer]).get(pointer)
    reason = error.reason if error.pointer is None else f"{error.reason} (at {pointer or '/'})"
    if span is None:
        return EditorTextError(reason, line=1, column=1)
    return EditorTextError(reason, line=span.line, column=span.column)


def _keep_samples(previous: dict[str, Any], design: dict[str, Any]) -> None:
    samples = {
        trigger["operationId"]: trigger["notification"]["samples"]
        for trigger in previous.get("triggers", [])
        if trigger.get("notification") and trigger["notification"].get("samples")
    }
    for trigger in design["triggers"]:
        notification = trigger.get("notification")
        if notification is not None and not notification["samples"]:
            kept = samples.get(trigger["operationId"])
            if kept:
                notification["samples"] = [*kept]


def _keep_tray(previous: dict[str, Any], design: dict[str, Any]) -> None:
    """A webhook's tray.io settings live only in the design (no exported file holds them): a
    trigger the text still has (same operationId, still a webhook) keeps them."""
    kept = {
        trigger["operationId"]: trigger["tray"]
        for trigger in previous.get("triggers", [])
        if trigger.get("tray") and trigger.get("operationId")
    }
    for trigger in design["triggers"]:
        tray = kept.get(trigger["operationId"])
        if tray and trigger.get("kind") == "webhook" and not trigger.get("tray"):
            trigger["tray"] = copy.deepcopy(tray)
