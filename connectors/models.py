"""Teams, their members (and the invitations that bring new ones) and the connector drafts they
share, with every saved revision.

A draft stores its *design* (see ``connectors.domain.design``), never the swagger: the files are
derived from the design on demand. ``version`` is bumped by every save and guards against lost
updates (optimistic concurrency, see ``services.draft_save``); ``downloaded_version`` is the one
last downloaded (``services.draft_mark_downloaded``). A draft's icon lives in its own
table (``DraftIcon``), so loading a draft never loads the image.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .fields import OrderedJSONField
from .models_parts import DesignPart, designs_of

# DesignPart, the parts of the revisions' designs, lives in ``models_parts`` (see there why).
__all__ = [
    "CallbackHook",
    "ConnectorDraft",
    "DesignPart",
    "DraftIcon",
    "Invitation",
    "Membership",
    "ReceivedNotification",
    "Report",
    "Revision",
    "SimulatorSession",
    "Team",
]


class Team(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")
        ]
        ordering = ["team__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.EDITOR)


class Invitation(models.Model):
    """An owner's invitation of an email address into a team, with the role it will get.

    Open until accepted or revoked; it expires ``INVITATION_MAX_AGE_DAYS`` after it was last
    sent. A team has at most one open invitation per address: inviting the address again
    re-sends that one (fresh expiry, the new role, same link; see ``services_teams``).
    """

    class MailStatus(models.TextChoices):
        PENDING = "pending", "Not mailed yet"
        SENT = "sent", "Mailed"
        FAILED = "failed", "Mail not sent"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        USED = "used", "Used"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()  # lower case: one open invitation per address, whatever its case
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.VIEWER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last (re-)sent: the expiry counts from here.
    sent_at = models.DateTimeField(default=timezone.now)
    mail_status = models.CharField(
        max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.team_id} ({self.role})"

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if timezone.now() >= self.expires_at:
            return self.State.EXPIRED
        return self.State.OPEN


class ConnectorDraft(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=200)
    design = OrderedJSONField()
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A summary of the design, computed by every save so the draft list never lints.
    trigger_count = models.PositiveIntegerField(default=0)
    lint_errors = models.PositiveIntegerField(default=0)
    lint_warnings = models.PositiveIntegerField(default=0)
    # The version last downloaded (wizard download, export_connector): flows may be built on it,
    # so the history flags breaking changes against it. None: never downloaded, nothing to break.
    downloaded_version = models.PositiveIntegerField(null=True, blank=True)
    # Soft delete: a trashed draft is out of every selector but the trash's.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["team", "-updated_at"], name="draft_team_updated")]

    def __str__(self) -> str:
        return self.title


class DraftIcon(models.Model):
    """The connector's icon (PNG or JPEG, at most 1 MB, checked by ``domain.package.read_icon``).

    A row of its own rather than a column of the draft: every wizard request loads the draft,
    and only the General step's preview and the package need the image. It changes only through
    ``services.draft_save`` (version check, revision); ``digest`` names the bytes for the
    preview URL and its ETag.
    """

    draft = models.OneToOneField(
        ConnectorDraft, on_delete=models.CASCADE, primary_key=True, related_name="icon"
    )
    data = models.BinaryField()
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)  # SHA-256 of data, hex
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"icon of {self.draft_id} ({self.content_type}, {self.width}x{self.height})"


class Revision(models.Model):
    """A saved version of a draft's design: the root of its parts (``DesignPart``), so that a
    save stores only what it changed. ``design`` reads the parts back (one query a tree level);
    ``selectors.revision_designs`` reads many revisions' designs at once."""

    draft = models.ForeignKey(ConnectorDraft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    root = models.CharField(max_length=64)  # digest of the design's root part
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number}"

    @property
    def design(self) -> Any:
        """The design this revision saved, read from its parts once per instance."""
        if not hasattr(self, "_design"):
            self._design = designs_of(draft_id=self.draft_id, roots=[self.root])[self.root]
        return self._design

    @design.setter
    def design(self, value: Any) -> None:
        self._design = value


