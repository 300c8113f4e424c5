"""Writes of the voice gateway: flows, agents' phones, calls, call-back requests and their
dialling, agents' holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tawasul.accounts.models import AuditAction, User
from tawasul.accounts.services import audit_record
from tawasul.directory.models import Hotline
from tawasul.errors import Conflict, DomainError, NotFound
from tawasul.interactions.models import Channel, Direction, Interaction, Outcome
from tawasul.interactions.services import interaction_record, interaction_update_timings
from tawasul.voice import conf, flows
from tawasul.voice.front import SecurityEvent
from tawasul.voice.models import (
    CallbackRequest,
    CallbackStatus,
    CallHold,
    IvrFlow,
    VoiceEndpoint,
)
from tawasul.voice.selectors import flows_for_export


def ivr_flow_save(
    *, hotline: Hotline, definition: dict[str, Any], actor: User | None = None, comment: str = ""
) -> IvrFlow:
    """Check a flow and store it as the hotline's next version (the newest active one answers)."""
    problems = flows.validate(definition)
    if problems:
        path = problems[0][0]
        raise DomainError(
            "; ".join(f"{p}: {m}" for p, m in problems), field=f"flow.{path}" if path else "flow"
        )
    with transaction.atomic():
        Hotline.objects.select_for_update().filter(pk=hotline.pk).first()
        last = IvrFlow.objects.filter(hotline=hotline).aggregate(v=Max("version"))["v"] or 0
        return IvrFlow.objects.create(
            hotline=hotline,
            version=last + 1,
            definition=definition,
            created_by=actor,
            comment=comment[:200],
        )


def ivr_import(*, text: str, actor: User | None = None) -> list[IvrFlow]:
    """Import flows from YAML (all or nothing); an unchanged flow makes no new version."""
    try:
        docs = flows.from_yaml(text)
    except flows.FlowError as exc:
        raise DomainError(str(exc), field="yaml") from None
    saved = []
    with transaction.atomic():
        for doc in docs:
            hotline = Hotline.objects.filter(number=doc["hotline"]).first()
            if hotline is None:
                raise NotFound(f"unknown hotline: {doc['hotline']}", field="hotline")
            current = hotline.ivr_flows.filter(active=True).order_by("-version").first()
            if current is not None and current.definition == doc["flow"]:
                saved.append(current)
                continue
            saved.append(
                ivr_flow_save(
                    hotline=hotline, definition=doc["flow"], actor=actor, comment="imported"
                )
            )
    return saved


def ivr_export(*, numbers: list[str] | None = None) -> str:
    return flows.to_yaml(flows_for_export(numbers=numbers))


def voice_endpoint_set(
    *, user: User, sip_username: str, password: str, skills: dict[str, int] | None = None
) -> VoiceEndpoint:
    """Give an agent a SIP phone account (or change its password); stores only the HA1."""
    if len(password) < 8:
        raise DomainError("at least 8 characters", field="password")
    if not sip_username or not sip_username.replace("-", "").replace("_", "").isalnum():
        raise DomainError("letters, digits, - and _ only", field="sip_username")
    taken = VoiceEndpoint.objects.filter(sip_username=sip_username).exclude(user=user).exists()
    if taken:
        raise DomainError("this SIP user name is taken", field="sip_username")
    endpoint, _ = VoiceEndpoint.objects.update_or_create(
        user=user,
        defaults={
            "sip_username": sip_username,
            "ha1": VoiceEndpoint.digest_ha1(sip_username, conf.REALM, password),
            "skills": dict(skills or {}),
            "active": True,
        },
    )
    return endpoint


def _caller_phone(address: str) -> str | None:
    user = address.split("sip:", 1)[-1].split("@", 1)[0].split(";", 1)[0]
    digits = user.lstrip("+")
    return "+" + digits if digits.isdigit() and len(digits) >= 8 else None


def call_offered(
    *,
    hotline: Hotline,
    call_id: str,
    caller: str,
    caller_verified: bool,
    now: datetime | None = None,
) -> Interaction:
    """A call reached a hotline: record it once (idempotent on the SIP Call-ID), finding or
    creating the resident when the caller's number is a phone number.

    ``caller_verified``: a trusted trunk vouched for the number (docs/voice.md "Who the SIP
    front trusts"). Any caller can put any number in From, so an unverified number is kept on
    the call (the agent sees it, marked unverified, and may search for it) but never finds
    a resident: the desk would pop that resident's 360 for whoever typed their number.
    """
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    resident = None
    phone = _caller_phone(caller)
    with transaction.atomic():
        if phone and caller_verified:
            try:
                contacts = normalize_contacts(phone=phone)
                resident, _ = resident_find_or_create(contacts=contacts)
            except DomainError:
                resident = None  # not a dialable number: keep the call, without a resident
        interaction, _new = interaction_record(
            channel=Channel.CALL,
            external_id=call_id[:255],
            hotline=hotline,
            entity=hotline.entities.order_by("pk").first(),
            resident=resident,
            address=caller[:254],
            caller_verified=caller_verified,
            offered_at=now or timezone.now(),
        )
    return interaction


