"""Staff accounts with roles and entity scope, API tokens for systems, the audit log, and the
sign-in records: attempts, their throttles and second-factor enrolments."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.directory.models import BilingualName


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    QUALITY_ANALYST = "quality_analyst", _("Quality analyst")
    PLANNER = "planner", _("Planner")
    BACKOFFICE = "backoffice", _("Entity back-office staff")
    ADMIN = "admin", _("Administrator")


# Center roles work across entities; back-office staff are confined to their entity.
CENTER_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN})


class Site(BilingualName):
    """Where agents answer from: one of the center's offices, or home for remote agents.

    Contacts keep the site of the agent who answered them (``Interaction.site``), so the KPI
    "site" slice stays true when an agent later moves.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_remote = models.BooleanField(
        _("remote"), default=False, help_text=_("Agents of this site answer from home.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class User(AbstractUser):
    """A member of staff (or a system account that owns API tokens)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    entity = models.ForeignKey(
        "directory.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("entity"),
        help_text=_("Required for back-office staff: they see only this entity's cases."),
    )
    departments = models.ManyToManyField(
        "directory.Department",
        blank=True,
        related_name="staff",
        verbose_name=_("departments"),
        help_text=_("Optional: limits back-office staff to these departments."),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("site"),
        help_text=_("Where this agent answers from; copied onto each contact they answer."),
    )
    display_name_ar = models.CharField(_("name in Arabic"), max_length=150, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    is_entity_manager = models.BooleanField(
        _("entity manager"),
        default=False,
        help_text=_("Receives the second level of SLA escalation for the entity."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="backoffice") | models.Q(entity__isnull=False),
                name="backoffice_has_entity",
            ),
        ]

    @property
    def is_backoffice(self) -> bool:
        return self.role == Role.BACKOFFICE

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for a system (IVR, app backend, integration). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "tw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], digest=cls.hash(raw))
        return token, raw


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    SEARCH = "search", _("Search")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    MERGE = "merge", _("Merge")
    EXPORT = "export", _("Export")
    # Security events of the channels (e.g. the SIP front): a sign-in that was refused, and a
    # source address blocked after too many of them or a flood of requests.
    SIGN_IN_FAILED = "signin_bad", _("Sign-in refused")
    BLOCKED = "blocked", _("Source blocked")


class AuditEntry(models.Model):
    """Who read or changed which resident's personal data, when and from where.

    Append-only: the admin offers no add, change or delete, and ``save`` refuses updates.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("actor")
    )
    actor_label = models.CharField(_("actor label"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64)
    resident_id = models.BigIntegerField(_("resident"), null=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list)
    # Why the data was read: the screen or endpoint that showed it (e.g. "case detail"), so a
    # reviewer can tell a case being worked on from a resident being looked up.
    purpose = models.CharField(_("purpose"), max_length=80, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are never deleted")


class LoginStage(models.TextChoices):
    PASSWORD = "password", _("Password")
    CODE = "code", _("Second-factor code")


class LoginAttempt(models.Model):
    """One staff sign-in attempt (password or second factor), kept as the sign-in log.

    ``ip_address`` is the client address as ``tawasul.core.net.client_ip`` finds it (a
    forwarded address only from a trusted proxy). The back-off itself is counted in
    ``LoginThrottle``, which can be updated atomically; this table only records.
    """

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    stage = models.CharField(
        _("stage"), max_length=10, choices=LoginStage.choices, default=LoginStage.PASSWORD
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [models.Index(fields=["ip_address", "at"], name="accounts_login_ip_at")]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed sign-in tries counted for one key (a username at one stage, or an address).

    One row per key, changed only under a row lock (``select_for_update``; on SQLite every
    transaction holds the write lock), so parallel tries are counted one after another and
    never all see the same "not yet blocked".
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class EnrolmentInvite(models.Model):
    """An administrator's permission for one person to register an authenticator, once.

    Without one, an account with no confirmed device cannot enrol with its password alone
    (else whoever learns a new colleague's password registers their own phone). Only the
    token's hash is stored; the link is shown once to the administrator who issued it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enrolment_invites", verbose_name=_("staff")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("authenticator enrolment")
        verbose_name_plural = _("authenticator enrolments")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
