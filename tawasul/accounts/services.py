"""Writes for accounts: the audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from tawasul.accounts.models import ApiToken, AuditAction, AuditEntry, User


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    object_type: str,
    object_id: object,
    resident_id: int | None = None,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one audit entry; call it wherever staff read or change personal data."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        resident_id=resident_id,
        fields=sorted(fields),
        purpose=purpose[:80],
        ip_address=_client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
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
            ip_address=_client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
            path=(request.get_full_path() if request else "")[:300],
        )
        for resident_id in resident_ids
    )


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke a token (saved, so every cache of verified tokens hears of it)."""
    token.revoked = True
    token.save(update_fields=["revoked"])
