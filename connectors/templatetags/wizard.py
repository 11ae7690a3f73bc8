"""The wizard's repeated pieces as template tags: form fields, Save, the stepper, table rows.

Every wizard form renders the same pieces, a trigger's page has several forms and the
Definition step a row per trigger. As ``{% include %}``s and template loops they cost a
template lookup, a context push or a variable lookup each, a large part of a page's time; as
tags they write the same HTML straight from Python:

- ``{% wizard_fields form %}``: the form's non-field errors, hidden fields, then each visible
  field as its field group in ``<div class="field">`` (``has-error`` when it has errors);
- ``{% live_form_attrs action %}``: the attributes of a form that saves with a plain POST and,
  with htmx, sends a preview to the validation panel as the user types;
- ``{% save_button %}`` / ``{% save_button "Label" %}``: the Save button, only for editors
  (``can_edit`` in the context);
- ``{% wizard_stepper %}``: the steps across the top, the current one marked (``steps``,
  ``step`` and ``draft`` in the context);
- ``{% trigger_rows %}``: the Definition step's table rows, one per trigger, each with its
  move, duplicate and delete buttons for editors (a draft may hold dozens of triggers);
- ``{% parameter_rows params %}``: the rows of a trigger's parameter editor, one per
  parameter form of the formset, each input with its (screen-reader) label and errors;
- ``{% property_rows form %}``: the rows of the notification schema's property editor;
- ``{% section_url "name" as action %}``: where a section of the trigger's page posts
  (``draft`` and ``index`` in the context); one URL lookup for all the page's sections.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
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
        '<nav aria-label="Wizard steps" class="stepper-nav">\n<ol class="stepper">\n{}\n</ol>\n</nav>',
        mark_safe("\n".join(items)),
    )


_ROW = (
    "<tr>\n<td>{number}</td>\n"
    '<td><a href="{href}">{summary}</a></td>\n'
    "<td>{kind}</td>\n"
    "<td><code>{operation_id}</code></td>\n"
    "<td><code>{method} {path}</code></td>\n"
    '<td class="row-actions">{actions}</td>\n</tr>'
)
_ACTIONS = (
    '<form method="post" action="{action}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">\n'
    '<input type="hidden" name="based_on_version" value="{version}">\n'
    '<input type="hidden" name="index" value="{index}">\n'
    '<button name="action" value="up" aria-label="Move trigger {number} up"{first}>↑</button>\n'
    '<button name="action" value="down" aria-label="Move trigger {number} down"{last}>↓</button>\n'
    '<button name="action" value="duplicate" aria-label="Duplicate trigger {number}">'
    "Duplicate</button>\n"
    '<button name="action" value="delete" class="danger" '
    'aria-label="Delete trigger {number}">Delete</button>\n</form>'
)


@register.simple_tag(takes_context=True)
def trigger_rows(context: template.Context) -> SafeString:
    draft, triggers = context["draft"], context["design"]["triggers"]
    # One reverse for every row: the trigger pages differ only in their index.
    prefix = reverse("connectors:wizard_trigger", args=[draft.pk, 0])[: -len("0/")]
    editing = bool(context.get("can_edit"))
    action = conditional_escape(reverse("connectors:wizard_trigger_action", args=[draft.pk]))
    csrf = conditional_escape(str(context.get("csrf_token") or ""))
    rows = []
    for index, trigger in enumerate(triggers):
        request = trigger["request"]
        actions = ""
        if editing:
            actions = _ACTIONS.format(
                action=action,
                csrf=csrf,
                version=draft.version,
                index=index,
                number=index + 1,
                first=" disabled" if index == 0 else "",
                last=" disabled" if index == len(triggers) - 1 else "",
            )
        rows.append(
            _ROW.format(
                number=index + 1,
                href=f"{prefix}{index}/",
                summary=conditional_escape(trigger.get("summary") or "(no summary)"),
                kind=conditional_escape(trigger["kind"]),
                operation_id=conditional_escape(trigger.get("operationId") or ""),
                method=conditional_escape(request["method"].upper()),
                path=conditional_escape(request["path"]),
                actions=actions,
            )
        )
    return mark_safe("\n".join(rows))


# The editable cells of a parameter row: (field, what its label says after the name).
_PARAMETER_CELLS = (
    ("summary", "summary"),
    ("description", "description"),
    ("type", "type"),
    ("required", "required"),
    ("default", "default"),
    ("visibility", "visibility"),
)


@register.simple_tag
def parameter_rows(params: Any) -> SafeString:
    rows = []
    for number, row in enumerate(params.forms):
        name = row["name"].value()
        shown = conditional_escape(name)
        head = f"{row['name']}{row['location']}<code>{shown}</code>"
        if row.non_field_errors():
            head += f'<div class="errorlist">{row.non_field_errors()}</div>'
        cells = [
            f'<th scope="row">{head}</th>',
            f"<td>{conditional_escape(row['location'].value())}</td>",
        ]
        for field_name, what in _PARAMETER_CELLS:
            field = row[field_name]
            errors = "" if field_name == "required" else str(field.errors)
            label = (
                f'<label class="sr-only" for="{conditional_escape(field.id_for_label)}">'
                f"{shown} {what}</label>"
            )
            cells.append(f"<td>{label}{field}{errors}</td>")
        remove = row["DELETE"]
        css = ' class="has-error"' if remove.errors else ""
        cells.append(
            f'<td{css}><label class="sr-only" for="{conditional_escape(remove.id_for_label)}">'
            f"Remove {shown}</label>{remove}{remove.errors}</td>"
        )
        rows.append(f'<tr id="param-{number}">\n' + "\n".join(cells) + "\n</tr>")
    return mark_safe("\n".join(rows))


# Deeper properties indent no further: the page must fit a phone's width.
MAX_INDENT_DEPTH = 8


@register.filter
def depth_class(depth: Any) -> int:
    """The ``depth-N`` class of a nested property (our CSS has no style attributes)."""
    try:
        return max(0, min(int(depth), MAX_INDENT_DEPTH))
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def property_rows(form: Any) -> SafeString:
    rows = []
    for row in form.bound_rows():
        prop = row["prop"]
        cells = [
            f'<th scope="row" class="depth-{depth_class(prop.depth)}">'
            f"<code>{conditional_escape(prop.pointer)}</code> "
            f"<small>{conditional_escape(prop.node.get('type', ''))}</small></th>"
        ]
        for key in ("title", "description", "format", "required"):
            field = row[key]
            errors = str(field.errors) if key == "title" else ""
            cells.append(
                f'<td><label class="sr-only" for="{conditional_escape(field.id_for_label)}">'
                f"{conditional_escape(field.label)}</label>{field}{errors}</td>"
            )
        rows.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    return mark_safe("\n".join(rows))


@register.simple_tag(takes_context=True)
def section_url(context: template.Context, section: str) -> str:
    key = f"wizard:section_prefix:{context['draft'].pk}:{context['index']}"
    prefix = context.render_context.get(key)
    if prefix is None:
        # The sections differ only in their last segment: reverse one, reuse its prefix.
        url = reverse(
            "connectors:wizard_trigger_section", args=[context["draft"].pk, context["index"], "x"]
        )
        prefix = context.render_context[key] = url[: -len("x/")]
    return f"{prefix}{section}/"
