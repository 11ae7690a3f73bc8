"""The site's form renderer: Django's form machinery with the design system's templates.

Most widgets of a wizard page are plain inputs, selects and textareas, and a trigger's page
has dozens: rendered through their templates (a template lookup, a context and a dozen nodes
each) they were most of the page's time, over the speed target (``bench/README.md``). For
those three templates the renderer writes the same markup in Python; every other template
(radio and checkbox lists, file inputs, error lists, field groups of the other pages) goes
through the templates. ``tests/designer/test_forms.py`` holds both outputs to the same bytes.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize

from connectors.templatetags.ui import escape, widget_attrs

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "checkbox",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
)
_TEXTAREA = "django/forms/widgets/textarea.html"
_SELECT = "django/forms/widgets/select.html"


class SiteFormRenderer(TemplatesSetting):
    """Renders forms, fields and widgets from the project's templates (Bootstrap markup).

    ``TemplatesSetting`` looks in the project's template folders before Django's own, so the
    widget templates under ``templates/django/forms/widgets/`` replace Django's and every
    other template falls back to Django's.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None:
            if template_name in _INPUTS:
                return _input(widget)
            if template_name == _TEXTAREA:
                return _textarea(widget)
            if template_name == _SELECT and not widget.get("attrs", {}).get("multiple"):
                return _select(widget)
        return super().render(template_name, context, request)


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the text, escaped unless marked safe."""
    return escape(value)


def _input(widget: dict[str, Any]) -> str:
    value = widget.get("value")
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{escape(widget["type"])}" '
        f'name="{escape(widget["name"])}"{shown}{widget_attrs(widget)}>'
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = widget.get("value")
    shown = escape(localize(value)) if value else ""
    return (
        f'<textarea name="{escape(widget["name"])}"'
        f"{widget_attrs(widget, 'form-control')}>\n{shown}</textarea>"
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{escape(widget["name"])}"']
    parts.append(str(widget_attrs(widget, "form-select")) + ">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            selected = " selected" if option.get("selected") else ""
            disabled = " disabled" if (option.get("attrs") or {}).get("disabled") else ""
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{selected}{disabled}>'
                f"{escape(localize(option['label']))}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
