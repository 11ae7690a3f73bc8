"""The confirmation of "Use as a notification sample": only the version it was based on.

The payload is not a field: the view takes it from the report's stored step, so a form cannot
bring one of its own.
"""

from __future__ import annotations

from django import forms


class ReportSampleForm(forms.Form):
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
