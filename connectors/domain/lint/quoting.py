"""How the linter quotes the document in its messages: bounded, whatever the document holds.

Purpose: a finding's message quotes names and values from the document; a 100 KB path or a
10,000-level object must not be copied into every message about it (memory) nor overflow a repr.
Input: any document value. Output: short text (``clip``, ``show``, ``as_text``).
"""

from __future__ import annotations

import reprlib
from typing import Any

# Values from the document go into messages bounded: a 10,000-level dict must not become a
# 10,000-level repr (RecursionError) or a megabyte of text.
_REPR = reprlib.Repr()  # keyword arguments only arrive in Python 3.12
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxdict, _REPR.maxlist = (2, 80, 80, 4, 4)


# Longer text from the document is quoted by its start and end: a path or a value of 100 KB must
# not be copied into every message about it (memory), and the end often tells two paths apart.
CLIP = 120
ELLIPSIS = "\u2026"


def clip(text: str, limit: int = CLIP) -> str:
    """``text`` itself when short, else its start and end around an ellipsis (``limit`` chars)."""
    if len(text) <= limit:
        return text
    tail = limit // 3
    return text[: limit - tail - 1] + ELLIPSIS + text[-tail:]


def show(value: Any) -> str:
    """A short repr of any document value ('text' quoted)."""
    return _REPR.repr(value)


def as_text(value: Any) -> str:
    """A name from the document as text: itself (clipped) when a string, else a short repr."""
    return clip(value) if isinstance(value, str) else show(value)
