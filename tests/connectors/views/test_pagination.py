"""The draft list and a draft's history come in pages: links that work without JavaScript,
and a number of queries that does not grow with the drafts or the revisions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors import selectors, services
from connectors.domain.design import new_design
from connectors.models import ConnectorDraft, Revision
from tests.connectors.views.conftest import World
from tests.factories import client_for

pytestmark = pytest.mark.django_db
PER_PAGE = selectors.DRAFTS_PER_PAGE


def add_drafts(world: World, count: int, title: str = "Bulk") -> None:
    design = new_design(title)
    ConnectorDraft.objects.bulk_create(
        ConnectorDraft(
            team=world.team, title=f"{title} {n:05d}", design=design, trigger_count=n % 3
        )
        for n in range(count)
    )


def titles(body: str) -> list[str]:
    return re.findall(r'class="row-title" href="[^"]*">([^<]*)</a>', body)


def page_links(body: str) -> list[str]:
    return re.findall(r'class="page-link"[^>]* href="([^"]*)"', body)


def test_the_draft_list_shows_one_page_and_links_to_the_others(world: World) -> None:
    add_drafts(world, PER_PAGE + 10)  # and the world's own draft
    client = client_for(world.viewer)
    url = reverse("connectors:draft_list")
    first = client.get(url, {"sort": "title"})
    body = first.content.decode()
    assert len(titles(body)) == PER_PAGE
    assert f"1\u2013{PER_PAGE} of {PER_PAGE + 11} drafts" in body  # an en dash
    assert '<nav class="pager" aria-label="Pages of drafts">' in body
    assert "?sort=title&amp;page=2" in page_links(body)
    second = client.get(url, {"sort": "title", "page": "2"}).content.decode()
    assert titles(second) == [f"Bulk {n:05d}" for n in range(PER_PAGE, PER_PAGE + 10)] + ["Orders"]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in second
    # A page out of range shows the last one; anything else the first.
    assert titles(client.get(url, {"sort": "title", "page": "99"}).content.decode()) == titles(
        second
    )
    assert titles(client.get(url, {"sort": "title", "page": "x"}).content.decode()) == titles(body)


def test_searching_keeps_the_search_in_the_page_links(world: World) -> None:
    add_drafts(world, PER_PAGE + 1, "Match")
    add_drafts(world, 5, "Other")
    client = client_for(world.viewer)
    body = client.get(reverse("connectors:draft_list"), {"q": "match"}).content.decode()
    assert "?q=match&amp;page=2" in page_links(body)
    # The htmx fragment (the search box's live results) carries its pager too.
    fragment = client.get(
        reverse("connectors:draft_list"), {"q": "match", "page": "2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert titles(fragment) == ["Match 00000"]
    assert "<html" not in fragment and "?q=match&amp;page=1" in page_links(fragment)


def test_a_single_page_has_no_pager(world: World) -> None:
    body = client_for(world.viewer).get(reverse("connectors:draft_list")).content.decode()
    assert titles(body) == ["Orders"] and "pager" not in body


def list_queries(world: World) -> int:
    client = client_for(world.viewer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("connectors:draft_list"), {"page": "2"})
    assert response.status_code == 200
    return len(captured)


def test_the_draft_list_takes_as_many_queries_for_many_drafts_as_for_few(
    world: World, django_assert_max_num_queries: Any
) -> None:
    add_drafts(world, PER_PAGE + 1)
    few = list_queries(world)
    add_drafts(world, 20 * PER_PAGE, "More")
    client = client_for(world.viewer)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("connectors:draft_list"), {"page": "7"})
    assert len(titles(response.content.decode())) == PER_PAGE
    # The rows come without their designs: the list never reads one.
    with CaptureQueriesContext(connection) as captured:
        client_for(world.viewer).get(reverse("connectors:draft_list"))
    rows = [q["sql"] for q in captured if 'FROM "connectors_connectordraft"' in q["sql"]]
    assert rows and not [sql for sql in rows if '"connectors_connectordraft"."design"' in sql]


# --- history -----------------------------------------------------------------------------------


def with_revisions(world: World, count: int) -> ConnectorDraft:
    """The world's draft with ``count`` revisions in all (sharing revision 1's design), its
    first one downloaded so that every later one is compared with it."""
    draft = world.draft
    root = Revision.objects.get(draft=draft, number=1).root
    Revision.objects.bulk_create(
        Revision(draft=draft, number=n, root=root, author=world.editor, message=f"Save {n}")
        for n in range(2, count + 1)
    )
    ConnectorDraft.objects.filter(pk=draft.pk).update(version=count)
    draft.refresh_from_db()
    return services.draft_mark_downloaded(draft=draft, version=1)


def history_numbers(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<span class="row-title">#(\d+)</span>', body)]


def test_the_history_shows_one_page_of_revisions_and_links_to_the_others(world: World) -> None:
    draft = with_revisions(world, 120)
    client = client_for(world.viewer)
    url = reverse("connectors:draft_history", args=[draft.pk])
    body = client.get(url).content.decode()
    per_page = selectors.REVISIONS_PER_PAGE
    assert history_numbers(body) == list(range(120, 120 - per_page, -1))
    assert "Page 1 of 3, newest first" in body
    assert "?page=2" in page_links(body) and "?page=3" in page_links(body)
    last = client.get(url, {"page": "3"}).content.decode()
    assert history_numbers(last) == list(range(120 - 2 * per_page, 0, -1))
    assert "badge-downloaded" in last and "badge-downloaded" not in body


def history_queries(world: World, draft: ConnectorDraft) -> int:
    client = client_for(world.viewer)
    cache.clear()  # every pair of the page computed: the most work the page can do
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("connectors:draft_history", args=[draft.pk]), {"page": "2"})
    assert response.status_code == 200
    return len(captured)


def test_the_history_takes_as_many_queries_for_many_revisions_as_for_few(
    world: World, django_assert_max_num_queries: Any
) -> None:
    # Page 2 of both: the downloaded revision 1 is on neither (its own query, in both).
    few = history_queries(world, with_revisions(world, 2 * selectors.REVISIONS_PER_PAGE + 5))
    draft = world.draft
    root = Revision.objects.get(draft=draft, number=1).root
    start = draft.version + 1
    Revision.objects.bulk_create(
        Revision(draft=draft, number=n, root=root, message="More") for n in range(start, 1001)
    )
    ConnectorDraft.objects.filter(pk=draft.pk).update(version=1000)
    client = client_for(world.viewer)
    cache.clear()
    with django_assert_max_num_queries(few):
        response = client.get(reverse("connectors:draft_history", args=[draft.pk]), {"page": "2"})
    assert history_numbers(response.content.decode())[0] == 1000 - selectors.REVISIONS_PER_PAGE
