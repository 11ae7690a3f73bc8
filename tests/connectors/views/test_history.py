"""The history page, the diff between revisions, restoring a revision, downloads."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors import selectors, services
from connectors.domain.swagger.importing.connector import import_connector
from connectors.models import ConnectorDraft, Revision
from tests.connectors.views.conftest import World, swagger_bytes, webhook_swagger
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def imported(world: World) -> ConnectorDraft:
    return services.draft_import(team=world.team, user=world.owner, swagger=swagger_bytes()).draft


def save_renamed_operation(world: World, draft: ConnectorDraft) -> ConnectorDraft:
    """Revision 2: the trigger's operationId renamed (a breaking change), by the editor."""
    design = import_connector(webhook_swagger("OnNewItem")).design
    return services.draft_save(
        draft=draft, user=world.editor, design=design, based_on_version=1, message="Renamed <op>"
    )


def downloaded(draft: ConnectorDraft) -> ConnectorDraft:
    """The draft with its current version downloaded (what the wizard's download does)."""
    return services.draft_mark_downloaded(draft=draft, version=draft.version)


def test_history_lists_who_changed_what_and_flags_breaking_changes(world: World) -> None:
    draft = save_renamed_operation(world, downloaded(imported(world)))
    response = client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Renamed &lt;op&gt;" in body and "Imported" in body
    assert "eddie" in body and "olga" in body
    newest, oldest = response.context["entries"]
    assert [c.kind for c in newest.breaking] == ["renamed-operation-id"]
    assert oldest.breaking == []
    assert "operationId OnItemCreated was renamed to OnNewItem." in body


def test_diff_between_two_revisions(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.viewer).get(
        reverse("connectors:revision_diff", args=[draft.pk]), {"old": 1, "new": 2}
    )
    assert response.status_code == 200
    body = response.content.decode()
    removed = re.search(
        r'<span class="diff-removed">-\s+&quot;operationId&quot;: (.*?),</span>', body
    )
    added = re.search(r'<span class="diff-added">\+\s+&quot;operationId&quot;: (.*?),</span>', body)
    assert removed is not None and removed.group(1) == "&quot;OnItemCreated&quot;"
    assert added is not None and added.group(1) == "&quot;OnNewItem&quot;"
    assert "was renamed to OnNewItem" in body


