"""The runner: the lifecycle and polling checks, the report model, the outbound HTTP guard.

Pure Python (no Django). See docs/runner.md for the contract with the Django side.
"""

from __future__ import annotations

from connectors.domain.runner.callbacks import CallbackEndpoint, CallbackFactory, Received
from connectors.domain.runner.client import OutboundClient
from connectors.domain.runner.credentials import Credentials, apply, redact
from connectors.domain.runner.guard import AddressPolicy, AddressRefused, refusal_reason
from connectors.domain.runner.model import Exchange, Finding, ReportResult, Step, to_junit
from connectors.domain.runner.plan import Plan, base_path
from connectors.domain.runner.run import run_report

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "CallbackEndpoint",
    "CallbackFactory",
    "Credentials",
    "Exchange",
    "Finding",
    "OutboundClient",
    "Plan",
    "Received",
    "ReportResult",
    "Step",
    "apply",
    "base_path",
    "redact",
    "refusal_reason",
    "run_report",
    "to_junit",
]
