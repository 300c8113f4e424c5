"""Writes for the channels: the outbox (delivery is added by the channel adapters)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tawasul.cases.models import Case, CaseNote
from tawasul.errors import DomainError
from tawasul.omnichannel.models import OutboxMessage
from tawasul.residents.models import ContactKind, Resident

# Which contact point each reply channel writes to.
_ADDRESS_KIND = {
    "sms": ContactKind.PHONE,
    "phone": ContactKind.PHONE,
    "email": ContactKind.EMAIL,
    "app": ContactKind.APP,
    "social": ContactKind.SOCIAL,
}


def resident_reply_route(resident: Resident) -> list[tuple[str, str]]:
    """(channel, address) pairs to try for this resident: preferred first, then fallbacks,
    skipping channels the resident has no contact point for."""
    addresses = {}
    for contact in resident.contacts.all():
        addresses.setdefault(contact.kind, contact.value)
    route = []
    for channel in [resident.preferred_channel, *resident.fallback_channels]:
        kind = _ADDRESS_KIND.get(channel)
        if kind and kind in addresses and channel not in [c for c, _ in route]:
            route.append((channel, addresses[kind]))
    return route


def outbox_enqueue(
    *,
    channel: str,
    to_address: str,
    body: str,
    subject: str = "",
    language: str = "",
    case: Case | None = None,
    resident: Resident | None = None,
    note: CaseNote | None = None,
    fallback: list[tuple[str, str]] | None = None,
    idempotency_key: str | None = None,
    headers: dict | None = None,
) -> OutboxMessage:
    """Queue one message; the same ``idempotency_key`` returns the message already queued."""
    if not to_address:
        raise DomainError("no address to send to", field="to_address")
    if idempotency_key:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                channel=channel,
                to_address=to_address,
                subject=subject[:300],
                body=body,
                language=language,
                case=case,
                resident=resident,
                note=note,
                fallback_channels=[list(pair) for pair in (fallback or [])],
                idempotency_key=idempotency_key or None,
                headers=headers or {},
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)


def outbox_to_resident(
    *,
    resident: Resident,
    body: str,
    subject: str = "",
    case: Case | None = None,
    note: CaseNote | None = None,
    idempotency_key: str | None = None,
) -> OutboxMessage | None:
    """Queue a message on the resident's preferred channel with their fallbacks behind it.

    Returns None when the resident has no usable contact point (the caller records that).
    """
    route = resident_reply_route(resident)
    if not route:
        return None
    (channel, address), *fallback = route
    return outbox_enqueue(
        channel=channel,
        to_address=address,
        body=body,
        subject=subject,
        language=resident.preferred_language,
        case=case,
        resident=resident,
        note=note,
        fallback=fallback,
        idempotency_key=idempotency_key,
    )
