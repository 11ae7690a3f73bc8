"""The wizard's repeated form pieces as tags: fields, the attributes of a live form, Save.

Every wizard form renders the same three pieces; a trigger's page has eight or nine forms.
As ``{% include %}``s they cost a template lookup and a context push each, a large part of the
page's time; as tags they write the same HTML straight from Python:

- ``{% wizard_fields form %}``: the form's non-field errors, hidden fields, then each visible
  field as its field group in ``<div class="field">`` (``has-error`` when it has errors);
- ``{% live_form_attrs action %}``: the attributes of a form that saves with a plain POST and,
  with htmx, sends a preview to the validation panel as the user types;
- ``{% save_button %}`` / ``{% save_button "Label" %}``: the Save button, only for editors
  (``can_edit`` in the context).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def wizard_fields(form: Any) -> SafeString:
    parts: list[str] = []
    errors = form.non_field_errors()
    if errors:
        parts.append(f'<div class="errorlist nonfield" role="alert">{errors}</div>')
    parts.append("\n")
    parts.extend(str(hidden) for hidden in form.hidden_fields())
    parts.append("\n")
    for field in form.visible_fields():
        css = "field has-error" if field.errors else "field"
        parts.append(f'<div class="{css}">{field.as_field_group()}</div>')
    return mark_safe("".join(parts))


@register.simple_tag
def live_form_attrs(action: str) -> SafeString:
    return format_html(
        'method="post" action="{}" hx-post="{}" hx-trigger="input delay:500ms, change" '
        'hx-vals=\'{{"preview": "1"}}\' hx-target="#validation-panel" hx-swap="outerHTML" '
        'hx-sync="this:replace"',
        action,
        action,
    )


@register.simple_tag(takes_context=True)
def save_button(context: template.Context, label: str = "Save") -> SafeString:
    if not context.get("can_edit"):
        return mark_safe("")
    return format_html(
        '<div class="actions"><button type="submit" class="primary">{}</button></div>', label
    )
