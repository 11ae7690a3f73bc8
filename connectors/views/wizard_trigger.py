"""The Definition step: the trigger list beside the selected trigger's page.

A trigger's page is ONE form: its sections (General, Request with its parameters, the callback
URL, the notification and its schema, the DELETE action or the polling settings), each under
its prefix, save together with the connector's title. The buttons of the page are values of
``action`` on that same form, so that nothing typed is lost when one is pressed: "Import from
sample" and "Add parameter" apply their small forms after the edits, and the trigger list's
buttons (new, duplicate, move, delete) act on the triggers after the edits.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from connectors import forms, forms_dynamic, forms_pages, services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.wizard.edit import (
    duplicate_trigger,
    move_trigger,
    taken_operation_ids,
    unique_operation_id,
)
from connectors.domain.wizard.messages import revision_message

from .access import DraftAccess, draft_access, wants_fragment
from .wizard_common import (
    design_seen,
    findings,
    page_context,
    render_page,
    save,
    step_url,
    trigger_of,
    trigger_url,
)

TABS = ("general", "request", "response", "config", "validation")
TAB_LABELS = {
    "general": "General",
    "request": "Request",
    "response": "Response",
    "config": "Trigger configuration",
    "validation": "Validation",
}
# The tab that shows each section (errors open the first tab that has one).
SECTION_TABS = {
    "general": "general",
    "request": "request",
    "params": "request",
    "sample": "request",
    "parameter": "request",
    "dynamic": "request",
    "body": "request",
    "notification": "response",
    "properties": "response",
    "callback": "config",
    "delete": "config",
    "polling": "config",
    "batches": "config",
    "tray": "config",
}


def trigger_page_context(
    request: HttpRequest,
    access: DraftAccess,
    index: int,
    bound: forms_pages.PageForms | None = None,
) -> dict[str, Any]:
    design = services.draft_design(draft=access.draft, copy=False)
    trigger = trigger_of(design, index)
    version = access.draft.version
    if bound is None:
        bound = _unbound_forms(design, trigger, version, rows=_opened_rows(request))
    tab = request.GET.get("tab") or request.POST.get("tab") or "general"
    invalid = bound.invalid_parts() if bound.page.is_bound else []
    if invalid:
        tab = _tab_of(invalid[0], bound.parts[invalid[0]])
    found = findings(access.draft)
    mine = f"/triggers/{index}"
    return page_context(
        request,
        access,
        "definition",
        design,
        findings=found,
        tab_labels=list(TAB_LABELS.items()),
        form=bound.page,
        forms=bound,
        sections=bound.parts,
        params=forms_dynamic.attach(bound.parts["params"], bound.parts["dynamic"]),
        trigger=trigger,
        index=index,
        tab=tab if tab in TABS else "general",
        invalid_tabs={_tab_of(name, bound.parts[name]) for name in invalid},
        trigger_findings=[
            f
            for f in found
            if (f.get("field") or "") == mine or (f.get("field") or "").startswith(mine + "/")
        ],
        kept=_kept(design),
    )


def _tab_of(part: str, form: Any) -> str:
    """The tab that shows a part's errors (the polling form's sample items are on Response)."""
    if part == "polling" and set(form.errors) == {"itemSamples"}:
        return "response"
    return SECTION_TABS.get(part, "general")


def _opened_rows(request: HttpRequest) -> dict[str, frozenset[str]]:
    """The schema rows asked for (``?open=body:/config/url``), by the part that edits them."""
    rows: dict[str, set[str]] = {}
    for value in request.GET.getlist("open"):
        root, _, pointer = value.partition(":")
        if root in _SCHEMA_PARTS and (pointer == "" or pointer.startswith("/")):
            rows.setdefault(_SCHEMA_PARTS[root], set()).add(pointer)
    return {part: frozenset(pointers) for part, pointers in rows.items()}


def _unbound_forms(
    design: dict[str, Any],
    trigger: dict[str, Any],
    version: int,
    *,
    rows: dict[str, frozenset[str]],
) -> Any:
    page = forms.StepForm(initial=forms.StepForm.initial_for(design, version))
    parts: dict[str, Any] = {}
    for name in forms_pages.trigger_sections(trigger["kind"]):
        form_class = forms_pages.SECTION_FORMS[name]
        initial = form_class.initial_for(design, version, trigger=trigger)
        extra = {"opened": rows.get(name, frozenset())} if name in _SCHEMA_PARTS.values() else {}
        parts[name] = form_class(
            initial=initial, trigger=trigger, design=design, prefix=name, **extra
        )
    parts["params"] = forms.ParameterFormSet(
        initial=forms.parameter_initial(trigger), prefix="params"
    )
    parts["dynamic"] = forms_dynamic.DynamicValuesForms(trigger=trigger, design=design)
    for prefix, form_class in forms_pages.ACTION_FORMS.values():
        initial = form_class.initial_for(design, version, trigger=trigger)
        parts[prefix] = form_class(initial=initial, trigger=trigger, design=design, prefix=prefix)
    return forms_pages.PageForms(page, parts)


def _bound_forms(
    request: HttpRequest, design: dict[str, Any], trigger: dict[str, Any], version: int
) -> forms_pages.PageForms:
    """The page's forms with the posted data; an action's own form only when it was pressed."""
    data = request.POST
    parts: dict[str, Any] = {}
    for name in forms_pages.trigger_sections(trigger["kind"]):
        form_class = forms_pages.SECTION_FORMS[name]
        # The initial values let a form tell what was edited (samples re-infer a schema only
        # when they changed).
        initial = form_class.initial_for(design, version, trigger=trigger)
        parts[name] = form_class(data, initial=initial, trigger=trigger, design=design, prefix=name)
    parts["params"] = forms.ParameterFormSet(data, prefix="params")
    parts["dynamic"] = forms_dynamic.DynamicValuesForms(data, trigger=trigger, design=design)
    action = data.get("action", "")
    for value, (prefix, form_class) in forms_pages.ACTION_FORMS.items():
        extra = {"path": data.get("request-path", "").strip()} if prefix == "parameter" else {}
        if action == value:
            parts[prefix] = form_class(data, trigger=trigger, design=design, prefix=prefix, **extra)
        else:  # shown again as typed, checked only when its own button is pressed
            typed = {
                key.removeprefix(f"{prefix}-"): data.get(key)
                for key in data
                if key.startswith(f"{prefix}-")
            }
            if not any(typed.values()):
                typed = form_class.initial_for(design, version, trigger=trigger)
            initial = typed
            parts[prefix] = form_class(
                initial=initial, trigger=trigger, design=design, prefix=prefix, **extra
            )
    return forms_pages.PageForms(forms.StepForm(data), parts)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_trigger(request: HttpRequest, draft_id: int, index: int) -> HttpResponse:
    if request.method == "GET":
        access = draft_access(request, draft_id)
        context = trigger_page_context(request, access, index)
        if wants_fragment(request):
            fragment = _opened_fragment(request, context)
            if fragment is not None:
                return fragment
        return render_page(request, "trigger", context)
    access = draft_access(request, draft_id, role="editor")
    design = design_seen(request, access)
    trigger = trigger_of(design, index)
    bound = _bound_forms(request, design, trigger, access.draft.version)
    action = request.POST.get("action", "")
    tab = request.POST.get("tab", "")

    def apply(edited: dict[str, Any]) -> str | None:
        target = edited["triggers"][index]
        apply_trigger_page(bound, target, edited, action)
        landing = apply_trigger_action(edited, draft_id, action, current=index)
        return landing or trigger_url(draft_id, index, tab if tab in TABS else None)

    def invalid(errors: list[str]) -> HttpResponse:
        for error in errors:
            bound.page.add_error(None, error)
        context = trigger_page_context(request, access, index, bound)
        return render_page(request, "trigger", context, status=400)

    message = trigger_action_message(design, action) or revision_message(
        "trigger", _ACTION_SECTIONS.get(action), trigger.get("summary")
    )
    landing = trigger_url(draft_id, index)
    return save(request, access, design, bound, apply, landing, invalid, message)


def _opened_fragment(request: HttpRequest, context: dict[str, Any]) -> HttpResponse | None:
    """htmx opened a schema row: its fields, alone."""
    for part, pointers in _opened_rows(request).items():
        form = context["sections"].get(part)
        item = form.bound_row(next(iter(pointers))) if form is not None else None
        if item is not None:
            root = "body" if part == "body" else "notification"
            row_context = {**context, "item": item, "form": form, "root": root}
            return render(request, "connectors/wizard/_schema.html#row_fields", row_context)
    return None


def apply_trigger_page(
    bound: forms_pages.PageForms, trigger: dict[str, Any], design: dict[str, Any], action: str
) -> None:
    """Write every section into ``trigger``, then what the pressed button does.

    Order matters: the schema edits come before anything that replaces a schema (a sample
    import replaces the body, changed notification samples the notification schema, whose
    edits are then dropped), and the General section, which may change the trigger's kind,
    comes last.
    """
    bound.page.apply(design)
    parts = bound.parts
    request_form = parts["request"]
    request_form.apply_trigger(trigger, design)
    polling = parts.get("polling")
    if polling is not None:  # the new state parameter first: the old one may then be removed
        polling.apply_trigger(trigger, design)
    forms.apply_parameters(parts["params"], trigger, path=request_form.cleaned_data["path"])
    if parts["dynamic"].is_bound:  # the rows' Values, onto the parameters that remain
        parts["dynamic"].apply_trigger(trigger)
    if polling is not None:  # and the state parameter stays internal and required
        polling.apply_trigger(trigger, design)
    resampled = "notification" in parts and parts["notification"].samples_changed()
    for name in ("body", "callback", "properties", "notification", "delete", "tray"):
        if name in parts and not (name == "properties" and resampled):
            parts[name].apply_trigger(trigger, design)
    for prefix, _ in forms_pages.ACTION_FORMS.values():
        if prefix in parts and parts[prefix].is_bound:
            parts[prefix].apply_trigger(trigger, design)
    _schema_action(parts, trigger, design, action)
    parts["general"].apply_trigger(trigger, design)
    parts["batches"].apply_trigger(trigger, design)  # after the kind and cardinality


# "add-body-property", "remove-notification:/data/id": the schema editors' buttons.
_SCHEMA_PARTS = {"body": "body", "notification": "properties"}


def _schema_action(
    parts: dict[str, Any], trigger: dict[str, Any], design: dict[str, Any], action: str
) -> None:
    verb, _, rest = action.partition("-")
    root, _, pointer = rest.partition(":")
    if verb == "remove" and root in _SCHEMA_PARTS:
        parts[_SCHEMA_PARTS[root]].remove_property(trigger, design, pointer)
    elif verb == "add" and rest.endswith("-property"):
        root = rest.removesuffix("-property")
        if root in _SCHEMA_PARTS:
            parts[_SCHEMA_PARTS[root]].add_property(trigger, design)


def apply_trigger_action(
    edited: dict[str, Any], draft_id: int, action: str, *, current: int | None
) -> str | None:
    """Add, duplicate, delete or move a trigger; where the save then lands (None: stay)."""
    parsed = forms_pages.parse_trigger_action(action, len(edited["triggers"]))
    if parsed is None:
        return None
    name, index = parsed
    triggers = edited["triggers"]
    if index is None:  # a new trigger: its page is where the save lands
        triggers.append(_new_trigger(edited, name))
        return trigger_url(draft_id, len(triggers) - 1)
    if name == "duplicate":
        duplicate_trigger(edited, index)
        return trigger_url(draft_id, index + 1)
    if name == "delete":
        del triggers[index]
        if not triggers:
            return step_url(draft_id, "definition")
        if current is None or current == index:
            return trigger_url(draft_id, min(index, len(triggers) - 1))
        return trigger_url(draft_id, current - 1 if current > index else current)
    offset = -1 if name == "up" else 1
    move_trigger(edited, index, offset)
    moved_to = min(max(index + offset, 0), len(triggers) - 1)
    if current == index:
        return trigger_url(draft_id, moved_to)
    if current == moved_to:
        return trigger_url(draft_id, index)
    return None


# The history's words for the page's own buttons (other saves edit the trigger as a whole).
_ACTION_SECTIONS = {"import-sample": "sample", "add-parameter": "parameter"}


def trigger_action_message(design: dict[str, Any], action: str) -> str | None:
    """The history message of a trigger list button, or None when none was pressed."""
    try:
        parsed = forms_pages.parse_trigger_action(action, len(design["triggers"]))
    except django_forms.ValidationError:
        return None
    if parsed is None:
        return None
    name, index = parsed
    if index is None:
        return revision_message("definition", name, NEW_TRIGGER_SUMMARIES[name])
    return revision_message("definition", name, design["triggers"][index].get("summary"))


NEW_TRIGGER_SUMMARIES = {
    "add-webhook": "When an event happens",
    "add-polling": "When an item is created",
}


def _new_trigger(design: dict[str, Any], action: str) -> dict[str, Any]:
    taken = taken_operation_ids(design["triggers"])
    summary = NEW_TRIGGER_SUMMARIES[action]
    if action == "add-webhook":
        trigger = new_webhook_trigger(summary=summary, path="/hooks")
    else:
        trigger = new_polling_trigger(summary=summary, path="/items", state_parameter="since")
    # Several webhooks on one registration path share its DELETE action: export writes it once.
    trigger["operationId"] = unique_operation_id(trigger["operationId"], taken)
    return trigger


def _kept(design: dict[str, Any]) -> list[tuple[str, int]]:
    """What an import kept verbatim that the wizard does not edit, with counts (read only)."""
    passthrough = design.get("passthrough") or {}
    swagger = passthrough.get("swagger") or {}
    actions = sum(
        1
        for item in (swagger.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in item
        if method in ("get", "put", "post", "delete", "patch", "head", "options")
    )
    section = (passthrough.get("properties") or {}).get("properties") or {}
    policies = section.get("policyTemplateInstances") if isinstance(section, dict) else None
    rows = [
        ("Actions", actions),
        ("Definitions", len(swagger.get("definitions") or {})),
        ("Shared parameters", len(swagger.get("parameters") or {})),
        ("Shared responses", len(swagger.get("responses") or {})),
        ("Policies", len(policies) if isinstance(policies, list) else 0),
    ]
    return [(label, count) for label, count in rows if count]
