"""The wizard's repeated pieces as template tags.

- ``{% wizard_fields form %}``: the form's non-field errors and its visible fields as field
  groups (Bootstrap markup from the site's form templates), the title left out: the header bar
  edits it; ``{% wizard_fields form "a" "b" %}`` renders the named fields only;
- ``{% wizard_field field %}``: one field as its field group;
- ``{% trigger_list %}``: the Definition step's trigger list with its buttons;
- ``{% hidden_fields form %}``: the form's hidden fields;
- ``{% live_form_attrs action %}``: the attributes of the page's one form (``id="wizard-form"``)
  that saves with a plain POST and, with htmx, previews the validation panel as the user types;
- ``{% wizard_stepper %}``: the steps across the top, the current one marked;
- ``depth_class``: the indentation class of a nested schema property.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .ui import escape

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
        parts.append(field_group(field))
    return mark_safe("\n".join(parts))


def field_group(field: Any) -> str:
    """``templates/forms/field.html`` written in Python, for the wizard's many fields (a
    trigger's page has dozens; the template's own overhead was most of their time). The
    widget and the error list still come from Django's rendering and our widget templates;
    ``tests/connectors/test_wizard_tags.py`` holds both outputs to the same markup."""
    # An empty error list renders to nothing: skip its template.
    widget, errors = str(field), (str(field.errors) if field.errors else "")
    help_text = field.help_text
    field_id = field.auto_id
    help_html = (
        f'<div class="form-text" id="{escape(field_id)}_helptext">{help_text}</div>'
        if help_text
        else ""
    )
    label = escape(field.label or "")
    if field.use_fieldset:
        described = field.aria_describedby
        attrs = f' aria-describedby="{escape(described)}"' if described else ""
        legend = f'<legend class="form-label">{label}</legend>' if label else ""
        return f'<fieldset class="form-group"{attrs}>{legend}{widget}{help_html}{errors}</fieldset>'
    for_id = escape(field.id_for_label)
    if isinstance(field.field.widget, forms.CheckboxInput):
        return (
            f'<div class="form-group form-check">{widget}'
            f'<label class="form-check-label" for="{for_id}">{label}</label>'
            f"{help_html}{errors}</div>"
        )
    label_html = f'<label class="form-label" for="{for_id}">{label}</label>' if label else ""
    return f'<div class="form-group">{label_html}{widget}{help_html}{errors}</div>'


@register.simple_tag
def wizard_field(field: Any) -> SafeString:
    """One bound field as its field group (see ``field_group``)."""
    return mark_safe(field_group(field))


_TRIGGER_ITEM = (
    '<li class="trigger-item{active}"><a href="{href}"{current}>'
    '<span class="trigger-summary"><i class="bi {icon} trigger-kind" aria-hidden="true"></i>'
    "{summary}</span>"
    '<span class="trigger-sub">{kind} · {method} {path}</span></a>{tools}</li>'
)
_TOOL = (
    '<button type="submit" form="wizard-form" name="action" value="{action}-{index}" '
    'class="btn btn-sm btn-link{extra}" aria-label="{aria}" title="{label}"{disabled}>'
    '<i class="bi {icon}" aria-hidden="true"></i></button>'
)
# (action, tooltip, accessible name with the trigger's summary, icon, extra class)
_TOOLS = (
    ("up", "Move up", "Move {} up", "bi-arrow-up", ""),
    ("down", "Move down", "Move {} down", "bi-arrow-down", ""),
    ("duplicate", "Duplicate", "Duplicate {}", "bi-copy", ""),
    ("delete", "Delete", "Delete {}", "bi-trash3", " text-danger"),
)


@register.simple_tag(takes_context=True)
def trigger_list(context: template.Context) -> SafeString:
    """The Definition step's trigger list (a draft may hold dozens of triggers): each a link,
    with, for editors, buttons of the page's one form to move, duplicate and delete it."""
    draft, triggers = context["draft"], context["design"]["triggers"]
    current = context.get("index")
    # One reverse for every row: the trigger pages differ only in their index.
    prefix = reverse("connectors:wizard_trigger", args=[draft.pk, 0])[: -len("0/")]
    editing, last = bool(context.get("can_edit")), len(triggers) - 1
    items = []
    for index, trigger in enumerate(triggers):
        summary = escape(trigger.get("summary") or "(no summary)")
        tools = ""
        if editing:
            tools = (
                '<span class="trigger-tools">'
                + "".join(
                    _TOOL.format(
                        action=action,
                        index=index,
                        extra=extra,
                        label=label,
                        aria=aria.format(summary),
                        icon=icon,
                        disabled=" disabled"
                        if (action == "up" and index == 0) or (action == "down" and index == last)
                        else "",
                    )
                    for action, label, aria, icon, extra in _TOOLS
                )
                + "</span>"
            )
        request, here = trigger["request"], index == current
        items.append(
            _TRIGGER_ITEM.format(
                active=" active" if here else "",
                href=f"{prefix}{index}/",
                current=' aria-current="page"' if here else "",
                icon="bi-broadcast" if trigger["kind"] == "webhook" else "bi-arrow-repeat",
                summary=summary,
                kind="Webhook" if trigger["kind"] == "webhook" else "Polling",
                method=escape(request["method"].upper()),
                path=escape(request["path"]),
                tools=tools,
            )
        )
    return mark_safe('<ul class="trigger-list">' + "".join(items) + "</ul>")


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
