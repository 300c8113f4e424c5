"""Channel adapters (e-mail, SMS via Kannel, social, fax, Open311) and the outbox."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (dead letter)")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxMessage(models.Model):
    """One message to a resident on one channel: acknowledgement, reply or notification.

    Written in the same transaction as the change that causes it, then delivered by the
    worker with retries and exponential backoff; ``idempotency_key`` makes a repeated enqueue
    (a retried request, a redelivered inbound message) a no-op.
    """

    channel = models.CharField(_("channel"), max_length=10)
    to_address = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    holds_code = models.BooleanField(
        _("holds a one-time code"),
        default=False,
        help_text=_("The text is never shown to staff and is removed once the message is sent."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox",
    )
    note = models.ForeignKey(
        "cases.CaseNote", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox"
    )
    fallback_channels = models.JSONField(
        _("fallback channels"),
        default=list,
        blank=True,
        help_text=_("Tried in order if this one fails for good."),
    )
    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    history = models.JSONField(
        _("delivery attempts"),
        default=list,
        blank=True,
        help_text=_("One line per attempt: when, channel, address and the outcome."),
    )
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.to_address} ({self.status})"

    @property
    def body_for_staff(self) -> str:
        """The text as staff may see it: a one-time code never, sent or not."""
        if self.holds_code:
            return str(_("[one-time code: not shown]"))
        return self.body


class CallbackTask(models.Model):
    """A reply whose channel is a phone call: an agent calls the resident back.

    The outbox records the task instead of sending anything; the voice room will dial it.
    """

    outbox = models.OneToOneField(
        OutboxMessage, on_delete=models.CASCADE, related_name="callback", verbose_name=_("message")
    )
    phone = models.CharField(_("phone"), max_length=32)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
    )
    script = models.TextField(_("what to tell the resident"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("call-back task")
        verbose_name_plural = _("call-back tasks")

    def __str__(self) -> str:
        return f"call {self.phone}"


class MailSinkMessage(models.Model):
    """A message caught by the demo mail sink (``tawasul mailsink``) instead of being sent.

    The sink stands in for the outside world's mail servers on one machine: new users read
    their acknowledgements and replies on /channels/mailbox/.
    """

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    mail_from = models.CharField(_("from"), max_length=254)
    recipients = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    reply_to = models.CharField(_("Reply-To"), max_length=254, blank=True)
    body = models.TextField(_("text"), blank=True)
    raw = models.BinaryField(_("raw message"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("caught e-mail")
        verbose_name_plural = _("mail sink")

    def __str__(self) -> str:
        return self.subject or self.message_id


class PushDevice(models.Model):
    """The push registration token (Firebase Cloud Messaging) of one installed app.

    The app registers it through the mobile-app API; replies on channel ``app`` are pushed
    to it. One token per installation (a new one replaces the old), and a token belongs to
    one installation only: a token seen again on a new installation (the app reinstalled)
    moves there. FCM saying the token is unregistered deletes the row.
    """

    installation = models.OneToOneField(
        "portal.AppInstallation",
        on_delete=models.CASCADE,
        related_name="push_device",
        verbose_name=_("app installation"),
    )
    token = models.CharField(_("push token"), max_length=1024, unique=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("push device")
        verbose_name_plural = _("push devices")

    def __str__(self) -> str:
        return f"{self.token[:12]}…"


class ImapMailbox(models.Model):
    """How far the IMAP poller has read one mailbox folder.

    IMAP numbers a folder's messages with ascending UIDs that stay valid as long as the
    folder's UIDVALIDITY does. Every message up to ``last_uid`` has been stored, refused or
    recorded as failed, so the next pass asks only for newer ones: mail somebody already
    read in a mail client is taken like any other, and a restart takes nothing twice.
    """

    key = models.CharField(_("mailbox"), max_length=500, unique=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    last_uid = models.BigIntegerField(_("last UID taken"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("IMAP mailbox")
        verbose_name_plural = _("IMAP mailboxes")

    def __str__(self) -> str:
        return self.key


class ImapFailureStatus(models.TextChoices):
    RETRYING = "retrying", _("Failed, tried again on the next pass")
    SET_ASIDE = "set_aside", _("Set aside after repeated failures")
    REFUSED = "refused", _("Refused: cannot be read")


class ImapFailedMessage(models.Model):
    """A message in a polled mailbox that could not be stored.

    An unexpected error is tried again on the next passes; after
    ``TAWASUL_IMAP_MAX_ATTEMPTS`` the message is set aside (copied to
    ``TAWASUL_IMAP_FAILED_FOLDER``) so it no longer holds up anything. A message that can
    never be read is refused at once. Either way an administrator finds it here with the
    error and who sent it.
    """

    mailbox = models.ForeignKey(
        ImapMailbox, on_delete=models.CASCADE, related_name="failures", verbose_name=_("mailbox")
    )
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"))
    uid = models.BigIntegerField(_("UID"))
    status = models.CharField(
        _("status"), max_length=10, choices=ImapFailureStatus.choices, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    from_header = models.CharField(_("from"), max_length=500, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    date_header = models.CharField(_("date"), max_length=100, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    copied_to = models.CharField(_("copied to folder"), max_length=200, blank=True)
    first_failed_at = models.DateTimeField(_("first failed"), auto_now_add=True)
    last_failed_at = models.DateTimeField(_("last failed"), auto_now=True)

    class Meta:
        ordering = ["-last_failed_at", "-id"]
        verbose_name = _("mail the poller could not take")
        verbose_name_plural = _("mail the poller could not take")
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="imap_failure_unique_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} UID {self.uid}"