def sip_security_record(*, events: Iterable[SecurityEvent]) -> int:
    """Write what the SIP front refused to the audit log: each failed registration (wrong
    password, unknown user, replayed credentials, another user's name) and each source it
    blocked (too many failures, or a flood). Refused INVITEs are only counted and logged by
    the gateway: a stranger's calls are no one's personal data. Returns the entries written.
    """
    written = 0
    for event in events:
        if event.kind == "register_failed":
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_FAILED,
                object_type="sip_registration",
                object_id=event.user or "-",
                fields=[event.reason or "failed"],
                ip_address=event.source,
                user_agent=event.user_agent,
            )
        elif event.kind == "source_blocked":
            audit_record(
                actor=None,
                action=AuditAction.BLOCKED,
                object_type="sip_source",
                object_id=event.source,
                fields=[event.reason or "blocked"],
                ip_address=event.source,
            )
        else:
            continue
        written += 1
    return written


def _locked(interaction: Interaction) -> Interaction:
    """The row as it is now, locked until the transaction ends (PostgreSQL: the row; SQLite:
    the database, at BEGIN IMMEDIATE).

    The desk writes the same row during a call (answer, outcome, case): the gateway changes
    only its own fields, on this fresh copy, so nothing the desk wrote is put back, and the
    roll-ups (kept by the post-save signal) see the row as it really is.
    """
    return Interaction.objects.select_for_update().get(pk=interaction.pk)


def call_progress(
    *,
    interaction: Interaction,
    ivr_path: list[str] | None = None,
    language: str | None = None,
    queue: str | None = None,
    recording: str | None = None,
) -> Interaction:
    """Keep the IVR path, language, queue and recording of a call up to date."""
    values: dict[str, Any] = {}
    if ivr_path is not None:
        values["ivr_path"] = [str(step)[:60] for step in ivr_path][:50]
    if language is not None:
        values["language"] = language[:8]
    if queue is not None:
        values["queue"] = queue[:80]
    if recording is not None:
        values["recording"] = recording[:300]
    if not values:
        return interaction
    with transaction.atomic():
        row = _locked(interaction)
        for name, value in values.items():
            setattr(row, name, value)
            setattr(interaction, name, value)
        row.save(update_fields=list(values))
    return interaction


def call_finished(
    *,
    interaction: Interaction,
    outcome: str | None = None,
    ended_at: datetime | None = None,
    hold_seconds: int | None = None,
) -> Interaction:
    """The caller's leg ended: the end time (unless the desk recorded it), the time on hold,
    and ``outcome`` if the call's outcome is still pending (an agent's resolution or case
    stays; an answered call is never made abandoned)."""
    with transaction.atomic():
        row = _locked(interaction)
        if row.outcome != Outcome.PENDING or (outcome == Outcome.ABANDONED and row.answered_at):
            outcome = None
        interaction_update_timings(
            interaction=row,
            ended_at=None if row.ended_at else (ended_at or timezone.now()),
            hold_seconds=hold_seconds,
            outcome=outcome,
        )
    interaction.refresh_from_db()
    return interaction


def callback_request_create(
    *,
    interaction: Interaction,
    reason: str,
    queue: str = "",
    line_since: datetime | None = None,
) -> CallbackRequest:
    """The caller asked to be called back on the number they called from (once per call).

    ``queue`` is the line the call-back waits in (the engine serves it there when a skilled
    agent is free); ``line_since`` keeps the caller's place: when they joined that line.
    """
    request, _ = CallbackRequest.objects.get_or_create(
        interaction=interaction,
        defaults={
            "hotline_id": interaction.hotline_id,
            "phone": interaction.address[:40],
            "language": interaction.language,
            "queue": queue[:80],
            "reason": reason[:20],
            "line_since": line_since or timezone.now(),
        },
    )
    with transaction.atomic():
        row = _locked(interaction)
        if row.outcome == Outcome.PENDING:
            interaction_update_timings(interaction=row, outcome=Outcome.CALLBACK_REQUESTED)
            interaction.outcome = row.outcome
    return request


def callback_claim(*, request_id: int, now: datetime | None = None) -> CallbackRequest | None:
    """Take a pending call-back for dialling; None when another dialler has it or it is no
    longer pending. One conditional UPDATE, so two gateways can never dial the same request."""
    claimed = CallbackRequest.objects.filter(pk=request_id, status=CallbackStatus.PENDING).update(
        status=CallbackStatus.DIALLING, last_attempt_at=now or timezone.now()
    )
    return CallbackRequest.objects.select_related("hotline").get(pk=request_id) if claimed else None


