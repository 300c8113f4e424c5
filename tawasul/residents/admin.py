from django.contrib import admin

from tawasul.residents.models import ContactPoint, Resident


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["id", "full_name", "preferred_language", "preferred_channel", "created_at"]
    search_fields = ["full_name", "contacts__value"]
    exclude = ["national_id"]
    readonly_fields = ["masked_national_id", "merged_into"]
    inlines = [ContactPointInline]
