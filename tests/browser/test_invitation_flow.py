"""An owner invites a colleague by email on the members page and copies the link; the colleague
opens it in a browser of their own, signs up and lands in the team's drafts; the link then says
it has been used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import log_in
from tests.factories import make_draft, make_team, make_user

pytestmark = pytest.mark.browser
NEW_PASSWORD = "plum-orchard-sails-42"


def test_an_invited_colleague_signs_up_from_the_copied_link(
    new_page: Callable[[], Any], live_server: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    owner = make_user("olga")
    team = make_team("Acme", owner=owner)
    make_draft(team, owner, "Orders")

    page = new_page()
    log_in(page, "olga")
    page.goto(f"/teams/{team.pk}/members/")
    invite = page.locator("form", has=page.get_by_role("button", name="Send invitation"))
    invite.get_by_label("Email").fill("newbie@example.com")
    assert invite.get_by_label("Role").input_value() == "viewer"
    with page.expect_navigation():
        invite.get_by_role("button", name="Send invitation").click()
    assert "Invitation mailed to newbie@example.com" in page.locator(".app-toasts").inner_text()
    link = page.get_by_label("Invitation link for newbie@example.com").input_value()
    assert link.startswith(f"{live_server.url}/invitations/")

    guest = new_page()  # a browser context of its own: nobody is logged in there
    guest.goto(link)
    assert guest.locator("h1").inner_text() == "Join Acme"
    guest.get_by_label("Username").fill("newbie")
    guest.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    guest.get_by_label("Password again").fill(NEW_PASSWORD)
    with guest.expect_navigation():
        guest.get_by_role("button", name="Create my account and join").click()
    guest.wait_for_url("**/drafts/")
    assert guest.locator("h1").inner_text() == "Connector drafts of Acme"
    assert guest.get_by_role("link", name="Orders", exact=True).count() == 1
    assert "Welcome to Acme" in guest.locator(".app-toasts").inner_text()

    again = new_page()
    response = again.goto(link)
    assert response is not None and response.status == 410
    assert again.locator("h1").inner_text() == "This invitation has been used"
