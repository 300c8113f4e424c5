"""Writes of the portal room: resident submissions, one-time codes, replies, ratings, app
installations and Open311 requests. Views, the app API and the Open311 views stay thin and call
these; every message to a resident goes through the outbox (never sent from here)."""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tawasul.cases.choices import OPEN_STATUSES, CaseKind, CaseStatus
from tawasul.cases.models import Case
from tawasul.cases.services import (
    SNIFF_BYTES,
    attachment_check,
    case_add_attachment,
    case_create,
    case_resident_replied,
    sniff_content_type,
)
from tawasul.directory.models import Entity, Service
from tawasul.errors import Conflict, DomainError, NotFound
from tawasul.interactions.models import Channel, Direction, Interaction, Outcome
from tawasul.interactions.services import interaction_record
from tawasul.omnichannel.services import outbox_enqueue, outbox_to_resident
from tawasul.portal import conf
from tawasul.portal.choices import AttributeType, OtpChannel, Source
from tawasul.portal.models import (
    AppInstallation,
    OneTimeCode,
    Open311Client,
    RateLimitHit,
    Rating,
    ServiceAttribute,
    Submission,
    TrackingGrant,
    new_token,
    secret_hash,
)
from tawasul.residents import texts
from tawasul.residents.models import ContactKind, ContactPoint, ReplyChannel, Resident
from tawasul.residents.selectors import case_text_fallbacks
from tawasul.residents.services import (
    InvalidContact,
    contact_prove,
    given_for_codes,
    normalize_contacts,
    normalize_email,
    normalize_phone,
    resident_find_or_create,
)

# Which interaction channel each source is logged on (Open311 clients are third-party apps).
_CHANNEL = {Source.WEB: Channel.WEB, Source.APP: Channel.APP, Source.OPEN311: Channel.APP}
_OTP_KIND = {OtpChannel.SMS: ContactKind.PHONE, OtpChannel.EMAIL: ContactKind.EMAIL}


class RateLimited(DomainError):
    """Too many tries from one address or for one contact point (HTTP 429)."""

    status = 429

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="rate_limited")


# --- rate limits ------------------------------------------------------------------------------


def rate_limit_hit(*, scope: str, key: str, now: datetime | None = None) -> None:
    """Count one action for ``key`` in ``scope``; raise :class:`RateLimited` past the limit.

    Kept in the database, not the cache: Django's local-memory cache is per process, so
    several ASGI workers would each allow the full limit. Keys are hashed (IP addresses and
    phone numbers are personal data) and expired hits are pruned as we go.
    """
    now = now or timezone.now()
    limit = conf.rate_limits()[scope]
    since = now - timedelta(minutes=conf.rate_window_minutes())
    digest = secret_hash(f"rate:{scope}:{key}")
    # Every scope counts in the same window, so anything older is dead weight (indexed on at).
    RateLimitHit.objects.filter(at__lt=since).delete()
    if RateLimitHit.objects.filter(scope=scope, key_hash=digest, at__gte=since).count() >= limit:
        raise RateLimited(
            _("Too many attempts. Please wait a while and try again."),
            field="contact" if scope.endswith("contact") else None,
        )
    RateLimitHit.objects.create(scope=scope, key_hash=digest, at=now)


# --- submissions --------------------------------------------------------------------------


@dataclass
class SubmissionInput:
    """What a resident sends, already parsed at the edge (form, JSON or Open311)."""

    kind: str
    entity: Entity
    service: Service | None
    description: str
    phone: str = ""
    email: str = ""
    full_name: str = ""
    preferred_channel: str = ""
    language: str = "ar"
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    attributes: dict = field(default_factory=dict)
    uploads: list[UploadedFile] = field(default_factory=list)
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    app_account: str = ""
    # A client-chosen id for this submission: the same id sent twice makes one case.
    submission_id: str = ""


def active_entities(q: str = "") -> list[Entity]:
    """Active entities that have at least one active service, optionally filtered by name."""
    entities = Entity.objects.filter(active=True, services__active=True).distinct()
    q = q.strip()
    if q:
        entities = entities.filter(
            Q(name_en__icontains=q) | Q(name_ar__icontains=q) | Q(code__icontains=q)
        )
    return list(entities.order_by("name_en"))


