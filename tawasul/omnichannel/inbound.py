"""Writes for inbound contact on every channel: e-mail, fax-by-e-mail, SMS, social messages.

Each ``*_receive`` function stores the contact durably — Resident, Interaction, a new Case or
an update of the case it answers, its files, and the acknowledgement in the outbox — in one
transaction, and only then returns; the channel adapter tells the sender "received" after
that. The channel's message id makes a redelivery a no-op that returns the first result.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.cases import services as case_services
from tawasul.cases.choices import CaseKind, CaseStatus, NoteVisibility
from tawasul.cases.models import Case
from tawasul.directory.models import Entity, Hotline
from tawasul.errors import DomainError
from tawasul.interactions.models import Channel, Direction, Interaction, Outcome
from tawasul.interactions.services import interaction_record
from tawasul.omnichannel import conf, mail
from tawasul.omnichannel.models import OutboxMessage
from tawasul.omnichannel.services import outbox_enqueue, resident_reply_route
from tawasul.residents import texts
from tawasul.residents.models import ContactKind, Resident
from tawasul.residents.selectors import case_text_fallbacks
from tawasul.residents.services import (
    ContactInput,
    InvalidContact,
    given_for_codes,
    normalize_contacts,
    normalize_phone,
    resident_find_or_create,
)

logger = logging.getLogger(__name__)

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s.-]{6,16}\d")


class TooLarge(DomainError):
    """The message is over the size limit (SMTP 552)."""


class NotConfigured(Exception):
    """The center's configuration cannot place this contact (temporary: the sender retries)."""


@dataclass
class Received:
    """What happened to one inbound message."""

    interaction: Interaction
    case: Case | None
    resident: Resident | None = None
    duplicate: bool = False
    case_created: bool = False
    refused_files: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.case.reference if self.case else ""


# Letters only Urdu uses among the Arabic-script languages (ٹ ڈ ڑ ں ھ ہ ے), then the
# scripts of the other hotline languages. Hindi and Nepali share Devanagari: Hindi is the
# larger community; an agent corrects the resident's language when it is Nepali.
_SCRIPTS = (
    (re.compile(r"[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]"), "ur"),
    (re.compile(r"[\u0d00-\u0d7f]"), "ml"),
    (re.compile(r"[\u0980-\u09ff]"), "bn"),
    (re.compile(r"[\u0900-\u097f]"), "hi"),
    (_ARABIC, "ar"),
)


def language_of(text: str) -> str:
    """The language a message is written in, told by its script (Latin script: English)."""
    for pattern, code in _SCRIPTS:
        if pattern.search(text or ""):
            return code
    return "en"


# --- routing ------------------------------------------------------------------------------


def triage_entity() -> Entity:
    """Where new contact goes when nothing routes it: the configured triage entity, else
    the first entity on the center's hotline (agents re-route from there)."""
    code = conf.get("TAWASUL_TRIAGE_ENTITY")
    if code:
        entity = Entity.objects.filter(code=code).first()
        if entity is None:
            raise NotConfigured(f"TAWASUL_TRIAGE_ENTITY {code!r} is not an entity")
        return entity
    center = center_hotline()
    entity = center.entities.order_by("code").first() if center else None
    entity = entity or Entity.objects.order_by("code").first()
    if entity is None:
        raise NotConfigured("no entity to route contact to")
    return entity


def center_hotline() -> Hotline | None:
    return Hotline.objects.filter(number=conf.get("TAWASUL_CENTER_HOTLINE"), active=True).first()


def route_email(recipients: list[str]) -> tuple[Entity, Hotline | None]:
    """The entity a new e-mail is for: the configured map, else a local part (or its plus tag)
    that is an entity code, else triage on the center hotline."""
    routes = conf.get("TAWASUL_EMAIL_ROUTES")
    for address in recipients:
        address = address.strip().lower()
        local = address.partition("@")[0]
        base, _plus, tag = local.partition("+")
        for key in (address, local, base, tag):
            code = routes.get(key) if key else None
            if code and (entity := Entity.objects.filter(code=code).first()):
                return entity, None
        for key in (base, tag):
            if key and (entity := Entity.objects.filter(code=key).first()):
                return entity, None
    return triage_entity(), center_hotline()


def route_short_code(receiver: str) -> tuple[Entity, Hotline | None]:
    """An SMS to a hotline's number goes to that hotline's entity."""
    number = receiver.strip()
    # A NUL cannot even be looked up in PostgreSQL; neither it nor an overlong string is one of
    # our numbers, and the message still reaches the triage desk.
    usable = number.isprintable() and len(number) <= Hotline._meta.get_field("number").max_length
    hotline = Hotline.objects.filter(number=number, active=True).first() if usable else None
    if hotline is not None:
        entity = hotline.entities.order_by("code").first()
        if entity is not None:
            return entity, hotline
    return triage_entity(), center_hotline()


