"""Rules on the texts makers read: the connector's title and description, operation summaries and
descriptions, parameter summaries (Microsoft's Metadata rules and the string guidance).

Purpose: Microsoft's validator checks these texts for certification; they are also what a flow
maker sees of a trigger, so a blank summary or one ending in a stray period shows up in every
flow designer card.
Decisions (Microsoft documents the messages, not the exact checks; these follow the
certification requirements and the connector string guidance):
- RequiredValueEmpty: a value that must say something (info title and version, an operation
  summary, a parameter's name and x-ms-summary) is present but blank. A missing one is another
  rule's (RequiredPropertyMissing, OperationMissingSummary).
- ValueMustEndWithAlphanumeric: the title, operation summaries and parameter x-ms-summary end with
  a letter or digit; a closing parenthesis is accepted too, as certification allows parentheses
  in summaries ("Get items (V2)").
- FieldLengthNotInRange: the title has 1 to 30 characters, a description that is filled in 30 to
  500 (an empty description is left to the others: the export writes "" when there is none).
- ValueContainsRestrictedWords (warning): the title may not contain "API", "Connector" or a Power
  Platform product name; descriptions and summaries may not name a Power Platform product.
- ValueMustBeInEnglish (warning): no letters of a script other than Latin (Cyrillic, Greek, CJK,
  Arabic, ...) in these texts; accented Latin letters pass, since a linter cannot tell English
  by its letters alone.
Input: a ``Context``.
Output: ``Hit``s for the five rules above.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import as_text
from connectors.domain.lint.refs import join
from connectors.domain.lint.walker import text

TITLE_RANGE = (1, 30)
DESCRIPTION_RANGE = (30, 500)
PRODUCTS = (
    "Power Apps",
    "PowerApps",
    "Power Automate",
    "Microsoft Flow",
    "Logic Apps",
    "Power BI",
    "Power Pages",
    "Power Platform",
    "Power Virtual Agents",
    "Copilot Studio",
    "Dataverse",
)
_PRODUCTS = re.compile(r"\b(" + "|".join(re.escape(p) for p in PRODUCTS) + r")\b", re.I)
_TITLE_WORDS = re.compile(r"\b(APIs?|Connectors?)\b", re.I)
# A letter ([^\W\d_]) outside the Unicode blocks of the Latin script (basic, Latin-1, extended
# A to E, IPA, phonetic, additional, ligatures, fullwidth): a regular expression, so that a
# megabyte of text is scanned at C speed.
_LATIN = (
    "A-Za-z\u00aa\u00ba\u00c0-\u02af\u1d00-\u1dbf\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff"
    "\uab30-\uab6f\ufb00-\ufb06\uff21-\uff3a\uff41-\uff5a"
)
_FOREIGN = re.compile(f"(?![{_LATIN}])[^\\W\\d_]")


@dataclass(frozen=True)
class Text:
    """One text of the document: where it is, what it is (for messages) and its value."""

    pointer: str
    what: str  # "title", "summary", "description", "x-ms-summary", "name", "version"
    owner: str  # "the connector", "operation OnOrderCreated", "parameter 'since' of ..."
    value: object
    operation: str | None = None


def texts(ctx: Context) -> list[Text]:
    """Every text these rules read, each once (a shared parameter is read where it lives)."""
    if "texts" in ctx.memo:
        found: list[Text] = ctx.memo["texts"]
        return found
    found = []
    raw = ctx.swagger.get("info")
    info: dict[str, object] = raw if isinstance(raw, dict) else {}
    for key in ("title", "version", "description"):
        if key in info:
            found.append(Text(join("/info", key), key, "the connector", info[key]))
    seen: set[str] = set()
    for op in ctx.operations:
        for key in ("summary", "description"):
            if key in op.node:
                where = f"operation {op.label}"
                found.append(Text(join(op.pointer, key), key, where, op.node[key]))
        for param in op.params:
            if param.location == "body" or param.pointer in seen:
                continue
            seen.add(param.pointer)
            owner = f"parameter '{as_text(param.name)}' of {op.label}"
            for key in ("name", "x-ms-summary", "description"):
                if key in param.node:
                    pointer = join(param.pointer, key)
                    found.append(Text(pointer, key, owner, param.node[key], op.pointer))
    ctx.memo["texts"] = found
    return found


def _strings(ctx: Context, *whats: str) -> Iterator[tuple[Text, str]]:
    for item in texts(ctx):
        value = text(item.value)
        if item.what in whats and value is not None:
            yield item, value


@rule("RequiredValueEmpty", "error", "A value that must say something is blank")
def required_value_empty(ctx: Context) -> Iterator[Hit]:
    for item, value in _strings(ctx, "title", "version", "summary", "name", "x-ms-summary"):
        if not value.strip():
            yield Hit(
                item.pointer,
                f"The '{item.what}' of {item.owner} is present but empty.",
                f"Fill in the {item.what}, or remove the key if it is optional.",
                operation=item.operation,
            )


def _ends_well(value: str) -> bool:
    return value[-1:].isalnum() or value.endswith(")")


@rule("ValueMustEndWithAlphanumeric", "warning", "Titles and summaries end with a letter or digit")
def value_must_end_with_alphanumeric(ctx: Context) -> Iterator[Hit]:
    for item, value in _strings(ctx, "title", "summary", "x-ms-summary"):
        if value.strip() and not _ends_well(value):
            yield Hit(
                item.pointer,
                f"The '{item.what}' of {item.owner} ends with {as_text(value[-1])!r}; it must "
                "end with a letter or a digit.",
                "Remove the trailing punctuation or space (summaries are titles, not sentences).",
                operation=item.operation,
            )


@rule("FieldLengthNotInRange", "warning", "Connector title or description length out of range")
def field_length_not_in_range(ctx: Context) -> Iterator[Hit]:
    for item, value in _strings(ctx, "title", "description"):
        if item.owner != "the connector" or (item.what == "description" and not value.strip()):
            continue
        low, high = TITLE_RANGE if item.what == "title" else DESCRIPTION_RANGE
        if not low <= len(value) <= high:
            yield Hit(
                item.pointer,
                f"The connector's {item.what} has {len(value)} characters; it must have between "
                f"{low} and {high}.",
                f"Rewrite the {item.what} in {low} to {high} characters.",
            )


def _restricted(item: Text, value: str) -> list[str]:
    pattern_hits = _PRODUCTS.findall(value)
    if item.what == "title":
        pattern_hits += _TITLE_WORDS.findall(value)
    return sorted(set(pattern_hits), key=str.lower)


@rule("ValueContainsRestrictedWords", "warning", "Text names a Power Platform product or 'API'")
def value_contains_restricted_words(ctx: Context) -> Iterator[Hit]:
    for item, value in _strings(ctx, "title", "description", "summary", "x-ms-summary"):
        words = _restricted(item, value)
        if words:
            banned = "'API', 'Connector' and " if item.what == "title" else ""
            yield Hit(
                item.pointer,
                f"The '{item.what}' of {item.owner} contains the restricted word"
                f"{'s' if len(words) > 1 else ''} {', '.join(repr(w) for w in words)}; certified "
                f"connectors avoid {banned}Power Platform product names (Power Apps, Power "
                "Automate, Copilot Studio, ...).",
                "Name your service and what it does, not the platform that runs the connector.",
                operation=item.operation,
            )


def _foreign_letters(value: str) -> list[str]:
    """Up to three distinct letters of a script other than Latin."""
    found: list[str] = []
    for match in _FOREIGN.finditer(value):
        if match.group() not in found:
            found.append(match.group())
            if len(found) == 3:
                break
    return found


@rule("ValueMustBeInEnglish", "warning", "Text written in a script other than Latin")
def value_must_be_in_english(ctx: Context) -> Iterator[Hit]:
    for item, value in _strings(ctx, "title", "description", "summary", "x-ms-summary"):
        letters = _foreign_letters(value)
        if letters:
            yield Hit(
                item.pointer,
                f"The '{item.what}' of {item.owner} must be written in English; it has letters "
                f"outside the Latin alphabet ({' '.join(letters)}).",
                "Write it in English; Microsoft translates connector texts for other languages.",
                operation=item.operation,
            )