class SimulatorSession(models.Model):
    """A simulated publisher of one design, served under ``/sim/<token>/`` (no login).

    ``hooks`` maps a hook id to ``{"trigger", "callback", "deleted"}``; ``cursor`` is the id of
    the newest polling item the simulator has produced (items are numbered 1, 2, ...).
    """

    class Fault(models.TextChoices):
        NONE = "none", "No fault: a correct publisher"
        NO_LOCATION = "no_location", "Registration answers without Location"
        RELATIVE_LOCATION = "relative_location", "Registration answers a relative Location"
        STATUS_200 = "status_200", "Registration answers 200 instead of 201"
        BAD_PAYLOAD = "bad_payload", "Notifications break the schema"
        DELETE_NEEDS_HEADER = "delete_needs_header", "DELETE needs a header the connection lacks"
        DELIVERS_AFTER_DELETE = "delivers_after_delete", "The hook keeps delivering after DELETE"
        KEEPS_OLD_HOOK = "keeps_old_hook", "An old hook survives its DELETE after re-registering"
        OLDEST_FIRST = "oldest_first", "Polling items come oldest first"
        STATE_STUCK = "state_stuck", "The polling state does not advance"
        REPEATS_ITEMS = "repeats_items", "Items already delivered come again"
        IGNORES_BATCH_SIZE = "ignores_batch_size", "More items than the batch size in one run"
        SLOW = "slow", "Answers slower than the runner waits"

    token = models.CharField(max_length=64, unique=True)
    draft = models.ForeignKey(
        ConnectorDraft, on_delete=models.CASCADE, related_name="simulator_sessions"
    )
    design = OrderedJSONField()
    fault = models.CharField(max_length=30, choices=Fault.choices, default=Fault.NONE)
    hooks = models.JSONField(default=dict)
    cursor = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"simulator {self.token[:8]} of {self.draft_id}"


class Report(models.Model):
    """One test run of a draft's triggers against an API or the simulator, step by step."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        ERROR = "error", "Error"

    class Target(models.TextChoices):
        API = "api", "The API"
        SIMULATOR = "simulator", "The simulator"

    ENDED = (Status.PASSED, Status.FAILED, Status.ERROR)

    draft = models.ForeignKey(ConnectorDraft, on_delete=models.CASCADE, related_name="reports")
    design_version = models.PositiveIntegerField()
    design = OrderedJSONField()
    trigger_ids = models.JSONField(default=list)
    target_kind = models.CharField(max_length=10, choices=Target.choices)
    base_url = models.CharField(max_length=2000)
    simulator = models.ForeignKey(
        SimulatorSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps = OrderedJSONField(default=list)
    # Why the run ended in error (worker lost, unexpected exception); never holds a secret.
    error = models.TextField(blank=True)
    # Fernet token of the connection credentials (see services.credentials_seal); "" once the
    # run ended: they are needed only while it runs.
    credentials_sealed = models.TextField(blank=True)
    # The values typed in for the run (``RunValues.as_json``: parameters by name, body
    # properties by pointer); a secret parameter's value is sealed apart, like the credentials.
    inputs = models.JSONField(default=dict, blank=True)
    inputs_sealed = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "started_at"], name="report_status_started")]

    def __str__(self) -> str:
        return f"report {self.pk} of {self.draft_id} ({self.status})"

    @property
    def ended(self) -> bool:
        return self.status in self.ENDED


class CallbackHook(models.Model):
    """A unique callback URL of this app (``/hooks/<token>/``) handed to one registration."""

    token = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="hooks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"hook {self.token[:8]} of report {self.report_id}"


class ReceivedNotification(models.Model):
    hook = models.ForeignKey(CallbackHook, on_delete=models.CASCADE, related_name="notifications")
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"notification {self.pk} on {self.hook_id}"
