"""The trigger page's Batches section: batch size, page-size parameter (polling), external id.

What an event platform's flow author sets for a trigger (Wevo: how many records one run
receives, and the field that identifies a record). The external id is checked against the
item schema of the saved trigger; an error names the field, nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .domain.design import MAX_BATCH_SIZE, Design
from .domain.swagger.batches import item_schema, pointer_problem
from .domain.swagger.exporting.definition import export_swagger
from .domain.wizard.batches import set_batches
from .forms import TriggerForm


class BatchesForm(TriggerForm):
    batchSize = forms.IntegerField(
        label="Batch size",
        required=False,
        min_value=1,
        max_value=MAX_BATCH_SIZE,
        help_text="At most this many items per run. Empty: no limit.",
    )
    pageSizeParameter = forms.ChoiceField(
        label="Page-size parameter (query)",
        required=False,
        help_text="The query parameter that asks for at most that many items; the batch size "
        "becomes its default.",
    )
    externalId = forms.CharField(
        label="External id",
        required=False,
        max_length=300,
        help_text="A JSON pointer into one item to what identifies it, e.g. /id.",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.trigger["kind"] != "polling":
            del self.fields["pageSizeParameter"]
            self.fields["batchSize"].help_text = (
                "At most this many items per notification; the trigger then fires with a list "
                "(batch). Empty: no limit."
            )
            return
        state = (self.trigger.get("polling") or {}).get("stateParameter")
        names = [
            p["name"]
            for p in self.trigger["request"]["parameters"]
            if p.get("in") == "query" and p.get("name") != state
        ]
        choice = self.fields["pageSizeParameter"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "(none)"), *((name, name) for name in names)]

    @classmethod
    def initial_for(cls, design: Design, version: int, **kwargs: Any) -> dict[str, Any]:
        trigger = kwargs["trigger"]
        return {
            "batchSize": trigger.get("batchSize"),
            "pageSizeParameter": (trigger.get("polling") or {}).get("pageSizeParameter") or "",
            "externalId": trigger.get("externalId") or "",
        }

    def clean_externalId(self) -> str:
        pointer = str(self.cleaned_data.get("externalId") or "").strip()
        if pointer:
            swagger = export_swagger(self.design, share=True)
            problem = pointer_problem(pointer, item_schema(self.trigger, swagger), swagger)
            if problem:
                raise forms.ValidationError(f"{problem}.")
        return pointer

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pageSizeParameter") and not data.get("batchSize"):
            self.add_error("batchSize", "Enter the batch size the page-size parameter asks for.")
        return data

    def apply_trigger(self, trigger: dict[str, Any], design: Design) -> None:
        data = self.cleaned_data
        set_batches(
            trigger,
            size=data.get("batchSize"),
            pointer=data.get("externalId") or None,
            parameter=data.get("pageSizeParameter") or None,
        )
