"""The parameter editor's "Values" choice: Static, or Dynamic values listed by an operation.

One ``DynamicValuesForm`` sits under each row of the parameter editor (prefix ``dynamic-N``,
the row's index), in the trigger page's one form. Dynamic values name the operation that lists
them (an action the import kept; never a trigger), map that operation's parameters from the
trigger's other parameters or fixed values, and give the collection, value path and title path.
Saving writes both ``x-ms-dynamic-values`` and ``x-ms-dynamic-list``; Static removes both; a row
sent back unchanged keeps what the parameter held, byte for byte (``has_changed``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms

from connectors.domain.documents import load_json_text
from connectors.domain.swagger.dynamic_values import (
    DynamicValues,
    Mapping,
    Operation,
    candidate_operations,
    read_dynamic_values,
    set_dynamic_values,
)

from .forms import WizardForm, _typed_default

_STATIC, _DYNAMIC, _FIXED = "static", "dynamic", "value"
_PARAMETER_SOURCE = "parameter:"
_SLOT = re.compile(r"^dynamic-\d{1,4}-map_(\d{1,3})_name$")
# Mapping lines a Values form shows at most: a posted field name must not make thousands.
MAX_MAPPINGS = 30
_PATH_HELP = 'Separate levels with "/", e.g. fields/id.'


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def dynamic_initial(parameter: dict[str, Any]) -> dict[str, Any]:
    """The row's fields as the parameter holds them."""
    dynamic = read_dynamic_values(parameter)
    if dynamic is None:
        return {"mode": _STATIC}
    initial: dict[str, Any] = {
        "mode": _DYNAMIC,
        "operation": dynamic.operation_id,
        "collection": dynamic.collection,
        "value_path": dynamic.value_path,
        "title_path": dynamic.title_path,
    }
    for index, mapping in enumerate(dynamic.mappings):
        initial[f"map_{index}_name"] = mapping.name
        if mapping.parameter is not None:
            initial[f"map_{index}_source"] = _PARAMETER_SOURCE + mapping.parameter
        else:
            initial[f"map_{index}_source"] = _FIXED
            initial[f"map_{index}_value"] = _shown(mapping.value)
    return initial


