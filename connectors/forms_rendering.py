"""How the wizard's forms render and copy their fields, faster than Django's defaults.

Purpose: a trigger's page renders about 60 widgets and builds eight forms. Django renders each
widget through two or three templates (field group, label, widget, its attrs, one include per
select option) and deep-copies every field, choice lists included, for every form it makes;
together that was most of a wizard request. ``WizardRenderer`` writes the common templates in
Python, to the byte what Django's templates write (``tests/connectors/test_form_rendering.py``
compares both; anything else, such as radio lists and non-empty error lists, still goes through
the templates), and ``LightForm`` copies fields without deep-copying their choice lists.

Input: Django's widget and field contexts; form classes. Output: HTML, form instances.
"""

from __future__ import annotations

import copy
from html import escape as html_escape
from typing import Any

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData, mark_safe

_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "checkbox")
}


def _escape(value: Any) -> str:
    """Django's ``conditional_escape`` (safe text as is, the rest through ``html.escape``)
    without the lazy-text check Django wraps around ``escape``: called for every attribute of
    every widget, that check alone cost more than the escaping."""
    if isinstance(value, SafeData) or hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


_ERROR_LIST_TEMPLATES = {
    "django/forms/errors/list/default.html",
    "django/forms/errors/list/ul.html",
}


def _attr_value(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: ``str``, escaped unless it was marked safe."""
    return str(value) if isinstance(value, SafeData) else html_escape(str(value))


def _attrs(attrs: dict[str, Any] | None) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    return "".join(
        f" {_escape(name)}" + ("" if value is True else f'="{_attr_value(value)}"')
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _shown(value: Any) -> str:
    """``{{ value }}``: localized and escaped."""
    return _escape(localize(value))


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_attr_value(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}' + (
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    attrs = _attrs(widget["attrs"])
    return f'<textarea name="{_shown(widget["name"])}"{attrs}>\n{value}</textarea>'


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            parts.append(
                f'\n  <option value="{_attr_value(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: dict[str, Any]) -> str:
    if not context["use_tag"]:
        return _shown(context["label"])
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_shown(context['label'])}</{tag}>"


def _field_group(field: Any) -> str:
    """Django's ``field.html`` (``as_field_group``), its whitespace included."""
    label = field.label
    if field.use_fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{_shown(described)}"' if described else ""
        head = f"\n  <fieldset{aria}>\n  {field.legend_tag() if label else ''}\n"
    else:
        head = f"\n  {field.label_tag() if label else ''}\n"
    help_html = ""
    if field.help_text:
        auto_id = field.auto_id
        help_id = f' id="{_shown(auto_id)}_helptext"' if auto_id else ""
        help_html = f'<div class="helptext"{help_id}>{field.help_text}</div>'
    errors = str(field.errors) if field.errors else ""
    tail = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_html}\n{errors}\n{field}{tail}\n"


class WizardRenderer(DjangoTemplates):
    """Django's form renderer, with the most used templates written in Python (same HTML)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html: str | None = None
        if template_name in _INPUT_TEMPLATES:
            html = _input(context["widget"])
        elif template_name == "django/forms/widgets/textarea.html":
            html = _textarea(context["widget"])
        elif template_name == "django/forms/widgets/select.html":
            html = _select(context["widget"])
        elif template_name == "django/forms/label.html":
            html = _label(context)
        elif template_name == self.field_template_name:
            html = _field_group(context["field"])
        elif template_name in _ERROR_LIST_TEMPLATES and not context["errors"]:
            html = ""  # most fields have no errors; the template writes nothing for them
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html.strip())


RENDERER = WizardRenderer()


def _field_copy(field: forms.Field) -> forms.Field:
    """What Django's ``Field.__deepcopy__`` makes, with a choice list copied one level deep.

    The copy, its widget, their attrs, error messages, validators and lists of choices are
    new objects, so a form may change its own fields as with Django's copy; only the choices
    themselves (text pairs) are shared. Fields made of other fields keep Django's deep copy.
    """
    if isinstance(field, forms.MultiValueField) or isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field)
    copied = copy.copy(field)
    copied.widget = copy.copy(field.widget)
    copied.widget.attrs = dict(field.widget.attrs)
    copied.error_messages = dict(field.error_messages)
    copied.validators = list(field.validators)
    if isinstance(field, forms.ChoiceField):
        # Django's own copy sets the private list too; the stubs do not declare it.
        copied._choices = copy.copy(field._choices)  # type: ignore[attr-defined]
        copied.widget.choices = copy.copy(field.widget.choices)
    return copied


class _LightFields(dict[str, forms.Field]):
    """A form class's ``base_fields``: every form copies them when it is made (Django
    deep-copies them), and a trigger's page makes eight forms: copy them the light way."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _field_copy(field) for name, field in self.items()}


class _LightFieldsMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = _LightFields(new_class.base_fields)
        return new_class


class LightForm(forms.Form, metaclass=_LightFieldsMetaclass):
    """A form whose fields are copied without deep-copying their choice lists."""
