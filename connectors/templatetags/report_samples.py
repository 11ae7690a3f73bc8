"""``step|sample_payloads``: the notifications of a stored report step offered as samples.

The report's step partial (``reports/_use_sample.html``) shows a button for each; the same
domain function decides what the sample page accepts, so no button leads to a 404.
"""

from __future__ import annotations

from typing import Any

from django import template

from connectors.domain.runner.samples import received_payloads

register = template.Library()


@register.filter
def sample_payloads(step: Any) -> list[dict[str, Any]]:
    return received_payloads(step)