# --- the shared path ----------------------------------------------------------------------


# Interaction.external_id holds 255 characters; the channels' ids (Kannel's UUIDs, Meta's
# wamids, Message-IDs) are far shorter.
MAX_MESSAGE_ID = 255


def message_id_clean(raw: str, *, field: str = "id", prefix: str = "") -> str:
    """The channel's message id as stored and looked up (cut to the column, the same way
    both times), or a DomainError naming ``field`` for an id with control characters: a NUL
    cannot be stored in PostgreSQL at all, and the 503 it caused made the sender retry for
    ever."""
    value = raw.strip()
    if not value:
        raise DomainError("the message id is missing", field=field)
    if not value.isprintable():
        raise DomainError("the message id has control characters", field=field)
    return (prefix + value)[:MAX_MESSAGE_ID]


def _existing(channel: str, external_id: str) -> Received | None:
    interaction = Interaction.objects.filter(channel=channel, external_id=external_id).first()
    if interaction is None:
        return None
    return Received(interaction=interaction, case=interaction.cases.first(), duplicate=True)


def _thread_case(
    *, resident: Resident | None, references: list[str], message_ids: list[str]
) -> Case | None:
    """The case this message answers.

    A Message-ID we sent or received on a case is enough. A reference alone is not: anyone
    can type one, so it threads only when the sender is the case's resident (the same proof
    the portal asks for); otherwise the message opens a new case.
    """
    if message_ids:
        case = (
            Case.objects.filter(
                interactions__channel__in=[Channel.EMAIL, Channel.FAX],
                interactions__external_id__in=message_ids,
            )
            .order_by("-created_at")
            .first()
        )
        if case is None:
            sent = (
                OutboxMessage.objects.filter(
                    provider_message_id__in=message_ids, case__isnull=False
                )
                .select_related("case")
                .first()
            )
            case = sent.case if sent else None
        if case is not None:
            return case
    for reference in references:
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            continue
        if resident is not None and case.resident_id == resident.pk:
            return case
        logger.info("reference %s quoted by someone else than its resident; new case", reference)
    return None


def _attach(case: Case, files: list[mail.MailFile]) -> list[str]:
    """Attach the files a case accepts; return a line per refused file (logged, noted)."""
    refused = []
    limit = settings.TAWASUL["ATTACHMENT_MAX_BYTES"]
    for item in files:
        reason = ""
        if not item.data:
            reason = "empty or undecodable"
        elif len(item.data) > limit:
            reason = f"larger than {limit // (1024 * 1024)} MB"
        elif case_services.sniff_content_type(item.data[:16]) is None:
            reason = f"type not accepted ({item.declared_type}); only PDF, images and TIFF"
        if not reason:
            upload = SimpleUploadedFile(item.filename[:200], item.data)
            try:
                case_services.case_add_attachment(case=case, actor=None, upload=upload)
            except DomainError as exc:
                reason = exc.message
        if reason:
            logger.warning(
                "case %s: attachment %r refused: %s", case.reference, item.filename, reason
            )
            refused.append(f"{item.filename}: {reason}")
    return refused


def _acknowledge(
    *,
    received: Received,
    resident: Resident | None,
    channel: str,
    address: str,
    external_id: str,
    headers: dict | None = None,
) -> None:
    case = received.case
    if case is None or not address:
        return
    wanted = (resident.preferred_language if resident else "") or case.language
    fallbacks = case_text_fallbacks(case)
    key = "ack.new" if received.case_created else "ack.added"
    body, language = texts.written(key, wanted, fallbacks=fallbacks, reference=case.reference)
    title, title_language = texts.written("ack.subject", language, fallbacks=fallbacks)
    # "[reference]" leads the subject (replies thread by it); isolated in a right-to-left one.
    tag = f"[{case.reference}]"
    subject = f"{texts.isolate(tag) if texts.is_rtl(title_language) else tag} {title}"
    fallback = [
        pair for pair in (resident_reply_route(resident) if resident else []) if pair[0] != channel
    ]
    digest = hashlib.sha256(external_id.encode()).hexdigest()[:40]
    outbox_enqueue(
        channel=channel,
        to_address=address,
        body=body,
        subject=subject,
        language=language,
        case=case,
        resident=resident,
        fallback=fallback,
        idempotency_key=f"ack:{channel}:{digest}",
        headers=headers,
    )


