"""Every response carries a strict Content-Security-Policy (audit finding L4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import client_for, make_draft, make_team, make_user

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("anonymous", [True, False])
def test_pages_forbid_inline_script_eval_and_inline_style(anonymous: bool) -> None:
    owner = make_user("olivia")
    draft = make_draft(make_team(owner=owner), owner)
    client = Client() if anonymous else client_for(owner)
    url = reverse("login") if anonymous else f"/drafts/{draft.pk}/wizard/general/"
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "default-src" in policy


def test_templates_carry_no_inline_script_or_style() -> None:
    owner = make_user("olivia")
    draft = make_draft(make_team(owner=owner), owner)
    body = client_for(owner).get(f"/drafts/{draft.pk}/wizard/general/").content.decode()
    assert "style=" not in body
    assert "<script>" not in body
    assert "hx-on" not in body
