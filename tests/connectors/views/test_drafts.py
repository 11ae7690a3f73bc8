"""The draft list, create, import, duplicate, trash: scoping, roles, CSRF and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from connectors import services
from connectors.models import ConnectorDraft
from tests.connectors.views.conftest import World, swagger_bytes, webhook_swagger
from tests.factories import client_for, make_draft

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "apiDefinition.swagger.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/json")


# --- list ------------------------------------------------------------------------------------


def test_list_needs_a_login(client) -> None:
    response = client.get(reverse("connectors:draft_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_shows_the_current_teams_drafts_escaped(world: World) -> None:
    make_draft(world.team, world.owner, "<script>alert(1)</script>")
    make_draft(world.stranger.teams.get(), world.stranger, "Secret plans")
    body = client_for(world.viewer).get(reverse("connectors:draft_list")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert "Orders" in body
    assert "Secret plans" not in body


def test_list_row_shows_trigger_count_lint_and_last_editor(world: World) -> None:
    services.draft_import(team=world.team, user=world.editor, swagger=swagger_bytes())
    response = client_for(world.owner).get(reverse("connectors:draft_list"))
    row = next(d for d in response.context["drafts"] if d.title == "Items")
    assert row.trigger_count == 1
    body = response.content.decode()
    assert "eddie" in body
    assert f"{row.lint_errors} error" in body or "OK" in body or "warning" in body


def test_search_by_title(world: World) -> None:
    make_draft(world.team, world.owner, "Invoices")
    response = client_for(world.owner).get(reverse("connectors:draft_list"), {"q": "invo"})
    assert [d.title for d in response.context["drafts"]] == ["Invoices"]


def test_search_with_htmx_returns_only_the_rows(world: World) -> None:
    make_draft(world.team, world.owner, "Invoices")
    response = client_for(world.owner).get(
        reverse("connectors:draft_list"), {"q": "invo"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="draft-rows">')
    assert "Invoices" in body and "Orders" not in body
    assert "<html" not in body


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-updated", ["C", "B", "Orders"]),
        ("updated", ["Orders", "B", "C"]),
        ("title", ["B", "C", "Orders"]),
    ],
)
def test_sort(world: World, sort: str, expected: list[str]) -> None:
    b = make_draft(world.team, world.owner, "B")
    c = make_draft(world.team, world.owner, "C")
    # Make the order of last changes explicit: Orders < B < C.
    base = timezone.now() - timedelta(days=3)
    for days, draft in enumerate([world.draft, b, c]):
        ConnectorDraft.objects.filter(pk=draft.pk).update(updated_at=base + timedelta(days=days))
    response = client_for(world.owner).get(reverse("connectors:draft_list"), {"sort": sort})
    assert [d.title for d in response.context["drafts"]] == expected


def test_list_query_count_does_not_grow_with_drafts(world: World) -> None:
    client = client_for(world.owner)
    url = reverse("connectors:draft_list")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(19):
        make_draft(world.team, world.editor, f"Draft {n}")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["drafts"]) == 20
    assert len(twenty) == len(one)


def test_user_without_a_team_is_invited_to_create_one(world: World) -> None:
    from tests.factories import make_user

    body = client_for(make_user("loner")).get(reverse("connectors:draft_list")).content.decode()
    assert "not in a team yet" in body


# --- create ----------------------------------------------------------------------------------


def test_editor_creates_a_blank_draft(world: World) -> None:
    response = client_for(world.editor).post(reverse("connectors:draft_create"), {"title": "New"})
    assert response.status_code == 302
    draft = ConnectorDraft.objects.get(title="New")
    assert draft.team == world.team
    assert draft.created_by == world.editor


def test_create_without_a_title_is_a_400(world: World) -> None:
    response = client_for(world.editor).post(reverse("connectors:draft_create"), {"title": " "})
    assert response.status_code == 400
    assert ConnectorDraft.objects.count() == 1


def test_viewer_cannot_create(world: World) -> None:
    client = client_for(world.viewer)
    assert client.post(reverse("connectors:draft_create"), {"title": "New"}).status_code == 403
    assert client.get(reverse("connectors:draft_create")).status_code == 403
    assert not ConnectorDraft.objects.filter(title="New").exists()


def test_create_enforces_csrf(world: World) -> None:
    client = client_for(world.editor, csrf=True)
    response = client.post(reverse("connectors:draft_create"), {"title": "New"})
    assert response.status_code == 403
    assert not ConnectorDraft.objects.filter(title="New").exists()


# --- import ----------------------------------------------------------------------------------


def test_import_json_creates_a_draft_with_its_trigger(world: World) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"), {"swagger": upload(swagger_bytes())}
    )
    assert response.status_code == 302
    draft = ConnectorDraft.objects.get(title="Items")
    assert draft.trigger_count == 1
    assert draft.revisions.get().message == "Imported"


def test_import_yaml_with_properties_and_a_title(world: World) -> None:
    import yaml

    properties = b'{"properties": {"iconBrandColor": "#123456"}}'
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"),
        {
            "swagger": upload(yaml.safe_dump(webhook_swagger()).encode(), "api.yaml"),
            "properties": upload(properties, "apiProperties.json"),
            "title": "From YAML",
        },
    )
    assert response.status_code == 302
    draft = ConnectorDraft.objects.get(title="From YAML")
    assert draft.design["general"]["iconBrandColor"] == "#123456"


def test_broken_json_shows_line_and_column_with_400_and_saves_nothing(world: World) -> None:
    broken = b'{\n  "swagger": "2.0",\n  "paths": {,}\n}'
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"), {"swagger": upload(broken)}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["swagger"]
    assert "line 3" in errors[0] and "column" in errors[0]
    assert "line 3" in response.content.decode()
    assert ConnectorDraft.objects.count() == 1


def test_bad_properties_file_is_reported_on_its_own_field(world: World) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"),
        {"swagger": upload(swagger_bytes()), "properties": upload(b"[1,", "apiProperties.json")},
    )
    assert response.status_code == 400
    assert "apiProperties.json" in response.context["form"].errors["properties"][0]
    assert ConnectorDraft.objects.count() == 1


def test_openapi3_is_refused_with_the_pointer(world: World) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"), {"swagger": upload(b'{"openapi": "3.0.0"}')}
    )
    assert response.status_code == 400
    assert "/openapi" in response.context["form"].errors["swagger"][0]


def test_viewer_cannot_import(world: World) -> None:
    response = client_for(world.viewer).post(
        reverse("connectors:draft_import"), {"swagger": upload(swagger_bytes())}
    )
    assert response.status_code == 403
    assert ConnectorDraft.objects.count() == 1


def test_import_enforces_csrf(world: World) -> None:
    response = client_for(world.editor, csrf=True).post(
        reverse("connectors:draft_import"), {"swagger": upload(swagger_bytes())}
    )
    assert response.status_code == 403
    assert ConnectorDraft.objects.count() == 1


@pytest.fixture
def no_upload_reaches_a_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any upload handler starts a file (memory or the temporary folder)."""
    from django.core.files import uploadhandler

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was read before its size was checked")

    for handler in (
        uploadhandler.TemporaryFileUploadHandler,
        uploadhandler.MemoryFileUploadHandler,
    ):
        monkeypatch.setattr(handler, "new_file", refuse)


