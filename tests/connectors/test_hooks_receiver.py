"""/hooks/<token>/: POST only, no login, no CSRF, capped, secrets stripped, 404 and 410."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from connectors import services
from connectors.models import CallbackHook, ReceivedNotification, Report
from tests.connectors.conftest import make_report_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook() -> CallbackHook:
    report = services.report_start(
        draft=make_report_draft(), user=None, trigger_ids=[], target="simulator", enqueue=False
    )
    return CallbackHook.objects.create(report=report, token="tok-abcdefgh1234")


def url(token: str) -> str:
    return reverse("connectors:hook_receive", args=[token])


def test_stores_body_and_headers_without_credentials(hook: CallbackHook) -> None:
    client = Client(enforce_csrf_checks=True)  # an API has no CSRF token: none is needed
    response = client.post(
        url(hook.token),
        data=json.dumps({"id": 1}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer hook-secret",
        HTTP_X_API_KEY="key-secret",
        HTTP_X_EVENT="created",
    )
    assert response.status_code == 202
    stored = ReceivedNotification.objects.get(hook=hook)
    assert json.loads(stored.body) == {"id": 1}
    assert stored.headers["X-Event"] == "created"
    assert "hook-secret" not in repr(stored.headers) and "key-secret" not in repr(stored.headers)


def test_unknown_token_is_404() -> None:
    assert (
        Client().post(url("nope-nope-nope"), data="{}", content_type="application/json").status_code
        == 404
    )


def test_get_is_not_allowed(hook: CallbackHook) -> None:
    assert Client().get(url(hook.token)).status_code == 405


def test_body_over_the_cap_is_413(hook: CallbackHook, settings) -> None:
    settings.HOOK_MAX_BODY_BYTES = 100
    response = Client().post(url(hook.token), data="x" * 101, content_type="text/plain")
    assert response.status_code == 413
    assert not ReceivedNotification.objects.exists()


def test_410_once_the_report_ended(hook: CallbackHook) -> None:
    Report.objects.filter(pk=hook.report_id).update(status=Report.Status.PASSED)
    response = Client().post(url(hook.token), data="{}", content_type="application/json")
    assert response.status_code == 410
    assert not ReceivedNotification.objects.exists()