def _receive(
    *,
    channel: str,
    external_id: str,
    contacts: list[ContactInput],
    full_name: str,
    preferred_channel: str,
    address: str,
    subject: str,
    text: str,
    route: tuple[Entity, Hotline | None],
    references: list[str],
    message_ids: list[str] = (),  # type: ignore[assignment]
    files: list[mail.MailFile] = (),  # type: ignore[assignment]
    offered_at: datetime | None = None,
    ack: dict | None = None,
) -> Received:
    """The shared path; ``ack`` (channel, address, headers) queues the acknowledgement in the
    same transaction, so a stored contact always has its acknowledgement queued."""
    language = language_of(f"{subject} {text}")
    with transaction.atomic():
        resident = None
        if contacts:
            resident, _created = resident_find_or_create(
                contacts=contacts,
                full_name=full_name,
                preferred_language=language,
                preferred_channel=preferred_channel,
            )
        case = _thread_case(resident=resident, references=references, message_ids=list(message_ids))
        entity, hotline = route
        interaction, created = interaction_record(
            channel=channel,
            external_id=external_id,
            direction=Direction.INBOUND,
            entity=case.entity if case else entity,
            hotline=hotline if case is None else None,
            resident=resident,
            language=language,
            address=address[:254],
            subject=subject[:300],
            body=text,
            offered_at=offered_at or timezone.now(),
            outcome=Outcome.CASE_UPDATED if case else Outcome.CASE_OPENED,
        )
        if not created:  # a concurrent delivery of the same message won
            return Received(interaction=interaction, case=interaction.cases.first(), duplicate=True)
        received = Received(interaction=interaction, case=case, resident=resident)
        if case is None:
            first_line = next((line for line in text.splitlines() if line.strip()), "")
            case = case_services.case_create(
                actor=None,
                kind=CaseKind.INQUIRY,
                entity=entity,
                hotline=hotline,
                subject=(subject or first_line or _("Message without subject"))[:200],
                description=text or subject or _("(no text)"),
                resident=resident,
                channel=channel,
                language=language,
                interaction=interaction,
                contacts_given=given_for_codes(contacts),
            )
            received.case, received.case_created = case, True
        else:
            case.interactions.add(interaction)
            label = Channel(channel).label
            case_services.case_add_note(
                case=case,
                actor=None,
                body=f"{label} · {address}\n{subject}\n\n{text}".strip() or str(label),
                visibility=NoteVisibility.INTERNAL,
            )
            if case.status == CaseStatus.AWAITING_RESIDENT:
                case = case_services.case_transition(case=case, action="resume", actor=None)
                received.case = case
        received.refused_files = _attach(case, list(files))
        if received.refused_files:
            case_services.case_add_note(
                case=case,
                actor=None,
                body=_("Files not attached:") + "\n" + "\n".join(received.refused_files),
                visibility=NoteVisibility.INTERNAL,
            )
        if ack is not None:
            _acknowledge(received=received, resident=resident, external_id=external_id, **ack)
    return received


# --- e-mail and fax -----------------------------------------------------------------------


def is_fax(*, sender: str, recipients: list[str]) -> bool:
    sender_re = conf.get("TAWASUL_FAX_SENDER_PATTERN")
    recipient_re = conf.get("TAWASUL_FAX_RECIPIENT_PATTERN")
    if sender_re and re.search(sender_re, sender or "", re.IGNORECASE):
        return True
    return bool(
        recipient_re and any(re.search(recipient_re, r or "", re.IGNORECASE) for r in recipients)
    )


def _fax_number(*texts: str) -> str | None:
    for text in texts:
        for match in _PHONE_IN_TEXT.finditer(text or ""):
            try:
                return normalize_phone(match.group(0))
            except InvalidContact:
                continue
    return None


