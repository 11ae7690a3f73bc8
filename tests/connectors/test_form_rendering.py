"""The wizard's form renderer writes, to the byte, what Django's form templates write."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.renderers import DjangoTemplates

from connectors import forms
from connectors.domain.authoring import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design

TEMPLATES = DjangoTemplates()


def _design() -> dict[str, Any]:
    design = new_design('Orders <"&">')
    design["general"]["description"] = "Line one\n<b>two</b> & 'three'"
    design["triggers"] = [
        new_webhook_trigger(
            summary="When an order <is> created",
            path="/hooks/{hookId}",
            notification_samples=[{"id": 1, "name": "x", "nested": {"a": [1, 2]}}],
        ),
        new_polling_trigger(
            summary="When an item is created", path="/items", state_parameter="since"
        ),
    ]
    return design


def _forms() -> list[Any]:
    design, built = _design(), []
    for form_class in (forms.StepForm, forms.GeneralForm, forms.SecurityForm):
        name = form_class.__name__
        built.append((name, form_class(initial=form_class.initial_for(design, 3))))
        built.append((f"{name} bound", form_class({"title": "", "host": "https://x/y"})))
    for trigger in design["triggers"]:
        for name, form_class in forms.TRIGGER_FORMS.items():
            if name == "polling" and trigger["kind"] != "polling":
                continue
            initial = form_class.initial_for(design, 3, trigger=trigger)
            kwargs = {"trigger": trigger, "design": design, "prefix": name}
            built.append((name, form_class(initial=initial, **kwargs)))
            built.append((f"{name} bound", form_class({f"{name}-title": "<x>"}, **kwargs)))
        params = forms.ParameterFormSet(initial=forms.parameter_initial(trigger), prefix="p")
        built += [(f"param {n}", form) for n, form in enumerate(params.forms)]
    return built


def _render_all(form: Any) -> list[str]:
    form.is_bound and form.is_valid()
    parts = []
    for field in form:
        parts += [field.as_field_group(), str(field), field.label_tag(), field.legend_tag()]
        parts.append(str(field.errors))  # empty for most fields: the renderer skips the template
    return parts


@pytest.mark.parametrize("form", [pytest.param(form, id=name) for name, form in _forms()])
def test_python_rendering_matches_the_templates(form: Any) -> None:
    ours = _render_all(form)
    form.renderer = TEMPLATES
    assert ours == _render_all(form)