def active_services(entity: Entity | None) -> list[Service]:
    if entity is None:
        return []
    return list(Service.objects.filter(entity=entity, active=True).order_by("name_en"))


def check_uploads(uploads: list[UploadedFile]) -> None:
    """Every file checked before anything is written, so one bad file rejects the submission
    instead of leaving a case with half its attachments."""
    if len(uploads) > conf.attachments_per_submission():
        raise DomainError(
            _("Attach at most %(n)d files.") % {"n": conf.attachments_per_submission()},
            field="attachments",
        )
    limit = settings.TAWASUL["ATTACHMENT_MAX_BYTES"]
    for upload in uploads:
        if not upload.size:
            raise DomainError(
                _("The file %(name)s is empty.") % {"name": upload.name}, field="attachments"
            )
        if upload.size > limit:
            raise DomainError(
                _("The file %(name)s is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)},
                field="attachments",
            )
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        if sniff_content_type(head) is None:
            raise DomainError(
                _("The file %(name)s is not an image or a PDF.") % {"name": upload.name},
                field="attachments",
            )
        try:
            attachment_check(name=upload.name or "", head=head)
        except DomainError as exc:
            raise DomainError(
                _("The file %(name)s: %(reason)s") % {"name": upload.name, "reason": exc.message},
                field="attachments",
                code=exc.code,
            ) from None


def _check_location(data: SubmissionInput) -> None:
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(_("Give both latitude and longitude."), field="longitude")
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise DomainError(_("Latitude must be between -90 and 90."), field="latitude")
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise DomainError(_("Longitude must be between -180 and 180."), field="longitude")
    if data.kind == CaseKind.REPORT and data.latitude is None and not data.address.strip():
        raise DomainError(
            _("A report needs a location: coordinates or an address."), field="location"
        )


def _subject(data: SubmissionInput) -> str:
    if data.service is not None:
        return data.service.name_in(data.language)[:300]
    first_line = data.description.strip().splitlines()[0] if data.description.strip() else ""
    return (first_line[:120] or str(CaseKind(data.kind).label))[:300]


def _description(data: SubmissionInput, attributes: dict) -> str:
    """The resident's text, with the service's questions and answers below it so staff see
    them in the case without knowing about the portal."""
    text = data.description.strip()
    if not attributes:
        return text
    questions = {
        a.code: a
        for a in ServiceAttribute.objects.filter(service=data.service, code__in=attributes)
    }
    lines = []
    for code, value in attributes.items():
        label = questions[code].description_in(data.language) if code in questions else code
        shown = ", ".join(value) if isinstance(value, list) else value
        lines.append(f"{label}: {shown}")
    return (text + "\n\n" + "\n".join(lines)).strip()


def _check_preferred_channel(data: SubmissionInput) -> str:
    channel = data.preferred_channel or ""
    if not channel:
        return ReplyChannel.SMS if data.phone else ReplyChannel.EMAIL if data.email else ""
    if channel not in ReplyChannel.values:
        raise DomainError(_("Choose a valid reply channel."), field="preferred_channel")
    if channel in (ReplyChannel.SMS, ReplyChannel.PHONE) and not data.phone:
        raise DomainError(_("Give a phone number to be answered by phone or SMS."), field="phone")
    if channel == ReplyChannel.EMAIL and not data.email:
        raise DomainError(_("Give an e-mail address to be answered by e-mail."), field="email")
    return channel


def _existing_submission(source: str, submission_id: str) -> Case | None:
    if not submission_id:
        return None
    interaction = Interaction.objects.filter(
        channel=_CHANNEL[source], external_id=f"{source}:{submission_id}"
    ).first()
    return interaction.cases.first() if interaction is not None else None


def portal_submit(
    *,
    data: SubmissionInput,
    source: str,
    ip: str,
    installation: AppInstallation | None = None,
    client: Open311Client | None = None,
    require_contact: bool = True,
) -> tuple[Case, bool]:
    """Open a case from a resident's submission; returns the case and whether it is new.

    Checks everything first (service, location, contacts, files, limits), then in one
    transaction: the resident (found or created from the contacts), the interaction, the
    case, the portal's record, the files, and the acknowledgement queued in the outbox.
    """
    existing = _existing_submission(source, data.submission_id)
    if existing is not None:
        return existing, False
    if data.kind not in CaseKind.values:
        raise DomainError(_("Choose what kind of request this is."), field="kind")
    if not data.entity.active:
        raise DomainError(_("This entity does not take requests online."), field="entity")
    if data.service is not None and (
        not data.service.active or data.service.entity_id != data.entity.pk
    ):
        raise DomainError(_("Choose one of the entity's services."), field="service")
    description = data.description.strip()
    if not description:
        raise DomainError(_("Describe your request."), field="description")
    if len(description) > conf.description_max_chars():
        raise DomainError(
            _("The description is longer than %(n)d characters.")
            % {"n": conf.description_max_chars()},
            field="description",
        )
    _check_location(data)
    attributes = data.attributes
    # Typed phone and e-mail are claims; the app account is proved by the installation's
    # bearer token (the server made it for that installation alone).
    contacts = normalize_contacts(
        phone=data.phone or None,
        email=data.email or None,
        app_account=data.app_account or None,
        proven={ContactKind.APP},
    )
    if require_contact and not (data.phone or data.email):
        raise DomainError(_("Give a phone number or an e-mail address."), field="contact")
    channel = _check_preferred_channel(data)
    check_uploads(data.uploads)
    rate_limit_hit(scope="submit_ip", key=ip)
    for contact in contacts:
        if contact.kind in (ContactKind.PHONE, ContactKind.EMAIL):
            rate_limit_hit(scope="submit_contact", key=f"{contact.kind}:{contact.value}")

    language = data.language if data.language in texts.LANGUAGES else "ar"
    with transaction.atomic():
        resident = None
        if contacts:
            # An existing resident keeps the reply channel, language and contacts on file: a
            # form typed by anyone must not redirect someone else's replies or codes.
            resident, _created = resident_find_or_create(
                contacts=contacts,
                full_name=data.full_name.strip()[:200],
                preferred_language=language,
                preferred_channel=channel or None,
            )
        interaction, _new = interaction_record(
            channel=_CHANNEL[source],
            external_id=f"{source}:{data.submission_id}" if data.submission_id else "",
            direction=Direction.INBOUND,
            entity=data.entity,
            resident=resident,
            language=language,
            address=(contacts[0].value if contacts else "")[:254],
            subject=_subject(data),
            body=description,
            outcome=Outcome.CASE_OPENED,
        )
        case = case_create(
            actor=None,
            kind=data.kind,
            entity=data.entity,
            service=data.service,
            subject=_subject(data),
            description=_description(data, attributes),
            resident=resident,
            channel=_CHANNEL[source],
            language=language,
            latitude=data.latitude,
            longitude=data.longitude,
            address=data.address.strip()[:300],
            interaction=interaction,
            contacts_given=given_for_codes(contacts),
        )
        Submission.objects.create(
            case=case,
            source=source,
            token=uuid.uuid4().hex,
            attributes=attributes,
            media_url=data.media_url[:500],
            device_id=data.device_id[:120],
            account_id=data.account_id[:120],
            installation=installation,
            client=client,
        )
        for upload in data.uploads:
            case_add_attachment(case=case, actor=None, upload=upload)
        if resident is not None:
            _acknowledge(case, resident)
    return case, True


def _acknowledge(case: Case, resident: Resident) -> None:
    language, fallbacks = resident.preferred_language, case_text_fallbacks(case)
    body, _lang = texts.written(
        "portal_ack", language, fallbacks=fallbacks, reference=case.reference
    )
    subject, _lang = texts.written(
        "portal_ack.subject", language, fallbacks=fallbacks, reference=case.reference
    )
    outbox_to_resident(
        resident=resident,
        body=body,
        subject=subject,
        case=case,
        idempotency_key=f"portal-ack:{case.pk}",
    )


# --- attributes (Open311 service definitions, also asked on the portal) ---------------------


def attributes_clean(*, service: Service | None, raw: dict[str, list[str]]) -> dict:
    """Check answers to a service's questions; ``raw`` maps code → submitted values.

    Required questions must be answered, list answers must be among the listed keys, numbers
    and datetimes must parse. An answer to a question the service does not ask is refused so
    a misspelt code is an error rather than a lost answer.
    """
    questions = list(ServiceAttribute.objects.filter(service=service)) if service else []
    known = {q.code: q for q in questions if q.variable}
    for code in raw:
        if code not in known:
            raise DomainError(
                _("This service has no question %(code)s.") % {"code": code},
                field=f"attribute[{code}]",
            )
    cleaned: dict = {}
    for code, question in known.items():
        values = [v.strip() for v in raw.get(code, []) if v and v.strip()]
        name = f"attribute[{code}]"
        if not values:
            if question.required:
                raise DomainError(
                    _("%(question)s is required.") % {"question": question.description_en},
                    field=name,
                )
            continue
        if question.datatype == AttributeType.MULTI:
            bad = [v for v in values if v not in question.value_keys()]
            if bad:
                raise DomainError(_("Not one of the choices: %(v)s") % {"v": bad[0]}, field=name)
            cleaned[code] = values
            continue
        value = values[0]
        if len(values) > 1:
            raise DomainError(_("Give one answer only."), field=name)
        if question.datatype == AttributeType.SINGLE and value not in question.value_keys():
            raise DomainError(_("Not one of the choices: %(v)s") % {"v": value}, field=name)
        if question.datatype == AttributeType.NUMBER:
            try:
                Decimal(value)
            except InvalidOperation:
                raise DomainError(_("Must be a number."), field=name) from None
        if question.datatype == AttributeType.DATETIME and parse_w3c_datetime(value) is None:
            raise DomainError(_("Must be a date and time like 2026-03-01T10:00:00Z."), field=name)
        limit = 4000 if question.datatype == AttributeType.TEXT else 300
        cleaned[code] = value[:limit]
    return cleaned


def parse_w3c_datetime(value: str) -> datetime | None:
    """A W3C datetime (``2026-03-01T10:00:00Z``, ``…+04:00`` or a bare date), made aware."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None and len(value) == 10:
            parsed = parse_datetime(value + "T00:00:00")
    except ValueError:
        return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


# --- one-time codes and tracking ------------------------------------------------------------


def case_by_reference(reference: str) -> Case | None:
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 32:
        return None
    return (
        Case.objects.select_related("resident", "entity", "service")
        .filter(reference=reference)
        .first()
    )


def contacts_given(case: Case) -> set[tuple[str, str]]:
    """The (kind, value) pairs given with the contact that opened ``case``: stored with it
    (portal, app, Open311, API, e-mail, SMS), else the address its first inbound contact
    came from (a case an agent opens from a call or an e-mail)."""
    if case.contacts_given:
        return {(kind, value) for kind, value in case.contacts_given}
    first = (
        case.interactions.filter(direction=Direction.INBOUND)
        .exclude(address="")
        .order_by("offered_at")
        .values_list("channel", "address")
        .first()
    )
    if first is None:
        return set()
    channel, address = first
    try:
        if channel in (Channel.CALL, Channel.SMS, Channel.FAX):
            return {(ContactKind.PHONE, normalize_phone(address))}
        if channel == Channel.EMAIL:
            return {(ContactKind.EMAIL, normalize_email(address))}
    except InvalidContact:
        pass
    return set()


def otp_contact_on_file(case: Case, channel: str) -> ContactPoint | None:
    """The contact point a code for ``case`` may go to, or None.

    A verified contact of the case's resident, or one given with the submission that opened
    this very case (which the resident typed for it). A contact someone else typed on a
    later or earlier submission is neither, so a stranger who names someone's phone with
    their own e-mail never gets a code for that person's cases. The contact given with the
    case comes first (it is where the acknowledgement went), then the newest verified one.
    """
    if case.resident_id is None or channel not in _OTP_KIND:
        return None
    kind = _OTP_KIND[channel]
    given = {value for k, value in contacts_given(case) if k == kind}
    candidates = list(
        ContactPoint.objects.filter(resident_id=case.resident_id, kind=kind).filter(
            Q(verified=True) | Q(value__in=given)
        )
    )
    candidates.sort(key=lambda p: (p.value in given, p.created_at, p.pk), reverse=True)
    return candidates[0] if candidates else None


def _code_hash(case_id: int, code: str) -> str:
    return secret_hash(f"otp:{case_id}:{code}")


def otp_request(
    *, reference: str, channel: str, ip: str, now: datetime | None = None
) -> OneTimeCode | None:
    """Queue a 6-digit code for the case to the contact on file; None if nothing was sent.

    The caller tells the resident the same thing either way, so the answer never reveals
    whether a reference exists or which contacts are on file.
    """
    now = now or timezone.now()
    if channel not in OtpChannel.values:
        raise DomainError(_("Choose where to receive the code."), field="channel")
    rate_limit_hit(scope="otp_ip", key=ip, now=now)
    rate_limit_hit(scope="otp_case", key=(reference or "").strip().upper(), now=now)
    case = case_by_reference(reference)
    if case is None:
        return None
    contact = otp_contact_on_file(case, channel)
    if contact is None:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # Only the newest code works: asking again burns the earlier ones.
        OneTimeCode.objects.filter(case=case, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        otp = OneTimeCode.objects.create(
            case=case,
            channel=channel,
            contact=contact,
            code_hash=_code_hash(case.pk, code),
            expires_at=now + timedelta(seconds=conf.otp_ttl_seconds()),
        )
        fallbacks = case_text_fallbacks(case)
        body, language = texts.written(
            "otp",
            case.resident.preferred_language,
            fallbacks=fallbacks,
            reference=case.reference,
            code=code,
            minutes=conf.otp_ttl_seconds() // 60,
        )
        subject, _lang = texts.written(
            "otp.subject", language, fallbacks=fallbacks, reference=case.reference
        )
        outbox_enqueue(
            channel=channel,
            to_address=contact.value,
            body=body,
            subject=subject,
            language=language,
            case=case,
            resident=case.resident,
            idempotency_key=f"portal-otp:{otp.pk}",
            holds_code=True,
        )
    return otp


def otp_verify(*, reference: str, code: str, ip: str, now: datetime | None = None) -> Case:
    """The case if ``code`` is its newest unexpired code; each wrong guess is counted."""
    now = now or timezone.now()
    rate_limit_hit(scope="verify_ip", key=ip, now=now)
    code = (code or "").strip()
    case = case_by_reference(reference)
    wrong = DomainError(_("The code is wrong or has expired."), field="code")
    if case is None or not (len(code) == 6 and code.isdigit()):
        raise wrong
    otp = OneTimeCode.objects.filter(case=case, used_at__isnull=True).order_by("-id").first()
    if otp is None or otp.expires_at <= now:
        raise DomainError(
            _("The code has expired. Ask for a new one."), field="code", code="expired"
        )
    if otp.attempts >= conf.otp_max_attempts():
        raise DomainError(
            _("Too many wrong attempts. Ask for a new code."), field="code", code="locked"
        )
    if not hmac.compare_digest(otp.code_hash, _code_hash(case.pk, code)):
        # Counted atomically in the database so parallel guesses cannot share one attempt.
        OneTimeCode.objects.filter(pk=otp.pk).update(attempts=F("attempts") + 1)
        raise wrong
    used = OneTimeCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now)
    if not used:
        raise wrong
    # The code reached the resident through this contact: it is proved theirs.
    contact_prove(contact=otp.contact)
    return case


# --- what a resident does on a case they have proved ----------------------------------------


def resident_reply(*, case: Case, body: str, source: str, now: datetime | None = None) -> Case:
    """The resident's answer: logged as an inbound interaction on the case, noted for staff,
    and, when the case was waiting for the resident, the SLA clock resumes."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your reply."), field="body")
    if len(body) > conf.description_max_chars():
        raise DomainError(
            _("The reply is longer than %(n)d characters.") % {"n": conf.description_max_chars()},
            field="body",
        )
    if case.status not in OPEN_STATUSES:
        raise Conflict(
            _("This request is finished; submit a new one if you need more help."),
            field="body",
        )
    with transaction.atomic():
        interaction, _new = interaction_record(
            channel=_CHANNEL[source],
            direction=Direction.INBOUND,
            entity=case.entity,
            resident=case.resident,
            language=case.language,
            subject=case.subject[:300],
            body=body,
            outcome=Outcome.CASE_UPDATED,
            offered_at=now or timezone.now(),
        )
        case_resident_replied(
            case=case, body=body, channel=_CHANNEL[source], interaction=interaction, now=now
        )
        case.refresh_from_db()
    return case