def test_diff_escapes_user_text(world: World) -> None:
    draft = world.draft
    design = services.draft_design(draft=draft)
    design["general"]["description"] = "<img src=x onerror=alert(1)>"
    services.draft_save(draft=draft, user=world.owner, design=design, based_on_version=1)
    body = (
        client_for(world.owner)
        .get(reverse("connectors:revision_diff", args=[draft.pk]), {"old": 1, "new": 2})
        .content.decode()
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body


def test_diff_with_htmx_returns_the_fragment(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.owner).get(
        reverse("connectors:revision_diff", args=[draft.pk]),
        {"old": 1, "new": 2},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="diff"')
    assert "<html" not in body


def test_diff_of_a_missing_revision_is_404_and_bad_input_400(world: World) -> None:
    client = client_for(world.owner)
    url = reverse("connectors:revision_diff", args=[world.draft.pk])
    assert client.get(url, {"old": 1, "new": 9}).status_code == 404
    assert client.get(url, {"old": "x", "new": 1}).status_code == 400


def test_restore_an_old_revision_as_a_new_one(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), {"based_on_version": 2}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.design == Revision.objects.get(draft=draft, number=1).design
    assert draft.revisions.get(number=3).message == "Restored revision 1"
    assert draft.revisions.get(number=3).author == world.editor


def test_restore_based_on_a_stale_version_is_a_409_and_changes_nothing(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), {"based_on_version": 1}
    )
    assert response.status_code == 409
    assert "Someone saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2


def test_viewer_cannot_restore_a_revision(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    url = reverse("connectors:revision_restore", args=[draft.pk, 1])
    assert client_for(world.viewer).post(url, {"based_on_version": 2}).status_code == 403
    draft.refresh_from_db()
    assert draft.version == 2


def test_revision_restore_enforces_csrf(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    url = reverse("connectors:revision_restore", args=[draft.pk, 1])
    response = client_for(world.editor, csrf=True).post(url, {"based_on_version": 2})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == 2


def test_download_a_revision(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.viewer).get(
        reverse("connectors:revision_download", args=[draft.pk, 1])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["paths"]["/hooks"]["post"]["operationId"] == (
        "OnItemCreated"
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("connectors:revision_restore", "post"),
        ("connectors:revision_download", "get"),
    ],
)
def test_another_teams_revision_is_a_404(world: World, name: str, method: str) -> None:
    url = reverse(name, args=[world.draft.pk, 1])
    response = getattr(client_for(world.stranger), method)(url, {"based_on_version": 1})
    assert response.status_code == 404
    world.draft.refresh_from_db()
    assert world.draft.version == 1


def test_a_revision_of_another_draft_is_a_404(world: World) -> None:
    other = services.draft_create(team=world.team, user=world.owner, title="Other")
    url = reverse("connectors:revision_download", args=[other.pk, 2])
    assert client_for(world.owner).get(url).status_code == 404


# --- restoring needs the version it was based on -----------------------------------------------


@pytest.mark.parametrize("data", [{}, {"based_on_version": "abc"}, {"based_on_version": "0"}])
def test_restore_without_a_valid_based_on_version_is_a_400_naming_the_field(
    world: World, data: dict[str, str]
) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "based_on_version" in body and "Based on version" in body
    assert "Nothing was changed" in body
    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.revisions.count() == 2


def test_restore_based_on_a_version_not_reached_yet_is_a_conflict(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    response = client_for(world.editor).post(
        reverse("connectors:revision_restore", args=[draft.pk, 1]), {"based_on_version": 7}
    )
    assert response.status_code == 409
    assert "Someone saved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2


def test_restore_of_a_missing_revision_is_still_a_404(world: World) -> None:
    url = reverse("connectors:revision_restore", args=[world.draft.pk, 9])
    assert client_for(world.owner).post(url, {"based_on_version": 1}).status_code == 404


# --- the compare form shows its errors next to the fields --------------------------------------


def field_errors(body: str, name: str) -> str:
    """The text of the error list Django renders right after field ``name``."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', body, re.S)
    assert match is not None, body
    return match.group(1)


def test_bad_compare_input_without_js_is_a_400_page_with_the_error_at_the_field(
    world: World,
) -> None:
    url = reverse("connectors:revision_diff", args=[world.draft.pk])
    response = client_for(world.owner).get(url, {"old": "x", "new": 1})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" in body
    assert "Enter a whole number." in field_errors(body, "old")


def test_bad_compare_input_with_htmx_is_a_swappable_fragment_with_the_error(
    world: World,
) -> None:
    url = reverse("connectors:revision_diff", args=[world.draft.pk])
    response = client_for(world.owner).get(
        url, {"old": "x", "new": 1}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # htmx 2 would not swap a 4xx
    assert response["HX-Push-Url"] == "false"
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="diff"')
    assert "<html" not in body
    assert "Enter a whole number." in field_errors(body, "old")


def test_an_unknown_revision_is_an_error_at_its_field(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    url = reverse("connectors:revision_diff", args=[draft.pk])
    client = client_for(world.owner)
    page = client.get(url, {"old": 1, "new": 9})
    assert page.status_code == 404
    assert "There is no revision 9; the newest is 2." in field_errors(page.content.decode(), "new")
    fragment = client.get(url, {"old": 9, "new": 2}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="diff"')
    assert "There is no revision 9" in field_errors(body, "old")
    assert 'id="id_new_error"' not in body


def test_history_page_holds_the_compare_form_htmx_swaps(world: World) -> None:
    draft = save_renamed_operation(world, imported(world))
    body = client_for(world.owner).get(reverse("connectors:draft_history", args=[draft.pk]))
    html = body.content.decode()
    section = html[html.index('<section id="diff"') : html.index("</section>")]
    assert 'hx-target="#diff"' in section and 'name="old"' in section and 'name="new"' in section
    assert 'value="1"' in section and 'value="2"' in section


# --- the history's breaking changes are computed once per pair of revisions -------------------


def test_history_computes_each_pair_once_and_then_loads_no_design(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = save_renamed_operation(world, downloaded(imported(world)))
    calls: list[int] = []
    original = selectors.breaking_changes

    def counted(old: dict, new: dict) -> list:
        calls.append(1)
        return original(old, new)

    monkeypatch.setattr(selectors, "breaking_changes", counted)
    roots_read: list[list[str]] = []
    designs_of = selectors.designs_of

    def recorded(*, draft_id: int, roots: list[str]) -> dict:
        roots_read.append(list(roots))
        return designs_of(draft_id=draft_id, roots=roots)

    monkeypatch.setattr(selectors, "designs_of", recorded)
    client = client_for(world.viewer)
    url = reverse("connectors:draft_history", args=[draft.pk])
    first = client.get(url)
    assert len(calls) == 1
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url)
    assert len(calls) == 1
    assert not [q for q in second_queries if "connectors_designpart" in q["sql"]]
    assert [e.breaking for e in second.context["entries"]] == [
        e.breaking for e in first.context["entries"]
    ]
    assert "operationId OnItemCreated was renamed to OnNewItem." in second.content.decode()
    # A new save: only the new pair is computed, against the downloaded revision 1, from the
    # designs of just those two revisions.
    design = import_connector(webhook_swagger("OnNewItem")).design
    design["general"]["description"] = "Revision 3."
    services.draft_save(draft=draft, user=world.owner, design=design, based_on_version=2)
    roots_read.clear()
    third = client.get(url)
    assert len(calls) == 2
    roots = dict(draft.revisions.values_list("root", "number"))
    assert [sorted(roots[root] for root in read) for read in roots_read] == [[1, 3]]
    assert [[c.kind for c in e.breaking] for e in third.context["entries"]] == [
        ["renamed-operation-id"],  # still renamed relative to what was downloaded
        ["renamed-operation-id"],
        [],
    ]


# --- breaking changes are measured against the last downloaded revision ------------------------


def save_operation(world: World, draft: ConnectorDraft, operation_id: str) -> ConnectorDraft:
    design = import_connector(webhook_swagger(operation_id)).design
    design["general"]["description"] = f"Saved as {operation_id} at {draft.version + 1}."
    return services.draft_save(
        draft=draft, user=world.owner, design=design, based_on_version=draft.version
    )


def history_kinds(world: World, draft: ConnectorDraft) -> list[tuple[int, list[str], bool]]:
    """(revision, breaking change kinds, downloaded?) of each row of the history page, newest
    first; the page itself must say the same."""
    response = client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    body = response.content.decode()
    assert body.count("badge-breaking") == sum(len(e.breaking) for e in entries)
    assert body.count("badge-downloaded") == sum(e.downloaded for e in entries)
    return [(e.revision.number, [c.kind for c in e.breaking], e.downloaded) for e in entries]


def test_nothing_is_breaking_before_the_first_download(world: World) -> None:
    draft = save_operation(world, save_renamed_operation(world, imported(world)), "OnThird")
    assert history_kinds(world, draft) == [(3, [], False), (2, [], False), (1, [], False)]
    body = client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    assert "Not downloaded yet" in body.content.decode()


def test_a_removed_trigger_after_a_download_is_breaking(world: World) -> None:
    draft = downloaded(imported(world))
    design = services.draft_design(draft=draft)
    design["triggers"] = []
    draft = services.draft_save(draft=draft, user=world.owner, design=design, based_on_version=1)
    assert history_kinds(world, draft) == [(2, ["removed-trigger"], False), (1, [], True)]
    body = client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    html = body.content.decode()
    assert "flagged against revision 1, the one last downloaded" in html
    assert "Trigger OnItemCreated (POST /hooks) was removed." in html


def test_changes_are_measured_against_the_downloaded_revision_not_the_previous_one(
    world: World,
) -> None:
    draft = downloaded(imported(world))  # revision 1: OnItemCreated
    draft = save_operation(world, draft, "OnNewItem")  # 2: renamed
    draft = save_operation(world, draft, "OnItemCreated")  # 3: renamed back: nothing broken
    draft = save_operation(world, draft, "OnItemAdded")  # 4: renamed again
    assert history_kinds(world, draft) == [
        (4, ["renamed-operation-id"], False),
        (3, [], False),
        (2, ["renamed-operation-id"], False),
        (1, [], True),
    ]


def test_a_later_download_moves_the_base(world: World) -> None:
    draft = downloaded(save_operation(world, imported(world), "OnNewItem"))  # 2 downloaded
    draft = save_operation(world, draft, "OnNewItem")  # 3: same operation as downloaded
    assert history_kinds(world, draft) == [(3, [], False), (2, [], True), (1, [], False)]


def test_the_downloaded_revision_may_be_older_than_those_listed(world: World) -> None:
    draft = downloaded(imported(world))
    for operation_id in ("OnA", "OnB", "OnC"):
        draft = save_operation(world, draft, operation_id)
    entries = selectors.revision_history(draft=draft, per_page=2).entries
    assert [(e.revision.number, [c.kind for c in e.breaking]) for e in entries] == [
        (4, ["renamed-operation-id"]),
        (3, ["renamed-operation-id"]),
    ]
    assert "OnItemCreated was renamed to OnC" in entries[0].breaking[0].message


def history_queries(world: World, draft: ConnectorDraft) -> int:
    cache.clear()  # every pair computed: the most work the page can do
    with CaptureQueriesContext(connection) as captured:
        client_for(world.viewer).get(reverse("connectors:draft_history", args=[draft.pk]))
    return len(captured)


def test_the_history_page_makes_as_many_queries_for_many_revisions_as_for_few(
    world: World,
) -> None:
    draft = downloaded(imported(world))
    draft = save_operation(world, draft, "OnSecond")
    few = history_queries(world, draft)
    for number in range(10):
        draft = save_operation(world, draft, f"OnMore{number}")
    assert history_queries(world, draft) == few
    # Downloaded at the newest: the same, and nothing to compute.
    draft = downloaded(draft)
    assert history_queries(world, draft) <= few
    assert all(e[1] == [] for e in history_kinds(world, draft))
