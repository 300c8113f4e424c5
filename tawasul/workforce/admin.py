from django.contrib import admin

from tawasul.workforce.models import ForecastOverride


@admin.register(ForecastOverride)
class ForecastOverrideAdmin(admin.ModelAdmin):
    list_display = ("channel", "queue", "day", "interval", "version", "contacts", "created_by")
    list_filter = ("channel", "day")
    readonly_fields = [f.name for f in ForecastOverride._meta.fields]
