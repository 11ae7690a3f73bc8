"""services: an icon rides on draft_save (version check, revision) and draft_duplicate copies it."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from connectors import services
from connectors.domain.swagger.exporting.package import Icon, read_icon
from connectors.models import DraftIcon
from tests.factories import make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def icon(kind: str = "PNG") -> Icon:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 0, 0)).save(buffer, format=kind)
    return read_icon(buffer.getvalue())


def test_draft_save_stores_replaces_and_removes_the_icon() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    design = services.draft_design(draft=draft)
    draft = services.draft_save(
        draft=draft, user=user, design=design, based_on_version=1, message="Wizard", icon=icon()
    )
    stored = DraftIcon.objects.get(draft=draft)
    assert (stored.width, stored.height, stored.content_type) == (20, 10, "image/png")
    assert stored.digest == hashlib.sha256(bytes(stored.data)).hexdigest()
    assert draft.revisions.get(number=2).message == "Wizard (new icon)"
    jpeg = icon("JPEG")
    services.draft_save(draft=draft, user=user, design=design, based_on_version=2, icon=jpeg)
    assert bytes(DraftIcon.objects.get(draft=draft).data) == jpeg.data
    services.draft_save(draft=draft, user=user, design=design, based_on_version=3, remove_icon=True)
    assert not DraftIcon.objects.filter(draft=draft).exists()
    assert draft.revisions.get(number=4).message == "Icon removed"


def test_a_conflicting_save_writes_no_icon() -> None:
    user = make_user()
    draft = make_draft(make_team(owner=user), user)
    design = services.draft_design(draft=draft)
    services.draft_save(draft=draft, user=user, design=design, based_on_version=1)
    with pytest.raises(services.DraftConflict):
        services.draft_save(draft=draft, user=user, design=design, based_on_version=1, icon=icon())
    assert not DraftIcon.objects.filter(draft=draft).exists()
    assert draft.revisions.count() == 2


def test_duplicate_copies_the_icon_and_a_draft_without_one_stays_without() -> None:
    user = make_user()
    team = make_team(owner=user)
    plain, with_icon = make_draft(team, user, "Plain"), make_draft(team, user, "Iconic")
    services.draft_save(
        draft=with_icon,
        user=user,
        design=services.draft_design(draft=with_icon),
        based_on_version=1,
        icon=icon(),
    )
    copied = services.draft_duplicate(draft=with_icon, user=user)
    original = DraftIcon.objects.get(draft=with_icon)
    assert bytes(DraftIcon.objects.get(draft=copied).data) == bytes(original.data)
    assert not DraftIcon.objects.filter(
        draft=services.draft_duplicate(draft=plain, user=user)
    ).exists()
