"""The resident-facing web portal, the mobile-app API and the Open311 GeoReport v2 endpoints.

Secrets (one-time codes, app tokens, tracking tokens, Open311 keys) are stored only as hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.portal.choices import AttributeType, OtpChannel, Source


def secret_hash(raw: str) -> str:
    """Keyed hash of a secret: a leaked table cannot be checked offline without SECRET_KEY."""
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


class Submission(models.Model):
    """How a case reached the center from a resident-facing surface, and what came with it.

    The case itself lives in ``cases``; this keeps the portal's side: the source, the
    Open311 attributes and media URL, the app installation, and the public Open311 token.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="submission", verbose_name=_("case")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    token = models.CharField(_("Open311 token"), max_length=40, unique=True)
    attributes = models.JSONField(_("service attributes"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    device_id = models.CharField(_("device id"), max_length=120, blank=True)
    account_id = models.CharField(_("account id"), max_length=120, blank=True)
    installation = models.ForeignKey(
        "portal.AppInstallation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    client = models.ForeignKey(
        "portal.Open311Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("portal submission")
        verbose_name_plural = _("portal submissions")

    def __str__(self) -> str:
        return f"{self.source}:{self.case_id}"


class OneTimeCode(models.Model):
    """A 6-digit code sent to a contact point on file, proving the resident may read a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=OtpChannel.choices)
    contact = models.ForeignKey(
        "residents.ContactPoint", on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["case", "created_at"], name="portal_otp_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.created_at:%Y-%m-%d %H:%M}"


class AppInstallation(models.Model):
    """One installed copy of the mobile app; its bearer token is stored only as a hash."""

    platform = models.CharField(_("platform"), max_length=20)
    app_version = models.CharField(_("app version"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    account_id = models.CharField(
        _("app account id"), max_length=64, unique=True, help_text=_("Contact point kind 'app'.")
    )
    token_prefix = models.CharField(max_length=12)
    token_digest = models.CharField(max_length=64, unique=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("app installation")
        verbose_name_plural = _("app installations")

    def __str__(self) -> str:
        return f"{self.platform} {self.token_prefix}…"


class TrackingGrant(models.Model):
    """Short-lived right of one app installation to read and answer one case (after an OTP)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    installation = models.ForeignKey(
        AppInstallation, on_delete=models.CASCADE, related_name="grants"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking grant")
        verbose_name_plural = _("tracking grants")

    def __str__(self) -> str:
        return f"{self.case_id} until {self.expires_at:%H:%M}"


class Rating(models.Model):
    """A resident's satisfaction with the answer: 1–5 and a comment, once per resolution."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ratings")
    resolved_at = models.DateTimeField(
        _("resolution rated"), help_text=_("The case's resolved time when it was rated.")
    )
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "resolved_at"], name="portal_rating_once_per_resolution"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="portal_rating_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"


class RateLimitHit(models.Model):
    """One counted action for rate limiting; in the database so every process sees it."""

    scope = models.CharField(max_length=20)
    key_hash = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key_hash", "at"], name="portal_ratelimit")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%H:%M:%S}"


class Open311Client(models.Model):
    """A system allowed to post Open311 service requests; only the key's hash is stored."""

    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(max_length=12)
    key_digest = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, *, name: str) -> tuple[Open311Client, str]:
        """A new client and its raw key (shown once)."""
        raw = new_token("o311")
        client = cls.objects.create(name=name, key_prefix=raw[:10], key_digest=secret_hash(raw))
        return client, raw


class ServiceAttribute(models.Model):
    """An extra question a service asks (Open311 service definition attribute)."""

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.SlugField(_("code"), max_length=40)
    datatype = models.CharField(_("datatype"), max_length=16, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    variable = models.BooleanField(
        _("answered by the resident"), default=True, help_text=_("False: information only.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description_en = models.CharField(_("question (English)"), max_length=300)
    description_ar = models.CharField(_("question (Arabic)"), max_length=300)
    datatype_description = models.CharField(_("format hint"), max_length=200, blank=True)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "front", "name_en": "Front", "name_ar": "أمامي"}]'),
    )

    class Meta:
        ordering = ["service", "order", "id"]
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="portal_attribute_code"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.code}"

    def description_in(self, language: str) -> str:
        return self.description_ar if language[:2] == "ar" else self.description_en

    def value_keys(self) -> list[str]:
        return [str(v.get("key")) for v in self.values]
