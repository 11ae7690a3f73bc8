"""Template helpers of the design system: widget classes and field kinds.

``{% widget_attrs widget %}`` writes a widget's attributes like Django's ``attrs.html``, with the
design system's class for its kind first (``form-control``, ``form-select``,
``form-check-input``) and the widget's own classes after it.
"""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from django import forms, template
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

_INPUT_CLASSES = {
    "checkbox": "form-check-input",
    "radio": "form-check-input",
    "hidden": "",
    "color": "form-control form-control-color",
    "range": "form-range",
}


def escape(value: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-text wrapper (called for every
    attribute of every widget, the wrapper cost more than the escaping): safe text as it is,
    anything else through ``html.escape``."""
    if isinstance(value, SafeData) or hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


@register.simple_tag
def widget_attrs(widget: dict[str, Any], base: str | None = None) -> SafeString:
    attrs = dict(widget.get("attrs") or {})
    if base is None:
        base = _INPUT_CLASSES.get(widget.get("type") or "", "form-control")
    classes = " ".join(part for part in (base, attrs.pop("class", "")) if part)
    if classes:
        attrs = {"class": classes, **attrs}
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"')
    return mark_safe("".join(parts))


@register.filter
def is_checkbox(field: Any) -> bool:
    """A single checkbox: its label goes after the box, Bootstrap's ``form-check``."""
    return isinstance(getattr(field.field, "widget", None), forms.CheckboxInput)