def test_an_oversized_import_is_refused_before_anything_reads_it(
    world: World, no_upload_reaches_a_handler: None
) -> None:
    declared = 40 * 1024 * 1024  # what the client says it sends; the test sends less
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"),
        {"swagger": upload(swagger_bytes())},
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    assert "nothing was read" in response.content.decode()
    assert ConnectorDraft.objects.count() == 1


def test_an_import_over_the_form_limit_but_under_the_site_limit_is_a_413_on_the_form(
    world: World, no_upload_reaches_a_handler: None
) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_import"),
        {"swagger": upload(swagger_bytes())},
        CONTENT_LENGTH=str(23 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "larger than 22 MB together (each may be 11 MB at most)" in response.content.decode()
    assert ConnectorDraft.objects.count() == 1


def test_every_endpoint_refuses_a_body_over_the_site_limit_unread(
    world: World, settings, no_upload_reaches_a_handler: None
) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_create"),
        {"title": "Big", "file": upload(b"x")},
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413
    assert not ConnectorDraft.objects.filter(title="Big").exists()


# --- duplicate, trash, restore ---------------------------------------------------------------


def test_duplicate(world: World) -> None:
    response = client_for(world.editor).post(
        reverse("connectors:draft_duplicate", args=[world.draft.pk])
    )
    assert response.status_code == 302
    assert ConnectorDraft.objects.filter(title="Orders (copy)", team=world.team).exists()


def test_duplicate_enforces_csrf_and_viewer_gets_403(world: World) -> None:
    url = reverse("connectors:draft_duplicate", args=[world.draft.pk])
    assert client_for(world.editor, csrf=True).post(url).status_code == 403
    assert client_for(world.viewer).post(url).status_code == 403
    assert ConnectorDraft.objects.count() == 1


def test_owner_trashes_and_restores(world: World) -> None:
    client = client_for(world.owner)
    assert client.post(reverse("connectors:draft_delete", args=[world.draft.pk])).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.deleted_at is not None
    assert list(client.get(reverse("connectors:draft_list")).context["drafts"]) == []
    history = reverse("connectors:draft_history", args=[world.draft.pk])
    assert client.get(history).status_code == 404
    assert "Orders" in client.get(reverse("connectors:draft_trash")).content.decode()
    restore = reverse("connectors:draft_restore", args=[world.draft.pk])
    assert client.post(restore).status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.deleted_at is None


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_trash(world: World, role: str) -> None:
    client = client_for(getattr(world, role))
    assert client.post(reverse("connectors:draft_delete", args=[world.draft.pk])).status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.deleted_at is None


def test_only_owners_restore_from_trash(world: World) -> None:
    services.draft_trash(draft=world.draft, user=world.owner)
    restore = reverse("connectors:draft_restore", args=[world.draft.pk])
    assert client_for(world.editor).post(restore).status_code == 403
    assert client_for(world.stranger).post(restore).status_code == 404
    world.draft.refresh_from_db()
    assert world.draft.deleted_at is not None


def test_trash_and_restore_enforce_csrf(world: World) -> None:
    client = client_for(world.owner, csrf=True)
    assert client.post(reverse("connectors:draft_delete", args=[world.draft.pk])).status_code == 403
    services.draft_trash(draft=world.draft, user=world.owner)
    restore = reverse("connectors:draft_restore", args=[world.draft.pk])
    assert client.post(restore).status_code == 403


def test_restore_of_a_live_draft_is_a_404(world: World) -> None:
    restore = reverse("connectors:draft_restore", args=[world.draft.pk])
    assert client_for(world.owner).post(restore).status_code == 404


# --- scoping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("connectors:draft_duplicate", "post"),
        ("connectors:draft_delete", "post"),
        ("connectors:draft_history", "get"),
        ("connectors:revision_diff", "get"),
    ],
)
def test_another_teams_draft_is_a_404(world: World, name: str, method: str) -> None:
    client = client_for(world.stranger)
    url = reverse(name, args=[world.draft.pk])
    response = getattr(client, method)(url, {"old": 1, "new": 1} if method == "get" else {})
    assert response.status_code == 404
    assert ConnectorDraft.objects.count() == 1


def test_get_on_a_post_only_view_is_405(world: World) -> None:
    url = reverse("connectors:draft_delete", args=[world.draft.pk])
    assert client_for(world.owner).get(url).status_code == 405


def test_trash_link_only_for_users_in_a_team(world: World) -> None:
    from tests.factories import make_user

    trash = f'href="{reverse("connectors:draft_trash")}"'
    assert trash in client_for(world.viewer).get(reverse("connectors:draft_list")).content.decode()
    loner = client_for(make_user("loner"))
    assert trash not in loner.get(reverse("connectors:draft_list")).content.decode()


def test_list_rows_link_to_the_wizard(world: World) -> None:
    body = client_for(world.viewer).get(reverse("connectors:draft_list")).content.decode()
    assert f'href="{reverse("connectors:wizard", args=[world.draft.pk])}"' in body


def test_team_pages_read_the_users_memberships_once(world: World) -> None:
    client = client_for(world.owner)
    for name in ("connectors:draft_list", "connectors:draft_trash", "connectors:draft_create"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        reads = [q for q in captured if 'FROM "connectors_membership"' in q["sql"]]
        teams = [q for q in captured if q["sql"].startswith('SELECT "connectors_team"')]
        assert (len(reads), len(teams)) == (1, 0), name
