"""Writes for cases: every change goes through one of these functions, which checks it, applies
it, and appends the history line, in one transaction, and announces the change live to the
desk after commit (whoever asked: desk, API, portal, e-mail, SMS)."""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.accounts.models import Role, User
from tawasul.accounts.policy import Action, may, require_assignee, require_case_work
from tawasul.cases import sla, workflow
from tawasul.cases.choices import OPEN_STATUSES, CaseStatus, EventKind, NoteVisibility, Priority
from tawasul.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseNote,
    FollowUp,
    ReferenceCounter,
)
from tawasul.core.realtime import group_entity, group_supervisors, group_user, publish
from tawasul.directory.models import Department, Entity, Hotline, Service
from tawasul.directory.selectors import everyday_hotline_number
from tawasul.errors import Conflict, DomainError, Forbidden
from tawasul.interactions.models import Interaction
from tawasul.residents.models import Resident

MAX_ESCALATION_LEVEL = 2
_MICRODEGREE = Decimal("0.000001")


def _label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


def _event(case: Case, kind: str, actor: User | None, **fields) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, actor_label=_label(actor), **fields
    )


# --- live events -------------------------------------------------------------------------

CASE_OPENED = "case.opened"
CASE_CHANGED = "case.changed"

_announce_seq = itertools.count(1)
_pending = threading.local()  # Django gives each thread its own connection, so its own commit


def _announce(event: str, case: Case) -> None:
    """Tell the desk (the case's entity, the supervisors, the assignee) after commit.

    Several writes to one case in one transaction (an e-mail opening a case and noting its
    refused files, a reply resuming a paused case) make one event with the last state, named
    after the last write (the desk's pages treat both names alike): every write registers a
    send, and only the last one registered for the case sends. A rolled-back transaction leaves
    its number behind, which the next write to the case replaces. The payload carries no
    personal data: the desk fetches the case it is allowed to see.
    """
    pending: dict = _pending.__dict__.setdefault("cases", {})
    seq = next(_announce_seq)
    groups = [group_entity(case.entity_id), group_supervisors()]
    if case.assignee_id:
        groups.append(group_user(case.assignee_id))
    payload = {
        "reference": case.reference,
        "status": case.status,
        "entity_id": case.entity_id,
        "department_id": case.department_id,
    }
    pending[case.pk] = seq

    def send() -> None:
        if pending.get(case.pk) != seq:  # a later write to this case sends the newer state
            return
        del pending[case.pk]
        publish(event, payload, groups=groups)

    transaction.on_commit(send)


# --- references ---------------------------------------------------------------------------


def reference_prefix(*, hotline: Hotline | None, entity: Entity) -> str:
    if hotline is not None:
        return hotline.number
    return everyday_hotline_number(entity) or "TW"


def reference_allocate(*, prefix: str, year: int) -> str:
    """The next reference for ``prefix`` and ``year``, like ``109-2026-000123``.

    One UPDATE … RETURNING both increments and reads the counter, so concurrent creators
    serialise on the counter row only for the rest of their transaction and never share a
    number. Must run inside the caller's transaction.
    """
    table = ReferenceCounter._meta.db_table
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last = last + 1"
                " WHERE prefix = %s AND year = %s RETURNING last",
                [prefix, year],
            )
            row = cursor.fetchone()
        if row is not None:
            return f"{prefix}-{year}-{row[0]:06d}"
        # First case of the year for this prefix: create the counter (a concurrent creator
        # may win the insert; then the UPDATE above succeeds on the retry).
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    raise RuntimeError("reference counter could not be created")


# --- create -------------------------------------------------------------------------------


def _check_belongs(entity: Entity, service: Service | None, department: Department | None) -> None:
    if service is not None and service.entity_id != entity.pk:
        raise DomainError(_("the service belongs to another entity"), field="service")
    if department is not None and department.entity_id != entity.pk:
        raise DomainError(_("the department belongs to another entity"), field="department")


