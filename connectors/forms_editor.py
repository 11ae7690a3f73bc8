"""The Swagger editor's form: the whole apiDefinition as text, and the version it was opened at.

Without JavaScript it is a plain ``<textarea>`` in a normal form; with it, the code editor
(static/js/editor.bundle.js) sits on top of the textarea and keeps it up to date.
"""

from __future__ import annotations

from typing import Any

from django import forms

FORMATS = ("json", "yaml")


class SwaggerEditorForm(forms.Form):
    text = forms.CharField(
        label="apiDefinition.swagger",
        strip=False,  # the text is saved as typed: line and column numbers stay true
        error_messages={"required": "The text is empty: paste or type the whole swagger."},
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "autocomplete": "off"}),
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    format = forms.ChoiceField(
        choices=[(name, name.upper()) for name in FORMATS], widget=forms.HiddenInput
    )

    def save_options(self) -> dict[str, Any]:
        """What the save needs besides the design (none: the editor holds no icon)."""
        return {}
