"""Residents (the people who contact the center) and their contact points."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    APP = "app", _("Mobile app")
    SOCIAL = "social", _("Social media")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    APP = "app", _("App account")
    SOCIAL = "social", _("Social handle")


class Resident(models.Model):
    """A citizen, resident or visitor. Merged residents point at the survivor."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="ar")
    preferred_channel = models.CharField(
        _("preferred reply channel"),
        max_length=10,
        choices=ReplyChannel.choices,
        default=ReplyChannel.SMS,
    )
    fallback_channels = models.JSONField(
        _("fallback reply channels"), default=list, blank=True, help_text=_('e.g. ["email"]')
    )
    national_id = models.CharField(_("national ID"), max_length=32, blank=True)
    consent_contact = models.BooleanField(_("consents to be contacted"), default=True)
    consent_recording = models.BooleanField(_("consents to call recording"), default=True)
    consent_surveys = models.BooleanField(_("consents to satisfaction surveys"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [models.Index(fields=["national_id"], name="resident_national_id")]

    def __str__(self) -> str:
        return self.full_name or f"#{self.pk}"

    @property
    def masked_national_id(self) -> str:
        """The last four characters only; the full ID never leaves the detail view."""
        if not self.national_id:
            return ""
        return "•" * max(len(self.national_id) - 4, 0) + self.national_id[-4:]


class ContactPoint(models.Model):
    """A normalised way to reach a resident: E.164 phone, lower-cased e-mail, app id, handle.

    ``verified`` means the resident has proved they hold it: an SMS the operator delivered
    from the number, a message the social network signed, the app's own account, or a
    one-time code sent to it and entered back. A value typed into a form (portal, app,
    Open311), an e-mail From address, a caller ID or a contact entered by staff is a claim:
    it stays unverified. A verified value belongs to one resident, which is how the same
    phone arriving by SMS or WhatsApp finds the same person; an unverified value may be
    claimed by several residents, so a stranger who types someone's phone number gets a
    record of their own instead of joining theirs (see ``docs/channels.md``).
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=254)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("The resident proved they hold it (a code sent to it, or an SMS from it)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        indexes = [models.Index(fields=["kind", "value"], name="contact_point_kind_value")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=models.Q(verified=True),
                name="contact_point_unique_verified",
            ),
            models.UniqueConstraint(
                fields=["resident", "kind", "value"], name="contact_point_unique_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
