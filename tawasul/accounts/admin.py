from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tawasul.accounts import services
from tawasul.accounts.models import (
    ApiToken,
    AuditEntry,
    EnrolmentInvite,
    LoginAttempt,
    LoginThrottle,
    Site,
    User,
)
from tawasul.errors import DomainError


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "entity", "site", "is_active"]
    list_filter = ["role", "entity", "site", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Contact center"),
            {
                "fields": [
                    "role",
                    "entity",
                    "site",
                    "departments",
                    "is_entity_manager",
                    "display_name_ar",
                    "languages",
                ]
            },
        ),
    ]
    filter_horizontal = [*BaseUserAdmin.filter_horizontal, "departments"]
    actions = ["issue_enrolment"]

    @admin.action(description=_("Issue an authenticator enrolment link"))
    def issue_enrolment(self, request, queryset) -> None:
        # The link is shown here once (only its hash is stored); the administrator hands it
        # to the person, who opens it and then signs in with their password.
        for user in queryset:
            try:
                invite, raw = services.enrolment_issue(
                    user=user, actor=request.user, request=request
                )
            except DomainError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
                continue
            link = request.build_absolute_uri(reverse("desk:enrol-link", args=[raw]))
            self.message_user(
                request,
                _("Enrolment link for %(user)s (valid until %(expires)s, once): %(link)s")
                % {
                    "user": user.get_username(),
                    "expires": formats.date_format(
                        invite.expires_at.astimezone(), "DATETIME_FORMAT"
                    ),
                    "link": link,
                },
                messages.SUCCESS,
            )


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar", "is_remote", "active"]
    list_filter = ["is_remote", "active"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        # Tokens are issued with `tawasul issue_token`, which shows the secret once.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Viewable by administrators, never editable."""

    list_display = [
        "at", "actor_label", "action", "object_type", "object_id", "purpose", "ip_address",
    ]  # fmt: skip
    list_filter = ["action", "object_type", "purpose"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EnrolmentInvite)
class EnrolmentInviteAdmin(admin.ModelAdmin):
    """Issued from the staff list (action "Issue an authenticator enrolment link")."""

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at"]
    list_filter = ["used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "created_by", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_address", "at", "succeeded", "stage"]
    list_filter = ["succeeded", "stage"]
    search_fields = ["username", "ip_address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Deleting a row lifts that back-off at once (e.g. for a site behind one address)."""

    list_display = ["key", "failures", "last_failure_at", "blocked_until"]
    search_fields = ["key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