def rating_submit(*, case: Case, score: int, comment: str, source: str) -> Rating:
    """Once per resolution: a reopened and resolved-again case may be rated again."""
    if case.status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED) or case.resolved_at is None:
        raise Conflict(_("You can rate the answer once your request is resolved."), field="score")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError(_("Choose a score from 1 to 5."), field="score")
    try:
        with transaction.atomic():
            return Rating.objects.create(
                case=case,
                resolved_at=case.resolved_at,
                score=score,
                comment=(comment or "").strip()[:2000],
                source=source,
            )
    except IntegrityError:
        raise Conflict(_("You have already rated this answer."), field="score") from None


def rating_for(case: Case) -> Rating | None:
    if case.resolved_at is None:
        return None
    return Rating.objects.filter(case=case, resolved_at=case.resolved_at).first()


# --- mobile app -----------------------------------------------------------------------------


def app_register(
    *, platform: str, app_version: str, language: str, ip: str
) -> tuple[AppInstallation, str]:
    """A new installation and its raw bearer token (returned once, stored hashed)."""
    rate_limit_hit(scope="register_ip", key=ip)
    raw = new_token("twapp")
    installation = AppInstallation.objects.create(
        platform=platform,
        app_version=app_version,
        language=language if language in ("ar", "en") else "ar",
        account_id=f"app-{uuid.uuid4().hex}",
        token_prefix=raw[:10],
        token_digest=secret_hash(raw),
    )
    return installation, raw


