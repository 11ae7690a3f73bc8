"""Fixtures of the report tests: designs the simulator can serve, a team with a report draft,
reports in a given state, callback URLs a report handed out, a live site, loopback."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest
from django.conf import settings

from connectors import services
from connectors.domain.authoring.triggers import new_polling_trigger, new_webhook_trigger
from connectors.domain.design import new_design
from connectors.domain.wizard.sample import apply_sample_request, parse_sample_request
from connectors.models import CallbackHook, ConnectorDraft, Membership, Report, Team
from tests.factories import add_member, make_team, make_user


def report_design(
    *, webhook: bool = True, polling: bool = True, batch: bool = False
) -> dict[str, Any]:
    design = new_design("Orders")
    design["security"] = {
        "type": "apiKey",
        "apiKey": {"label": "API key", "name": "X-Api-Key", "in": "header"},
    }
    if webhook:
        design["triggers"].append(
            new_webhook_trigger(
                summary="When an order is created",
                path="/hooks",
                body_schema={
                    "type": "object",
                    "properties": {
                        "callbackUrl": {"type": "string"},
                        "event": {"type": "string", "default": "created"},
                    },
                },
                notification_samples=[{"id": "o-1", "total": 12.5}],
                cardinality="batch" if batch else "single",
            )
        )
    if polling:
        design["triggers"].append(
            new_polling_trigger(
                summary="When an order is updated",
                path="/orders/updates",
                state_parameter="since",
                item_samples=[{"id": 1, "status": "paid"}],
            )
        )
    return design


GITHUB_URL = "https://api.github.com/repos/{owner}/{repo}/hooks"
GITHUB_BODY = {
    "name": "web",
    "active": True,
    "events": ["issues"],
    "config": {"url": "https://example.com/webhook", "content_type": "json"},
}


def github_design() -> dict[str, Any]:
    """The GitHub-style webhook a maker builds with "Import from sample": path parameters
    owner and repo without defaults, the callback at /config/url."""
    design = new_design("GitHub")
    design["general"]["host"] = "api.github.com"
    trigger = new_webhook_trigger(
        summary="When an issue is opened",
        path="/hooks",
        notification_samples=[{"action": "opened", "issue": {"number": 7}}],
    )
    sample = parse_sample_request(verb="POST", url=GITHUB_URL, body=json.dumps(GITHUB_BODY))
    apply_sample_request(trigger, sample)
    design["triggers"].append(trigger)
    return design


def make_report_draft(team: Team | None = None, **kwargs: Any) -> ConnectorDraft:
    owner = make_user()
    team = team or make_team(owner=owner)
    return services.draft_create(
        team=team, user=owner, title="Orders", design=report_design(**kwargs)
    )


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    """An owner and a viewer of a team with a report draft, and a stranger in another team."""
    owner, viewer, stranger = make_user(), make_user(), make_user()
    team = make_team(owner=owner)
    add_member(team, viewer, Membership.Role.VIEWER)
    make_team(owner=stranger)
    draft = services.draft_create(team=team, user=owner, title="Orders", design=report_design())
    return {"owner": owner, "viewer": viewer, "stranger": stranger, "draft": draft}


def a_report(draft: ConnectorDraft, *, fault: str = "none", **fields: Any) -> Report:
    """A simulator report of ``draft``, not queued, with ``fields`` written as they are."""
    report = services.report_start(
        draft=draft, user=None, trigger_ids=[], target="simulator", fault=fault, enqueue=False
    )
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


def own_callback(report: Report) -> str:
    """A callback URL of this app's receiver that ``report`` handed out, as the runner does."""
    hook = CallbackHook.objects.create(report=report, token=secrets.token_urlsafe(12))
    return f"{settings.SITE_URL}/hooks/{hook.token}/"


@pytest.fixture
def loopback(settings: Any) -> None:
    """The runner may call 127.0.0.1 (the live server); production never allows it."""
    settings.RUNNER_ALLOW_LOOPBACK = True


@pytest.fixture
def site(live_server: Any, settings: Any, loopback: None) -> str:
    """The app served on a real port, with short waits so that a failing report ends soon."""
    settings.SITE_URL = live_server.url
    settings.RUNNER_CALLBACK_WAIT_SECONDS = 5
    settings.RUNNER_READ_TIMEOUT = 2
    settings.SIMULATOR_SLOW_SECONDS = 4
    settings.RUNNER_MAX_SLEEP_SECONDS = 0.05
    return live_server.url
