"""Adding a notification a test report received to its trigger's notification samples.

The payload comes from the report's stored step (scrubbed of the run's secrets when it was
stored), never from the request; the design is saved through ``services.draft_save`` like every
edit, so a save based on an old version raises ``DraftConflict`` and nothing is written.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from . import services
from .domain.runner.samples import history_message, received_payload, sample_preview
from .models import ConnectorDraft, Report


@transaction.atomic
def notification_sample_add(
    *,
    draft: ConnectorDraft,
    report: Report,
    step_index: int,
    number: int,
    user: AbstractBaseUser | AnonymousUser | None,
    based_on_version: int,
) -> ConnectorDraft:
    """Save the draft with notification ``number`` of ``report``'s step ``step_index`` added
    to its trigger's samples and the notification schema inferred again.

    Raises ``LookupError`` (no such notification), ``SampleTargetError`` (the design cannot
    take it: the message says why) or ``services.DraftConflict`` (the draft moved on).
    """
    if report.draft_id != draft.pk:
        raise LookupError("The report is not one of this draft's.")
    payload = received_payload(report.steps, step_index, number)
    design = services.draft_design(draft=draft)
    preview = sample_preview(design, payload.operation_id, payload.value)
    return services.draft_save(
        draft=draft,
        user=user,
        design=preview.design,
        based_on_version=based_on_version,
        message=history_message(report.pk, number, preview),
    )
