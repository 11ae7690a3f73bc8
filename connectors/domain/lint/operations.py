"""Rules on what names an operation: its operationId, summary and description.

Purpose: Microsoft's operationId and summary rules, plus the coding-standards and string-guidance
checks (PascalCase ids, "When ..." trigger summaries, summary different from description).
Input: a ``Context`` (its merged ``operations``).
Output: ``Hit``s for OperationIdRequired, OperationIdNotUnique, OperationIdSanitized,
OperationIdTooLong, OperationIdNotPascalCase, OperationSummaryTooLong, FieldLengthExceeded,
RestrictedCharactersInSummary, OperationMissingSummary, OperationMissingDescription,
SummaryEqualsDescription and TriggerSummaryNotWhen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import clip
from connectors.domain.lint.walker import Operation, text

# The validator keeps letters, digits, "_" and "-" (certified connectors use both); anything else
# is stripped from the id it generates, which then no longer matches the one in the file.
_UNSANITIZED = re.compile(r"[^A-Za-z0-9_-]")
_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# Microsoft does not publish the restricted set. "/" is named by the string guidance; the others
# are markup and template characters that no certified connector summary in the corpus uses.
_RESTRICTED = "/\\<>|{}[]"
# OperationIdTooLong: Microsoft's message leaves the limit as a placeholder. Connectors run on
# Azure API Management, whose operation ids have at most 80 characters: the limit used here.
OPERATION_ID_LIMIT = 80
SUMMARY_LIMIT = 120  # OperationSummaryTooLong: "fewer than 120 characters"
CERTIFICATION_SUMMARY_LIMIT = 80  # string guidance and certification: at most 80


def _summary(op: Operation) -> str | None:
    return text(op.node.get("summary"))


@rule("OperationIdRequired", "error", "Every operation needs an operationId")
def operation_id_required(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if not op.operation_id:
            yield Hit(
                op.pointer,
                f"The operation {op.where} has no operationId.",
                "Give the operation a unique PascalCase operationId, e.g. OnNewItem.",
                design_key="operationId",
            )


@rule("OperationIdNotUnique", "error", "operationIds must be unique")
def operation_id_not_unique(ctx: Context) -> Iterator[Hit]:
    first: dict[str, Operation] = {}
    for op in ctx.operations:
        op_id = op.operation_id
        if not op_id:
            continue
        if op_id in first:
            other = first[op_id]
            yield Hit(
                op.pointer + "/operationId",
                f"The operationId '{clip(op_id)}' of {op.where} is also used by {other.where}.",
                "Rename one of the operations; flows refer to operations by operationId.",
            )
        first.setdefault(op_id, op)


@rule("OperationIdSanitized", "error", "operationId has characters the platform strips")
def operation_id_sanitized(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        op_id = op.operation_id
        if op_id and _UNSANITIZED.search(op_id):
            clean = _UNSANITIZED.sub("", op_id)
            yield Hit(
                op.pointer + "/operationId",
                f"The operationId '{op_id}' differs from its sanitized value '{clean}'.",
                f"Use only letters and digits, e.g. '{clean}'.",
            )


@rule("OperationIdTooLong", "error", "operationId over 80 characters")
def operation_id_too_long(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        op_id = op.operation_id
        if op_id and len(op_id) > OPERATION_ID_LIMIT:
            yield Hit(
                op.pointer + "/operationId",
                f"The operationId '{clip(op_id)}' has {len(op_id)} characters; it must have at "
                f"most {OPERATION_ID_LIMIT}.",
                "Shorten it (e.g. OnOrderCreated); flows refer to the operation by this id, so "
                "rename it before the connector is used.",
            )


@rule("OperationIdNotPascalCase", "warning", "operationId should be PascalCase")
def operation_id_not_pascal_case(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        op_id = op.operation_id
        if op_id and not _PASCAL.match(op_id):
            suggestion = "".join(p[:1].upper() + p[1:] for p in re.split(r"[^A-Za-z0-9]+", op_id))
            yield Hit(
                op.pointer + "/operationId",
                f"The operationId '{op_id}' is not PascalCase.",
                f"Microsoft's coding standards ask for PascalCase without '-' or '_', e.g. "
                f"'{suggestion}'. Renaming breaks flows that already use the operation.",
            )


@rule("OperationSummaryTooLong", "error", "summary must be fewer than 120 characters")
def operation_summary_too_long(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        summary = _summary(op)
        if summary is not None and len(summary) >= SUMMARY_LIMIT:
            yield Hit(
                op.pointer + "/summary",
                f"The summary of {op.label} has {len(summary)} characters.",
                f"Shorten it to fewer than {SUMMARY_LIMIT} characters; details go in the "
                "description.",
            )


@rule("FieldLengthExceeded", "warning", "summary over the 80-character certification limit")
def field_length_exceeded(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        summary = _summary(op)
        if summary is not None and CERTIFICATION_SUMMARY_LIMIT < len(summary) < SUMMARY_LIMIT:
            yield Hit(
                op.pointer + "/summary",
                f"The summary of {op.label} has {len(summary)} characters; certification allows "
                f"{CERTIFICATION_SUMMARY_LIMIT}.",
                f"Shorten it to at most {CERTIFICATION_SUMMARY_LIMIT} characters.",
            )


@rule("RestrictedCharactersInSummary", "error", "summary contains restricted characters")
def restricted_characters_in_summary(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        summary = _summary(op) or ""
        found = sorted({ch for ch in summary if ch in _RESTRICTED})
        if found:
            yield Hit(
                op.pointer + "/summary",
                f"The summary of {op.label} contains restricted characters {' '.join(found)}.",
                "Rephrase without them, e.g. 'or' instead of '/'.",
            )


@rule("OperationMissingSummary", "warning", "Every operation should have a summary")
def operation_missing_summary(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if _summary(op) is None:  # a blank one is RequiredValueEmpty's
            yield Hit(
                op.pointer,
                f"The operation {op.label} has no summary; the flow designer shows its "
                "operationId instead.",
                "Add a short sentence-case summary (for a trigger: 'When ...').",
                design_key="summary",
            )


@rule("OperationMissingDescription", "info", "Every operation should have a description")
def operation_missing_description(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        if not (text(op.node.get("description")) or "").strip():
            yield Hit(
                op.pointer,
                f"The operation {op.label} has no description.",
                "Add a full sentence ending with a period (for a trigger: 'This operation "
                "triggers when ...').",
                design_key="description",
            )


def _plain(value: str) -> str:
    return " ".join(value.lower().split()).rstrip(".")


@rule("SummaryEqualsDescription", "warning", "summary and description should differ")
def summary_equals_description(ctx: Context) -> Iterator[Hit]:
    for op in ctx.operations:
        summary, description = _summary(op), text(op.node.get("description"))
        if summary and description and _plain(summary) == _plain(description):
            yield Hit(
                op.pointer + "/description",
                f"The description of {op.label} repeats its summary.",
                "Describe what the operation does in a full sentence that adds to the summary.",
            )


@rule("TriggerSummaryNotWhen", "warning", "Trigger summaries should start with 'When'")
def trigger_summary_not_when(ctx: Context) -> Iterator[Hit]:
    for op in ctx.triggers:
        summary = (_summary(op) or "").strip()
        if summary and not summary.lower().startswith("when "):
            yield Hit(
                op.pointer + "/summary",
                f"The summary of trigger {op.label} ('{summary}') does not start with 'When'.",
                "Name triggers after their event, e.g. 'When an order is created'.",
            )
