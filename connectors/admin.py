from django.contrib import admin
from django.http import HttpRequest

from .models import ConnectorDraft, Invitation, Membership, Revision, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "created_at"]
    list_filter = ["role", "team"]
    search_fields = ["user__username", "user__email", "team__name"]
    autocomplete_fields = ["user", "team"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "sent_at", "mail_status", "accepted_at", "revoked_at"]
    list_filter = ["role", "mail_status", "team"]
    search_fields = ["email", "team__name"]
    list_select_related = ["team"]
    # Changes go through the services (locks, one open invitation per address): read only here.
    readonly_fields = [
        "team",
        "email",
        "role",
        "invited_by",
        "created_at",
        "sent_at",
        "mail_status",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    fields = ("number", "author", "created_at", "message")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(ConnectorDraft)
class ConnectorDraftAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "version", "updated_by", "updated_at"]
    list_filter = ["team"]
    search_fields = ["title"]
    readonly_fields = ["version", "created_by", "updated_by", "created_at", "updated_at"]
    list_select_related = ["team", "updated_by"]
    inlines = [RevisionInline]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["draft", "number", "author", "created_at", "message"]
    list_select_related = ["draft", "author"]
    readonly_fields = ["draft", "number", "design", "author", "created_at", "message"]
    search_fields = ["draft__title", "message"]
