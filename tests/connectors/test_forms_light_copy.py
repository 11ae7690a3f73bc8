"""The wizard's forms copy their fields the light way, and still own what they may change."""

from __future__ import annotations

import copy

from django import forms as django_forms

from connectors import forms, forms_rendering


class Sample(forms_rendering.LightForm):
    kind = django_forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    name = django_forms.CharField(max_length=10, widget=django_forms.TextInput({"size": 5}))


def test_each_form_owns_its_fields_widgets_attrs_and_choice_lists() -> None:
    one, two = Sample(), Sample()
    assert one.fields["kind"] is not two.fields["kind"]
    assert one.fields["kind"].widget is not two.fields["kind"].widget
    one.fields["kind"].choices = [("c", "C")]
    one.fields["name"].required = False
    one.fields["name"].widget.attrs["size"] = 9
    one.fields["name"].error_messages["required"] = "changed"
    one.fields["name"].validators.append(lambda value: None)
    two_kind = two.fields["kind"]
    assert list(two_kind.choices) == [("a", "A"), ("b", "B")] == list(two_kind.widget.choices)
    assert two.fields["name"].required and two.fields["name"].widget.attrs["size"] == 5
    assert two.fields["name"].error_messages["required"] != "changed"
    assert len(two.fields["name"].validators) == len(Sample.base_fields["name"].validators)
    assert Sample.base_fields["name"].widget.attrs["size"] == 5


def test_light_copy_renders_and_validates_as_a_deep_copy_does() -> None:
    light = Sample({"kind": "b", "name": "x" * 11})
    deep = Sample({"kind": "b", "name": "x" * 11})
    deep.fields = copy.deepcopy(dict(Sample.base_fields))
    assert light.is_valid() is deep.is_valid() is False
    assert light.errors == deep.errors
    assert str(light["kind"]) == str(deep["kind"]) and str(light["name"]) == str(deep["name"])


def test_the_wizards_forms_use_the_light_copy() -> None:
    for form_class in [forms.StepForm, forms.ParameterForm, *forms.TRIGGER_FORMS.values()]:
        assert isinstance(form_class.base_fields, forms_rendering._LightFields), form_class
