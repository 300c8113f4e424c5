from django.contrib import admin

from tawasul.accounts.models import AuditAction
from tawasul.accounts.services import audit_record, audit_record_many
from tawasul.residents.models import ContactPoint, Resident

PERSONAL_FIELDS = ["full_name", "contacts", "national_id_masked"]


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Residents in the admin are personal data like anywhere else: every view is audited."""

    list_display = ["id", "full_name", "preferred_language", "preferred_channel", "created_at"]
    search_fields = ["full_name", "contacts__value"]
    exclude = ["national_id"]
    readonly_fields = ["masked_national_id", "merged_into"]
    inlines = [ContactPointInline]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            audit_record_many(
                actor=request.user,
                action=AuditAction.SEARCH,
                object_type="resident",
                resident_ids=[r.pk for r in changelist.result_list],
                fields=["full_name"],
                request=request,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                actor=request.user,
                action=AuditAction.READ,
                object_type="resident",
                object_id=object_id,
                resident_id=int(object_id),
                fields=PERSONAL_FIELDS,
                request=request,
            )
        return response

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            object_type="resident",
            object_id=obj.pk,
            resident_id=obj.pk,
            fields=sorted(form.changed_data),
            request=request,
        )
