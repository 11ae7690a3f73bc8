"""Invitation links: ``SITE_URL/invitations/<token>/``, the token a signed invitation id.

The token is signed with ``SECRET_KEY`` under a salt of its own, so nobody can make one up for
another invitation, and no other signed value of the app passes for one. It names the
invitation only: whether it is still open (accepted, revoked, expired) is read from the database
each time, so revoking works at once and an invitation sent again keeps its link. The link is
built on ``SITE_URL``, never on the request's Host header, which a client chooses.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Invitation

SALT = "connectors.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=SALT).sign(str(invitation.pk))


def invitation_id(token: str) -> int:
    """The id a token names; ``signing.BadSignature`` for a tampered or made-up token."""
    value = signing.Signer(salt=SALT).unsign(token)
    if not value.isascii() or not value.isdigit():  # signed by us, so never; but be strict
        raise signing.BadSignature("The token does not name an invitation.")
    return int(value)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("connectors:invitation_open", args=[invitation_token(invitation)])
    return f"{str(settings.SITE_URL).rstrip('/')}{path}"  # as services_simulator.site_url
