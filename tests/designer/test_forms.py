"""The site's form renderer writes inputs, textareas and selects in Python: byte for byte what
their templates (templates/django/forms/widgets/) write, for every field of the app's forms."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from connectors import forms as wizard_forms
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design
from connectors.forms_drafts import DraftImportForm, DraftSearchForm, InvitationForm
from connectors.forms_pages import ACTION_FORMS, SECTION_FORMS
from designer.forms import SiteFormRenderer

TEMPLATES = TemplatesSetting()  # the same templates, always through the template engine


class Odd(forms.Form):
    """Values that need escaping, localizing or no value at all."""

    text = forms.CharField(initial="<b>\"quoted\" & 'single'</b>")
    number = forms.IntegerField(initial=1234567)
    decimal = forms.DecimalField(initial="3.50")
    hidden = forms.CharField(widget=forms.HiddenInput, initial=None)
    area = forms.CharField(widget=forms.Textarea, initial="line 1\n<line 2>")
    empty_area = forms.CharField(widget=forms.Textarea, initial="")
    choice = forms.ChoiceField(
        choices=[("a", "A & <b>"), ("b", "B")], initial="b", widget=forms.Select(attrs={"x": 1})
    )
    grouped = forms.ChoiceField(choices=[("G <1>", [("1", "one"), ("2", "two")]), ("3", "three")])
    flag = forms.BooleanField(initial=True)
    colour = forms.CharField(widget=forms.TextInput(attrs={"type": "color", "class": "mine"}))


def _forms() -> list[forms.Form]:
    design = new_design("Orders")
    design["triggers"] = [
        new_webhook_trigger(summary="When an order is created", path="/hooks/{id}"),
        new_polling_trigger(summary="When an item is added", path="/items", state_parameter="s"),
    ]
    built: list[Any] = [
        Odd(),
        Odd({"text": "", "number": "x"}),
        DraftSearchForm({"q": "<script>"}),
        DraftImportForm(),
        InvitationForm(),
        wizard_forms.GeneralForm(initial=wizard_forms.GeneralForm.initial_for(design, 3)),
        wizard_forms.SecurityForm(initial=wizard_forms.SecurityForm.initial_for(design, 3)),
    ]
    for trigger in design["triggers"]:
        for form_class in [*SECTION_FORMS.values(), *(cls for _, cls in ACTION_FORMS.values())]:
            initial = form_class.initial_for(design, 3, trigger=trigger)
            built.append(form_class(initial=initial, trigger=trigger, design=design, prefix="p"))
    return built


@pytest.mark.parametrize("form", _forms(), ids=lambda form: type(form).__name__)
def test_fast_widgets_write_what_their_templates_write(form: forms.Form) -> None:
    fast = SiteFormRenderer()
    for field in form:
        widget, name = field.field.widget, field.html_name
        value, attrs = field.value(), field.build_widget_attrs({})
        attrs.setdefault("id", field.auto_id)
        assert widget.render(name, value, attrs, renderer=fast) == widget.render(
            name, value, attrs, renderer=TEMPLATES
        ), field.name


def test_the_fast_path_covers_the_common_widgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard against a template name change that would quietly send every widget back to the
    (slower, still correct) templates."""
    through_templates: list[str] = []
    original = TemplatesSetting.render

    def recorded(self: Any, template_name: str, context: Any, request: Any = None) -> str:
        through_templates.append(template_name)
        return original(self, template_name, context, request)

    monkeypatch.setattr(TemplatesSetting, "render", recorded)
    form = Odd(renderer=SiteFormRenderer())
    for name in ("text", "number", "area", "choice", "grouped", "flag", "hidden", "colour"):
        form[name].as_widget()
    assert through_templates == []
    radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
    radio.widget.render("r", "a", renderer=SiteFormRenderer())
    assert "django/forms/widgets/radio.html" in through_templates  # lists: the templates
