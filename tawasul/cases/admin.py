from django.contrib import admin

from tawasul.cases.models import Case, CaseEvent, CaseNote, SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["entity", "kind", "priority", "first_response_hours", "resolution_hours"]
    list_filter = ["kind", "priority", "entity"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "actor_label", "from_status", "to_status", "reason", "data"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    readonly_fields = ["created_at", "author_label", "visibility", "body", "delivery_channel"]
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: changes go through the API and desk so the lifecycle rules apply."""

    list_display = ["reference", "kind", "status", "priority", "entity", "department", "created_at"]
    list_filter = ["status", "kind", "priority", "entity"]
    search_fields = ["reference", "subject"]
    date_hierarchy = "created_at"
    raw_id_fields = ["resident", "interactions", "assignee", "created_by"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [CaseNoteInline, CaseEventInline]

    def has_add_permission(self, request) -> bool:
        return False