def case_create_check(
    *,
    actor: User | None,
    entity: Entity,
    service: Service | None = None,
    department: Department | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Department | None:
    """Refuse a create ``actor`` may not make, before anything is written; returns the
    department the case will be routed to. Callers that write something first (the resident
    behind the case) call this before that write, so a refused request leaves no trace."""
    if department is None and service is not None and service.department_id:
        department = service.department
    _check_belongs(entity, service, department)
    if actor is not None and not may(actor, Action.CASE_CREATE):
        raise Forbidden(_("your role cannot open cases"))
    if actor is not None and actor.role == Role.BACKOFFICE and actor.entity_id != entity.pk:
        raise DomainError(_("you may only open cases for your own entity"), field="entity")
    if (latitude is None) != (longitude is None):
        raise DomainError(_("give both latitude and longitude, or neither"), field="longitude")
    return department


def case_create(
    *,
    actor: User | None,
    kind: str,
    entity: Entity,
    subject: str,
    description: str,
    priority: str = Priority.NORMAL,
    service: Service | None = None,
    department: Department | None = None,
    hotline: Hotline | None = None,
    resident: Resident | None = None,
    channel: str = "",
    language: str = "ar",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    interaction: Interaction | None = None,
    contacts_given: Sequence[tuple[str, str]] = (),
    now: datetime | None = None,
) -> Case:
    """Open a case with its reference and SLA; route it at once when a department is given.

    ``contacts_given`` are the (kind, value) phone and e-mail given with this very contact:
    where a one-time code for the case may go before the resident has proved them."""
    now = now or timezone.now()
    department = case_create_check(
        actor=actor,
        entity=entity,
        service=service,
        department=department,
        latitude=latitude,
        longitude=longitude,
    )
    if latitude is not None:
        # Stored with 6 decimals (≈ 10 cm); answer with what is stored.
        latitude = Decimal(latitude).quantize(_MICRODEGREE)
        longitude = Decimal(longitude).quantize(_MICRODEGREE)

    hours = sla.hours_for(entity=entity, department=department)
    policy = sla.policy_for(entity=entity, kind=kind, priority=priority)
    resolution_due = sla.due_after(hours, now, policy.resolution_hours) if policy else None
    # Born routed when the department is known (from the service or the caller): the same
    # history as a create followed by a route, without locking and saving the row twice.
    status = CaseStatus.ASSIGNED if department is not None else CaseStatus.NEW
    with transaction.atomic(savepoint=False):
        year = timezone.localtime(now).year
        case = Case.objects.create(
            reference=reference_allocate(
                prefix=reference_prefix(hotline=hotline, entity=entity), year=year
            ),
            kind=kind,
            status=status,
            priority=priority,
            hotline=hotline,
            entity=entity,
            service=service,
            department=department,
            resident=resident,
            channel=channel,
            contacts_given=[[kind, value] for kind, value in contacts_given],
            language=language,
            subject=subject,
            description=description,
            latitude=latitude,
            longitude=longitude,
            address=address,
            created_by=actor,
            sla_policy=policy,
            first_response_due=(
                sla.due_after(hours, now, policy.first_response_hours) if policy else None
            ),
            resolution_due=resolution_due,
            next_escalation_at=resolution_due,
        )
        label = _label(actor)
        events = [
            CaseEvent(
                case=case,
                kind=EventKind.CREATED,
                actor=actor,
                actor_label=label,
                to_status=CaseStatus.NEW,
                data={"channel": channel},
            )
        ]
        if department is not None:
            events.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.TRANSITION,
                    actor=actor,
                    actor_label=label,
                    from_status=CaseStatus.NEW,
                    to_status=CaseStatus.ASSIGNED,
                    data={
                        "action": str(workflow.Action.ROUTE),
                        "from_department": None,
                        "department": department.pk,
                    },
                )
            )
        CaseEvent.objects.bulk_create(events)
        if interaction is not None:
            case.interactions.add(interaction)
        _announce(CASE_OPENED, case)
    return case


# --- lifecycle ----------------------------------------------------------------------------


def _hours(case: Case):
    return sla.hours_for(entity=case.entity, department=case.department)


