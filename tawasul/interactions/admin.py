from django.contrib import admin

from tawasul.interactions.models import Interaction


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["offered_at", "channel", "direction", "hotline", "language", "agent", "site",
                    "outcome"]  # fmt: skip
    list_filter = ["channel", "direction", "outcome", "hotline", "site"]
    date_hierarchy = "offered_at"
    raw_id_fields = ["resident", "agent"]
