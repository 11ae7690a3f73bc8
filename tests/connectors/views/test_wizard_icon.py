"""The connector icon on the wizard's General step: uploaded (PNG or JPEG, checked by content),
replaced and removed through the step's versioned save, served to the team only, copied by
duplicate, packed into the paconn zip; the pages show it in their header bar from its size and
digest, and only the icon's own URL and the package read its bytes.

Saves post what the General page holds (``tests.html_forms``), with the file added as a
person choosing it would."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from connectors import services
from connectors.domain.authoring.triggers import new_webhook_trigger
from connectors.domain.swagger.exporting.package import ICON_MAX_BYTES
from connectors.models import ConnectorDraft, DraftIcon, Membership
from tests.factories import add_member, client_for, make_draft, make_team, make_user
from tests.html_forms import page_data

pytestmark = pytest.mark.django_db

GENERAL = {
    "title": "GitHub",
    "description": "Repository events.",
    "version": "1.0",
    "schemes": ["https"],
    "host": "api.github.com",
    "basePath": "/",
    "iconBrandColor": "#da3b01",
    "categories": "IT Operations",
}


def image(kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(data: bytes, name: str = "icon.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def draft(alice: Any) -> ConnectorDraft:
    return make_draft(make_team(owner=alice), alice, "GitHub")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


def general_url(draft: ConnectorDraft) -> str:
    return reverse("connectors:wizard_step", args=[draft.pk, "general"])


def icon_url(draft: ConnectorDraft) -> str:
    return reverse("connectors:wizard_icon", args=[draft.pk])


def save_general(client: Client, draft: ConnectorDraft, **changes: Any) -> Any:
    """Press Save on the General page after ``changes`` (a file goes in as ``icon=``)."""
    data = page_data(client, general_url(draft), **{**GENERAL, **changes})
    response = client.post(general_url(draft), data)  # the test client posts multipart
    draft.refresh_from_db()
    return response


def with_icon(draft: ConnectorDraft, data: bytes | None = None) -> ConnectorDraft:
    from connectors.domain.swagger.exporting.package import read_icon

    return services.draft_save(
        draft=draft,
        user=None,
        design=services.draft_design(draft=draft),
        based_on_version=draft.version,
        icon=read_icon(data or image()),
    )


# -- upload, replace, remove --------------------------------------------------------------------


def test_the_general_form_is_multipart_and_keeps_typing_previews_free_of_the_file(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    body = client_alice.get(general_url(draft)).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'hx-params="not icon"' in body
    assert 'type="file" name="icon"' in body
    assert 'accept="image/png,image/jpeg"' in body
    assert "No icon yet" in body
    assert 'name="remove_icon"' not in body  # nothing to remove yet


@pytest.mark.parametrize(
    ("data", "content_type"), [(image("PNG"), "image/png"), (image("JPEG"), "image/jpeg")]
)
def test_an_uploaded_icon_is_saved_with_a_revision_and_shown(
    client_alice: Client, draft: ConnectorDraft, data: bytes, content_type: str
) -> None:
    response = save_general(client_alice, draft, icon=upload(data, "logo"))
    assert response.status_code == 302
    assert draft.version == 2
    icon = DraftIcon.objects.get(draft=draft)
    assert (bytes(icon.data), icon.content_type, icon.width, icon.height) == (
        data,
        content_type,
        64,
        48,
    )
    assert "new icon" in draft.revisions.get(number=2).message
    body = client_alice.get(general_url(draft)).content.decode()
    assert f'href="{icon_url(draft)}?v={icon.digest[:16]}"' in body
    assert "64 x 48 pixels" in body
    assert 'name="remove_icon"' in body
    review = client_alice.get(reverse("connectors:wizard_step", args=[draft.pk, "review"]))
    header = review.content.decode().split('class="connector-bar"')[1].split("</header>")[0]
    assert f'href="{icon_url(draft)}?v={icon.digest[:16]}"' in header  # every page's header bar
    served = client_alice.get(icon_url(draft))
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served.content == data


@pytest.mark.parametrize(
    ("data", "name", "content_type", "says"),
    [
        (image("GIF"), "icon.png", "image/png", "not a PNG or JPEG"),  # a GIF named .png
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "icon.png", "image/png", "not a PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "icon.png", "image/png", "not a PNG or JPEG"),
        (image("PNG")[:60], "icon.png", "image/png", "not a PNG or JPEG"),
        (b"", "icon.png", "image/png", "The file is empty"),
        (b"\x89PNG" + b"\x00" * ICON_MAX_BYTES, "big.png", "image/png", "at most 1 MB"),
    ],
)
def test_a_bad_upload_is_400_next_to_the_field_and_saves_nothing(
    client_alice: Client,
    draft: ConnectorDraft,
    data: bytes,
    name: str,
    content_type: str,
    says: str,
) -> None:
    draft = with_icon(draft)
    kept = bytes(DraftIcon.objects.get(draft=draft).data)
    response = save_general(
        client_alice,
        draft,
        host="typed.example.com",
        icon=upload(data, name, content_type),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert says in body
    field = body[body.index('id="icon-upload"') :]
    assert 'aria-invalid="true"' in field.split("</fieldset>")[0]  # the error is at the icon
    assert 'value="typed.example.com"' in body  # what the user typed is kept
    assert draft.version == 2
    assert bytes(DraftIcon.objects.get(draft=draft).data) == kept  # the old icon stays


def test_a_save_without_a_file_keeps_the_icon(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    assert save_general(client_alice, draft, description="Other.").status_code == 302
    assert draft.version == 3
    assert DraftIcon.objects.filter(draft=draft).exists()


def test_a_new_icon_replaces_the_old_one(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft, image("PNG", (10, 10)))
    assert save_general(client_alice, draft, icon=upload(image("JPEG"), "b.jpg")).status_code == 302
    icon = DraftIcon.objects.get(draft=draft)
    assert (icon.content_type, icon.width) == ("image/jpeg", 64)


def test_remove_icon(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    assert save_general(client_alice, draft, remove_icon="on").status_code == 302
    assert not DraftIcon.objects.filter(draft=draft).exists()
    assert "icon removed" in draft.revisions.get(number=draft.version).message
    assert client_alice.get(icon_url(draft)).status_code == 404


def test_upload_and_remove_together_is_400(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    response = save_general(client_alice, draft, remove_icon="on", icon=upload(image()))
    assert response.status_code == 400
    assert "Choose one" in response.content.decode()
    assert draft.version == 2


def test_a_stale_icon_save_is_a_conflict_and_stores_nothing(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = page_data(client_alice, general_url(draft), icon=upload(image()))  # version 1
    design = services.draft_design(draft=draft)
    services.draft_save(draft=draft, user=None, design=design, based_on_version=1)
    response = client_alice.post(general_url(draft), data)
    assert response.status_code == 409
    assert "icon change was not saved" in response.content.decode()
    assert not DraftIcon.objects.filter(draft=draft).exists()


def test_htmx_previews_and_saves_the_multipart_form(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    htmx = {"HX-Request": "true"}
    data = page_data(client_alice, general_url(draft), preview="1", icon=upload(image()))
    preview = client_alice.post(general_url(draft), data, headers=htmx)
    assert preview.status_code == 200
    assert preview.content.decode().startswith('<aside id="validation-panel"')
    assert not DraftIcon.objects.filter(draft=draft).exists()  # a preview saves nothing
    data = page_data(client_alice, general_url(draft), icon=upload(image()))
    saved = client_alice.post(general_url(draft), data, headers=htmx)
    assert saved.status_code == 302
    assert DraftIcon.objects.filter(draft=draft).exists()


# -- serving, roles, other teams ----------------------------------------------------------------


def test_the_icon_revalidates_by_etag(client_alice: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    first = client_alice.get(icon_url(draft))
    assert first["X-Content-Type-Options"] == "nosniff"
    assert "private" in first["Cache-Control"]
    again = client_alice.get(icon_url(draft), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_draft_without_icon_serves_404(client_alice: Client, draft: ConnectorDraft) -> None:
    assert client_alice.get(icon_url(draft)).status_code == 404


def test_another_teams_icon_is_404(client: Client, draft: ConnectorDraft, alice: Any) -> None:
    draft = with_icon(draft)
    data = page_data(client_for(alice), general_url(draft), remove_icon="on")
    client.force_login(make_user("mallory"))
    assert client.get(icon_url(draft)).status_code == 404
    assert client.post(general_url(draft), data).status_code == 404
    assert DraftIcon.objects.filter(draft=draft).exists()


def test_a_viewer_sees_the_icon_but_cannot_change_it(client: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    viewer = make_user("vera")
    add_member(draft.team, viewer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(icon_url(draft)).status_code == 200
    page = client.get(general_url(draft)).content.decode()
    assert 'name="icon"' in page and "<fieldset disabled>" in page  # shown, not editable
    for change in ({"remove_icon": "on"}, {"icon": upload(image("JPEG"))}):
        response = client.post(general_url(draft), page_data(client, general_url(draft), **change))
        assert response.status_code == 403
    assert DraftIcon.objects.get(draft=draft).content_type == "image/png"


def test_the_icon_upload_enforces_csrf(alice: Any, draft: ConnectorDraft) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    forged = page_data(client, general_url(draft), csrfmiddlewaretoken=None, icon=upload(image()))
    assert client.post(general_url(draft), forged).status_code == 403
    assert not DraftIcon.objects.filter(draft=draft).exists()
    data = page_data(client, general_url(draft), icon=upload(image()))  # with the page's token
    assert client.post(general_url(draft), data).status_code == 302
    assert DraftIcon.objects.filter(draft=draft).exists()


def test_the_icon_needs_a_login(client: Client, draft: ConnectorDraft) -> None:
    draft = with_icon(draft)
    assert client.get(icon_url(draft)).status_code == 302


# -- duplicate and package ----------------------------------------------------------------------


def test_duplicate_copies_the_icon(client_alice: Client, draft: ConnectorDraft) -> None:
    data = image("JPEG")
    draft = with_icon(draft, data)
    response = client_alice.post(reverse("connectors:draft_duplicate", args=[draft.pk]))
    assert response.status_code == 302
    copy = ConnectorDraft.objects.exclude(pk=draft.pk).get(team=draft.team)
    icon = DraftIcon.objects.get(draft=copy)
    assert (bytes(icon.data), icon.content_type) == (data, "image/jpeg")
    assert DraftIcon.objects.filter(draft=draft).exists()  # the original keeps its own


def package_files(client: Client, draft: ConnectorDraft) -> dict[str, bytes]:
    url = reverse("connectors:wizard_download", args=[draft.pk, "package.zip"])
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_package_holds_the_icon_as_png(client_alice: Client, draft: ConnectorDraft) -> None:
    assert "icon.png" not in package_files(client_alice, draft)
    draft = with_icon(draft, image("JPEG", (32, 32)))
    files = package_files(client_alice, draft)
    assert json.loads(files["settings.json"])["icon"] == "icon.png"
    with Image.open(io.BytesIO(files["icon.png"])) as packed:
        assert (packed.format, packed.size) == ("PNG", (32, 32))


# -- speed: the image is read only where it is shown or packed ----------------------------------


def sql_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_pages_show_the_icon_without_loading_the_image_and_their_queries_do_not_grow(
    client_alice: Client, alice: Any
) -> None:
    team = make_team(owner=make_user())
    add_member(team, alice)
    counts = []
    for size in (1, 30):
        draft = with_icon(make_draft(team, alice))
        triggers = [
            new_webhook_trigger(summary=f"When event {n} happens", path="/hooks")
            for n in range(size)
        ]
        design = services.draft_design(draft=draft)
        design["triggers"] = triggers
        draft = services.draft_save(
            draft=draft, user=None, design=design, based_on_version=draft.version
        )
        pages = [
            general_url(draft),
            reverse("connectors:wizard_step", args=[draft.pk, "definition"]),
            reverse("connectors:wizard_trigger", args=[draft.pk, 0]),
        ]
        queries = [sql_of(client_alice, url) for url in pages]
        # The header bar's icon: its size and digest, read once per version (then cached),
        # never its bytes.
        icon_queries = [query for sql in queries for query in sql if "drafticon" in query]
        assert len(icon_queries) == 1
        assert '"data"' not in icon_queries[0]
        counts.append([len(sql) for sql in queries])
    assert counts[0] == counts[1]
    package = reverse("connectors:wizard_download", args=[draft.pk, "package.zip"])
    assert any(
        '"data"' in query and "drafticon" in query for query in sql_of(client_alice, package)
    )


def test_a_body_far_over_the_limit_is_refused_unread_with_413(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    draft = with_icon(draft)
    kept = bytes(DraftIcon.objects.get(draft=draft).data)
    huge = b"\x89PNG" + b"\x00" * (2 * ICON_MAX_BYTES)
    response = save_general(client_alice, draft, icon=upload(huge, "huge.png"))
    assert response.status_code == 413
    assert "larger than" in response.content.decode() and "nothing was saved" in (
        response.content.decode()
    )
    assert draft.version == 2
    assert bytes(DraftIcon.objects.get(draft=draft).data) == kept


def test_the_size_limit_comes_before_the_csrf_check_which_still_guards_the_step(
    alice: Any, draft: ConnectorDraft
) -> None:
    """CSRF's check reads (and so parses) the body: a huge upload is refused before it."""
    client = client_for(alice, csrf=True)
    huge = {**GENERAL, "based_on_version": draft.version, "icon": upload(b"\x00" * 2**21)}
    with mock.patch.object(MultiPartParser, "parse", side_effect=AssertionError("parsed")):
        assert client.post(general_url(draft), huge).status_code == 413
    small = page_data(client, general_url(draft), csrfmiddlewaretoken=None)
    assert client.post(general_url(draft), small).status_code == 403  # no CSRF token
    draft.refresh_from_db()
    assert draft.version == 1
