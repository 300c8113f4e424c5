"""IVR flows per hotline (versioned), recorded prompts, agents' SIP phones, call-back requests,
agents' holds."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IvrFlow(models.Model):
    """One version of a hotline's IVR flow. Saving a change makes a new version; the newest
    active version answers calls. ``definition`` is checked by :func:`flows.validate`."""

    hotline = models.ForeignKey(
        "directory.Hotline",
        on_delete=models.CASCADE,
        related_name="ivr_flows",
        verbose_name=_("hotline"),
    )
    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    active = models.BooleanField(_("active"), default=True)
    comment = models.CharField(_("change note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["hotline", "-version"]
        verbose_name = _("IVR flow")
        verbose_name_plural = _("IVR flows")
        constraints = [
            models.UniqueConstraint(fields=["hotline", "version"], name="ivrflow_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.hotline.number} v{self.version}"


class RecordedPrompt(models.Model):
    """A recording an administrator uploaded; it replaces the synthesized prompt of one node
    in one language of one hotline's flow."""

    hotline = models.ForeignKey(
        "directory.Hotline", on_delete=models.CASCADE, related_name="+", verbose_name=_("hotline")
    )
    node = models.CharField(_("flow node"), max_length=60)
    language = models.CharField(_("language"), max_length=8)
    audio = models.FileField(_("recording (WAV, MP3 or OGG)"), upload_to="voice/prompts/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        verbose_name = _("recorded prompt")
        verbose_name_plural = _("recorded prompts")
        constraints = [
            models.UniqueConstraint(
                fields=["hotline", "node", "language"], name="recordedprompt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hotline.number}/{self.node}/{self.language}"


class VoiceEndpoint(models.Model):
    """An agent's SIP phone: it registers to the gateway with this user name and password.
    Only the digest hash (HA1 = MD5(user:realm:password)) is stored, as SIP digest needs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="voice_endpoint",
        verbose_name=_("agent"),
    )
    sip_username = models.SlugField(_("SIP user name"), max_length=60, unique=True)
    ha1 = models.CharField(_("digest HA1"), max_length=32, editable=False)
    skills = models.JSONField(
        _("extra routing skills"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"entity:phcc": 1}; languages come from the agent\'s account.'),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agent SIP phone")
        verbose_name_plural = _("agent SIP phones")

    def __str__(self) -> str:
        return self.sip_username

    @staticmethod
    def digest_ha1(username: str, realm: str, password: str) -> str:
        return hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DIALLING = "dialling", _("Dialling")
    DONE = "done", _("Called back")
    FAILED = "failed", _("Failed (no answer)")
    CANCELLED = "cancelled", _("Cancelled")


class CallbackRequest(models.Model):
    """A caller asked to be called back (after hours, on a holiday, or instead of waiting)."""

    hotline = models.ForeignKey(
        "directory.Hotline", on_delete=models.PROTECT, related_name="+", verbose_name=_("hotline")
    )
    interaction = models.OneToOneField(
        "interactions.Interaction",
        on_delete=models.PROTECT,
        related_name="callback_request",
        verbose_name=_("call"),
    )
    phone = models.CharField(_("number to call"), max_length=40)
    language = models.CharField(_("language"), max_length=8, blank=True)
    queue = models.CharField(_("queue"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=20)
    status = models.CharField(
        _("status"), max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.PENDING
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # The caller's place in line: when they joined the queue (or called, after hours). A
    # call-back is served in this order, ahead of everyone who joined later, across restarts.
    line_since = models.DateTimeField(_("in line since"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("dialling attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt not before"), null=True, blank=True)
    outbound = models.ForeignKey(
        "interactions.Interaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest call-back call"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="callback_due")]

    def __str__(self) -> str:
        return f"{self.phone} ({self.hotline.number})"


class CallHold(models.Model):
    """One period an agent put a connected call on hold (``ended_at`` empty while it lasts).
    The interaction's ``hold_seconds`` is the sum of these periods, and nothing else: the time
    a caller waited in the queue is answered − offered, not hold."""

    interaction = models.ForeignKey(
        "interactions.Interaction",
        on_delete=models.CASCADE,
        related_name="holds",
        verbose_name=_("call"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    started_at = models.DateTimeField(_("hold started"))
    ended_at = models.DateTimeField(_("hold ended"), null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("call hold")
        verbose_name_plural = _("call holds")
        constraints = [
            models.UniqueConstraint(
                fields=["interaction"],
                condition=models.Q(ended_at__isnull=True),
                name="callhold_one_open_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interaction_id} {self.started_at:%H:%M:%S}"
