"""How the forms of one wizard page go together: a trigger's sections and the page's buttons.

A trigger's page is one HTML form: ``SECTION_FORMS`` (by the trigger's kind,
``trigger_sections``), the parameter formset, and the small form of a pressed button
(``ACTION_FORMS``) are checked and saved together as ``PageForms``. The trigger list's buttons
are values of ``action`` too (``parse_trigger_action``).
"""

from __future__ import annotations

from typing import Any

from django import forms

from .forms import (
    DeleteActionForm,
    NotificationForm,
    ParameterAddForm,
    PollingForm,
    RequestForm,
    SampleForm,
    StepForm,
    TrayForm,
    TriggerForm,
    TriggerGeneralForm,
)
from .forms_batches import BatchesForm
from .forms_schema import BodySchemaForm, CallbackForm, NotificationSchemaForm

SECTION_FORMS: dict[str, type[TriggerForm]] = {
    "general": TriggerGeneralForm,
    "request": RequestForm,
    "body": BodySchemaForm,
    "callback": CallbackForm,
    "notification": NotificationForm,
    "properties": NotificationSchemaForm,
    "delete": DeleteActionForm,
    "polling": PollingForm,
    "batches": BatchesForm,
    "tray": TrayForm,
}
# The sections a trigger's page shows, by the trigger's kind.
KIND_ONLY_SECTIONS = {
    "webhook": frozenset({"body", "callback", "notification", "properties", "delete", "tray"}),
    "polling": frozenset({"polling"}),
}
# In-page actions that add to the trigger (each with its own small form, checked only when
# its button is pressed): the button's value -> (prefix, form).
ACTION_FORMS: dict[str, tuple[str, type[TriggerForm]]] = {
    "import-sample": ("sample", SampleForm),
    "add-parameter": ("parameter", ParameterAddForm),
}
# What the trigger list's buttons do to a trigger: "duplicate-2", "up-0", ...
TRIGGER_ACTIONS = ("duplicate", "delete", "up", "down")
NEW_TRIGGER_ACTIONS = ("add-webhook", "add-polling")


def trigger_sections(kind: str) -> list[str]:
    """The names of ``SECTION_FORMS`` shown for a trigger of ``kind``."""
    others = set().union(*(v for k, v in KIND_ONLY_SECTIONS.items() if k != kind))
    return [name for name in SECTION_FORMS if name not in others]


def parse_trigger_action(value: str, count: int) -> tuple[str, int | None] | None:
    """``"add-webhook"`` -> ("add-webhook", None); ``"up-2"`` -> ("up", 2); else None."""
    if value in NEW_TRIGGER_ACTIONS:
        return value, None
    name, _, number = value.rpartition("-")
    if name in TRIGGER_ACTIONS and number.isascii() and number.isdigit():
        index = int(number)
        if index >= count:
            raise forms.ValidationError("That trigger no longer exists: reload the page.")
        return name, index
    return None


def labelled_errors(form: forms.Form) -> list[str]:
    """A form's errors as sentences, each after its field's label."""
    errors = []
    for name, field_errors in form.errors.items():
        label = (form.fields[name].label or name) if name in form.fields else ""
        errors += [f"{label}: {error}" if label else str(error) for error in field_errors]
    return errors


class PageForms:
    """Every form of one page, checked and saved together: the page's one HTML form.

    ``page`` carries the title and the version; ``parts`` are the trigger's sections (and the
    parameter formset, and an action's form), each under its prefix. Its interface is the one
    ``views.wizard_common.save`` uses of a single form.
    """

    def __init__(self, page: StepForm, parts: dict[str, Any]):
        self.page, self.parts = page, parts

    def _bound(self) -> list[Any]:
        """The parts that were sent (an action's form is shown unbound until pressed)."""
        return [part for part in self.parts.values() if part.is_bound]

    def is_valid(self) -> bool:
        results = [self.page.is_valid()] + [part.is_valid() for part in self._bound()]
        return all(results)  # every form checked, so that each shows its errors

    @property
    def cleaned_data(self) -> dict[str, Any]:
        return self.page.cleaned_data

    def save_options(self) -> dict[str, Any]:
        return {}

    def invalid_parts(self) -> list[str]:
        return [name for name, part in self.parts.items() if part.is_bound and not part.is_valid()]

    def error_messages(self) -> list[str]:
        errors = labelled_errors(self.page)
        for part in self._bound():
            if isinstance(part, forms.BaseFormSet) or hasattr(part, "forms"):
                if isinstance(part, forms.BaseFormSet):
                    errors += [str(e) for e in part.non_form_errors()]
                for row in part.forms:
                    errors += labelled_errors(row)
            else:
                errors += labelled_errors(part)
        return errors
