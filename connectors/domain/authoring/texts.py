"""The words of a trigger: summaries, descriptions, operation IDs and parameter titles.

Purpose: the text rules ``authoring`` builds with, from Microsoft's coding standards and string
guidance: trigger summaries read "When ..." in sentence case and end with a letter or digit;
descriptions differ from summaries and end with a period; operation IDs are PascalCase ASCII
letters and digits; a parameter ``hookId`` is titled "Hook ID"; a webhook's notification (the
designer's "Response name") is a short name such as "Order created", not a sentence.

Operation IDs: "When an order is created" gives "OnOrderCreated" ("On" + the event, without
articles and auxiliary verbs), which reads like the event it names and stays short.

Input: plain strings. Output: plain strings (``ValueError`` when there is nothing to work with).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[A-Za-z0-9]+")
# camelCase, snake_case and kebab-case names split into words; "URLPath" -> "URL", "Path".
_NAME_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_ARTICLES = ("a", "an", "the")
_FILLERS = frozenset(
    (
        *_ARTICLES,
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "get",
        "gets",
        "got",
        "has",
        "have",
    )
)
_ACRONYMS = {"id": "ID", "url": "URL", "uri": "URI", "api": "API"}


def operation_id_from_summary(summary: str) -> str:
    """PascalCase ASCII letters and digits: "When an order is created" -> "OnOrderCreated"."""
    words = _WORD.findall(to_ascii(summary))
    if words and words[0].lower() == "when":
        words = ["On"] + ([w for w in words[1:] if w.lower() not in _FILLERS] or ["Event"])
    else:
        words = [word for word in words if word.lower() not in _ARTICLES]
    if not words:
        raise ValueError("the summary has no letters or digits to make an operation ID from")
    identifier = "".join(word[:1].upper() + word[1:] for word in words)
    return "On" + identifier if identifier[0].isdigit() else identifier


def notification_name(summary: str) -> str:
    """ "When an order is created" -> "Order created": the name of a webhook's notification.

    The designer shows it as the "Response name", where the corpus's connectors put names such
    as "Ticket Event" or "Webhook response", so: the event of the summary, without "When",
    articles and auxiliary verbs; "Event" when nothing is left.
    """
    words = [word.strip(".,;:!?") for word in summary.split()]
    if words and words[0].lower() == "when":
        words = words[1:]
    words = [word for word in words if word and word.lower() not in _FILLERS]
    if not words:
        return "Event"
    text = " ".join(words)
    return text[0].upper() + text[1:]


def trigger_summary(summary: str) -> str:
    """Sentence case, starting "When", ending with a letter or digit (the validator's rules)."""
    text = " ".join(summary.split()).rstrip(".!?:;, ")
    if not text:
        raise ValueError("a trigger needs a summary, e.g. 'When an order is created'")
    if text.lower().startswith("when "):
        return "When " + text[5:]
    keep_case = text[:2].isupper()  # an acronym such as "API key created"
    return "When " + (text if keep_case else text[0].lower() + text[1:])


def trigger_description(summary: str, description: str | None) -> str:
    """``description`` as a sentence, or "This operation triggers when ..." from the summary."""
    default = f"This operation triggers {summary[0].lower()}{summary[1:]}."
    text = " ".join((description or "").split())
    if not text or text.rstrip(".").lower() == summary.lower():
        return default
    return text if text[-1] in ".!?" else text + "."


def title(name: str) -> str:
    """``hookId`` -> "Hook ID": the x-ms-summary of a parameter named ``name``."""
    words = name_words(name)
    return " ".join(_ACRONYMS.get(word.lower(), word[:1].upper() + word[1:]) for word in words)


def phrase(name: str) -> str:
    """``hookId`` -> "hook ID": the name as words inside a sentence."""
    words = name_words(name) or ["value"]
    return " ".join(_ACRONYMS.get(word.lower(), word.lower()) for word in words)


def name_words(name: str) -> list[str]:
    return _NAME_PART.findall(to_ascii(name))


def singular(word: str) -> str:
    """English plural -> singular for resource names ("hooks" -> "hook", "entries" -> "entry")."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def to_ascii(text: str) -> str:
    """Accents dropped ("Créé" -> "Cree"); other non-ASCII characters removed."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
