"""Writes for the outbox: queue a message, deliver the due ones, record what providers report.

Delivery is at most once per message: a worker claims a row with a conditional UPDATE
(pending → sending) that only one worker can win, sends it outside any transaction, then
records the result. A temporary failure is retried with exponential backoff and jitter; a
permanent one (or too many temporary ones) moves the message to the next fallback channel,
and when none is left it becomes a dead letter that staff can retry from /channels/outbox/.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, may
from tawasul.cases.models import Case, CaseNote
from tawasul.errors import Conflict, DomainError, Forbidden
from tawasul.omnichannel import conf
from tawasul.omnichannel.models import OutboxMessage, OutboxStatus
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
    holds_code: bool = False,
) -> OutboxMessage:
    """Queue one message; the same ``idempotency_key`` returns the message already queued.

    ``holds_code``: the body carries a one-time code; staff never see it, and it is removed
    from the row once the message is sent, delivered or a dead letter (``_forget_code``)."""
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
                holds_code=holds_code,
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


# --- delivery -----------------------------------------------------------------------------

logger = logging.getLogger(__name__)


def outbox_backoff(attempt: int, *, rng: random.Random | None = None) -> timedelta:
    """Wait before try ``attempt + 1``: base · 2^(attempt-1), capped, with jitter.

    The jitter (between half and the whole of the step) spreads retries after an outage so
    the recovered provider is not hit by every queued message at the same second.
    """
    base = float(conf.get("TAWASUL_OUTBOX_BACKOFF_SECONDS"))
    cap = float(conf.get("TAWASUL_OUTBOX_BACKOFF_MAX_SECONDS"))
    step = min(cap, base * (2 ** max(attempt - 1, 0)))
    return timedelta(seconds=step * (rng or random).uniform(0.5, 1.0))


def _note(
    message: OutboxMessage,
    now: datetime,
    outcome: str,
    detail: str = "",
    *,
    leg: OutboxMessage | None = None,
) -> None:
    """One line of the message's history, on ``leg``'s channel and address (by default the
    message's own: a report can move a message to its fallback while its first leg is sent)."""
    leg = leg or message
    message.history = [
        *message.history,
        {
            "at": now.isoformat(),
            "channel": leg.channel,
            "to": leg.to_address,
            "outcome": outcome,
            "detail": detail[:500],
        },
    ]


# What stays of a one-time code's text once it has left: the code is a credential, and the
# outbox row outlives its few minutes of validity (and is read by staff and in backups).
CODE_REMOVED = "[one-time code removed after sending]"


def _forget_code(message: OutboxMessage) -> None:
    """Blank the text of a message holding a one-time code that no channel will send again:
    sent with no fallback left, delivered, or a dead letter (which is then not retried)."""
    if message.holds_code:
        message.body = CODE_REMOVED


def outbox_recover_stale(*, now: datetime | None = None) -> int:
    """Messages a dead worker left "sending" become dead letters, not automatic resends.

    Whether the provider got them is unknown; sending again could reach the resident twice,
    so a person decides (the Retry button) instead.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=float(conf.get("TAWASUL_OUTBOX_LEASE_SECONDS")))
    stale = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - lease)
    count = 0
    for message in stale:
        _note(message, now, "interrupted", "the worker stopped while sending")
        _forget_code(message)
        updated = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED,
            last_error="interrupted while sending; not resent automatically to avoid a duplicate",
            history=message.history,
            body=message.body,
        )
        count += updated
        if updated:
            logger.warning(
                "outbox %s: interrupted while sending; moved to dead letters", message.pk
            )
    return count


def outbox_claim(*, message_id: int, now: datetime) -> bool:
    """Take one due message for this worker; False if another worker already has it."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now
        ).update(status=OutboxStatus.SENDING, claimed_at=now)
    )


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 100) -> list[OutboxMessage]:
    """Send every message that is due (one pass of the worker). Returns the messages tried."""
    now = now or timezone.now()
    outbox_recover_stale(now=now)
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    tried = []
    for pk in due:
        if outbox_claim(message_id=pk, now=now):
            tried.append(outbox_send_claimed(message_id=pk, now=now))
    return tried


