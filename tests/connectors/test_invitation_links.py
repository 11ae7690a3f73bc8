"""Invitation links: absolute on SITE_URL, signed under their own salt."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing

from connectors.invitation_links import invitation_id, invitation_token, invitation_url
from connectors.models import Invitation


def test_the_link_is_absolute_on_site_url_and_names_its_invitation(settings: Any) -> None:
    settings.SITE_URL = "https://designer.example.com"
    invitation = Invitation(pk=42)
    token = invitation_token(invitation)
    assert invitation_url(invitation) == f"https://designer.example.com/invitations/{token}/"
    assert invitation_id(token) == 42


@pytest.mark.parametrize(
    "token",
    [
        signing.Signer(salt="another.purpose").sign("42"),
        signing.Signer().sign("42"),
        signing.Signer(salt="connectors.invitation").sign("not-an-id"),
        "42",
        "",
    ],
)
def test_only_a_token_signed_for_invitations_names_one(token: str) -> None:
    with pytest.raises(signing.BadSignature):
        invitation_id(token)
