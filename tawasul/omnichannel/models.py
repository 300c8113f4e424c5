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
