"""The schema editor of a webhook trigger's page: one form for the registration body and one
for the notification, each a row of fields per property, ``$ref``s resolved.

The rows come from ``connectors.domain.schema.tree`` (flat, depth first, with where each
property really lives); the edits go through ``schema.edit``, which writes them where the
property lives, a shared definition included. Only what the maker changed is written: a field
left as it was does not touch the design. Adding and removing a property are buttons of the
page's form (``action`` ``add-<root>-property`` and ``remove-<root>:<pointer>``).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from connectors.domain.design import VISIBILITIES, clone_json
from connectors.domain.schema.callback import schema_set_callback
from connectors.domain.schema.edit import (
    SchemaEdit,
    schema_add_property,
    schema_apply,
    schema_remove_property,
)
from connectors.domain.schema.tree import (
    SchemaEditError,
    SchemaRow,
    callback_candidates,
    schema_rows,
)
from connectors.domain.schema.values import TYPES

from .forms import TriggerForm

Design = dict[str, Any]
_ROW_FIELDS = ("title", "description", "type", "format", "required", "visibility", "default")
# The registration body's properties also have a test value (what a test run sends).
_BODY_ROW_FIELDS = (*_ROW_FIELDS, "test_value")
# Which field of a row an editor error belongs to.
_ERROR_FIELDS = {**{name: name for name in _BODY_ROW_FIELDS}, "pointer": "title", "name": "title"}


def trigger_index(design: Design, trigger: dict[str, Any]) -> int:
    return next(i for i, item in enumerate(design["triggers"]) if item is trigger)


def _shown_default(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


class SchemaForm(TriggerForm):
    """The properties of one root ("body" or "notification") of a webhook trigger.

    Every property is a row; a row's fields are only on the page once the maker opens it
    (``opened``: pointers; a large imported schema would otherwise be hundreds of inputs).
    A posted form edits the rows whose fields it carries and leaves the others as they are.
    """

    root = "body"
    row_fields: tuple[str, ...] = _BODY_ROW_FIELDS

    def __init__(self, *args: Any, opened: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.index = trigger_index(self.design, self.trigger)
        self.rows: list[SchemaRow] = schema_rows(self.design, self.index, self.root)
        self.loaded = {
            number
            for number, row in enumerate(self.rows)
            if (self.data.get(self.add_prefix(f"p{number}_pointer")) == row.pointer)
            or (not self.is_bound and row.pointer in opened)
        }
        for number in sorted(self.loaded):
            self._add_row_fields(number, self.rows[number])
        self.fields["add_parent"] = forms.ChoiceField(
            label="Inside",
            required=False,
            choices=[("", "(top level)")]
            + [(row.pointer, row.pointer) for row in self.rows if row.type == "object"],
        )
        self.fields["add_name"] = forms.CharField(label="New property", required=False)
        self.fields["add_type"] = forms.ChoiceField(
            label="Type", required=False, choices=[(t, t) for t in TYPES]
        )

    def _add_row_fields(self, number: int, row: SchemaRow) -> None:
        name = f"p{number}"
        fields = {
            "pointer": forms.CharField(widget=forms.HiddenInput, initial=row.pointer),
            "title": forms.CharField(label="Title", required=False, initial=row.title or ""),
            "description": forms.CharField(
                label="Description", required=False, initial=row.description or ""
            ),
            "type": forms.ChoiceField(
                label="Type", choices=[(t, t) for t in TYPES], initial=row.type or "string"
            ),
            "format": forms.CharField(label="Format", required=False, initial=row.format or ""),
            "required": forms.BooleanField(label="Required", required=False, initial=row.required),
            "visibility": forms.ChoiceField(
                label="Visibility",
                choices=[(v, v) for v in VISIBILITIES],
                initial=row.visibility,
            ),
            "default": forms.CharField(
                label="Default", required=False, initial=_shown_default(row.default)
            ),
        }
        if "test_value" in self.row_fields:
            fields["test_value"] = forms.CharField(
                label="Test value",
                required=False,
                initial=_shown_default(row.test_value),
                help_text="Sent by test reports; exported as x-ms-test-value. Never a secret.",
            )
        for key, field in fields.items():
            self.fields[f"{name}_{key}"] = field

    def bound_rows(self) -> list[dict[str, Any]]:
        """Each row, with its bound fields when they are loaded, for the template."""
        shown = []
        for number, row in enumerate(self.rows):
            item: dict[str, Any] = {"row": row, "number": number, "loaded": False}
            if number in self.loaded:
                keys = self.row_fields
                fields = {key: self[f"p{number}_{key}"] for key in ("pointer", *keys)}
                errors = any(fields[key].errors for key in keys)
                item.update(fields, loaded=True, errors=errors)
            shown.append(item)
        return shown

    def bound_row(self, pointer: str) -> dict[str, Any] | None:
        return next((item for item in self.bound_rows() if item["row"].pointer == pointer), None)

    def edits(self) -> list[SchemaEdit]:
        """What the maker changed, row by row (unchanged fields stay ``None``: untouched)."""
        changed = set(self.changed_data)
        edits = []
        for number in sorted(self.loaded):
            row = self.rows[number]
            values = {
                key: self.cleaned_data[f"p{number}_{key}"]
                for key in self.row_fields
                if f"p{number}_{key}" in changed
            }
            if values:
                edits.append(SchemaEdit(pointer=row.pointer, **values))
        return edits

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        edits = self.edits() if not self.errors else []
        if not edits:
            return data
        try:  # checked on a copy, so that each error shows at its field
            schema_apply(clone_json(self.design), self.index, self.root, edits)
        except SchemaEditError as error:
            self._add_row_error(error)
        return data

    def _add_row_error(self, error: SchemaEditError) -> None:
        number = next(
            (n for n in self.loaded if self.rows[n].pointer == error.pointer),
            None,
        )
        if number is None:
            self.add_error(None, str(error))
            return
        field = _ERROR_FIELDS.get(error.field or "", "title")
        self.add_error(f"p{number}_{field}", str(error))

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        schema_apply(design, trigger_index(design, trigger), self.root, self.edits())

    def add_property(self, trigger: dict[str, Any], design: Design) -> None:
        """The "Add property" button: a new property under the chosen object."""
        name = (self.cleaned_data.get("add_name") or "").strip()
        if not name:
            raise forms.ValidationError("Name the new property first.")
        schema_add_property(
            design,
            trigger_index(design, trigger),
            self.root,
            self.cleaned_data.get("add_parent") or "",
            name,
            self.cleaned_data.get("add_type") or "string",
        )

    def remove_property(self, trigger: dict[str, Any], design: Design, pointer: str) -> None:
        schema_remove_property(design, trigger_index(design, trigger), self.root, pointer)


class BodySchemaForm(SchemaForm):
    root = "body"


class NotificationSchemaForm(SchemaForm):
    root = "notification"
    row_fields = _ROW_FIELDS

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        if trigger.get("notification") is not None:
            super().apply_trigger(trigger, design)


class CallbackForm(TriggerForm):
    """The body property that receives the callback URL: every string property of the body,
    ``$ref``s included, or a new ``notificationUrl``."""

    NEW = "/notificationUrl"
    pointer = forms.ChoiceField(label="Property that receives the callback URL")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        index = trigger_index(self.design, self.trigger)
        self.choices = callback_candidates(self.design, index)
        pointer = self.fields["pointer"]
        assert isinstance(pointer, forms.ChoiceField)
        pointer.choices = [(c.pointer, c.pointer) for c in self.choices] + [
            (self.NEW, f"{self.NEW} (add it)")
        ]

    @property
    def has_notification_url(self) -> bool:
        return any(choice.pointer == self.NEW for choice in self.choices)

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        return {"pointer": kwargs["trigger"]["request"].get("callbackPointer")}

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        wanted = self.cleaned_data["pointer"]
        if wanted == trigger["request"].get("callbackPointer"):
            return
        index = trigger_index(design, trigger)
        try:
            if wanted == self.NEW and not self.has_notification_url:
                schema_add_property(design, index, "body", "", "notificationUrl", "string")
            schema_set_callback(design, index, wanted)
        except (SchemaEditError, ValueError) as error:
            raise forms.ValidationError(str(error)) from None
