"""The form that starts a test report: target, simulator fault mode, triggers, credentials."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms

from connectors.domain.runner.credentials import Credentials
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

    def __init__(self, *args: Any, design: dict[str, Any], **kwargs: Any) -> None:
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
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
