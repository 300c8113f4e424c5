from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tawasul.errors import DomainError
from tawasul.omnichannel.models import CallbackTask, MailSinkMessage, OutboxMessage
from tawasul.omnichannel.services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "channel", "to_address", "status", "attempts", "case"]
    list_filter = ["status", "channel"]
    search_fields = ["to_address", "case__reference", "provider_message_id"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields] + ["history"]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Retry the selected dead letters"))
    def retry(self, request, queryset) -> None:
        done = 0
        for message in queryset:
            try:
                outbox_retry(message=message, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{message.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s message(s) queued again.") % {"n": done})


@admin.register(CallbackTask)
class CallbackTaskAdmin(admin.ModelAdmin):
    list_display = ["created_at", "phone", "case", "done_at"]
    list_filter = ["done_at"]


@admin.register(MailSinkMessage)
class MailSinkMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "mail_from", "subject"]
    search_fields = ["subject", "recipients"]
    exclude = ["raw"]
