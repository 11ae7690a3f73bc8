"""Forms of the draft list, the import dialog, the history page, team management and invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from .domain.documents import MAX_BYTES, MAX_FILE_BYTES
from .models import Membership

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # the file as sent; its content is measured on import
SORTS = {
    "-updated": ("-updated_at", "-pk"),
    "updated": ("updated_at", "pk"),
    "title": ("title", "pk"),
}


class DraftSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by title", required=False, max_length=200, widget=forms.SearchInput
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("-updated", "Last change, newest first"),
            ("updated", "Last change, oldest first"),
            ("title", "Title"),
        ],
    )

    def ordering(self) -> tuple[str, ...]:
        sort = self.cleaned_data.get("sort") if self.is_valid() else None
        return SORTS.get(sort or "-updated", SORTS["-updated"])


class DraftCreateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the connector a title.")
        return title


def _read_upload(upload: Any, label: str) -> bytes:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            f"{label} is larger than {MAX_UPLOAD_BYTES // 1048576} MB (files are read up to "
            f"{MAX_UPLOAD_BYTES // 1048576} MB, and up to {MAX_BYTES // 1048576} MB of content)."
        )
    data: bytes = upload.read()
    return data


class DraftImportForm(forms.Form):
    swagger = forms.FileField(
        label="apiDefinition.swagger.json (JSON or YAML)",
        help_text="The Swagger 2.0 file of the connector.",
    )
    properties = forms.FileField(
        label="apiProperties.json (optional)",
        required=False,
        help_text="Connection parameters, icon colour and policies.",
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Leave empty to keep the title in the file.",
    )

    def clean_swagger(self) -> bytes:
        return _read_upload(self.cleaned_data["swagger"], "The swagger file")

    def clean_properties(self) -> bytes | None:
        upload = self.cleaned_data.get("properties")
        return _read_upload(upload, "The apiProperties file") if upload else None


class RevisionCompareForm(forms.Form):
    old = forms.IntegerField(label="From revision", min_value=1)
    new = forms.IntegerField(label="To revision", min_value=1)


class RevisionRestoreForm(forms.Form):
    """The version of the draft the user saw when restoring: a save in between is a conflict."""

    based_on_version = forms.IntegerField(
        label="Based on version",
        min_value=1,
        error_messages={
            "required": "The restore did not say which version of the draft it was based on.",
        },
    )


class TeamCreateForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=100)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the team a name.")
        return name


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField(label="Team", min_value=1)


class MemberAddForm(forms.Form):
    identifier = forms.CharField(label="Username or email", max_length=254)
    # Viewer unless the owner picks more: the least a new member can do is the safe default.
    role = forms.ChoiceField(
        label="Role", choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


class InvitationForm(forms.Form):
    """An owner invites an email address. Its ids are its own: the members page also holds the
    add-member form, whose role field would otherwise share ``id_role``."""

    email = forms.EmailField(label="Email", max_length=254)
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.VIEWER,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "id_invite_%s")
        super().__init__(*args, **kwargs)

    def clean_role(self) -> str:
        role: str = self.cleaned_data.get("role") or Membership.Role.VIEWER
        return role


class InvitationSignUpForm(UserCreationForm):
    """A new account from an invitation: a username and a password checked by Django's password
    validators. The email is the invitation's; it is on the form's user so that the similarity
    validator compares the password with it too."""

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        kwargs["instance"] = get_user_model()(email=email)
        super().__init__(*args, **kwargs)
        self.fields["password2"].label = "Password again"
