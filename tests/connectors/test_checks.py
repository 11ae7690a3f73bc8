"""The app's system checks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks

from connectors.checks import check_allowed_hosts


@pytest.mark.parametrize(
    ("debug", "hosts", "warned"),
    [
        (False, ["*"], True),
        (False, ["designer.example.com", "*"], True),
        (False, ["designer.example.com"], False),
        (True, ["*"], False),
    ],
)
def test_any_allowed_host_without_debug_is_warned(
    settings: Any, debug: bool, hosts: list[str], warned: bool
) -> None:
    """With "*" any Host header passes: whatever is built from it points where a caller likes."""
    settings.DEBUG = debug
    settings.ALLOWED_HOSTS = hosts
    found = [message for message in checks.run_checks() if message.id == "connectors.W001"]
    assert len(found) == (1 if warned else 0)
    assert found == check_allowed_hosts(None)
    if warned:
        assert found[0].level == checks.WARNING and "ALLOWED_HOSTS" in found[0].msg
