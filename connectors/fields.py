"""A JSON model field that keeps object key order on every database, and the form field
that reads JSON from a form.

PostgreSQL's ``jsonb`` (what Django's JSONField uses there) stores objects with their keys
re-sorted, so a design saved on PostgreSQL would come back with its paths, properties and
parameters in another order than on SQLite, and the exported files would change order with it.
Key order is part of what a maker designs (the order of properties in a schema is the order the
flow designer shows), so designs are stored as JSON text instead.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from connectors.domain.documents import DocumentError, load_json_text

if TYPE_CHECKING:  # the stubs type TextField's values as str; ours are JSON values
    _TextField = models.TextField[Any, Any]
else:
    _TextField = models.TextField


class OrderedJSONField(_TextField):
    description = "JSON stored as text, key order kept"
    # Read by django-stubs' mypy plugin: the model attribute holds any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        # Only text coming from a form or a fixture is JSON to decode; a str from Python code
        # never reaches here because designs are always objects.
        if isinstance(value, str):
            try:
                return load_json_text(value, name=self.name or "value")
            except DocumentError as error:
                raise ValidationError(str(error), code="invalid") from None
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": JSONTextField, **kwargs})


class JSONTextField(forms.CharField):
    """JSON typed into (or carried by) a form, read by the app's own loader: its limits
    (nesting, digits, non-finite numbers, lone surrogates) hold, and a refusal names the line
    and column, so hostile text is a form error (400), never a 500. Django's ``JSONField``
    would hand the text to ``json.loads``, which raises on 4,301 digits or 1,000 brackets."""

    default_error_messages = {"invalid": "%(error)s"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str | type(None)):
            return value
        return json.dumps(value, ensure_ascii=False)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data  # shown again as sent, even when it does not parse

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return load_json_text(str(text), name=str(self.label or "value"))
        except DocumentError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"error": error}
            ) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            value = self.to_python(data)
        except ValidationError:
            return True
        return json.dumps(initial, sort_keys=True) != json.dumps(value, sort_keys=True)
