"""The wizard's form pieces written by template tags: fields, live form attributes, Save, steps."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.urls import reverse

from connectors import forms

STEPS = [("general", "General"), ("security", "Security"), ("test", "Test <beta>")]


def render(source: str, **context: object) -> str:
    return Template("{% load wizard %}" + source).render(Context(context))


def test_fields_show_errors_hidden_fields_and_each_field_group() -> None:
    form = forms.StepForm({"title": "", "based_on_version": "3"})
    form.is_valid()
    form.add_error(None, "Someone <else> saved")
    html = render("{% wizard_fields form %}", form=form)
    assert '<div class="errorlist nonfield" role="alert">' in html
    assert "Someone &lt;else&gt; saved" in html
    assert '<input type="hidden" name="based_on_version" value="3"' in html
    assert '<div class="field has-error">' in html and 'name="title"' in html
    fine = render("{% wizard_fields form %}", form=forms.StepForm(initial={"title": "Orders"}))
    assert "errorlist" not in fine and '<div class="field">' in fine


def test_live_form_attrs_escape_the_action() -> None:
    html = render("<form {% live_form_attrs action %}>", action='/x?a=1&b="2"')
    assert 'action="/x?a=1&amp;b=&quot;2&quot;"' in html
    assert 'hx-post="/x?a=1&amp;b=&quot;2&quot;"' in html
    assert """hx-vals='{"preview": "1"}'""" in html


def test_save_button_only_for_editors() -> None:
    assert "Import" in render('{% save_button "Import" %}', can_edit=True)
    assert ">Save<" in render("{% save_button %}", can_edit=True)
    assert render("{% save_button %}", can_edit=False) == ""


def test_stepper_links_every_step_and_marks_the_current_one() -> None:
    html = render("{% wizard_stepper %}", steps=STEPS, step="security", draft=SimpleNamespace(pk=7))
    assert html.count("<li") == 3
    assert '<li class="current"><a href="/drafts/7/wizard/security/"' in html
    assert html.count('aria-current="step"') == 1
    assert '<span class="num">3</span> Test &lt;beta&gt;</a>' in html
    assert 'hx-get="/drafts/7/wizard/general/"' in html


def test_trigger_rows_link_each_trigger_and_give_editors_its_buttons() -> None:
    triggers = [
        {
            "summary": "When <a> happens",
            "kind": "webhook",
            "operationId": "OnA",
            "request": {"method": "post", "path": "/hooks"},
        },
        {
            "summary": "",
            "kind": "polling",
            "operationId": "OnB",
            "request": {"method": "get", "path": "/items?x=1&y=2"},
        },
    ]
    context = {"draft": SimpleNamespace(pk=7, version=4), "design": {"triggers": triggers}}
    html = render("{% trigger_rows %}", can_edit=True, csrf_token="tok", **context)
    assert html.count("<tr>") == 2
    assert '<a href="/drafts/7/wizard/triggers/0/">When &lt;a&gt; happens</a>' in html
    assert '<a href="/drafts/7/wizard/triggers/1/">(no summary)</a>' in html
    assert "<code>GET /items?x=1&amp;y=2</code>" in html
    assert html.count('name="csrfmiddlewaretoken" value="tok"') == 2
    assert 'aria-label="Move trigger 1 up" disabled' in html
    assert 'aria-label="Move trigger 2 down" disabled' in html
    assert 'aria-label="Move trigger 1 down">' in html
    assert 'name="based_on_version" value="4"' in html
    viewer = render("{% trigger_rows %}", can_edit=False, **context)
    assert "<form" not in viewer and viewer.count("<tr>") == 2


def test_parameter_rows_label_every_input_with_the_parameter_name() -> None:
    trigger = {
        "request": {
            "parameters": [
                {"name": "owner", "in": "path", "required": True, "type": "string"},
                {"name": "q<x>", "in": "query", "required": False, "type": "string"},
            ]
        }
    }
    params = forms.ParameterFormSet(initial=forms.parameter_initial(trigger), prefix="params")
    html = render("{% parameter_rows params %}", params=params)
    assert html.count("<tr") == 2 and '<tr id="param-1">' in html
    assert '<label class="sr-only" for="id_params-0-summary">owner summary</label>' in html
    assert "<code>q&lt;x&gt;</code>" in html and "q&lt;x&gt; visibility</label>" in html
    assert '<label class="sr-only" for="id_params-1-DELETE">Remove q&lt;x&gt;</label>' in html
    assert '<input type="hidden" name="params-0-location" value="path"' in html
    bound = forms.ParameterFormSet(
        {
            "params-TOTAL_FORMS": "1",
            "params-INITIAL_FORMS": "1",
            "params-0-name": "owner",
            "params-0-location": "path",
            "params-0-type": "no-such-type",
            "params-0-visibility": "none",
        },
        initial=forms.parameter_initial(trigger)[:1],
        prefix="params",
    )
    bound.is_valid()
    assert 'class="errorlist"' in render("{% parameter_rows params %}", params=bound)


def test_property_rows_show_each_property_with_labelled_inputs() -> None:
    trigger = {
        "kind": "webhook",
        "notification": {
            "schema": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer", "x-ms-summary": "The <id>"},
                    "owner": {"type": "object", "properties": {"login": {"type": "string"}}},
                },
            }
        },
    }
    initial = forms.PropertiesForm.initial_for({"general": {"title": "T"}}, 2, trigger=trigger)
    form = forms.PropertiesForm(initial=initial, trigger=trigger, design={}, prefix="properties")
    html = render("{% property_rows form %}", form=form)
    assert html.count("<tr>") == 3
    assert '<th scope="row" class="depth-1"><code>/owner/login</code> <small>string</small>' in html
    assert 'value="The &lt;id&gt;"' in html
    assert html.count('<label class="sr-only"') == 12


def test_section_urls_are_the_sections_own_urls() -> None:
    html = render(
        '{% section_url "general" as a %}{% section_url "delete" as b %}{{ a }} {{ b }}',
        draft=SimpleNamespace(pk=7),
        index=2,
    )
    expected = [
        reverse("connectors:wizard_trigger_section", args=[7, 2, name])
        for name in ("general", "delete")
    ]
    assert html.split() == expected
