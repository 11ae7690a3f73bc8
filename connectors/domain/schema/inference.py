"""Infer a Swagger 2.0 schema (with Power Platform annotations) from sample JSON bodies.

Input: one or more sample bodies, already parsed into Python values (``parse_samples`` turns
pasted text into them). Output: an ``InferenceResult`` holding a Swagger 2.0 schema object (no
type lists, no ``null`` type, no ``$schema``, no anyOf/oneOf; nullability as ``x-nullable``;
every property with an ``x-ms-summary`` title made from its key, and no ``description``: a
description made from the key ("The before.") tells the maker nothing, so it is left for them to
write) and warnings for every guess made.

``required``: a sample shows what a payload *can* hold, not what it must, so a property is
required only when it was in its parent object in at least two samples and in every one of
them (one sample marks nothing required).
Warnings name a JSON pointer into the returned schema; limit errors name a pointer into the sample.

genson 1.4.0 evaluation (USERS.md A9), run against this module's test cases and a bench:
  + its merge is right: property union in first-seen order, ``required`` as the intersection,
    integer + number -> number, array items merged across every element.
  - its output is not Swagger 2.0: ``$schema``, ``type`` lists, ``{"type": "null"}``, ``anyOf``
    (object + array), ``{"type": "array"}`` without ``items`` for ``[]``, ``required`` sorted
    alphabetically; no formats, no int32/int64 (it keeps no values) and no depth/size limits
    (deep input ends in RecursionError).
  A prototype "limit walk + genson with custom String/Number strategies + normaliser" gave the
  same schemas on the 78 sample sets of the tests (bar one rule it left out), but took 0.165 s
  against 0.135 s for one walk of our own (156,000 values), needed a second walk to report
  limits with the sample's JSON pointer, and was no shorter: its normaliser re-derives what the
  walk already knows. Kept: our own single walk, following genson's merge rules; genson is not
  imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from connectors.domain.documents import DocumentError, escape_pointer, load_json_text

MAX_SAMPLES = 50
MAX_TEXT_BYTES = 1_048_576  # all sample texts together, UTF-8 encoded
MAX_PROPERTIES = 10_000  # distinct properties in the whole schema
_MAX_DEPTH_CAP = 500  # the walk recurses; stay far below Python's recursion limit
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9\[][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True)
class InferenceResult:
    schema: dict[str, Any]
    warnings: list[str]  # each names the JSON pointer (into ``schema``) it is about


class SchemaInferenceError(ValueError):
    """Input the user must fix; the message names the sample and where in it."""


@dataclass
class _Node:
    """Everything observed at one position of the samples (all array elements share one)."""

    kinds: list[str] = field(default_factory=list)  # JSON types, first-seen order
    strings: int = 0
    string_format: str | None = None  # the one format every string here had, if any
    int_range: tuple[int, int] | None = None
    objects: int = 0  # how many objects were seen here, to decide `required`
    object_samples: int = 0  # in how many samples an object was seen here
    last_sample: int = 0  # the sample that last counted in object_samples
    presence: int = 0  # how many parent objects had this key
    properties: dict[str, _Node] = field(default_factory=dict)
    items: _Node | None = None


def infer_schema(
    samples: Sequence[Any], *, max_depth: int = 32, max_nodes: int = 100_000
) -> InferenceResult:
    """Merge every sample into one schema; raise SchemaInferenceError on bad input or limits."""
    if isinstance(samples, str | bytes | dict) or not isinstance(samples, Sequence):
        raise SchemaInferenceError("samples must be a list of parsed JSON values")
    if not samples:
        raise SchemaInferenceError("no samples given: paste at least one JSON body")
    if len(samples) > MAX_SAMPLES:
        raise SchemaInferenceError(f"{len(samples)} samples given; at most {MAX_SAMPLES} allowed")
    if not 1 <= max_depth <= _MAX_DEPTH_CAP:
        raise ValueError(f"max_depth must be between 1 and {_MAX_DEPTH_CAP}")
    walker = _Walker(max_depth=max_depth, max_nodes=max_nodes)
    root = _Node()
    for number, sample in enumerate(samples, start=1):
        walker.sample_number = number
        walker.add(root, sample, depth=0)
    warnings: list[str] = []
    return InferenceResult(schema=_render(root, "", None, warnings), warnings=warnings)


class _Walker:
    """One pass over the samples; keeps the counters and the current path for error messages."""

    def __init__(self, *, max_depth: int, max_nodes: int) -> None:
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes = 0
        self.properties = 0
        self.sample_number = 0
        self.path: list[str] = []  # a stack, not rebuilt per value: the walk is the hot loop

    def fail(self, problem: str) -> SchemaInferenceError:
        where = _pointer(self.path) or "the root"
        return SchemaInferenceError(f"sample {self.sample_number} at {where}: {problem}")

    def add(self, node: _Node, value: Any, depth: int) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.fail(f"more than {self.max_nodes} values in all samples together")
        if depth > self.max_depth:
            raise self.fail(f"nested deeper than {self.max_depth} levels")
        kind = self.kind_of(value)
        if kind not in node.kinds:
            node.kinds.append(kind)
        if kind == "object":
            self.add_object(node, value, depth)
        elif kind == "array":
            node.items = node.items or _Node()
            for index, element in enumerate(value):
                self.path.append(str(index))
                self.add(node.items, element, depth + 1)
                self.path.pop()
        elif kind == "string":
            _observe_string(node, value)
        elif kind == "integer":
            low, high = node.int_range or (value, value)
            node.int_range = (min(low, value), max(high, value))

    def add_object(self, node: _Node, value: dict[Any, Any], depth: int) -> None:
        node.objects += 1
        if node.last_sample != self.sample_number:  # array items: one sample counts once
            node.last_sample = self.sample_number
            node.object_samples += 1
        for key, child_value in value.items():
            if not isinstance(key, str):
                raise self.fail(f"object key {key!r} is not a string")
            self.path.append(key)
            child = node.properties.get(key)
            if child is None:
                self.properties += 1
                if self.properties > MAX_PROPERTIES:
                    raise self.fail(f"more than {MAX_PROPERTIES} distinct properties")
                child = node.properties[key] = _Node()
            child.presence += 1
            self.add(child, child_value, depth + 1)
            self.path.pop()

    def kind_of(self, value: Any) -> str:
        # bool before int: bool is a subclass of int in Python but its own type in JSON.
        for python_type, kind in _KINDS:
            if isinstance(value, python_type):
                return kind
        raise self.fail(f"{type(value).__name__} is not a JSON value")


_KINDS: tuple[tuple[type, str], ...] = (
    (type(None), "null"),
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (dict, "object"),
    (list, "array"),
)


def _observe_string(node: _Node, value: str) -> None:
    # The first string sets the candidate format; any string that disagrees clears it for good.
    found = string_format(value)
    node.strings += 1
    if node.strings == 1:
        node.string_format = found
    elif node.string_format != found:
        node.string_format = None


def string_format(value: str) -> str | None:
    """The Swagger format of one string, checked by shape and then by calendar validity."""
    if _DATE_TIME.fullmatch(value):
        return "date-time" if _parses(datetime.fromisoformat, value) else None
    if _DATE.fullmatch(value):
        return "date" if _parses(date.fromisoformat, value) else None
    for pattern, name in ((_UUID, "uuid"), (_EMAIL, "email"), (_URI, "uri")):
        if pattern.fullmatch(value):
            return name
    return None


def _parses(parse: Callable[[str], object], value: str) -> bool:
    try:
        parse(value.upper())  # 3.11's fromisoformat wants an upper-case T and Z
    except ValueError:
        return False
    return True


def _render(node: _Node, pointer: str, key: str | None, warnings: list[str]) -> dict[str, Any]:
    """Turn what was observed at one position into a schema object.

    Keys are inserted in the house order (type, format, x-ms-summary, x-nullable, properties,
    required, items) so the same input always gives byte-identical JSON.
    """
    schema = _type_and_format(node, pointer, warnings)
    if key is not None:
        schema["x-ms-summary"] = title_case(key)
    if "null" in node.kinds:
        schema["x-nullable"] = True
    if schema["type"] == "object" and node.properties:
        schema["properties"] = {
            name: _render(child, f"{pointer}/properties/{escape_pointer(name)}", name, warnings)
            for name, child in node.properties.items()
        }
        # One sample cannot tell a required property from an optional one (see the docstring).
        required = [
            name
            for name, child in node.properties.items()
            if node.object_samples > 1 and child.presence == node.objects
        ]
        if required:
            schema["required"] = required
    if schema["type"] == "array":
        items = node.items or _Node()
        schema["items"] = _render(items, f"{pointer}/items", None, warnings)
    return schema


def _type_and_format(node: _Node, pointer: str, warnings: list[str]) -> dict[str, Any]:
    """Widen the observed JSON types to the one Swagger type that fits them best."""
    where = pointer or "the root"
    kinds = [kind for kind in node.kinds if kind != "null"]
    if "integer" in kinds and "number" in kinds:
        kinds.remove("integer")  # every integer is a number; nothing is lost
    if not kinds:
        seen = "only null values" if node.kinds else "only empty arrays"
        warnings.append(f"at {where}: {seen} seen; type guessed as string")
        return {"type": "string"}
    if len(kinds) > 1:
        # Swagger 2.0 has no unions; string is what Power Automate can show for any value.
        warnings.append(f"at {where}: values of types {', '.join(kinds)} seen; typed as string")
        return {"type": "string"}
    kind = kinds[0]
    if kind == "string" and node.string_format:
        return {"type": "string", "format": node.string_format}
    if kind == "number":
        return {"type": "number", "format": "double"}
    if kind == "integer" and node.int_range:
        return _integer(node.int_range, where, warnings)
    return {"type": kind}


def _integer(int_range: tuple[int, int], where: str, warnings: list[str]) -> dict[str, Any]:
    low, high = int_range
    if _INT32[0] <= low and high <= _INT32[1]:
        return {"type": "integer", "format": "int32"}
    if _INT64[0] <= low and high <= _INT64[1]:
        return {"type": "integer", "format": "int64"}
    warnings.append(f"at {where}: integers beyond the 64-bit range seen; no format set")
    return {"type": "integer"}


def _pointer(path: Sequence[str]) -> str:
    return "".join(f"/{escape_pointer(part)}" for part in path)


def title_case(key: str) -> str:
    """Display name for a JSON key: ``order_key``, ``orderKey`` -> "Order Key"; ``ID`` stays."""
    words = _words(key)
    if not words:
        return key  # nothing word-like ("$", ""): showing the key beats inventing a name
    return " ".join(word[0].upper() + word[1:] for word in words)


def _words(key: str) -> list[str]:
    """Split on separators, lower->upper steps and acronym ends ("HTTPStatus" -> HTTP, Status)."""
    words: list[str] = []
    for chunk in re.split(r"[\W_]+", key):  # \W is Unicode-aware, so "größe" stays one chunk
        start = 0
        for i in range(1, len(chunk)):
            if _starts_word(chunk, i):
                words.append(chunk[start:i])
                start = i
        if chunk:
            words.append(chunk[start:])
    if len(words) > 1 and all(word.isupper() for word in words):
        # ORDER_KEY is shouting, not a row of acronyms; a lone "ID" or "URL" keeps its case.
        return [word.capitalize() for word in words]
    return words


def _starts_word(chunk: str, i: int) -> bool:
    before, here, after = chunk[i - 1], chunk[i], chunk[i + 1 : i + 2]
    if not here.isupper():
        return False
    if before.islower() or before.isdigit():
        return True  # orderKey, line2Total
    # Acronym followed by a word: HTTPStatus splits before "S"; a plural "IDs" does not.
    plural = after == "s" and not chunk[i + 2 : i + 3].islower()
    return before.isupper() and after.islower() and not plural


def parse_samples(texts: str | Sequence[str]) -> list[Any]:
    """Parse pasted sample bodies; errors name the sample number, line and column."""
    items = [texts] if isinstance(texts, str) else list(texts)
    if not items:
        raise SchemaInferenceError("no samples given: paste at least one JSON body")
    if len(items) > MAX_SAMPLES:
        raise SchemaInferenceError(f"{len(items)} samples given; at most {MAX_SAMPLES} allowed")
    total = 0
    parsed: list[Any] = []
    for number, text in enumerate(items, start=1):
        if not isinstance(text, str):
            raise SchemaInferenceError(f"sample {number} is not text")
        total += len(text.encode("utf-8", "surrogatepass"))
        if total > MAX_TEXT_BYTES:
            raise SchemaInferenceError(
                f"sample {number}: samples larger than {MAX_TEXT_BYTES} bytes in total"
            )
        parsed.append(_parse_one(text.removeprefix("\ufeff"), number))
    return parsed


def _parse_one(text: str, number: int) -> Any:
    """One sample, read by the app's one JSON loader (its limits and its words)."""
    if not text.strip():
        raise SchemaInferenceError(f"sample {number} is empty")
    try:
        return load_json_text(text, name=f"sample {number}")
    except DocumentError as error:
        raise SchemaInferenceError(str(error)) from None
