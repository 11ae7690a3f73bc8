"""The wizard's template tags: field groups, hidden fields, the page form's attributes, the
stepper and the indentation of nested properties. (The trigger list, the parameter and property
editors and the Save button are templates now: the trigger page's tests read them.)"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template

from connectors import forms
from connectors.templatetags.wizard import field_group

STEPS = [("general", "General"), ("security", "Security"), ("test", "Test <beta>")]


def render(source: str, **context: object) -> str:
    return Template("{% load wizard %}" + source).render(Context(context))


def general_form(**data: object) -> forms.GeneralForm:
    return forms.GeneralForm(
        {
            "title": "Orders",
            "based_on_version": "3",
            "version": "1.0",
            "schemes": ["https"],
            "host": "",
            **data,
        }
    )


def test_fields_show_the_non_field_errors_and_each_field_group_but_not_the_title() -> None:
    form = general_form()
    form.is_valid()
    form.add_error(None, "Someone <else> saved")
    html = render("{% wizard_fields form %}", form=form)
    assert '<div class="alert alert-danger" role="alert">' in html
    assert "Someone &lt;else&gt; saved" in html
    assert 'name="title"' not in html  # the header bar edits the title
    assert 'name="based_on_version"' not in html  # hidden fields have their own tag
    host = html[html.index('for="id_host"') :].split('class="form-group')[0]
    assert 'aria-invalid="true"' in host and "This field is required" in host
    version = html[html.index('for="id_version"') :].split('class="form-group')[0]
    assert "aria-invalid" not in version and "errorlist" not in version


def test_fields_render_only_the_named_fields_without_the_form_errors() -> None:
    form = general_form()
    form.is_valid()
    form.add_error(None, "Someone else saved")
    html = render('{% wizard_fields form "host" "version" %}', form=form)
    names = [part.split('"')[0] for part in html.split(' name="')[1:]]
    assert names == ["version", "host"]  # in the form's order
    assert "Someone else saved" not in html  # the page shows them once, above the fields


def test_hidden_fields_hold_the_version() -> None:
    form = forms.StepForm(initial={"title": "Orders", "based_on_version": 3})
    html = render("{% hidden_fields form %}", form=form)
    assert html.startswith('<input type="hidden" name="based_on_version" value="3"')
    assert html.count("<input") == 1  # the title is a visible field (in the header bar)


def test_live_form_attrs_name_the_page_form_and_escape_the_action() -> None:
    html = render("<form {% live_form_attrs action %}>", action='/x?a=1&b="2"')
    assert html.startswith('<form id="wizard-form" method="post" ')
    assert 'action="/x?a=1&amp;b=&quot;2&quot;"' in html
    assert 'hx-post="/x?a=1&amp;b=&quot;2&quot;"' in html
    assert """hx-vals='{"preview": "1"}'""" in html
    assert 'hx-target="#validation-panel"' in html


def test_stepper_links_every_step_and_marks_the_current_one() -> None:
    html = render("{% wizard_stepper %}", steps=STEPS, step="security", draft=SimpleNamespace(pk=7))
    assert html.count("<li") == 3
    assert '<li class="stepper-item current"><a href="/drafts/7/wizard/security/"' in html
    assert html.count('aria-current="step"') == 1
    assert html.count(" current") == 1
    assert '<span class="stepper-num">3</span>' in html
    assert '<span class="stepper-label">Test &lt;beta&gt;</span>' in html
    assert 'href="/drafts/7/wizard/general/" hx-get="/drafts/7/wizard/general/"' in html


@pytest.mark.parametrize(
    ("depth", "css"), [(0, "0"), (3, "3"), (8, "8"), (20, "8"), (-1, "0"), ("x", "0"), (None, "0")]
)
def test_depth_class_indents_nested_properties_up_to_a_limit(depth: object, css: str) -> None:
    assert render("{{ depth|depth_class }}", depth=depth) == css


def _bound_wizard_forms() -> list[Any]:
    """Every kind of field the wizard shows, bound with errors and without."""
    from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
    from connectors.domain.design import new_design
    from connectors.forms_pages import ACTION_FORMS, SECTION_FORMS

    design = new_design("Orders")
    design["triggers"] = [
        new_webhook_trigger(summary="When an order is created", path="/hooks"),
        new_polling_trigger(summary="When an item is added", path="/items", state_parameter="s"),
    ]
    built: list[Any] = [
        forms.GeneralForm(initial=forms.GeneralForm.initial_for(design, 3)),
        forms.GeneralForm({"host": "https://x/", "based_on_version": "x"}),
        forms.SecurityForm({"type": "apiKey", "title": ""}),
    ]
    for trigger in design["triggers"]:
        classes = [*SECTION_FORMS.values(), *(cls for _, cls in ACTION_FORMS.values())]
        for form_class in classes:
            kwargs = {"trigger": trigger, "design": design, "prefix": "p"}
            initial = form_class.initial_for(design, 3, trigger=trigger)
            built.append(form_class(initial=initial, **kwargs))
            built.append(form_class({"p-summary": "", "p-path": "no slash"}, **kwargs))
    return built


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def test_the_wizard_field_groups_match_the_sites_field_template() -> None:
    """The wizard writes field groups in Python for speed; they must stay what the site's
    field template (templates/forms/field.html) writes for the same field."""
    compared = 0
    for form in _bound_wizard_forms():
        for field in form.visible_fields():
            assert _squeezed(field_group(field)) == _squeezed(str(field.as_field_group())), (
                type(form).__name__,
                field.name,
            )
            compared += 1
    assert compared > 60


def test_light_field_copies_keep_forms_apart() -> None:
    """The wizard's forms copy their fields without deep-copying choice lists: a form that
    sets its own choices or attributes must still leave the class and other forms alone."""
    first = forms.PollingForm.base_fields["stateParameter"]
    one, two = forms.ParameterForm(), forms.ParameterForm()
    one.fields["type"].choices = [("x", "x")]
    one.fields["summary"].widget.attrs["data-x"] = "1"
    one.fields["summary"].error_messages["required"] = "changed"
    assert [c for c, _ in two.fields["type"].choices] != ["x"]
    assert "data-x" not in two.fields["summary"].widget.attrs
    assert two.fields["summary"].error_messages["required"] != "changed"
    assert forms.PollingForm.base_fields["stateParameter"] is first
    assert one.fields["type"] is not forms.ParameterForm.base_fields["type"]
