"""What the draft commands share: finding a draft by the id given on the command line.

Not a command itself (Django skips modules whose name starts with ``_``).
"""

from __future__ import annotations

from django.core.management.base import CommandError

from connectors.models import ConnectorDraft


def draft_or_error(draft_id: int | str) -> ConnectorDraft:
    """The draft with ``draft_id``, left out when it is in the trash, or a ``CommandError``."""
    draft = ConnectorDraft.objects.filter(pk=int(draft_id), deleted_at__isnull=True).first()
    if draft is None:
        raise CommandError(f"no draft with id {draft_id}")
    return draft