class DynamicValuesForm(WizardForm):
    mode = forms.ChoiceField(
        label="Values",
        choices=[(_STATIC, "Static: typed by the flow's author"), (_DYNAMIC, "Dynamic values")],
    )
    operation = forms.ChoiceField(label="Operation that lists the values", required=False)
    collection = forms.CharField(
        label="Value collection",
        required=False,
        max_length=200,
        help_text="The array in the answer, e.g. value; empty when the answer is the array.",
    )
    value_path = forms.CharField(
        label="Value path", required=False, max_length=200, help_text=_PATH_HELP
    )
    title_path = forms.CharField(
        label="Title path", required=False, max_length=200, help_text="What the list shows."
    )

    def __init__(
        self,
        *args: Any,
        parameter: dict[str, Any] | None,
        trigger: dict[str, Any],
        operations: list[Operation],
        slots: int = 0,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.parameter, self.trigger = parameter, trigger
        self.operations = {op.operation_id: op for op in operations}
        current = read_dynamic_values(parameter) if parameter else None
        self.originals = list(current.mappings) if current else []
        self._operation_choices(current)
        # Posted slots are capped; an imported parameter keeps every mapping it has.
        self.slots = max(min(slots, MAX_MAPPINGS), len(self.originals) + 1, 2)
        self._mapping_fields(current)

    @property
    def offers_dynamic(self) -> bool:
        """Whether the Values choice is worth showing: the connector has an operation that can
        list values and the flow's author fills the parameter (it is not internal), or the
        parameter already has dynamic values (kept from an import)."""
        if self.originals or self._has_dynamic_values():
            return True
        internal = (self.parameter or {}).get("visibility") == "internal"  # the platform fills it
        return bool(self.operations) and not internal

    def has_changed(self) -> bool:
        # A row that offers no choice posts only its (static) mode: nothing else is an edit.
        if not self.offers_dynamic:
            return "mode" in self.changed_data
        return super().has_changed()

    def _has_dynamic_values(self) -> bool:
        extras = (self.parameter or {}).get("extras") or {}
        return "x-ms-dynamic-values" in extras or "x-ms-dynamic-list" in extras

    def _operation_choices(self, current: DynamicValues | None) -> None:
        choices = [("", "Choose an operation")]
        choices += [(op.operation_id, op.label) for op in self.operations.values()]
        if current and current.operation_id and current.operation_id not in self.operations:
            choices.append((current.operation_id, f"{current.operation_id} (not in this file)"))
        field = self.fields["operation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def _mapping_fields(self, current: DynamicValues | None) -> None:
        own = self.parameter["name"] if self.parameter else None
        sources = [
            p["name"]
            for p in self.trigger["request"]["parameters"]
            if "ref" not in p and p["name"] != own
        ]
        names: list[Any] = [("", "(none)")]
        names += [
            (op.operation_id, [(n, n) for n in op.parameter_names()])
            for op in self.operations.values()
            if op.parameter_names()
        ]
        known = {n for op in self.operations.values() for n in op.parameter_names()}
        unknown = [m.name for m in self.originals if m.name not in known]
        if unknown:
            names.append(("Not in this file", [(n, n) for n in unknown]))
        unknown_sources = [
            m.parameter for m in self.originals if m.parameter and m.parameter not in sources
        ]
        source_choices = [(_FIXED, "Fixed value")] + [
            (_PARAMETER_SOURCE + n, f"Parameter {n}") for n in sources + unknown_sources
        ]
        self.initial = dict(self.initial)
        for slot in range(self.slots):
            # An unused slot shows (and sends back) "Fixed value": not an edit.
            self.initial.setdefault(f"map_{slot}_source", _FIXED)
            self.fields[f"map_{slot}_name"] = forms.ChoiceField(
                label="Operation parameter", required=False, choices=names
            )
            self.fields[f"map_{slot}_source"] = forms.ChoiceField(
                label="Value from", required=False, choices=source_choices
            )
            self.fields[f"map_{slot}_value"] = forms.CharField(
                label="Fixed value", required=False, max_length=1000
            )

    def mapping_rows(self) -> list[tuple[Any, Any, Any]]:
        """(name, source, value) bound fields of each mapping slot, for the template."""
        return [
            (self[f"map_{s}_name"], self[f"map_{s}_source"], self[f"map_{s}_value"])
            for s in range(self.slots)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") != _DYNAMIC or not self.has_changed():
            return data
        operation = self.operations.get(data.get("operation") or "")
        if not data.get("operation"):
            self.add_error("operation", "Choose the operation that lists the values.")
        elif operation is None:
            self.add_error("operation", "This operation is not in the connector: choose another.")
        if not (data.get("value_path") or "").strip():
            self.add_error("value_path", "Enter the path of each item's value, e.g. id.")
        for key in ("collection", "value_path", "title_path"):
            data[key] = (data.get(key) or "").strip().strip("/")
        data["mappings"] = self._clean_mappings(data, operation)
        return data

    def _clean_mappings(self, data: dict[str, Any], operation: Operation | None) -> list[Mapping]:
        mappings: list[Mapping] = []
        seen: set[str] = set()
        valid = {p["name"] for p in self.trigger["request"]["parameters"] if "ref" not in p}
        for slot in range(self.slots):
            name, source = data.get(f"map_{slot}_name"), data.get(f"map_{slot}_source")
            if not name:
                continue
            if operation is not None and name not in operation.parameter_names():
                self.add_error(
                    f"map_{slot}_name",
                    f"{operation.operation_id} has no parameter {name}: choose one of "
                    f"{', '.join(operation.parameter_names()) or 'none (it takes none)'}.",
                )
            if name in seen:
                self.add_error(f"map_{slot}_name", f"{name} is mapped twice.")
            seen.add(name)
            if source and source.startswith(_PARAMETER_SOURCE):
                other = source.removeprefix(_PARAMETER_SOURCE)
                if other not in valid:
                    self.add_error(f"map_{slot}_source", f"This trigger has no parameter {other}.")
                mappings.append(Mapping(name, parameter=other))
            else:
                mappings.append(Mapping(name, value=self._fixed(slot, name, operation, data)))
        return mappings

    def _fixed(
        self, slot: int, name: str, operation: Operation | None, data: dict[str, Any]
    ) -> Any:
        """The fixed value typed for ``slot``, as its operation parameter's type."""
        text = data.get(f"map_{slot}_value") or ""
        original = next((m for m in self.originals if m.name == name), None)
        if original is not None and original.parameter is None and _shown(original.value) == text:
            return original.value  # unchanged: keeps its JSON type
        target = next(
            (p for p in (operation.parameters if operation else []) if p.get("name") == name), {}
        )
        kind = target.get("type")
        try:
            if kind in ("array", "object"):  # the app's own loader: limits, positions, no NaN
                return load_json_text(text, name=name)
            if kind in ("integer", "number", "boolean"):
                return _typed_default(text, kind)
        except ValueError as error:  # DocumentError is one
            self.add_error(f"map_{slot}_value", f"Enter a {kind} value for {name}: {error}")
        return text

    def dynamic_values(self) -> DynamicValues | None:
        data = self.cleaned_data
        if data.get("mode") != _DYNAMIC:
            return None
        return DynamicValues(
            data["operation"],
            tuple(data.get("mappings") or ()),
            data["collection"],
            data["value_path"],
            data["title_path"],
        )


class DynamicValuesForms:
    """One ``DynamicValuesForm`` per row of the parameter editor (same order as its rows).

    Bound only when the page sent the rows' "Values" fields (``dynamic-N-mode``); the row's
    parameter is the one the parameter editor's row names (``params-N-name`` / ``-location``).
    """

    def __init__(
        self, data: Any = None, *, trigger: dict[str, Any], design: dict[str, Any]
    ) -> None:
        operations = candidate_operations(design)
        modeled = [p for p in trigger["request"]["parameters"] if "ref" not in p]
        if data is not None and not any(k.startswith("dynamic-") for k in data):
            data = None  # a post without these fields leaves every parameter's values alone
        self.is_bound = data is not None
        rows = _posted_rows(data, modeled) if data is not None else modeled
        slots = _posted_slots(data) if data is not None else {}
        self.forms = [
            DynamicValuesForm(
                data,
                initial=dynamic_initial(parameter) if parameter else {"mode": _STATIC},
                parameter=parameter,
                trigger=trigger,
                operations=operations,
                slots=slots.get(index, 0),
                prefix=f"dynamic-{index}",
            )
            for index, parameter in enumerate(rows)
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms])

    @property
    def errors(self) -> list[Any]:
        return [form.errors for form in self.forms]

    def apply_trigger(self, trigger: dict[str, Any]) -> None:
        """Write each changed row's values onto its parameter (still there after the edit)."""
        parameters = trigger["request"]["parameters"]
        for form in self.forms:
            if form.parameter is None or not form.has_changed():
                continue
            target = next(
                (
                    p
                    for p in parameters
                    if "ref" not in p
                    and p["name"] == form.parameter["name"]
                    and p["in"] == form.parameter["in"]
                ),
                None,
            )
            if target is not None:
                set_dynamic_values(target, form.dynamic_values())


def _posted_rows(data: Any, modeled: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    rows: list[dict[str, Any] | None] = []
    index = 0
    while f"params-{index}-name" in data or f"dynamic-{index}-mode" in data:
        name, location = data.get(f"params-{index}-name"), data.get(f"params-{index}-location")
        rows.append(
            next(
                (p for p in modeled if p["name"] == name and (not location or p["in"] == location)),
                None,
            )
        )
        index += 1
    return rows


def _posted_slots(data: Any) -> dict[int, int]:
    """How many mapping slots each posted row sent (a page may have shown more than now)."""
    slots: dict[int, int] = {}
    for key in data:
        match = _SLOT.match(key)
        if match:
            row = int(key.split("-")[1])
            slots[row] = max(slots.get(row, 0), int(match.group(1)) + 1)
    return slots


def attach(params: Any, dynamic: DynamicValuesForms) -> Any:
    """Hand each parameter editor row its Values form (``row.values``) for the template."""
    for row, values in zip(params.forms, dynamic.forms, strict=False):
        row.values = values
    return params