def app_installation_for(raw: str) -> AppInstallation | None:
    if not raw or len(raw) > 200 or not raw.startswith("twapp_"):
        return None
    installation = AppInstallation.objects.filter(
        token_digest=secret_hash(raw), revoked=False
    ).first()
    if installation is not None:
        now = timezone.now()
        # Touching it on every call would make each read a write.
        if installation.last_used_at is None or now - installation.last_used_at > timedelta(
            minutes=5
        ):
            AppInstallation.objects.filter(pk=installation.pk).update(last_used_at=now)
    return installation


def tracking_grant_issue(
    *, case: Case, installation: AppInstallation, now: datetime | None = None
) -> tuple[str, datetime]:
    now = now or timezone.now()
    raw = new_token("twtrk")
    expires = now + timedelta(minutes=conf.tracking_minutes())
    TrackingGrant.objects.create(
        case=case, installation=installation, token_digest=secret_hash(raw), expires_at=expires
    )
    return raw, expires


def tracking_grant_case(
    *, raw: str, installation: AppInstallation, reference: str, now: datetime | None = None
) -> Case:
    """The case this installation may read with this tracking token; 404 otherwise, so a
    token for one case never tells anything about another."""
    now = now or timezone.now()
    if not raw or len(raw) > 200:
        raise NotFound(_("No such request, or your access has expired."), field="reference")
    grant = (
        TrackingGrant.objects.select_related("case", "case__resident", "case__entity")
        .filter(token_digest=secret_hash(raw), installation=installation, expires_at__gt=now)
        .first()
    )
    if grant is None or grant.case.reference != (reference or "").strip().upper():
        raise NotFound(_("No such request, or your access has expired."), field="reference")
    return grant.case


# --- Open311 --------------------------------------------------------------------------------


def open311_client_for(raw: str) -> Open311Client | None:
    if not raw or len(raw) > 200:
        return None
    return Open311Client.objects.filter(key_digest=secret_hash(raw), active=True).first()
