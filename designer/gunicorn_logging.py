"""gunicorn's logs without query values, machine tokens or credentials.

``logger_class`` of ``designer/gunicorn.conf.py``. gunicorn builds its access log line from
*atoms* taken from the raw request: ``%(r)s`` (the request line), ``%(U)s`` (the path),
``%(q)s`` (the query string), ``%(f)s`` (the referer), ``%(u)s`` (the basic authentication
user, which some APIs use as the key), and whatever ``%({name}i)s``, ``%({name}o)s`` or
``%({name}e)s`` an operator adds to the format (request and response headers, WSGI environ).
``ScrubbingLogger`` rewrites each atom before the line is formatted, whatever the format, and
puts the ``ScrubFilter`` on the error log (gunicorn logs "Error handling request <uri>" with
its query) and, as a second net, on the access log.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from connectors.domain.runner.credentials import SECRET_HEADERS
from designer.logfilters import (
    REDACTED,
    ensure_scrub_filter,
    mask_tokens,
    scrub,
    scrub_query,
    scrub_target,
)

# The WSGI environ names of the credential headers (HTTP_AUTHORIZATION, HTTP_X_API_KEY, ...).
_SECRET_ENVIRON = frozenset("http_" + name.replace("-", "_") for name in SECRET_HEADERS)


class ScrubbingLogger(Logger):
    """gunicorn's logger with every access log atom scrubbed and the error log filtered."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            ensure_scrub_filter(log)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: scrub_atom(key, value) for key, value in atoms.items()}


def scrub_atom(key: str, value: Any) -> Any:
    """One access log atom as it may be printed."""
    if not isinstance(value, str):
        return value
    if key == "r":  # "GET /sim/<token>/x?api_key=... HTTP/1.1"
        method, _, rest = value.partition(" ")
        target, _, protocol = rest.rpartition(" ")
        return f"{method} {scrub_target(target)} {protocol}" if target else scrub(value)
    if key in ("{raw_uri}e", "{request_uri}e"):
        return scrub_target(value)
    if key == "U":
        return mask_tokens(value)
    if key in ("q", "{query_string}e"):
        return scrub_query(value)
    if key == "u":
        return value if value == "-" else REDACTED
    if _is_secret_header(key):
        return REDACTED
    return scrub(value)


def _is_secret_header(key: str) -> bool:
    name, kind = key[1:-2], key[-2:]
    if kind in ("}i", "}o"):
        return name in SECRET_HEADERS
    return kind == "}e" and name in _SECRET_ENVIRON
