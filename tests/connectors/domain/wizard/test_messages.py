"""revision_messages: a wizard save's history line says what was edited, in plain English."""

from __future__ import annotations

import pytest

from connectors.domain.wizard.messages import MAX_LENGTH, revision_message

ISSUE = "When an issue is opened"


@pytest.mark.parametrize(
    ("step", "section", "summary", "expected"),
    [
        ("general", None, None, "Edited General"),
        ("security", None, None, "Edited Security"),
        ("definition", None, None, "Edited Definition"),
        ("trigger", "general", ISSUE, "Edited trigger 'When an issue is opened'"),
        ("trigger", None, ISSUE, "Edited trigger 'When an issue is opened'"),
        ("trigger", "request", ISSUE, "Edited the request of trigger 'When an issue is opened'"),
        (
            "trigger",
            "sample",
            ISSUE,
            "Imported the request of trigger 'When an issue is opened' from a sample",
        ),
        ("trigger", "parameter", ISSUE, "Added a parameter to trigger 'When an issue is opened'"),
        (
            "trigger",
            "callback",
            ISSUE,
            "Chose the callback URL property of trigger 'When an issue is opened'",
        ),
        (
            "trigger",
            "notification",
            ISSUE,
            "Edited the notification of trigger 'When an issue is opened'",
        ),
        (
            "trigger",
            "properties",
            ISSUE,
            "Edited the notification properties of trigger 'When an issue is opened'",
        ),
        (
            "trigger",
            "delete",
            ISSUE,
            "Edited the DELETE action of trigger 'When an issue is opened'",
        ),
        (
            "trigger",
            "polling",
            ISSUE,
            "Edited the polling settings of trigger 'When an issue is opened'",
        ),
        ("trigger", "someday", ISSUE, "Edited trigger 'When an issue is opened'"),
        ("definition", "add-webhook", ISSUE, "Added webhook trigger 'When an issue is opened'"),
        ("definition", "add-polling", ISSUE, "Added polling trigger 'When an issue is opened'"),
        ("definition", "duplicate", ISSUE, "Duplicated trigger 'When an issue is opened'"),
        ("definition", "delete", ISSUE, "Deleted trigger 'When an issue is opened'"),
        ("definition", "up", ISSUE, "Moved trigger 'When an issue is opened' up"),
        ("definition", "down", ISSUE, "Moved trigger 'When an issue is opened' down"),
        ("definition", "delete", None, "Deleted a trigger"),
        ("trigger", "request", "  When   spaced\n", "Edited the request of trigger 'When spaced'"),
        ("overwrite", None, None, "Saved over a teammate's newer change"),
        ("api-keys", None, None, "Edited Api keys"),
        ("", None, None, "Edited the draft"),
    ],
)
def test_revision_message(
    step: str, section: str | None, summary: str | None, expected: str
) -> None:
    assert revision_message(step, section, summary) == expected


def test_nothing_of_the_url_is_left_in_it() -> None:
    message = revision_message("general")
    assert "Wizard" not in message and "/" not in message


def test_a_long_summary_is_shortened_and_the_message_fits_its_column() -> None:
    message = revision_message("trigger", "request", "When " + "x" * 500)
    assert len(message) <= MAX_LENGTH
    assert message.startswith("Edited the request of trigger 'When xxx")
    assert message.endswith("…'")
