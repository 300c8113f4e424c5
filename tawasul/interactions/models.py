"""One record per contact on any channel, with the timings the KPIs read."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WEB = "web", _("Web form")
    APP = "app", _("Mobile app")
    SOCIAL = "social", _("Social media")
    FAX = "fax", _("Fax")


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class Outcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    RESOLVED_FIRST_CONTACT = "resolved", _("Resolved on first contact")
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_UPDATED = "case_updated", _("Existing case updated")
    TRANSFERRED = "transferred", _("Transferred")
    ABANDONED = "abandoned", _("Abandoned")
    CALLBACK_REQUESTED = "callback", _("Call-back requested")
    AFTER_HOURS = "after_hours", _("After hours")
    INFORMATION_GIVEN = "information", _("Information given (IVR)")


class Interaction(models.Model):
    """A contact. Times are UTC; ``wait``/``talk`` derive from them (see properties)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    hotline = models.ForeignKey(
        "directory.Hotline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entity = models.ForeignKey(
        "directory.Entity", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    queue = models.CharField(_("queue"), max_length=80, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
    )
    site = models.ForeignKey(
        "accounts.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Where the agent who answered sat, copied when the contact was answered."),
    )
    external_id = models.CharField(
        _("channel message id"),
        max_length=255,
        blank=True,
        help_text=_("Message-ID, provider id or SIP Call-ID; one contact per id and channel."),
    )
    address = models.CharField(_("from/to address"), max_length=254, blank=True)
    caller_verified = models.BooleanField(
        _("caller ID verified"),
        null=True,
        blank=True,
        help_text=_(
            "Calls only: whether a trusted trunk vouched for the caller's number. An "
            "unverified number is shown as such and never linked to a resident by itself."
        ),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("content"), blank=True)
    offered_at = models.DateTimeField(_("offered"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    wrapup_ended_at = models.DateTimeField(_("wrap-up ended"), null=True, blank=True)
    hold_seconds = models.PositiveIntegerField(_("hold time (s)"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    ivr_path = models.JSONField(_("IVR path"), default=list, blank=True)
    recording = models.CharField(_("recording file"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_at"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="interaction_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.offered_at:%Y-%m-%d %H:%M}"

    @property
    def wait_seconds(self) -> float | None:
        """Offered until answered, or until abandoned when never answered."""
        end = self.answered_at or (self.ended_at if self.outcome == Outcome.ABANDONED else None)
        return (end - self.offered_at).total_seconds() if end else None

    @property
    def talk_seconds(self) -> float | None:
        if self.answered_at and self.ended_at:
            return (self.ended_at - self.answered_at).total_seconds()
        return None

    @property
    def wrapup_seconds(self) -> float | None:
        if self.ended_at and self.wrapup_ended_at:
            return (self.wrapup_ended_at - self.ended_at).total_seconds()
        return None