def email_receive(
    *, raw: bytes, envelope_from: str = "", recipients: list[str] | None = None
) -> Received:
    """Store one inbound e-mail (or fax-by-e-mail) and queue its acknowledgement.

    Raises :class:`TooLarge`, :class:`mail.BadMessage` or :class:`DomainError` for input that
    will never be accepted (permanent), :class:`NotConfigured` or a database error when the
    sender should try again later.
    """
    limit = int(conf.get("TAWASUL_MAIL_MAX_BYTES"))
    if len(raw) > limit:
        raise TooLarge(f"the message is larger than {limit} bytes", field="message")
    parsed = mail.parse_email(raw, envelope_from=envelope_from)
    envelope = [r for r in (recipients or []) if r] or parsed.to_addresses
    fax = is_fax(sender=parsed.from_address, recipients=envelope)
    channel = Channel.FAX if fax else Channel.EMAIL
    if (existing := _existing(channel, parsed.message_id)) is not None:
        logger.info("%s %s: duplicate delivery, already stored", channel, parsed.message_id)
        return existing

    if fax:
        number = _fax_number(parsed.subject, parsed.text)
        contacts = normalize_contacts(phone=number) if number else []
        preferred, full_name = "phone", ""
    else:
        # A From address is whatever the sender wrote (no DKIM/DMARC verdict reaches us), so
        # it is a claim: it finds the resident who holds just it, never proves or joins.
        contacts = normalize_contacts(email=parsed.from_address)
        preferred, full_name = "email", parsed.from_name
    references = [
        ref
        for ref in [
            mail.find_reference(parsed.subject),
            *(mail.plus_reference(r) for r in envelope),
        ]
        if ref
    ]
    received = _receive(
        channel=channel,
        external_id=parsed.message_id,
        contacts=contacts,
        full_name=full_name,
        preferred_channel=preferred,
        address=parsed.from_address,
        subject=parsed.subject,
        text=parsed.text,
        route=route_email(envelope),
        references=references,
        message_ids=parsed.thread_ids,
        files=parsed.files,
        # No acknowledgement to fax gateways or to automatic mail (bounces, vacation
        # replies): that is how mail loops start.
        ack=None
        if fax or parsed.auto_submitted
        else {
            "channel": "email",
            "address": parsed.from_address,
            "headers": {
                "In-Reply-To": parsed.message_id,
                "References": " ".join([*parsed.references, parsed.message_id][-10:]),
                "Auto-Submitted": "auto-replied",
            },
        },
    )
    logger.info(
        "%s %s from %s → %s%s",
        channel,
        parsed.message_id,
        parsed.from_address,
        received.reference,
        " (new case)" if received.case_created else "",
    )
    return received


# --- SMS ----------------------------------------------------------------------------------


def sms_receive(*, sender: str, receiver: str, text: str, message_id: str) -> Received:
    """Store one MO SMS from Kannel; a reference in the text threads it to its case."""
    message_id = message_id_clean(message_id, field="id")
    if (existing := _existing(Channel.SMS, message_id)) is not None:
        logger.info("sms %s: duplicate delivery, already stored", message_id)
        return existing
    phone = normalize_phone(sender, field="from")
    text = text.replace("\x00", "").strip()
    received = _receive(
        channel=Channel.SMS,
        external_id=message_id,
        # The operator delivered it from this number: the SMS proves the resident holds it.
        contacts=normalize_contacts(phone=phone, proven={ContactKind.PHONE}),
        full_name="",
        preferred_channel="sms",
        address=phone,
        subject="",
        text=text,
        route=route_short_code(receiver),
        references=[ref for ref in [mail.find_reference(text)] if ref],
        ack={"channel": "sms", "address": phone},
    )
    logger.info("sms %s from %s → %s", message_id, phone, received.reference)
    return received


# --- social and messaging -----------------------------------------------------------------


def social_receive(
    *,
    network: str,
    message_id: str,
    user_id: str,
    text: str,
    name: str = "",
    phone: str = "",
    sent_at: datetime | None = None,
) -> Received:
    """Store one message from WhatsApp or another network; replies go back to the handle."""
    external_id = message_id_clean(message_id, field="id", prefix=f"{network}:")
    if (existing := _existing(Channel.SOCIAL, external_id)) is not None:
        logger.info("social %s: duplicate delivery, already stored", external_id)
        return existing
    handle = f"{network}:{user_id}"
    number = None
    if phone:
        try:
            number = normalize_phone(phone)
        except InvalidContact:
            logger.info("social %s: phone %r not usable; matching by handle only", handle, phone)
    # The network signs its webhook, so the handle is proved; a phone in the payload is
    # profile data the account holder typed, a claim like any other.
    contacts = normalize_contacts(social_handle=handle, phone=number, proven={ContactKind.SOCIAL})
    received = _receive(
        channel=Channel.SOCIAL,
        external_id=external_id,
        contacts=contacts,
        full_name=name,
        preferred_channel="social",
        address=handle,
        subject="",
        text=text.replace("\x00", "").strip(),
        route=(triage_entity(), center_hotline()),
        references=[ref for ref in [mail.find_reference(text)] if ref],
        offered_at=sent_at,
        ack={"channel": "social", "address": handle.lower()},
    )
    logger.info("social %s from %s → %s", external_id, handle, received.reference)
    return received
