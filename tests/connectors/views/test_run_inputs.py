"""The values a run needs: asked for on the Test step and the report list, required before
anything runs, kept with the report, and a parameter's test value edited on the trigger page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from connectors import services, services_reports
from connectors.domain.runner.inputs import RunValues
from connectors.domain.swagger.exporting.definition import export_swagger
from connectors.models import Report
from tests.connectors.conftest import a_report, github_design
from tests.factories import client_for, make_team, make_user
from tests.html_forms import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def github(db: None) -> dict[str, Any]:
    owner = make_user()
    draft = services.draft_create(
        team=make_team(owner=owner), user=owner, title="GitHub", design=github_design()
    )
    return {"owner": owner, "draft": draft, "client": client_for(owner)}


def step_url(draft: Any) -> str:
    return reverse("connectors:wizard_step", args=[draft.pk, "test"])


def start_url(draft: Any) -> str:
    return reverse("connectors:wizard_test_start", args=[draft.pk])


def save_design(draft: Any, change: Any) -> Any:
    design = services.draft_design(draft=draft)
    change(design)
    return services.draft_save(
        draft=draft, user=None, design=design, based_on_version=draft.version
    )


def test_the_test_step_asks_for_the_path_parameters(github) -> None:
    page = github["client"].get(step_url(github["draft"])).content.decode()
    assert "<legend>Values for the run</legend>" in page
    assert '<label class="form-label" for="report_value:owner">Owner</label>' in page
    assert 'name="value:repo"' in page and "Path parameter repo (string)." in page
    assert 'data-triggers="OnIssueOpened"' in page


def test_a_missing_value_is_an_error_at_its_field_and_nothing_runs(github) -> None:
    response = github["client"].post(
        start_url(github["draft"]), {"target": "simulator", "value:owner": "octocat"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a value: the path needs {repo} to call the API." in page
    assert 'value="octocat"' in page  # what was typed stays
    assert "data-unsaved" not in page  # the design has no unsaved edit
    assert not Report.objects.exists()


def test_the_values_start_the_run_and_come_back_for_the_next_one(
    github, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr("connectors.tasks.report_run.delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        response = github["client"].post(
            start_url(github["draft"]),
            {"target": "simulator", "value:owner": "octocat", "value:repo": "hello"},
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.inputs == {"parameters": {"owner": "octocat", "repo": "hello"}, "body": {}}
    again = github["client"].get(response["Location"]).content.decode()
    assert 'name="value:owner" value="octocat"' in again.replace('type="text" ', "")


def test_values_of_triggers_not_chosen_are_not_required(github) -> None:
    draft = save_design(
        github["draft"],
        lambda design: design["triggers"].append(
            {**json.loads(json.dumps(design["triggers"][0])), "operationId": "OnPush"}
        ),
    )
    draft = save_design(
        draft,
        lambda design: design["triggers"][1]["request"]["parameters"].append(
            {"name": "branch", "in": "query", "required": True, "type": "string"}
        ),
    )
    data = {
        "target": "simulator",
        "triggers": ["OnIssueOpened"],
        "value:owner": "o",
        "value:repo": "r",
    }
    assert github["client"].post(start_url(draft), data).status_code == 302
    data["triggers"] = ["OnPush"]
    refused = github["client"].post(start_url(draft), data)
    assert refused.status_code == 400 and "the platform asks the flow" in refused.content.decode()


def test_a_test_value_prefills_and_a_secret_is_sealed_not_kept(
    github, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    def change(design: Any) -> None:
        parameters = design["triggers"][0]["request"]["parameters"]
        parameters[0]["extras"] = {"x-ms-test-value": "octocat"}
        parameters.append(
            {
                "name": "X-Hub-Key",
                "in": "header",
                "required": True,
                "type": "string",
                "extras": {"format": "password"},
            }
        )

    draft = save_design(github["draft"], change)
    page = github["client"].get(step_url(draft)).content.decode()
    assert 'name="value:owner" value="octocat"' in page.replace('type="text" ', "")
    assert 'type="password" name="value:X-Hub-Key"' in page
    monkeypatch.setattr("connectors.tasks.report_run.delay", lambda pk: None)
    with django_capture_on_commit_callbacks(execute=True):
        github["client"].post(
            start_url(draft),
            {
                "target": "simulator",
                "value:owner": "octocat",
                "value:repo": "hello",
                "value:X-Hub-Key": "hub-secret-1",
            },
        )
    report = Report.objects.get()
    assert "hub-secret-1" not in json.dumps(report.inputs) + report.inputs_sealed
    assert services_reports.inputs_open(report.inputs_sealed) == {"X-Hub-Key": "hub-secret-1"}
    again = github["client"].get(f"{step_url(draft)}?report={report.pk}").content.decode()
    assert "hub-secret-1" not in again


def test_the_report_list_asks_too(github) -> None:
    url = reverse("connectors:report_list", args=[github["draft"].pk])
    assert 'name="value:owner"' in github["client"].get(url).content.decode()
    refused = github["client"].post(url, {"target": "simulator"})
    assert refused.status_code == 400 and not Report.objects.exists()


def test_a_body_value_is_typed(github, django_capture_on_commit_callbacks, monkeypatch) -> None:
    draft = save_design(
        github["draft"],
        lambda design: design["triggers"][0]["request"]["body"]["schema"].update(
            required=["config", "events"]
        ),
    )
    monkeypatch.setattr("connectors.tasks.report_run.delay", lambda pk: None)
    data = {"target": "simulator", "value:owner": "o", "value:repo": "r", "value:/events": "[push"}
    refused = github["client"].post(start_url(draft), data)
    assert refused.status_code == 400 and "line 1, column 2" in refused.content.decode()
    assert not Report.objects.exists()
    data["value:/events"] = "push, issues"
    with django_capture_on_commit_callbacks(execute=True):
        assert github["client"].post(start_url(draft), data).status_code == 302
    assert Report.objects.get().inputs["body"] == {"/events": ["push", "issues"]}


# -- the test value on the trigger page ---------------------------------------------------------


def trigger_page(draft: Any) -> str:
    return reverse("connectors:wizard_trigger", args=[draft.pk, 0])


def test_a_test_value_saves_into_the_design_and_exports(github) -> None:
    client, draft = github["client"], github["draft"]
    data = page_data(client, trigger_page(draft), params__0__test_value="octocat")
    assert client.post(trigger_page(draft), data).status_code == 302
    draft.refresh_from_db()
    design = services.draft_design(draft=draft)
    owner = design["triggers"][0]["request"]["parameters"][0]
    assert owner["extras"] == {"x-ms-test-value": "octocat"}
    swagger = export_swagger(design)
    operation = swagger["paths"]["/repos/{owner}/{repo}/hooks"]["post"]
    assert operation["parameters"][0]["x-ms-test-value"] == "octocat"
    assert "x-ms-test-value" not in operation["parameters"][1]
    assert 'value="octocat"' in client.get(trigger_page(draft)).content.decode()
    # Cleared: gone from the design.
    data = page_data(client, trigger_page(draft), params__0__test_value="")
    client.post(trigger_page(draft), data)
    draft.refresh_from_db()
    design = services.draft_design(draft=draft)
    assert "x-ms-test-value" not in design["triggers"][0]["request"]["parameters"][0]["extras"]


def test_a_secret_parameter_refuses_a_test_value_and_never_exports_one(github) -> None:
    def change(design: Any) -> None:
        design["triggers"][0]["request"]["parameters"].append(
            {
                "name": "X-Key",
                "in": "header",
                "required": True,
                "type": "string",
                "extras": {"format": "password", "x-ms-test-value": "leaked"},
            }
        )

    draft = save_design(github["draft"], change)
    client = github["client"]
    data = page_data(client, trigger_page(draft), params__2__test_value="s3cret")
    response = client.post(trigger_page(draft), data)
    assert response.status_code == 400
    assert "This parameter holds a secret" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 2  # nothing saved
    swagger = export_swagger(services.draft_design(draft=draft))
    operation = swagger["paths"]["/repos/{owner}/{repo}/hooks"]["post"]
    assert "x-ms-test-value" not in operation["parameters"][2]


def test_an_added_parameter_takes_a_test_value(github) -> None:
    client, draft = github["client"], github["draft"]
    data = page_data(
        client,
        trigger_page(draft),
        parameter__name="state",
        parameter__location="query",
        parameter__test_value="open",
        action="add-parameter",
    )
    assert client.post(trigger_page(draft), data).status_code == 302
    draft.refresh_from_db()
    design = services.draft_design(draft=draft)
    added = design["triggers"][0]["request"]["parameters"][-1]
    assert added["name"] == "state" and added["extras"] == {"x-ms-test-value": "open"}


def test_reports_of_old_runs_still_open(github) -> None:
    report = a_report(github["draft"], inputs={})
    url = reverse("connectors:report_detail", args=[github["draft"].pk, report.pk])
    assert github["client"].get(url).status_code == 200


def test_the_report_says_which_values_it_ran_with(github) -> None:
    report = services.report_start(
        draft=github["draft"],
        user=None,
        trigger_ids=[],
        target="simulator",
        values=RunValues({"owner": "octocat", "repo": "hello"}, {"/events": ["push"]}),
        secret_values={"X-Key": "never-shown"},
        enqueue=False,
    )
    url = reverse("connectors:report_detail", args=[github["draft"].pk, report.pk])
    page = github["client"].get(url).content.decode()
    assert '<code class="run-value">owner = octocat</code>' in page
    assert '<code class="run-value">/events = [&quot;push&quot;]</code>' in page
    assert "never-shown" not in page
