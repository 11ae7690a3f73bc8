"""The history page, the diff between revisions, restoring a revision, downloads."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from connectors import services
from connectors.domain.swagger_import import import_connector
from connectors.models import ConnectorDraft, Revision
from tests.connectors.views.conftest import World, swagger_bytes, webhook_swagger
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def imported(world: World) -> ConnectorDraft:
    return services.draft_import(team=world.team, user=world.owner, swagger=swagger_bytes()).draft


def save_renamed_operation(world: World, draft: ConnectorDraft) -> ConnectorDraft:
    """Revision 2: the trigger's operationId renamed (a breaking change), by the editor."""
    design = import_connector(webhook_swagger("OnNewItem")).design
    return services.draft_save(
        draft=draft, user=world.editor, design=design, based_on_version=1, message="Renamed <op>"
    )


def test_history_lists_who_changed_what_and_flags_breaking_changes(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Renamed &lt;op&gt;" in body and "Imported" in body
    assert "eddie" in body and "olga" in body
    newest, oldest = response.context["entries"]
    assert [c.kind for c in newest.breaking] == ["renamed-operation-id"]
    assert oldest.breaking == []
    assert "operationId OnItemCreated was renamed to OnNewItem." in body


def test_diff_between_two_revisions(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.viewer).get(
        reverse("connectors:revision_diff", args=[draft.pk]), {"old": 1, "new": 2}
    )
    assert response.status_code == 200
    body = response.content.decode()
    removed = re.search(
        r'<span class="diff-removed">-\s+&quot;operationId&quot;: (.*?),</span>', body
    )
    added = re.search(r'<span class="diff-added">\+\s+&quot;operationId&quot;: (.*?),</span>', body)
    assert removed is not None and removed.group(1) == "&quot;OnItemCreated&quot;"
    assert added is not None and added.group(1) == "&quot;OnNewItem&quot;"
    assert "was renamed to OnNewItem" in body


def test_diff_escapes_user_text(world: World) -> None:
    draft = world.draft
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "<img src=x onerror=alert(1)>"
    services.draft_save(draft=draft, user=world.owner, design=design, based_on_version=1)
    body = (
        client_for(world.owner)
        .get(reverse("connectors:revision_diff", args=[draft.pk]), {"old": 1, "new": 2})
        .content.decode()
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body


def test_diff_with_htmx_returns_the_fragment(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.owner).get(
        reverse("connectors:revision_diff", args=[draft.pk]),
        {"old": 1, "new": 2},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="diff"')
    assert "<html" not in body


def test_diff_of_a_missing_revision_is_404_and_bad_input_400(world: World) -> None:
    client = client_for(world.owner)
    url = reverse("connectors:revision_diff", args=[world.draft.pk])
    assert client.get(url, {"old": 1, "new": 9}).status_code == 404
    assert client.get(url, {"old": "x", "new": 1}).status_code == 400


def test_restore_an_old_revision_as_a_new_one(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), {"based_on_version": 2}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.design == Revision.objects.get(draft=draft, number=1).design
    assert draft.revisions.get(number=3).message == "Restored revision 1"
    assert draft.revisions.get(number=3).author == world.editor


def test_restore_based_on_a_stale_version_is_a_409_and_changes_nothing(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), {"based_on_version": 1}
    )
    assert response.status_code == 409
    assert "Someone saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2


def test_viewer_cannot_restore_a_revision(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    url = reverse("connectors:revision_restore", args=[draft.pk, 1])
    assert client_for(world.viewer).post(url, {"based_on_version": 2}).status_code == 403
    draft.refresh_from_db()
    assert draft.version == 2


def test_revision_restore_enforces_csrf(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    url = reverse("connectors:revision_restore", args=[draft.pk, 1])
    response = client_for(world.editor, csrf=True).post(url, {"based_on_version": 2})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == 2


def test_download_a_revision(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.viewer).get(
        reverse("connectors:revision_download", args=[draft.pk, 1])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["paths"]["/hooks"]["post"]["operationId"] == (
        "OnItemCreated"
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("connectors:revision_restore", "post"),
        ("connectors:revision_download", "get"),
    ],
)
def test_another_teams_revision_is_a_404(world: World, name: str, method: str) -> None:
    url = reverse(name, args=[world.draft.pk, 1])
    response = getattr(client_for(world.stranger), method)(url, {"based_on_version": 1})
    assert response.status_code == 404
    world.draft.refresh_from_db()
    assert world.draft.version == 1


def test_a_revision_of_another_draft_is_a_404(world: World) -> None:
    other = services.draft_create(team=world.team, user=world.owner, title="Other")
    url = reverse("connectors:revision_download", args=[other.pk, 2])
    assert client_for(world.owner).get(url).status_code == 404