def case_transition(
    *,
    case: Case,
    action: str,
    actor: User | None,
    reason: str = "",
    department: Department | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Case:
    """Move a case along its lifecycle (see :mod:`tawasul.cases.workflow`).

    The row is locked for the transaction; ``expected_version`` lets a client that read the
    case earlier fail with 409 instead of overwriting a colleague's change.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("entity", "department")
            .get(pk=case.pk)
        )
        require_case_work(actor, case)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(
                _("the case changed since you read it (version %(version)s)")
                % {"version": case.version},
                field="version",
            )
        try:
            target = workflow.next_status(case.status, action)
        except workflow.IllegalTransition as exc:
            raise Conflict(
                _("cannot %(action)s a case that is %(status)s")
                % {"action": exc.action, "status": str(CaseStatus(exc.status).label).lower()},
                field="action",
                code="illegal_transition",
            ) from None
        spec = workflow.TRANSITIONS[workflow.Action(action)]
        if spec.needs_reason and not reason.strip():
            raise DomainError(
                _("a reason is required to %(action)s") % {"action": action}, field="reason"
            )

        source = case.status
        data: dict = {}
        if action == workflow.Action.ROUTE:
            if department is None:
                raise DomainError(_("choose the department to route to"), field="department")
            if department.entity_id != case.entity_id:
                raise DomainError(_("the department belongs to another entity"), field="department")
            data = {"from_department": case.department_id, "department": department.pk}
            case.department = department
        elif action == workflow.Action.RETURN_TO_CENTER:
            data = {"from_department": case.department_id}
            case.department = None
            case.assignee = None
        elif action == workflow.Action.REQUEST_INFO:
            case.sla_paused_at = now
        elif action == workflow.Action.RESUME:
            _resume_sla(case, now)
        elif action == workflow.Action.RESOLVE:
            if case.sla_paused_at:
                _resume_sla(case, now)
            case.resolution = reason.strip()
            case.resolved_at = now
            case.first_response_at = case.first_response_at or now
        elif action == workflow.Action.CLOSE:
            case.closed_at = now
        elif action == workflow.Action.REOPEN:
            case.resolved_at = case.closed_at = None
            case.escalation_level = 0
            if case.sla_policy_id:
                case.resolution_due = sla.due_after(
                    _hours(case), now, case.sla_policy.resolution_hours
                )
            case.next_escalation_at = case.resolution_due

        case.status = target
        if target in (CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.AWAITING_RESIDENT):
            # Paused or finished cases do not escalate; resume and reopen set the next step.
            case.next_escalation_at = None
        case.version += 1
        case.save()
        _event(
            case,
            EventKind.TRANSITION,
            actor,
            from_status=source,
            to_status=target,
            reason=reason.strip(),
            data={"action": str(action), **data},
        )
        _announce(CASE_CHANGED, case)
    return case


def _resume_sla(case: Case, now: datetime) -> None:
    """Push due times out by the business time spent waiting for the resident."""
    if case.sla_paused_at is None:
        return
    hours = _hours(case)
    paused = hours.business_time_between(case.sla_paused_at, now)
    if case.resolution_due:
        case.resolution_due = hours.add_business_time(case.resolution_due, paused)
    if case.first_response_due and not case.first_response_at:
        case.first_response_due = hours.add_business_time(case.first_response_due, paused)
    case.sla_paused_at = None
    if case.escalation_level < MAX_ESCALATION_LEVEL:
        case.next_escalation_at = max(case.resolution_due or now, now)


def case_assign(*, case: Case, assignee: User | None, actor: User | None) -> Case:
    """Give the case to one person (or take it back to the department pool).

    The actor must be allowed to work the case, and the assignee must be someone whose role
    works cases and whose scope covers the case (see :mod:`tawasul.accounts.policy`), whoever
    asks: desk, API or a channel.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        require_case_work(actor, case)
        if assignee is not None:
            require_assignee(assignee, case)
        case.assignee = assignee
        case.version += 1
        case.save(update_fields=["assignee", "version", "updated_at"])
        _event(
            case,
            EventKind.ASSIGNMENT,
            actor,
            data={"assignee": _label(assignee) if assignee else None},
        )
        _announce(CASE_CHANGED, case)
    return case


# --- notes and attachments ----------------------------------------------------------------


def case_add_note(
    *, case: Case, actor: User | None, body: str, visibility: str, now: datetime | None = None
) -> CaseNote:
    """An internal note, or a message to the resident queued for their preferred channel."""
    require_case_work(actor, case)
    body = body.strip()
    if not body:
        raise DomainError(_("the note is empty"), field="body")
    now = now or timezone.now()
    to_resident = visibility == NoteVisibility.RESIDENT
    with transaction.atomic():
        channel = ""
        if to_resident:
            if case.resident_id is None:
                raise DomainError(_("this case has no resident to write to"), field="visibility")
            channel = case.resident.preferred_channel
        note = CaseNote.objects.create(
            case=case,
            visibility=visibility,
            body=body,
            author=actor,
            author_label=_label(actor),
            delivery_channel=channel,
        )
        if to_resident:
            from tawasul.omnichannel.services import outbox_to_resident

            outbox_to_resident(
                resident=case.resident,
                body=body,
                subject=f"[{case.reference}] {case.subject}",
                case=case,
                note=note,
                idempotency_key=f"note:{note.pk}",
            )
        if to_resident and case.first_response_at is None:
            Case.objects.filter(pk=case.pk).update(first_response_at=now)
            case.first_response_at = now
        _event(
            case,
            EventKind.MESSAGE if to_resident else EventKind.NOTE,
            actor,
            data={"note": note.pk, "channel": channel},
        )
        _announce(CASE_CHANGED, case)
    return note


def case_resident_replied(
    *,
    case: Case,
    body: str,
    channel: str,
    interaction: Interaction | None = None,
    now: datetime | None = None,
) -> CaseNote:
    """The resident wrote back (portal, app, e-mail, SMS, social): record the message on the
    case, link the contact, and resume the SLA clock if the case was waiting for them."""
    body = body.strip()
    if not body:
        raise DomainError(_("the message is empty"), field="body")
    now = now or timezone.now()
    with transaction.atomic():
        note = CaseNote.objects.create(
            case=case,
            visibility=NoteVisibility.FROM_RESIDENT,
            body=body,
            author=None,
            author_label="resident",
            delivery_channel=channel,
        )
        if interaction is not None:
            case.interactions.add(interaction)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.RESIDENT_REPLY,
            actor=None,
            actor_label="resident",
            data={"note": note.pk, "channel": channel},
        )
        if case.status == CaseStatus.AWAITING_RESIDENT:
            case = case_transition(
                case=case,
                action=workflow.Action.RESUME,
                actor=None,
                reason="the resident replied",
                now=now,
            )
        _announce(CASE_CHANGED, case)
    return note


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
# The names a file of each accepted type may carry; the first is added to a name without one.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe", "jfif"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/tiff": ("tif", "tiff"),
}
# How much of a file is read to decide what it is. Browsers that sniff look for markup in the
# first few hundred bytes, so markup anywhere in here makes the file a page to them.
SNIFF_BYTES = 1024
# Markup a browser would render (and run) as a page: HTML, SVG and XML. One- and two-letter
# tags (<a>, <b>, <p>, <br>) are left out: compressed image data matches them by chance about
# once in a few hundred photos, longer ones practically never.
_ACTIVE_CONTENT = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|frameset|svg|object|embed|applet|meta"
    rb"|link|style|title|base|form|img|image|div|span|table|font|h1|xml|xsl)[\s/>]"
    rb"|<\?xml|<!--|<!\[cdata\[|javascript:",
    re.IGNORECASE,
)