def callback_unclaim(*, request: CallbackRequest) -> None:
    """The agent did not pick up: the request is pending again (the resident was not dialled,
    so no attempt is counted) and keeps its place in line."""
    CallbackRequest.objects.filter(pk=request.pk, status=CallbackStatus.DIALLING).update(
        status=CallbackStatus.PENDING
    )


def callback_give_up(*, request: CallbackRequest) -> None:
    """A request that can never be dialled (no phone number) fails at once."""
    CallbackRequest.objects.filter(pk=request.pk, status=CallbackStatus.DIALLING).update(
        status=CallbackStatus.FAILED, next_attempt_at=None
    )


def _resident_number(phone: str) -> str:
    """The digits the trunk dials: the caller's number as it reached us, without SIP syntax."""
    user = phone.split("sip:", 1)[-1].split("@", 1)[0].split(";", 1)[0]
    return "".join(ch for ch in user if ch in "+0123456789")


def callback_number(*, request: CallbackRequest) -> str | None:
    """The number to dial, or None when the caller's address is not a phone number."""
    number = _resident_number(request.phone)
    return number if len(number.lstrip("+")) >= 3 else None


def callback_attempt_start(*, request: CallbackRequest, now: datetime | None = None) -> Interaction:
    """An agent is free for a claimed call-back: the outbound call is recorded (one
    Interaction per attempt, linked from the request) before the agent's phone rings."""
    now = now or timezone.now()
    origin = request.interaction
    with transaction.atomic():
        attempt = request.attempts + 1
        interaction, _new = interaction_record(
            channel=Channel.CALL,
            external_id=f"callback:{request.pk}:{attempt}",
            direction=Direction.OUTBOUND,
            hotline_id=request.hotline_id,
            entity_id=origin.entity_id,
            resident_id=origin.resident_id,
            language=request.language,
            queue=request.queue,
            address=request.phone,
            subject=f"Call-back ({request.reason})"[:300],
            ivr_path=["callback", f"request:{request.pk}", f"attempt:{attempt}"],
            offered_at=now,
        )
        request.attempts = attempt
        request.outbound = interaction
        request.save(update_fields=["attempts", "outbound"])
    return interaction


def callback_attempt_finished(
    *, request: CallbackRequest, reached: bool, now: datetime | None = None
) -> CallbackRequest:
    """The attempt is over: done when the resident answered; otherwise pending again after
    the retry delay (same place in line), or failed once the attempts are used up."""
    now = now or timezone.now()
    if reached:
        request.status = CallbackStatus.DONE
        request.next_attempt_at = None
    elif request.attempts >= conf.CALLBACK_ATTEMPTS:
        request.status = CallbackStatus.FAILED
        request.next_attempt_at = None
    else:
        request.status = CallbackStatus.PENDING
        request.next_attempt_at = now + timedelta(seconds=conf.CALLBACK_RETRY_SECONDS)
    CallbackRequest.objects.filter(pk=request.pk, status=CallbackStatus.DIALLING).update(
        status=request.status, next_attempt_at=request.next_attempt_at
    )
    return request


# --- agent hold ------------------------------------------------------------------------------


def call_hold_start(
    *, interaction: Interaction, agent: User | None, now: datetime | None = None
) -> CallHold:
    """The agent puts the connected call on hold (the caller hears hold audio). Holding a
    call already on hold keeps the hold that is running."""
    if interaction.channel != Channel.CALL:
        raise DomainError("only a phone call can be put on hold", field="offer")
    if interaction.answered_at is None or interaction.ended_at is not None:
        raise Conflict("the call is not connected", field="offer")
    now = now or timezone.now()
    with transaction.atomic():
        open_hold = CallHold.objects.select_for_update().filter(
            interaction=interaction, ended_at__isnull=True
        )
        current = open_hold.first()
        if current is not None:
            return current
        return CallHold.objects.create(interaction=interaction, agent=agent, started_at=now)


def call_hold_end(*, interaction: Interaction, now: datetime | None = None) -> Interaction:
    """The hold (if any) ends now; ``hold_seconds`` becomes the sum of the call's holds."""
    now = now or timezone.now()
    with transaction.atomic():
        running = list(
            CallHold.objects.select_for_update().filter(
                interaction=interaction, ended_at__isnull=True
            )
        )
        if not running:
            return interaction  # not on hold (most calls end so): nothing to write
        for hold in running:
            hold.ended_at = max(now, hold.started_at)
            hold.save(update_fields=["ended_at"])
        total = sum(
            (end - start).total_seconds()
            for start, end in CallHold.objects.filter(
                interaction=interaction, ended_at__isnull=False
            ).values_list("started_at", "ended_at")
        )
        row = _locked(interaction)
        interaction_update_timings(interaction=row, hold_seconds=round(total))
        interaction.hold_seconds = row.hold_seconds
        return interaction
