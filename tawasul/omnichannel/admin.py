from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.models import AuditAction
from tawasul.accounts.services import audit_record
from tawasul.errors import DomainError
from tawasul.omnichannel.imap_state import imap_failure_retry
from tawasul.omnichannel.models import (
    CallbackTask,
    ImapFailedMessage,
    ImapMailbox,
    MailSinkMessage,
    OutboxMessage,
)
from tawasul.omnichannel.services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "channel", "to_address", "status", "attempts", "case"]
    list_filter = ["status", "channel"]
    search_fields = ["to_address", "case__reference", "provider_message_id"]
    # The text through body_for_staff: a one-time code is never shown, even before it is sent.
    readonly_fields = [
        *(f.name if f.name != "body" else "text" for f in OutboxMessage._meta.fields),
        "history",
    ]
    exclude = ["body"]
    actions = ["retry"]

    @admin.display(description=_("text"))
    def text(self, obj: OutboxMessage) -> str:
        return obj.body_for_staff

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


@admin.register(ImapMailbox)
class ImapMailboxAdmin(admin.ModelAdmin):
    list_display = ["key", "uidvalidity", "last_uid", "updated_at"]
    readonly_fields = ["key", "uidvalidity", "last_uid", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False


# Who wrote and what about: personal data, so every list and every view is audited.
_FAILURE_PERSONAL_FIELDS = ["from_header", "subject"]


@admin.register(ImapFailedMessage)
class ImapFailedMessageAdmin(admin.ModelAdmin):
    """Mail the IMAP poller refused or set aside, with the error, for an administrator."""

    list_display = [
        "last_failed_at",
        "status",
        "from_header",
        "subject",
        "date_header",
        "attempts",
        "error_line",
        "copied_to",
        "mailbox",
    ]
    list_filter = ["status", "mailbox"]
    search_fields = ["from_header", "subject", "message_id"]
    readonly_fields = [f.name for f in ImapFailedMessage._meta.fields]
    actions = ["take_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("error"))
    def error_line(self, obj: ImapFailedMessage) -> str:
        return obj.error.split("\n", 1)[0][:200]

    @admin.action(description=_("Take the selected messages again on the next pass"))
    def take_again(self, request, queryset) -> None:
        done = 0
        for failure in queryset:
            try:
                imap_failure_retry(failure=failure, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"UID {failure.uid}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)s message(s) will be taken again.") % {"n": done})

    def _audit(self, request, action: str, ids) -> None:
        for pk in ids:
            audit_record(
                actor=request.user,
                action=action,
                object_type="imap_failure",
                object_id=pk,
                fields=_FAILURE_PERSONAL_FIELDS,
                request=request,
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self._audit(request, AuditAction.SEARCH, [f.pk for f in changelist.result_list])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self._audit(request, AuditAction.READ, [object_id])
        return response