def sniff_content_type(head: bytes) -> str | None:
    """The file's real type from its first bytes; the name and declared type are not trusted."""
    for magic, content_type in _SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def attachment_check(*, name: str, head: bytes) -> tuple[str, str]:
    """``(content_type, file name)`` of an acceptable file, or a 400 naming ``file``.

    ``head`` is the file's first :data:`SNIFF_BYTES` bytes. The type comes from the bytes; the
    name must agree with it (a PDF called ``photo.jpg`` is refused, a name without an
    extension gets the right one), and a file whose start carries HTML, SVG or XML markup is
    refused whatever its signature, because a browser could render it as a page and run its
    script: a PDF/HTML polyglot is both.
    """
    content_type = sniff_content_type(head)
    if _ACTIVE_CONTENT.search(head[:SNIFF_BYTES]):
        raise DomainError(
            _("the file contains web-page markup (HTML, SVG or XML) and is not accepted"),
            field="file",
            code="active_content",
        )
    if content_type is None:
        raise DomainError(
            _("only PDF, PNG, JPEG, GIF, WEBP and TIFF files are accepted"), field="file"
        )
    clean = (name or "file").replace("/", "_").replace("\\", "_").strip()
    clean = "".join(ch for ch in clean if ch.isprintable()).lstrip(".") or "file"
    _stem, dot, extension = clean.rpartition(".")
    allowed = EXTENSIONS[content_type]
    if not dot:
        clean = f"{clean[:190]}.{allowed[0]}"
    elif extension.lower() not in allowed:
        raise DomainError(
            _("the file name ends in .%(extension)s but the file is a %(kind)s file")
            % {"extension": extension[:10], "kind": allowed[0].upper()},
            field="file",
            code="extension_mismatch",
        )
    return content_type, clean[-200:]


