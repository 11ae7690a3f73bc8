"""The message a wizard save leaves in the draft's history, in plain English.

Purpose: the history page lists every revision with its message; "Wizard: wizard / general"
(the URL of the form that saved) tells a teammate nothing. ``revision_message`` says what was
edited, in the words of the wizard's pages: "Edited General", "Edited the request of trigger
'When an issue is opened'", "Added webhook trigger 'When an event happens'".

Input: the wizard step that saved (``general``, ``security``, ``definition``, ``test``,
``review``; ``trigger`` for a section of one trigger's page; ``overwrite`` for the conflict
page's "overwrite"), the section or trigger action (``request``, ``sample``, ... or
``add-webhook``, ``duplicate``, ``delete``, ``up``, ``down``) and the summary of the trigger
concerned (for a deletion: the summary it had). Output: one line of text, at most
``MAX_LENGTH`` characters; unknown steps and sections still give a readable line, never an error.
"""

from __future__ import annotations

MAX_LENGTH = 300  # Revision.message's column
_SUMMARY_LENGTH = 120  # room for the words around it

_STEPS = {
    "general": "General",
    "security": "Security",
    "definition": "Definition",
    "test": "Test",
    "review": "Review",
}
# A section of a trigger's page: what its save changed ("{trigger}" is the quoted trigger).
_SECTIONS = {
    "general": "Edited {trigger}",
    "request": "Edited the request of {trigger}",
    "parameter": "Added a parameter to {trigger}",
    "sample": "Imported the request of {trigger} from a sample",
    "callback": "Chose the callback URL property of {trigger}",
    "notification": "Edited the notification of {trigger}",
    "properties": "Edited the notification properties of {trigger}",
    "delete": "Edited the DELETE action of {trigger}",
    "polling": "Edited the polling settings of {trigger}",
}
# A trigger action of the Definition step.
_ACTIONS = {
    "add-webhook": "Added webhook {trigger}",
    "add-polling": "Added polling {trigger}",
    "duplicate": "Duplicated {trigger}",
    "delete": "Deleted {trigger}",
    "up": "Moved {trigger} up",
    "down": "Moved {trigger} down",
}


def revision_message(
    step: str, section: str | None = None, trigger_summary: str | None = None
) -> str:
    """What a wizard save changed, for the history (see the module docstring)."""
    trigger = _trigger(trigger_summary)
    if step == "overwrite":
        return "Saved over a teammate's newer change"
    if step == "trigger":
        template = _SECTIONS.get(section or "general", "Edited {trigger}")
        return _fit(template.format(trigger=trigger))
    if step == "definition" and section in _ACTIONS:
        return _fit(_ACTIONS[section].format(trigger=trigger))
    return _fit(f"Edited {_STEPS.get(step, _words(step) or 'the draft')}")


def _trigger(summary: str | None) -> str:
    text = " ".join((summary or "").split())
    if not text:
        return "a trigger"
    if len(text) > _SUMMARY_LENGTH:
        text = text[: _SUMMARY_LENGTH - 1].rstrip() + "…"
    return f"trigger '{text}'"


def _words(name: str) -> str:
    """An unknown step's name as words: "api-keys" -> "Api keys"."""
    text = " ".join(name.replace("-", " ").replace("_", " ").split())
    return text[:1].upper() + text[1:]


def _fit(message: str) -> str:
    return message if len(message) <= MAX_LENGTH else message[: MAX_LENGTH - 1] + "…"
