"""A JSON model field that keeps object key order on every database.

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
from django.db import models

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
            return json.loads(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
