"""Writes for accounts: the audit trail, sign-in attempts and their back-off, and the
enrolment of authenticators."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import conf
from tawasul.accounts.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    EnrolmentInvite,
    LoginAttempt,
    LoginStage,
    LoginThrottle,
    User,
)
from tawasul.core.net import client_ip
from tawasul.errors import DomainError, Forbidden

PASSWORD = LoginStage.PASSWORD
CODE = LoginStage.CODE
ENROLMENT = "totp_enrolment"  # AuditEntry.object_type of enrolment links issued and used


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    object_type: str,
    object_id: object,
    resident_id: int | None = None,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    purpose: str = "",
) -> AuditEntry:
    """Append one audit entry; call it wherever staff read or change personal data.

    Without a ``request`` (an event from another protocol, e.g. the SIP front), ``ip_address``
    and ``user_agent`` say where it came from.
    """
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        resident_id=resident_id,
        fields=sorted(fields),
        purpose=purpose[:80],
        ip_address=client_ip(request) if request is not None else (ip_address or None),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else user_agent)[:300],
        path=(request.get_full_path() if request else "")[:300],
    )


def audit_record_many(
    *,
    actor: User | None,
    action: AuditAction | str,
    object_type: str,
    resident_ids: Iterable[int],
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    purpose: str = "",
) -> None:
    """One entry per resident shown in a list or search result, in one insert."""
    field_list = sorted(fields)
    label = actor.get_username() if actor is not None else "system"
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=str(resident_id),
            resident_id=resident_id,
            fields=field_list,
            purpose=purpose[:80],
            ip_address=client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
            path=(request.get_full_path() if request else "")[:300],
        )
        for resident_id in resident_ids
    )


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token (saved, so every cache of verified tokens hears of it)."""
    token.revoked = True
    token.save(update_fields=["revoked"])


# --- sign-in attempts and back-off ---------------------------------------------------------


def _name(username: str) -> str:
    return username.strip().lower()[:150]


def _throttles(*, username: str, ip_address: str | None, stage: str) -> list[tuple[str, int]]:
    """(key, free tries) of the counters a try at ``stage`` counts against, sorted by key so
    that parallel claims lock rows in one order and never deadlock. Each stage has its own
    username counter: a correct password must not reset the count of wrong codes."""
    keys = [(f"{stage}:{_name(username)}", conf.backoff_after())]
    if ip_address:
        keys.append((f"ip:{ip_address}", conf.backoff_ip_after()))
    return sorted(keys)


def _delay(failures: int, free: int) -> timedelta:
    doublings = min(failures - free, 30)
    return timedelta(
        seconds=min(conf.backoff_base_seconds() * 2**doublings, conf.backoff_max_seconds())
    )


def login_attempt_claim(
    *, username: str, ip_address: str | None, stage: str = PASSWORD, now: datetime | None = None
) -> datetime | None:
    """Count one sign-in try *before* its password or code is checked, or refuse it.

    Returns None when the try may go ahead, else when sign-in opens again. The try is counted
    as a failure up front, under a row lock, so parallel tries queue on the counter and at
    most the free number of them ever reach the password check; ``login_attempt_record``
    with ``succeeded=True`` takes it back. From the ``free``-th failure on, each failure
    blocks further tries for ``LOGIN_BACKOFF_BASE_SECONDS`` doubled per failure, capped at
    ``LOGIN_BACKOFF_MAX_SECONDS``: a back-off, not a lock-out. Tries refused while blocked
    are not counted, so waiting it out always works.
    """
    now = now or timezone.now()
    keys = _throttles(username=username, ip_address=ip_address, stage=stage)
    forget = timedelta(minutes=conf.backoff_forget_minutes())
    with transaction.atomic():
        LoginThrottle.objects.bulk_create(
            [LoginThrottle(key=key) for key, _free in keys], ignore_conflicts=True
        )
        rows = {
            row.key: row
            for row in LoginThrottle.objects.select_for_update()
            .filter(key__in=[key for key, _free in keys])
            .order_by("key")
        }
        blocked = [
            row.blocked_until
            for row in rows.values()
            if row.blocked_until is not None and row.blocked_until > now
        ]
        if blocked:
            return max(blocked)
        for key, free in keys:
            row = rows[key]
            if row.last_failure_at is not None and row.last_failure_at < now - forget:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            row.blocked_until = now + _delay(row.failures, free) if row.failures >= free else None
            row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
    return None


