"""The values a schema property may take in the schema editor: types, formats, defaults.

Purpose: the checks ``schema.edit`` makes before it writes anything. Swagger 2.0's types; the
formats the validator knows for numbers (int32, int64, float, double) and open names for text
(date-time, uri, email, ...); a default that fits the type, read from the text of a form field
("50", "true", '["push"]') or given as a JSON value, whose items fit an array's item type and
whose text has the shape a date-time, date or uuid format names.

Input: plain values and type names. Output: the checked value, or an error message for the
maker (``None`` when there is nothing to say).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from connectors.domain.schema.inference import string_format

TYPES = ("string", "integer", "number", "boolean", "array", "object")
FORMATS = {"integer": ("int32", "int64"), "number": ("float", "double")}
_FORMAT = re.compile(r"[A-Za-z][A-Za-z0-9-]*")  # Swagger's open string formats
_CHECKED_FORMATS = ("date-time", "date", "uuid")  # a default must have the shape they name
EXPECTED = {
    "string": "Enter text.",
    "integer": "Enter a whole number, such as 50.",
    "number": "Enter a number, such as 2.5.",
    "boolean": "Enter true or false.",
    "array": 'Enter a JSON list, such as ["push"].',
    "object": 'Enter a JSON object, such as {"key": "value"}.',
}
_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


class ValueProblem(ValueError):
    """A value that does not fit; the message is for the maker."""


def choose(field: str, allowed: Sequence[str]) -> str:
    return f"Choose a {field}: {', '.join(allowed)}."


def format_problem(value: Any, kind: str | None) -> str | None:
    """Why ``value`` cannot be the format of a ``kind`` property (None: it can)."""
    if kind in ("boolean", "array", "object"):
        return f"A {kind} has no format."
    if kind in FORMATS and value not in FORMATS[kind]:
        return choose("format", FORMATS[kind])
    if not isinstance(value, str) or not _FORMAT.fullmatch(value):
        return "A format is a name such as date-time, uri or email."
    return None


def fits(value: Any, kind: str | None) -> bool:
    """Whether ``value`` is a JSON value of ``kind`` (any value fits an untyped property)."""
    if kind is None:
        return True
    if isinstance(value, bool):  # a bool is an int in Python, never a number in JSON
        return kind == "boolean"
    return kind in _PYTHON_TYPES and isinstance(value, _PYTHON_TYPES[kind])


def read_default(raw: Any, kind: str | None, *, items: str | None, fmt: Any) -> Any:
    """The default ``raw`` stands for, checked; ``ValueProblem`` when it does not fit.

    Text is read as JSON for every type but string (an untyped property keeps text that is not
    JSON); ``items`` is an array's item type, ``fmt`` a string's format.
    """
    value = raw
    if isinstance(raw, str) and kind != "string":
        try:
            value = json.loads(raw, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            if kind is not None:
                raise ValueProblem(EXPECTED[kind]) from None
    if not fits(value, kind):
        raise ValueProblem(EXPECTED.get(kind or "", "Enter a value."))
    if kind == "array" and items in EXPECTED and not all(fits(v, items) for v in value):
        raise ValueProblem(f"Every item of the default must be a {items} value.")
    if kind == "string" and fmt in _CHECKED_FORMATS and string_format(value) != fmt:
        raise ValueProblem(f"Enter a {fmt} value, or change the format.")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON not
