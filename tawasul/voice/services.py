"""Writes of the voice gateway: flows, agents' phones, calls and call-back requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.directory.models import Hotline
from tawasul.errors import DomainError, NotFound
from tawasul.interactions.models import Channel, Interaction, Outcome
from tawasul.interactions.services import interaction_record, interaction_update_timings
from tawasul.voice import conf, flows
from tawasul.voice.models import CallbackRequest, IvrFlow, VoiceEndpoint
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
    except Exception as exc:
        raise DomainError(f"not valid YAML: {exc}", field="yaml") from None
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
    *, hotline: Hotline, call_id: str, caller: str, now: datetime | None = None
) -> Interaction:
    """A call reached a hotline: record it once (idempotent on the SIP Call-ID), finding or
    creating the resident when the caller's number is a phone number."""
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    resident = None
    phone = _caller_phone(caller)
    with transaction.atomic():
        if phone:
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
            offered_at=now or timezone.now(),
        )
    return interaction


def call_progress(
    *,
    interaction: Interaction,
    ivr_path: list[str] | None = None,
    language: str | None = None,
    queue: str | None = None,
    recording: str | None = None,
) -> Interaction:
    """Keep the IVR path, language, queue and recording of a call up to date."""
    fields = []
    if ivr_path is not None:
        interaction.ivr_path = [str(step)[:60] for step in ivr_path][:50]
        fields.append("ivr_path")
    if language is not None:
        interaction.language = language[:8]
        fields.append("language")
    if queue is not None:
        interaction.queue = queue[:80]
        fields.append("queue")
    if recording is not None:
        interaction.recording = recording[:300]
        fields.append("recording")
    if fields:
        interaction.save(update_fields=fields)
    return interaction


def call_finished(
    *,
    interaction: Interaction,
    outcome: str | None = None,
    ended_at: datetime | None = None,
    hold_seconds: int | None = None,
) -> Interaction:
    """The caller's leg ended: the end time, the time on hold and the outcome."""
    interaction.refresh_from_db()
    if interaction.outcome != Outcome.PENDING and outcome is None:
        outcome = None
    return interaction_update_timings(
        interaction=interaction,
        ended_at=None if interaction.ended_at else (ended_at or timezone.now()),
        hold_seconds=hold_seconds,
        outcome=outcome,
    )


def callback_request_create(
    *, interaction: Interaction, reason: str, queue: str = ""
) -> CallbackRequest:
    """The caller asked to be called back on the number they called from (once per call)."""
    request, _ = CallbackRequest.objects.get_or_create(
        interaction=interaction,
        defaults={
            "hotline_id": interaction.hotline_id,
            "phone": interaction.address[:40],
            "language": interaction.language,
            "queue": queue,
            "reason": reason[:20],
        },
    )
    if interaction.outcome == Outcome.PENDING:
        interaction.outcome = Outcome.CALLBACK_REQUESTED
        interaction.save(update_fields=["outcome"])
    return request