def _forgive(*, username: str, ip_address: str | None, stage: str) -> None:
    """A try succeeded: clear the username's counters of this stage (and, once signed in, of
    the password too) and take the up-front count back from the address."""
    name = _name(username)
    stages = [PASSWORD, CODE] if stage == CODE else [stage]
    with transaction.atomic():
        LoginThrottle.objects.filter(key__in=[f"{each}:{name}" for each in stages]).update(
            failures=0, blocked_until=None
        )
        if ip_address:
            row = LoginThrottle.objects.select_for_update().filter(key=f"ip:{ip_address}").first()
            if row is not None and row.failures:
                row.failures -= 1
                if row.failures < conf.backoff_ip_after():
                    row.blocked_until = None
                row.save(update_fields=["failures", "blocked_until"])


def login_attempt_record(
    *, username: str, ip_address: str | None, succeeded: bool, stage: str = PASSWORD
) -> LoginAttempt:
    """Log one checked sign-in try (after ``login_attempt_claim`` let it through); a success
    also clears what the claim counted."""
    if succeeded:
        _forgive(username=username, ip_address=ip_address, stage=stage)
    return LoginAttempt.objects.create(
        username=_name(username),
        ip_address=ip_address or None,
        at=timezone.now(),
        succeeded=succeeded,
        stage=stage,
    )


def login_locked_until(
    *, username: str, ip_address: str | None, stage: str = PASSWORD, now: datetime | None = None
) -> datetime | None:
    """When tries for this username (at ``stage``) or from this address open again, or None
    if they are open now. Read only: deciding a try is ``login_attempt_claim``'s job."""
    now = now or timezone.now()
    keys = [key for key, _free in _throttles(username=username, ip_address=ip_address, stage=stage)]
    until = (
        LoginThrottle.objects.filter(key__in=keys, blocked_until__gt=now)
        .order_by("-blocked_until")
        .values_list("blocked_until", flat=True)
        .first()
    )
    return until


# --- authenticator enrolment -----------------------------------------------------------------


def enrolment_issue(
    *, user: User, actor: User | None, request: HttpRequest | None = None
) -> tuple[EnrolmentInvite, str]:
    """An administrator lets ``user`` register an authenticator: a one-time link token, valid
    for ``ENROLMENT_LINK_HOURS``. Earlier unused links of the same person stop working. The
    raw token is returned once; only its hash is kept. ``actor=None`` is the server's console
    (``tawasul enrolment_link``), the way in for a new installation's first administrator."""
    if actor is not None and not actor.is_admin:
        raise Forbidden(_("only an administrator may issue an enrolment link"))
    if not user.is_active:
        raise DomainError(_("this account is not active"), field="user")
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        EnrolmentInvite.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        invite = EnrolmentInvite.objects.create(
            user=user,
            digest=EnrolmentInvite.hash(raw),
            created_by=actor,
            expires_at=now + timedelta(hours=conf.enrolment_hours()),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=ENROLMENT,
            object_id=user.pk,
            fields=["expires_at"],
            request=request,
        )
    return invite, raw


def enrolment_find(*, raw: str) -> EnrolmentInvite | None:
    """The unused, unexpired enrolment behind a link token, or None."""
    if not raw or len(raw) > 100:
        return None
    return (
        EnrolmentInvite.objects.select_related("user")
        .filter(
            digest=EnrolmentInvite.hash(raw),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def enrolment_open(*, invite_id: int | None, user: User) -> EnrolmentInvite | None:
    """The enrolment this session holds, if it is still usable by ``user``."""
    if not invite_id:
        return None
    return EnrolmentInvite.objects.filter(
        pk=invite_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def enrolment_complete(
    *, invite_id: int, user: User, device: TOTPDevice, request: HttpRequest | None = None
) -> TOTPDevice:
    """The person proved the new device with a right code: confirm it and use up the link.
    Under a lock, so one link confirms one device even if submitted twice at once."""
    with transaction.atomic():
        invite = (
            EnrolmentInvite.objects.select_for_update()
            .filter(pk=invite_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if invite is None or device.user_id != user.pk:
            raise DomainError(
                _("This enrolment link has been used or has expired."), field="enrolment"
            )
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_at"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            object_type=ENROLMENT,
            object_id=user.pk,
            fields=["device"],
            request=request,
        )
    return device