def case_add_attachment(*, case: Case, actor: User | None, upload: UploadedFile) -> Attachment:
    """Store a checked file; the same bytes uploaded twice give the same attachment."""
    require_case_work(actor, case)
    limit = settings.TAWASUL["ATTACHMENT_MAX_BYTES"]
    if upload.size is None or upload.size == 0:
        raise DomainError(_("the file is empty"), field="file")
    if upload.size > limit:
        raise DomainError(
            _("the file is larger than %(mb)s MB") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    upload.seek(0)
    content_type, name = attachment_check(name=upload.name or "", head=upload.read(SNIFF_BYTES))
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        existing = locked.attachments.filter(sha256=sha).first()
        if existing is not None:
            return existing
        if locked.attachments.count() >= settings.TAWASUL["ATTACHMENTS_PER_CASE"]:
            raise DomainError(_("this case has the maximum number of attachments"), field="file")
        attachment = Attachment(
            case=locked,
            filename=name,
            content_type=content_type,
            size=upload.size,
            sha256=sha,
            uploaded_by=actor,
        )
        upload.seek(0)
        attachment.file.save(sha, upload, save=False)
        attachment.save()
        _event(
            locked, EventKind.ATTACHMENT, actor, data={"attachment": attachment.pk, "name": name}
        )
    return attachment


# --- follow-ups ---------------------------------------------------------------------------


def case_follow_up_schedule(
    *, case: Case, actor: User | None, due_at: datetime, note: str, now: datetime | None = None
) -> FollowUp:
    require_case_work(actor, case)
    if due_at <= (now or timezone.now()):
        raise DomainError(_("a follow-up must be due in the future"), field="due_at")
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("the case is closed; reopen it first"), field="reference")
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            case=case, due_at=due_at, note=note.strip(), created_by=actor
        )
        _event(
            case,
            EventKind.FOLLOW_UP,
            actor,
            reason=follow_up.note,
            data={"follow_up": follow_up.pk, "due_at": due_at.isoformat()},
        )
    return follow_up


def case_follow_up_done(*, follow_up: FollowUp, actor: User | None) -> FollowUp:
    require_case_work(actor, follow_up.case)
    if follow_up.done_at is not None:
        return follow_up
    with transaction.atomic():
        follow_up.done_at = timezone.now()
        follow_up.done_by = actor
        follow_up.save(update_fields=["done_at", "done_by"])
        _event(
            follow_up.case,
            EventKind.FOLLOW_UP,
            actor,
            reason=f"done: {follow_up.note}",
            data={"follow_up": follow_up.pk, "done": True},
        )
    return follow_up


# --- escalation ---------------------------------------------------------------------------


def escalation_recipients(case: Case, level: int) -> list[User]:
    """Level 1: the center's supervisors; level 2: the entity's managers."""
    users = User.objects.filter(is_active=True)
    if level == 1:
        return list(users.filter(role=Role.SUPERVISOR))
    return list(users.filter(entity_id=case.entity_id, is_entity_manager=True))


def case_escalate_breached(*, now: datetime | None = None, limit: int = 500) -> list[Case]:
    """Escalate every open case whose resolution is overdue and whose next step has come.

    Cases waiting for the resident are paused, so they never escalate. Each case is locked
    and re-checked, so two workers sweeping at once escalate a case only once.
    """
    now = now or timezone.now()
    step = timedelta(hours=settings.TAWASUL["ESCALATION_STEP_HOURS"])
    due_ids = list(
        Case.objects.filter(
            status__in=[s for s in OPEN_STATUSES if s != CaseStatus.AWAITING_RESIDENT],
            next_escalation_at__lte=now,
            escalation_level__lt=MAX_ESCALATION_LEVEL,
        )
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:limit]
    )
    escalated = []
    for pk in due_ids:
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("entity", "department")
                .get(pk=pk)
            )
            if (
                case.status not in OPEN_STATUSES
                or case.status == CaseStatus.AWAITING_RESIDENT
                or case.next_escalation_at is None
                or case.next_escalation_at > now
                or case.escalation_level >= MAX_ESCALATION_LEVEL
            ):
                continue
            case.escalation_level += 1
            recipients = escalation_recipients(case, case.escalation_level)
            case.next_escalation_at = (
                _hours(case).add_business_time(now, step)
                if case.escalation_level < MAX_ESCALATION_LEVEL
                else None
            )
            case.version += 1
            case.save(
                update_fields=["escalation_level", "next_escalation_at", "version", "updated_at"]
            )
            _event(
                case,
                EventKind.ESCALATION,
                None,
                reason=f"resolution due {case.resolution_due:%Y-%m-%d %H:%M} UTC has passed",
                data={
                    "level": case.escalation_level,
                    "notified": [u.get_username() for u in recipients],
                },
            )
            _announce(CASE_CHANGED, case)
            escalated.append(case)
    return escalated
