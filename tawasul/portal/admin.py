from django.contrib import admin

from tawasul.portal.models import (
    AppInstallation,
    Open311Client,
    Rating,
    ServiceAttribute,
    Submission,
)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ["service", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required"]
    search_fields = ["code", "service__code", "description_en", "description_ar"]
    autocomplete_fields = ["service"]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "active", "created_at"]
    # Keys are issued with Open311Client.issue() (shown once); the hash is never edited.
    readonly_fields = ["key_prefix", "key_digest", "created_at"]


@admin.register(AppInstallation)
class AppInstallationAdmin(admin.ModelAdmin):
    list_display = ["token_prefix", "platform", "app_version", "revoked", "last_used_at"]
    list_filter = ["platform", "revoked"]
    readonly_fields = ["token_prefix", "token_digest", "account_id", "created_at", "last_used_at"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["case", "score", "source", "created_at"]
    list_filter = ["score", "source"]
    raw_id_fields = ["case"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["case", "source", "created_at"]
    list_filter = ["source"]
    raw_id_fields = ["case", "installation", "client"]
