"""Each simulator fault mode gives its specific finding; a correct simulator passes."""

from __future__ import annotations

import pytest

from connectors import services
from connectors.domain.runner.credentials import Credentials
from connectors.models import Report, SimulatorSession
from tests.connectors.conftest import make_report_draft

Fault = SimulatorSession.Fault
pytestmark = pytest.mark.django_db(transaction=True)


def run(fault: str, **design: bool) -> Report:
    draft = make_report_draft(**design)
    report = services.report_start(
        draft=draft, user=None, trigger_ids=[], target="simulator", fault=fault, enqueue=False
    )
    services.report_execute(report_id=report.pk)
    report.refresh_from_db()
    return report


def codes(report: Report) -> set[str]:
    return {
        f["code"] for step in report.steps for f in step["findings"] if f["severity"] == "error"
    }


def test_a_correct_simulator_passes(site: str) -> None:
    report = run(Fault.NONE)
    assert report.status == Report.Status.PASSED, codes(report)
    assert report.steps and all(step["status"] in ("passed", "skipped") for step in report.steps)
    assert report.finished_at is not None


def test_a_correct_simulator_is_replaced_deleted_twice_and_left_with_no_live_hook(
    site: str,
) -> None:
    report = run(Fault.NONE, polling=False)
    status = {step["key"].rsplit(":", 1)[-1]: step for step in report.steps}
    names = ["reregister", "delete-old", "deliver-once", "delete", "delete-again", "silence"]
    assert [status[name]["status"] for name in names] == ["passed"] * len(names)
    assert "404" in status["delete-again"]["detail"]  # the simulator's answer, accepted
    assert report.simulator is not None
    report.simulator.refresh_from_db()
    assert [hook["deleted"] for hook in report.simulator.hooks.values()] == [True, True]
    assert report.hooks.count() == 2  # two callback URLs: the first and the re-registered one


def test_keeps_old_hook_is_found_at_the_single_delivery_and_after_the_delete(site: str) -> None:
    report = run(Fault.KEEPS_OLD_HOOK, polling=False)
    found = {
        (step["key"].rsplit(":", 1)[-1], f["code"])
        for step in report.steps
        for f in step["findings"]
    }
    assert found == {("deliver-once", "DuplicateDelivery"), ("silence", "DeliveredAfterDelete")}


def test_batch_webhook_passes(site: str) -> None:
    report = run(Fault.NONE, polling=False, batch=True)
    assert report.status == Report.Status.PASSED, codes(report)


@pytest.mark.parametrize(
    ("fault", "code", "design"),
    [
        (Fault.NO_LOCATION, "RegistrationMissingLocation", {"polling": False}),
        (Fault.RELATIVE_LOCATION, "RegistrationRelativeLocation", {"polling": False}),
        (Fault.BAD_PAYLOAD, "NotificationSchemaMismatch", {"polling": False}),
        (Fault.DELETE_NEEDS_HEADER, "DeleteNeedsOperationHeader", {"polling": False}),
        (Fault.DELIVERS_AFTER_DELETE, "DeliveredAfterDelete", {"polling": False}),
        (Fault.KEEPS_OLD_HOOK, "DuplicateDelivery", {"polling": False}),
        (Fault.OLDEST_FIRST, "ItemsNotNewestFirst", {"webhook": False}),
        (Fault.STATE_STUCK, "StateDidNotAdvance", {"webhook": False}),
        (Fault.SLOW, "SlowResponse", {"polling": False}),
    ],
)
def test_each_fault_gives_its_finding(site: str, fault: str, code: str, design: dict) -> None:
    report = run(fault, **design)
    assert report.status == Report.Status.FAILED
    assert code in codes(report)


def test_200_instead_of_201_is_a_warning(site: str) -> None:
    report = run(Fault.STATUS_200, polling=False)
    found = {f["code"]: f["severity"] for step in report.steps for f in step["findings"]}
    assert found.get("RegistrationNot201") == "warning"


def test_secrets_never_reach_the_stored_report_nor_the_logs(site: str, caplog) -> None:
    secret = "sk-live-very-secret-4242"
    draft = make_report_draft(polling=False)
    caplog.set_level("DEBUG")
    report = services.report_start(
        draft=draft,
        user=None,
        trigger_ids=[],
        target="simulator",
        credentials=Credentials(security_type="apiKey", api_key=secret),
        enqueue=False,
    )
    assert report.credentials_sealed and secret not in report.credentials_sealed
    services.report_execute(report_id=report.pk)
    stored = Report.objects.filter(pk=report.pk).values().get()
    assert secret not in repr(stored)
    assert stored["credentials_sealed"] == ""
    assert "[redacted]" in repr(stored["steps"])  # the key was sent, and hidden
    assert secret not in caplog.text
