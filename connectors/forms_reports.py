"""The form that starts a test report: target, simulator fault mode, triggers, credentials,
and a value for every parameter (and required body property) the platform would ask a flow's
author for (``connectors.domain.runner.inputs``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms

from connectors.domain.runner.credentials import Credentials
from connectors.domain.runner.inputs import (
    RunInput,
    RunValues,
    chosen,
    collect,
    run_inputs,
    value_text,
)
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.models import SimulatorSession

CREDENTIAL_FIELDS = {
    "basic": ("username", "password"),
    "apiKey": ("api_key",),
    "oauth2": ("token",),
    "none": (),
}


class ReportStartForm(forms.Form):
    target = forms.ChoiceField(
        choices=[("simulator", "The built-in simulator"), ("api", "My API")],
        initial="simulator",
        widget=forms.RadioSelect,
    )
    base_url = forms.URLField(
        required=False,
        label="API base URL",
        assume_scheme="https",
        help_text="Scheme, host and base path, e.g. https://api.example.com/v1",
    )
    fault = forms.ChoiceField(
        choices=SimulatorSession.Fault.choices,
        initial=SimulatorSession.Fault.NONE,
        label="Simulator fault mode",
        required=False,
    )
    triggers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: all."
    )
    username = forms.CharField(required=False, max_length=500)
    password = forms.CharField(required=False, max_length=2000, widget=forms.PasswordInput)
    api_key = forms.CharField(
        required=False, max_length=2000, label="API key", widget=forms.PasswordInput
    )
    token = forms.CharField(
        required=False, max_length=8000, label="Access token", widget=forms.PasswordInput
    )

    def __init__(
        self,
        *args: Any,
        design: dict[str, Any],
        previous: dict[str, Any] | None = None,
        choices: dict[str, list[dict[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.security_type = design["security"].get("type", "none")
        triggers = self.fields["triggers"]
        assert isinstance(triggers, forms.MultipleChoiceField)
        triggers.choices = [
            (t["operationId"], f"{t['summary'] or t['operationId']} ({t['kind']})")
            for t in design["triggers"]
        ]
        shown = CREDENTIAL_FIELDS.get(self.security_type, ())
        for name in ("username", "password", "api_key", "token"):
            if name not in shown:
                del self.fields[name]
        self.inputs = run_inputs(design, [], export_swagger(design, share=True))
        self._values, self._secret_values = RunValues(), dict[str, str]()
        self.choices = choices or {}
        self._add_input_fields(RunValues.from_json(previous))

    # -- the values typed in for the run ---------------------------------------------------------

    def _add_input_fields(self, previous: RunValues) -> None:
        """One text field per input, named ``value:<key>``, started from the last run's value
        or else the design's test value; a secret one is a password field, never prefilled."""
        for row in self.inputs:
            before = previous.body.get(row.key) if row.is_body else previous.parameters.get(row.key)
            start = before if before not in (None, "") else row.test_value
            listed = [] if row.secret or row.is_body else self.choices.get(row.key, [])
            widget = forms.PasswordInput() if row.secret else forms.TextInput()
            if listed:  # the values the dynamic-values operation listed in the last report
                widget.attrs["list"] = f"report_choices_{len(self.fields)}"
            self.fields[input_field_name(row)] = forms.CharField(
                required=False,
                max_length=4000,
                label=row.label,
                initial="" if row.secret else value_text(start),
                help_text=_input_help(row, listed=len(listed)),
                widget=widget,
            )

    def input_fields(self) -> list[tuple[RunInput, forms.BoundField, list[dict[str, str]]]]:
        """Each input's row, bound field, and the listed values it offers (a datalist)."""
        rows = []
        for row in self.inputs:
            field = self[input_field_name(row)]
            listed = self.choices.get(row.key, []) if "list" in field.field.widget.attrs else []
            rows.append((row, field, listed))
        return rows

    def _clean_inputs(self, data: dict[str, Any]) -> None:
        """Type each value; a required input of a chosen trigger without one is an error at
        its field, so nothing runs."""
        rows = chosen(self.inputs, list(data.get("triggers") or []))
        texts = {row.key: data.get(input_field_name(row)) or "" for row in rows}
        collected = collect(rows, texts)
        for key, message in collected.errors.items():
            name = input_field_name(next(row for row in rows if row.key == key))
            if name not in self.errors:
                self.add_error(name, message)
        self._values, self._secret_values = collected.values, collected.secrets

    def run_values(self) -> RunValues:
        return self._values

    def secret_values(self) -> dict[str, str]:
        return self._secret_values

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_inputs(data)
        # A base URL the URLField already rejected has its error: one message is enough.
        if data.get("target") == "api" and "base_url" not in self.errors:
            url = data.get("base_url") or ""
            if urlsplit(url).scheme not in ("http", "https"):
                self.add_error("base_url", "Enter the API's base URL (http or https).")
        return data

    def target_value(self) -> str:
        data = self.cleaned_data
        return "simulator" if data["target"] == "simulator" else data["base_url"]

    def credentials(self) -> Credentials | None:
        data = self.cleaned_data
        if self.security_type == "none":
            return None
        return Credentials(
            security_type=self.security_type,
            username=data.get("username") or None,
            password=data.get("password") or None,
            api_key=data.get("api_key") or None,
            token=data.get("token") or None,
        )


def input_field_name(row: RunInput) -> str:
    return f"value:{row.key}"


_WHERE = {"path": "Path", "query": "Query", "header": "Header", "body": "Body property"}


def _input_help(row: RunInput, *, listed: int = 0) -> str:
    where = f"{_WHERE[row.location]} {'parameter ' if not row.is_body else ''}{row.key}"
    kind = row.kind
    if row.is_body and kind == "array":
        kind = "array: a JSON array, or values separated by commas"
    elif row.is_body and kind == "object":
        kind = "object: JSON"
    parts = [f"{where} ({kind}{'' if row.required else ', optional'})"]
    if row.description:
        parts.append(row.description.rstrip("."))
    if listed:
        parts.append(f"Pick one of the {listed} values the last report listed, or type one")
    return ". ".join(parts) + "."
