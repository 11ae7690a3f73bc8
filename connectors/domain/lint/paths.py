"""Rules on the path templates under ``paths``.

Purpose: a trigger's path comes from a pasted sample URL, so a query string, a fragment or a
broken template ends up in it easily; Microsoft's validator rejects all of them.
Input: a ``Context`` (the keys of ``paths``).
Output: ``Hit``s for OperationPathMayNotContainQueryOrFragment, OperationPathMustStartWithSlash,
OperationPathContainsUnsupportedCharacters, OperationPathTemplateNotValid and PathRedefined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from connectors.domain.lint.context import Context
from connectors.domain.lint.model import Hit, rule
from connectors.domain.lint.quoting import clip, show
from connectors.domain.lint.refs import join

# Inside one segment, braces must pair up around a name: "{id}", "{a}.{b}" (no nesting).
_SEGMENT = re.compile(r"^(?:[^{}]|\{[^{}]+\})*$")


def _paths(ctx: Context) -> Iterator[str]:
    paths = ctx.swagger.get("paths")
    for path in paths if isinstance(paths, dict) else ():
        if isinstance(path, str) and not path.startswith("x-"):
            yield path


@rule("OperationPathMayNotContainQueryOrFragment", "error", "Path contains '?' or '#'")
def path_query_or_fragment(ctx: Context) -> Iterator[Hit]:
    for path in _paths(ctx):
        if "?" in path or "#" in path:
            yield Hit(
                join("/paths", path),
                f"The path {clip(path)} contains a query part or a fragment.",
                "Remove everything from '?' or '#' and declare query values as query "
                "parameters (or URL-encode the character as %3F / %23).",
                design_key="request/path",
            )


@rule("OperationPathMustStartWithSlash", "error", "Path must start with '/'")
def path_must_start_with_slash(ctx: Context) -> Iterator[Hit]:
    for path in _paths(ctx):
        if not path.startswith("/"):
            yield Hit(
                join("/paths", path),
                f"The path {show(path)} does not start with '/'.",
                "Start the path with '/'; the host and base URL are set on the General step.",
                design_key="request/path",
            )


@rule("OperationPathContainsUnsupportedCharacters", "error", "Path contains '*'")
def path_unsupported_characters(ctx: Context) -> Iterator[Hit]:
    for path in _paths(ctx):
        if "*" in path:
            yield Hit(
                join("/paths", path),
                f"The path {clip(path)} contains the wildcard character '*'.",
                "Replace the wildcard by a path parameter such as {name}.",
                design_key="request/path",
            )


@rule("OperationPathTemplateNotValid", "error", "Path template braces do not pair up")
def path_template_not_valid(ctx: Context) -> Iterator[Hit]:
    for path in _paths(ctx):
        bad = [s for s in path.split("/") if not _SEGMENT.match(s)]
        if bad:
            yield Hit(
                join("/paths", path),
                f"The path {clip(path)} has a segment with unpaired or nested braces: "
                f"{show(bad[0])}.",
                "Enclose each path variable in one '{' and one '}' within a single segment; "
                "URL-encode literal braces.",
                design_key="request/path",
            )


@rule("PathRedefined", "error", "Paths differ only in capitalization")
def path_redefined(ctx: Context) -> Iterator[Hit]:
    first: dict[str, str] = {}
    for path in _paths(ctx):
        key = path.lower()
        if key in first:
            yield Hit(
                join("/paths", path),
                f"The path {clip(path)} is also defined as {clip(first[key])} (paths are compared "
                "case-insensitively).",
                "Merge the two path items into one.",
            )
        first.setdefault(key, path)
