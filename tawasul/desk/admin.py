from django.contrib import admin

from tawasul.desk.models import AgentState, AgentStateChange, ContactOffer


@admin.register(AgentState)
class AgentStateAdmin(admin.ModelAdmin):
    list_display = ["agent", "state", "reason", "since"]
    list_filter = ["state"]
    search_fields = ["agent__username"]
    readonly_fields = ["agent", "state", "reason", "since", "offer"]

    def has_add_permission(self, request) -> bool:
        return False  # states change through the desk (services), so history stays whole


@admin.register(AgentStateChange)
class AgentStateChangeAdmin(admin.ModelAdmin):
    list_display = ["agent", "state", "reason", "started_at", "ended_at", "forced"]
    list_filter = ["state", "forced"]
    search_fields = ["agent__username"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContactOffer)
class ContactOfferAdmin(admin.ModelAdmin):
    list_display = ["agent", "status", "offered_at", "accepted_at", "ended_at", "language"]
    list_filter = ["status"]
    search_fields = ["agent__username"]
    raw_id_fields = ["interaction"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
