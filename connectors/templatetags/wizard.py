"""The wizard's repeated pieces as template tags.

- ``{% wizard_fields form %}``: the form's non-field errors and its visible fields as field
  groups (Bootstrap markup from the site's form templates), the title left out: the header bar
  edits it; ``{% wizard_fields form "a" "b" %}`` renders the named fields only;
- ``{% hidden_fields form %}``: the form's hidden fields;
- ``{% live_form_attrs action %}``: the attributes of the page's one form (``id="wizard-form"``)
  that saves with a plain POST and, with htmx, previews the validation panel as the user types;
- ``{% wizard_stepper %}``: the steps across the top, the current one marked;
- ``depth_class``: the indentation class of a nested schema property.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def wizard_fields(form: Any, *names: str) -> SafeString:
    """The form's non-field errors, then its visible fields (``names`` only, when given) as
    field groups. The title is left out: it is edited in the header bar."""
    parts: list[str] = []
    errors = form.non_field_errors()
    if errors and not names:
        parts.append(f'<div class="alert alert-danger" role="alert">{errors}</div>')
    wanted = set(names)
    for field in form.visible_fields():
        if field.name == "title" or (wanted and field.name not in wanted):
            continue
        parts.append(str(field.as_field_group()))
    return mark_safe("\n".join(parts))


@register.simple_tag
def hidden_fields(form: Any) -> SafeString:
    return mark_safe("".join(str(hidden) for hidden in form.hidden_fields()))


@register.simple_tag
def live_form_attrs(action: str) -> SafeString:
    """The page form: a plain POST that saves and, with htmx, a preview to the validation
    panel as the user types (``preview=1`` saves nothing)."""
    return format_html(
        'id="wizard-form" method="post" action="{}" hx-post="{}" '
        'hx-trigger="input delay:600ms, change" hx-vals=\'{{"preview": "1"}}\' '
        'hx-target="#validation-panel" hx-swap="outerHTML" hx-sync="this:replace"',
        action,
        action,
    )


@register.simple_tag(takes_context=True)
def wizard_stepper(context: template.Context) -> SafeString:
    current, draft_id = context.get("step"), context["draft"].pk
    # The steps differ only in their last segment: one URL lookup for all of them.
    prefix = reverse("connectors:wizard_step", args=[draft_id, "x"])[: -len("x/")]
    items = []
    for number, (key, label) in enumerate(context["steps"], 1):
        href = f"{prefix}{key}/"
        here = key == current
        items.append(
            format_html(
                '<li class="stepper-item{}"><a href="{}" hx-get="{}" hx-target="#wizard" '
                'hx-swap="outerHTML" hx-push-url="true"{}><span class="stepper-num">{}</span> '
                '<span class="stepper-label">{}</span></a></li>',
                mark_safe(" current" if here else ""),
                href,
                href,
                mark_safe(' aria-current="step"' if here else ""),
                number,
                label,
            )
        )
    return format_html(
        '<nav aria-label="Wizard steps" class="stepper-nav">\n'
        '<ol class="stepper">\n{}\n</ol>\n</nav>',
        mark_safe("\n".join(items)),
    )


# Deeper properties indent no further: the page must fit a phone's width.
MAX_INDENT_DEPTH = 8


@register.filter
def depth_class(depth: Any) -> int:
    """The ``depth-N`` class of a nested property (our CSS has no style attributes)."""
    try:
        return max(0, min(int(depth), MAX_INDENT_DEPTH))
    except (TypeError, ValueError):
        return 0
