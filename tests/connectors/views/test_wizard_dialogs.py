"""The trigger page's collapsed dialogs: loaded when opened, a page of their own without
JavaScript, open inline with their errors when a post is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.domain.authoring import new_webhook_trigger
from connectors.models import ConnectorDraft
from tests.factories import make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> Any:
    return make_user("alice")


@pytest.fixture
def client_alice(client: Client, alice: Any) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def draft(alice: Any) -> ConnectorDraft:
    draft = make_draft(make_team(owner=alice), alice, "Shop")
    design = services.draft_design(draft=draft)
    design["triggers"] = [
        new_webhook_trigger(summary="When an order is created", path="/shops/{shopId}/hooks")
    ]
    return services.draft_save(draft=draft, user=None, design=design, based_on_version=1)


def section(draft: ConnectorDraft, name: str) -> str:
    return reverse("connectors:wizard_trigger_section", args=[draft.pk, 0, name])


def test_the_trigger_page_holds_each_dialog_closed_with_a_way_to_load_it(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    body = client_alice.get(reverse("connectors:wizard_trigger", args=[draft.pk, 0])).content
    for name, dialog_id in (("sample", "sample"), ("parameter", "add-parameter")):
        dialog = body[body.index(f'id="{dialog_id}"'.encode()) :].split(b"</details>")[0]
        assert b" open" not in dialog.split(b">")[0]
        url = section(draft, name).encode()
        assert b'hx-get="' + url + b'"' in dialog and b'<a href="' + url + b'">' in dialog
    assert b'name="sample-url"' not in body and b'name="parameter-name"' not in body


def test_htmx_gets_the_dialog_form_alone(client_alice: Client, draft: ConnectorDraft) -> None:
    fragment = client_alice.get(section(draft, "sample"), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    assert b'name="sample-url"' in fragment.content
    assert f'action="{section(draft, "sample")}"'.encode() in fragment.content
    assert b"csrfmiddlewaretoken" in fragment.content and b">Import</button>" in fragment.content


def test_without_javascript_the_dialog_is_a_page_that_posts_back(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    page = client_alice.get(section(draft, "parameter"))
    assert page.status_code == 200 and b"<html" in page.content
    assert b'<h1 id="step-title">Add parameter</h1>' in page.content
    assert b'name="parameter-name"' in page.content
    back = reverse("connectors:wizard_trigger", args=[draft.pk, 0])
    assert f'href="{back}"'.encode() in page.content


def test_only_dialogs_have_pages_and_only_for_the_team(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    assert client_alice.get(section(draft, "general")).status_code == 404
    assert client_alice.get(section(draft, "nonsense")).status_code == 404
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(section(draft, "sample")).status_code == 404


def test_a_refused_post_opens_its_dialog_with_the_errors(
    client_alice: Client, draft: ConnectorDraft
) -> None:
    data = {
        "sample-based_on_version": draft.version,
        "sample-title": "Shop",
        "sample-verb": "post",
        "sample-url": "https://api.example.com/shops/{shopId}/hooks",
        "sample-body": '{"callbackUrl": ',
    }
    response = client_alice.post(section(draft, "sample"), data)
    assert response.status_code == 400
    body = response.content
    dialog = body[body.index(b'id="sample"') :].split(b"</details>")[0]
    assert dialog.startswith(b'id="sample" open') and b'name="sample-url"' in dialog
    assert b"errorlist" in dialog and b"line 1" in dialog
