"""The tray.io trigger connector: its download from the Review step and the trigger page's
tray.io section (delivery mode, request filter, acknowledge reply)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.models import ConnectorDraft
from tests.connectors.conftest import github_design
from tests.connectors.views.conftest import World
from tests.factories import client_for
from tests.html_forms import page_data

pytestmark = pytest.mark.django_db
TRAY = "tray-connector.zip"


def tray_draft(world: World) -> ConnectorDraft:
    return services.draft_create(
        team=world.team, user=world.owner, title="GitHub issues", design=github_design()
    )


def download(client: Client, draft: ConnectorDraft) -> Any:
    return client.get(reverse("connectors:wizard_download", args=[draft.pk, TRAY]))


def test_a_viewer_downloads_the_tray_connector_zip(world: World) -> None:
    draft = tray_draft(world)
    response = download(client_for(world.viewer), draft)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="github-tray.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
    folder = "connectors/github_trigger/on_issue_opened"
    assert {f"{folder}/{name}" for name in ("model.js", "request.js", "destroy.js")} <= names
    draft.refresh_from_db()
    assert draft.downloaded_version == draft.version  # like the other downloads


def test_another_teams_draft_is_a_404(world: World) -> None:
    assert download(client_for(world.stranger), tray_draft(world)).status_code == 404


def test_the_review_step_offers_the_tray_zip(world: World) -> None:
    draft = tray_draft(world)
    body = client_for(world.viewer).get(
        reverse("connectors:wizard_step", args=[draft.pk, "review"])
    )
    assert reverse("connectors:wizard_download", args=[draft.pk, TRAY]) in body.content.decode()


def page(draft: ConnectorDraft) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, 0])


def posted(client: Client, draft: ConnectorDraft, **tray: str) -> dict[str, Any]:
    """The trigger page's form as it shows, with the tray section's fields set."""
    return page_data(client, page(draft), **{f"tray__{key}": value for key, value in tray.items()})


def test_the_trigger_page_saves_the_tray_section(world: World) -> None:
    draft = tray_draft(world)
    client = client_for(world.owner)
    body = client.get(page(draft) + "?tab=config").content.decode()
    assert 'id="tray"' in body and 'name="tray-delivery"' in body
    data = posted(
        client, draft, delivery="acknowledge", headerName="X-GitHub-Event",
        headerValue="issues", replyStatus="202", replyBody='{"seen": {{/issue/number}}}',
    )  # fmt: skip
    assert client.post(page(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.design["triggers"][0]["tray"] == {
        "delivery": "acknowledge",
        "filter": {"headerName": "X-GitHub-Event", "headerValue": "issues"},
        "reply": {"status": 202, "contentType": "application/json",
                  "body": '{"seen": {{/issue/number}}}'},
    }  # fmt: skip


def test_a_page_saved_without_tray_choices_adds_no_tray_key(world: World) -> None:
    draft = tray_draft(world)
    client = client_for(world.owner)
    assert client.post(page(draft), posted(client, draft)).status_code == 302
    draft.refresh_from_db()
    assert "tray" not in draft.design["triggers"][0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"headerName": "X-Event"}, "headerValue", "Give the value to match"),
        ({"bodyValue": "opened"}, "bodyPointer", "Name what to match"),
        ({"bodyPointer": "action", "bodyValue": "opened"}, "bodyPointer", "starts with"),
        ({"headerName": "X Event", "headerValue": "a"}, "headerName", "letters, digits"),
        ({"delivery": "acknowledge", "replyStatus": ""}, "replyStatus", "give one"),
        ({"replyStatus": "700"}, "replyStatus", "less than or equal to 599"),
        ({"delivery": "whenever"}, "delivery", "Select a valid choice"),
    ],
)
def test_bad_tray_input_is_a_400_at_its_field_and_nothing_is_saved(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    draft = tray_draft(world)
    client = client_for(world.owner)
    response = client.post(page(draft), posted(client, draft, **fields))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_tray-{field}"' in body and message in body
    assert 'aria-invalid="true"' in body
    before = draft.version
    draft.refresh_from_db()
    assert draft.version == before and "tray" not in draft.design["triggers"][0]


def test_the_tray_section_needs_the_csrf_token(world: World) -> None:
    draft = tray_draft(world)
    client = client_for(world.owner, csrf=True)
    data = posted(client, draft, delivery="acknowledge")
    data.pop("csrfmiddlewaretoken", None)
    assert client.post(page(draft), data).status_code == 403
    draft.refresh_from_db()
    assert "tray" not in draft.design["triggers"][0]


def test_another_team_cannot_post_the_tray_section(world: World) -> None:
    draft = tray_draft(world)
    data = posted(client_for(world.owner), draft, delivery="acknowledge")
    assert client_for(world.stranger).post(page(draft), data).status_code == 404
    viewer = client_for(world.viewer).post(page(draft), data)
    assert viewer.status_code in (403, 404)
    draft.refresh_from_db()
    assert "tray" not in draft.design["triggers"][0]
