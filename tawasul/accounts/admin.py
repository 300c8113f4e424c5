from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.models import ApiToken, AuditEntry, Site, User


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