def outbox_send_claimed(*, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Send one claimed message through its channel's adapter and record the outcome."""
    from tawasul.omnichannel.delivery import PermanentFailure, adapter_for

    now = now or timezone.now()
    message = OutboxMessage.objects.select_related("case", "resident").get(pk=message_id)
    if message.status != OutboxStatus.SENDING:
        raise Conflict("claim the message before sending it", field="status")
    try:
        provider_id = adapter_for(message.channel).send(message)
    except PermanentFailure as exc:
        return _failed(message, now, str(exc), permanent=True)
    except Exception as exc:
        # Anything else (network, provider outage, a bug in an adapter) is retried later;
        # the worker itself must keep running for the other messages.
        logger.warning("outbox %s via %s failed: %s", message.pk, message.channel, exc)
        return _failed(message, now, f"{type(exc).__name__}: {exc}", permanent=False)
    message = _record_sent(message, now, provider_id or "")
    logger.info("outbox %s sent via %s (%s)", message.pk, message.channel, provider_id)
    return message


# A provider's report may move a message on from these states only; "sending": the report
# overtook the provider's answer to the send (_record_sent). "delivered" is final: neither a
# replayed report nor a later failure moves it again.
_REPORTABLE = (OutboxStatus.SENDING, OutboxStatus.SENT)


class ReportRefused(Forbidden):
    """A delivery report that would not move the message on: a replay, a failure after the
    delivery, or a report on a message that was not sent (or has left that leg), or one
    that is not signed for it."""

    def __init__(self, message: str, *, field: str, code: str = "report_refused") -> None:
        DomainError.__init__(self, message, field=field, code=code)


def _record_sent(sent: OutboxMessage, now: datetime, provider_id: str) -> OutboxMessage:
    """The provider took ``sent``. Its delivery report may have come first (Kannel's
    arrives while the send's HTTP answer is still on its way): the row is read again under a
    lock, and a report already recorded is kept, never put back to "sent"."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=sent.pk)
        same_leg = (message.channel, message.to_address) == (sent.channel, sent.to_address)
        if same_leg and message.status in (*_REPORTABLE, OutboxStatus.DELIVERED):
            if message.status == OutboxStatus.SENDING:  # no report yet: the usual case
                message.status = OutboxStatus.SENT
                message.last_error = ""
                message.provider_message_id = provider_id or message.provider_message_id
            else:  # a delivery report came first; its operator id, if any, is kept
                message.provider_message_id = message.provider_message_id or provider_id
            message.provider_message_id = message.provider_message_id[:255]
            message.attempts += 1
            message.sent_at = now
            message.claimed_at = None
            if not message.fallback_channels:
                _forget_code(message)
        # Otherwise a failure report moved it on (to a dead letter, or to its fallback channel,
        # which a worker may be sending already): only the note, on the leg that was sent.
        _note(message, now, "sent", provider_id, leg=sent)
        message.save()
    return message


def _failed(message: OutboxMessage, now: datetime, error: str, *, permanent: bool) -> OutboxMessage:
    message.attempts += 1
    message.last_error = error[:2000]
    _note(message, now, "permanent failure" if permanent else "temporary failure", error)
    if not permanent and message.attempts < int(conf.get("TAWASUL_OUTBOX_MAX_ATTEMPTS")):
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + outbox_backoff(message.attempts)
    elif message.fallback_channels:
        channel, address = message.fallback_channels[0]
        logger.warning(
            "outbox %s: %s failed for good (%s); falling back to %s",
            message.pk,
            message.channel,
            error,
            channel,
        )
        message.fallback_channels = message.fallback_channels[1:]
        message.channel, message.to_address = channel, address
        message.attempts = 0
        message.provider_message_id = ""
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now
    else:
        logger.error(
            "outbox %s: dead letter after %s attempts: %s", message.pk, message.attempts, error
        )
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
        _forget_code(message)
    message.claimed_at = None
    message.save()
    return message


def outbox_report(
    *, message: OutboxMessage, delivered: bool, detail: str = "", provider_id: str = ""
) -> OutboxMessage:
    """A provider's delivery report: delivered, or failed at the handset/network.

    A failure after the message left us is permanent for that channel, so the next fallback
    channel is tried. One report per transition: a report on a message that is not being
    sent or sent (delivered already, failed, moved on to its fallback) raises
    :class:`ReportRefused` and changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status not in _REPORTABLE:
            if message.status == OutboxStatus.DELIVERED:
                reason = (
                    "the message is already delivered"
                    if delivered
                    else "the message is delivered; a failure report cannot change that"
                )
            else:
                reason = f"the message is {message.status}: no delivery report is expected"
            raise ReportRefused(reason, field="status")
        if provider_id and not message.provider_message_id.startswith("<"):
            message.provider_message_id = provider_id[:255]
        if delivered:
            message.status = OutboxStatus.DELIVERED
            message.delivered_at = message.delivered_at or now
            _forget_code(message)
            _note(message, now, "delivered", detail)
            message.save()
            return message
        return _failed(
            message, now, detail or "the provider reported a failed delivery", permanent=True
        )


def can_retry_outbox(user: User) -> bool:
    """Dead letters and their retry: supervisors and administrators only."""
    return may(user, Action.OUTBOX_MANAGE)


def outbox_retry(*, message: OutboxMessage, actor: User) -> OutboxMessage:
    """Send a dead letter again from the start (a person decided it is safe to)."""
    if not can_retry_outbox(actor):
        raise Forbidden("only supervisors and administrators may retry messages")
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status not in (OutboxStatus.FAILED, OutboxStatus.CANCELLED):
            raise Conflict(f"the message is {message.status}, not failed", field="status")
        if message.holds_code and message.body == CODE_REMOVED:
            raise Conflict(
                _("the one-time code was removed from this message; ask for a new one"),
                field="status",
            )
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = now
        message.claimed_at = None
        _note(message, now, "retry", f"retried by {actor.get_username()}")
        message.save()
    logger.info("outbox %s: retried by %s", message.pk, actor.get_username())
    return message
