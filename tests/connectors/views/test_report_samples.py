"""'Use as a notification sample': the preview, the save, and every way it is refused."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from connectors import services
from connectors.models import ConnectorDraft, Report
from tests.connectors.conftest import a_report
from tests.factories import client_for

pytestmark = pytest.mark.django_db

PAYLOAD = {"id": "o-2", "total": 20, "channel": "web"}
NOTIFY = 1  # the step index of the notify step in STEPS


def kept(number: int, value: Any, *, is_json: bool = True) -> dict[str, Any]:
    body = json.dumps(value) if is_json else str(value)
    return {
        "number": number,
        "received_at": "2026-03-01T10:20:30+00:00",
        "bytes": len(body),
        "json": is_json,
        "body": body,
    }


def steps(*received: dict[str, Any]) -> list[dict[str, Any]]:
    common = {"status": "passed", "duration_ms": 1, "exchanges": [], "findings": [], "detail": ""}
    return [
        {**common, "key": "webhook:OnOrderCreated:register", "title": "Register the webhook"},
        {
            **common,
            "key": "webhook:OnOrderCreated:notify",
            "title": "Receive a notification",
            "received": list(received) or [kept(1, PAYLOAD)],
        },
    ]


def ended_report(draft: ConnectorDraft, *received: dict[str, Any]) -> Report:
    return a_report(draft, status="passed", steps=steps(*received))


def sample_url(report: Report, step: int = NOTIFY, number: int = 1) -> str:
    return reverse("connectors:report_sample", args=[report.draft_id, report.pk, step, number])


def notification(draft: ConnectorDraft) -> dict[str, Any]:
    draft.refresh_from_db()
    return services.draft_design(draft=draft)["triggers"][0]["notification"]


def test_the_report_offers_the_button_in_the_step_that_received_it(people) -> None:
    report = ended_report(people["draft"], kept(1, PAYLOAD), kept(2, "id=3", is_json=False))
    page = (
        client_for(people["owner"])
        .get(reverse("connectors:report_detail", args=[people["draft"].pk, report.pk]))
        .content.decode()
    )
    links = re.findall(r'href="([^"]+/sample/)"', page)
    assert links == [sample_url(report, NOTIFY, 1)]  # the non-JSON one is not offered
    step_body = page.split("Receive a notification", 1)[1]
    assert "Use as a notification sample" in step_body
    assert "Use as a notification sample" not in page.split("Receive a notification", 1)[0]


@pytest.mark.parametrize(
    ("received", "links", "label"),
    [
        ([kept(1, PAYLOAD), kept(2, "id=3", is_json=False)], [1], False),
        ([kept(1, PAYLOAD), kept(2, {"id": "o-3"})], [1, 2], True),
        ([kept(1, "a", is_json=False), kept(2, "b", is_json=False)], [], False),
        ([kept(1, PAYLOAD) | {"body": None}], [], False),
    ],
)
def test_only_usable_notifications_get_a_button(
    people, received: list[dict[str, Any]], links: list[int], label: bool
) -> None:
    report = ended_report(people["draft"], *received)
    page = (
        client_for(people["owner"])
        .get(reverse("connectors:report_detail", args=[people["draft"].pk, report.pk]))
        .content.decode()
    )
    found = re.findall(r'href="([^"]+/sample/)"', page)
    assert found == [sample_url(report, NOTIFY, number) for number in links]
    assert ("<span>Use as a notification sample:</span>" in page) is label


def test_get_shows_the_payload_and_the_schema_diff(people) -> None:
    report = ended_report(people["draft"])
    response = client_for(people["viewer"]).get(sample_url(report))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert '"channel": "web"' in page
    changes = re.findall(r'<li class="schema-change change-(\w+)">(.*?)</li>', page, re.S)
    assert [kind for kind, _ in changes] == ["added"]
    assert re.sub(r"<[^>]+>|\s+", " ", changes[0][1]).split() == [
        "Added",
        "channel",
        "string",
        "/channel",
    ]
    assert "Adding a sample needs the editor role" in page  # the viewer cannot save
    assert notification(people["draft"])["samples"] == [{"id": "o-1", "total": 12.5}]


def test_post_saves_the_sample_and_the_schema_with_a_history_message(people) -> None:
    draft = people["draft"]
    report = ended_report(draft)
    version = draft.version
    response = client_for(people["owner"]).post(sample_url(report), {"based_on_version": version})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("connectors:wizard_trigger", args=[draft.pk, 0]) + "?tab=response#notification"
    )
    saved = notification(draft)
    assert saved["samples"] == [{"id": "o-1", "total": 12.5}, PAYLOAD]
    assert "channel" in saved["schema"]["properties"]
    assert draft.version == version + 1
    message = draft.revisions.get(number=draft.version).message
    assert message.startswith(f"Added notification 1 of report #{report.pk} as a sample of trigger")
    assert "1 added" in message
    trigger_page = client_for(people["owner"]).get(response["Location"]).content.decode()
    assert "channel" in trigger_page and "web" in trigger_page


def test_the_payload_comes_from_the_report_never_from_the_form(people) -> None:
    report = ended_report(people["draft"])
    client_for(people["owner"]).post(
        sample_url(report),
        {
            "based_on_version": people["draft"].version,
            "payload": '{"forged": true}',
            "body": '{"forged": true}',
        },
    )
    assert notification(people["draft"])["samples"][-1] == PAYLOAD


def test_a_stale_version_ends_on_the_conflict_page_and_saves_nothing(people) -> None:
    draft = people["draft"]
    report = ended_report(draft)
    seen = draft.version
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "A teammate's edit"
    services.draft_save(draft=draft, user=people["owner"], design=design, based_on_version=seen)
    response = client_for(people["owner"]).post(sample_url(report), {"based_on_version": seen})
    assert response.status_code == 409
    assert "Someone else saved this draft" in response.content.decode()
    assert notification(draft)["samples"] == [{"id": "o-1", "total": 12.5}]
    assert draft.version == seen + 1


def test_another_team_s_report_is_a_404(people) -> None:
    report = ended_report(people["draft"])
    stranger = client_for(people["stranger"])
    assert stranger.get(sample_url(report)).status_code == 404
    assert stranger.post(sample_url(report), {"based_on_version": 1}).status_code == 404


def test_a_report_of_another_draft_of_the_same_team_is_a_404(people) -> None:
    report = ended_report(people["draft"])
    other = services.draft_create(team=people["draft"].team, user=people["owner"], title="Other")
    url = reverse("connectors:report_sample", args=[other.pk, report.pk, NOTIFY, 1])
    assert client_for(people["owner"]).get(url).status_code == 404


def test_a_viewer_cannot_save(people) -> None:
    report = ended_report(people["draft"])
    response = client_for(people["viewer"]).post(
        sample_url(report), {"based_on_version": people["draft"].version}
    )
    assert response.status_code == 403
    assert len(notification(people["draft"])["samples"]) == 1


def test_csrf_is_enforced(people) -> None:
    report = ended_report(people["draft"])
    client = client_for(people["owner"], csrf=True)
    refused = client.post(sample_url(report), {"based_on_version": people["draft"].version})
    assert refused.status_code == 403
    assert len(notification(people["draft"])["samples"]) == 1
    page = client.get(sample_url(report)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    accepted = client.post(
        sample_url(report),
        {"based_on_version": people["draft"].version, "csrfmiddlewaretoken": token.group(1)},
    )
    assert accepted.status_code == 302


@pytest.mark.parametrize(("step", "number"), [(0, 1), (NOTIFY, 2), (NOTIFY, 3), (9, 1)])
def test_a_step_without_that_notification_is_a_404(people, step: int, number: int) -> None:
    report = ended_report(people["draft"], kept(1, PAYLOAD), kept(3, "x", is_json=False))
    assert client_for(people["owner"]).get(sample_url(report, step, number)).status_code == 404


def test_a_bad_version_is_a_400_that_saves_nothing(people) -> None:
    report = ended_report(people["draft"])
    response = client_for(people["owner"]).post(sample_url(report), {"based_on_version": "x"})
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert len(notification(people["draft"])["samples"]) == 1


def remove_webhook(draft: ConnectorDraft, owner: Any) -> None:
    design = services.draft_design(draft=draft)
    design["triggers"] = design["triggers"][1:]
    services.draft_save(draft=draft, user=owner, design=design, based_on_version=draft.version)


def make_polling(draft: ConnectorDraft, owner: Any) -> None:
    design = services.draft_design(draft=draft)
    polling = design["triggers"][1]
    design["triggers"] = [{**polling, "operationId": "OnOrderCreated"}]
    services.draft_save(draft=draft, user=owner, design=design, based_on_version=draft.version)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            remove_webhook,
            "no longer has a trigger with the operation ID &#x27;OnOrderCreated&#x27;",
        ),
        (make_polling, "is now a polling trigger"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_trigger_gone_or_no_longer_a_webhook_gets_a_clear_page(
    people, change: Any, says: str, method: str
) -> None:
    draft = people["draft"]
    report = ended_report(draft)
    change(draft, people["owner"])
    version = draft.version
    client = client_for(people["owner"])
    response = getattr(client, method)(sample_url(report), {"based_on_version": version})
    assert response.status_code == 409
    assert says in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == version


def test_a_retyped_property_shows_both_types(people) -> None:
    report = ended_report(people["draft"], kept(1, {"id": "o-5", "total": "12.50 EUR"}))
    page = html.unescape(client_for(people["owner"]).get(sample_url(report)).content.decode())
    changes = re.findall(r'<li class="schema-change change-(\w+)">(.*?)</li>', page, re.S)
    assert [kind for kind, _ in changes] == ["retyped"]
    assert " ".join(re.sub(r"<[^>]+>", " ", changes[0][1]).split()) == (
        "Retyped total number (double) → becomes string /total"
    )
    assert "values of types number, string seen; typed as string" in page  # the guess, shown


def test_a_payload_already_a_sample_is_said_so(people) -> None:
    report = ended_report(people["draft"], kept(1, {"id": "o-1", "total": 12.5}))
    response = client_for(people["owner"]).get(sample_url(report))
    assert response.status_code == 409
    assert "already a notification sample" in response.content.decode()


def test_a_redacted_secret_stays_redacted_in_the_sample(people) -> None:
    report = ended_report(people["draft"], kept(1, {"id": "o-3", "token": "[redacted]"}))
    client = client_for(people["owner"])
    assert "[redacted]" in client.get(sample_url(report)).content.decode()
    client.post(sample_url(report), {"based_on_version": people["draft"].version})
    assert notification(people["draft"])["samples"][-1] == {"id": "o-3", "token": "[redacted]"}
