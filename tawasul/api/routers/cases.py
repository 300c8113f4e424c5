"""Case endpoints: thin wrappers over :mod:`tawasul.cases.services` and selectors."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from tawasul.accounts.access import (
    can_create_cases,
    scope_interactions,
    scope_residents,
)
from tawasul.accounts.models import AuditAction, User
from tawasul.accounts.policy import Action, require, require_case_work
from tawasul.accounts.services import audit_record
from tawasul.api import schemas
from tawasul.api.idempotency import run_idempotent
from tawasul.api.routers.common import audit_resident_filter, paginate
from tawasul.cases import services, workflow
from tawasul.cases.choices import CaseKind, CaseStatus, Priority
from tawasul.cases.models import Case
from tawasul.cases.selectors import case_get, case_is_breached, case_read, case_search
from tawasul.directory.models import Department
from tawasul.directory.selectors import (
    department_by_code,
    entity_by_code,
    hotline_by_number,
    service_by_code,
)
from tawasul.errors import DomainError, Forbidden, NotFound
from tawasul.interactions.models import Interaction
from tawasul.residents.models import Resident
from tawasul.residents.services import (
    ContactInput,
    given_for_codes,
    normalize_contacts,
    resident_for_staff,
)

router = Router(tags=["cases"])
# What a case's detail shows of the resident's matter (the audit entry lists them).
CASE_FIELDS = ["subject", "description", "location", "resident_id", "resolution"]


def case_to_out(case: Case) -> dict:
    has_location = case.latitude is not None or bool(case.address)
    return schemas.CaseOut(
        reference=case.reference,
        kind=case.kind,
        status=case.status,
        priority=case.priority,
        entity=case.entity.code,
        service=case.service.code if case.service_id else None,
        department=case.department.code if case.department_id else None,
        hotline=case.hotline.number if case.hotline_id else None,
        subject=case.subject,
        description=case.description,
        channel=case.channel,
        language=case.language,
        resident_id=case.resident_id,
        location=(
            {"latitude": case.latitude, "longitude": case.longitude, "address": case.address}
            if has_location
            else None
        ),
        assignee=case.assignee.get_username() if case.assignee_id else None,
        sla=schemas.SlaOut(
            policy=str(case.sla_policy) if case.sla_policy_id else None,
            first_response_due=case.first_response_due,
            first_response_at=case.first_response_at,
            resolution_due=case.resolution_due,
            paused_since=case.sla_paused_at,
            breached=case_is_breached(case),
            escalation_level=case.escalation_level,
        ),
        resolution=case.resolution,
        created_at=case.created_at,
        updated_at=case.updated_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        version=case.version,
        allowed_actions=workflow.allowed_actions(case.status),
    ).model_dump(mode="json")


def _get_or_field_error(queryset, field: str, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise DomainError(f"unknown {field}: {next(iter(lookup.values()))}", field=field)
    return obj


def _known(found, field: str, code: str | None):
    """``found``, or a 400 naming the field when a code was given but matched nothing."""
    if code and found is None:
        raise DomainError(f"unknown {field}: {code}", field=field)
    return found if code else None


def _resident_contacts(payload: schemas.CaseIn) -> list[ContactInput]:
    """The contacts of an inline ``resident``, normalised (a bad one is a 400 naming it)."""
    if payload.resident_id is not None or payload.resident is None:
        return []
    data = payload.resident
    contacts = normalize_contacts(
        phone=data.phone,
        email=data.email,
        app_account=data.app_account,
        social_handle=data.social_handle,
    )
    if not contacts:
        raise DomainError(
            "give at least one contact: phone, e-mail, app or social", field="resident"
        )
    return contacts


def _resident_for(
    user: User, payload: schemas.CaseIn, contacts: list[ContactInput]
) -> Resident | None:
    """The case's resident, through the caller's scope: an id they may see, or the contacts
    of an inline resident (back office gets a new record, never someone found by phone)."""
    if payload.resident_id is not None:
        resident = scope_residents(user, Resident.objects.all()).filter(pk=payload.resident_id)
        found = resident.first()
        if found is None:
            raise DomainError("unknown resident", field="resident_id")
        return found
    if not contacts:
        return None
    data = payload.resident
    resident, _created = resident_for_staff(
        user=user,
        contacts=contacts,
        full_name=data.full_name,
        preferred_language=data.preferred_language or payload.language,
        preferred_channel=data.preferred_channel,
    )
    return resident


@router.post("", response={201: schemas.CaseOut}, summary="Open a case")
def create_case(request: HttpRequest, payload: schemas.CaseIn):
    """Open an inquiry, complaint, report or suggestion. Send an `Idempotency-Key` header to
    make retries safe: the same key returns the first response and never creates twice."""
    user = request.user
    if not can_create_cases(user):
        raise Forbidden("your role cannot open cases")

    def create() -> tuple[int, dict]:
        # The whole request is checked before anything is written, and everything is
        # written in one transaction: a refused create must not leave a resident or a
        # contact behind (it did: the e-mail of a refused create stayed on the resident).
        entity = _known(entity_by_code(payload.entity), "entity", payload.entity)
        service = _known(service_by_code(payload.service), "service", payload.service)
        department = (
            _known(department_by_code(entity, payload.department), "department", payload.department)
            if payload.department
            else None
        )
        hotline = _known(hotline_by_number(payload.hotline), "hotline", payload.hotline)
        # Another entity's interaction would become readable through the new case.
        interaction = (
            _get_or_field_error(
                scope_interactions(user, Interaction.objects.all()),
                "interaction_id",
                pk=payload.interaction_id,
            )
            if payload.interaction_id
            else None
        )
        location = payload.location or schemas.LocationIn()
        services.case_create_check(
            actor=user,
            entity=entity,
            service=service,
            department=department,
            latitude=location.latitude,
            longitude=location.longitude,
        )
        contacts = _resident_contacts(payload)
        # savepoint=False: inside run_idempotent's transaction this adds no savepoint, and a
        # failure still rolls back everything (that transaction re-raises it).
        with transaction.atomic(savepoint=False):
            case = services.case_create(
                actor=user,
                kind=payload.kind,
                entity=entity,
                subject=payload.subject,
                description=payload.description,
                priority=payload.priority,
                service=service,
                department=department,
                hotline=hotline,
                resident=_resident_for(user, payload, contacts),
                channel=payload.channel or "",
                language=payload.language or "ar",
                latitude=location.latitude,
                longitude=location.longitude,
                address=location.address,
                interaction=interaction,
                contacts_given=given_for_codes(contacts),
            )
        return 201, case_to_out(case)

    status, body = run_idempotent(
        request, endpoint="cases.create", payload=payload.model_dump(mode="json"), create=create
    )
    return Status(status, body)


class CaseFilters(schemas.Paging):
    status: list[CaseStatus] | None = None
    kind: CaseKind | None = None
    entity: schemas.text(40) | None = None
    department: schemas.text(40) | None = None
    priority: Priority | None = None
    resident_id: schemas.ObjectId | None = None
    overdue: bool | None = None
    q: schemas.text(200) | None = None
    created_after: schemas.Instant | None = None
    created_before: schemas.Instant | None = None
    order: schemas.CaseSort = "-created_at"


@router.get("", response=schemas.CasePageOut, summary="Search cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]):
    """Cases the caller may see, filtered and paginated (`page`, `page_size` ≤ 200)."""
    require(request.user, Action.CASE_READ)
    cases = case_search(
        user=request.user,
        **filters.model_dump(exclude={"page", "page_size"}),
    )
    page = paginate(cases, page=filters.page, page_size=filters.page_size)
    if filters.resident_id is not None:
        audit_resident_filter(request, filters.resident_id, purpose="cases of a resident")
    page["results"] = [
        {
            "reference": c.reference,
            "kind": c.kind,
            "status": c.status,
            "priority": c.priority,
            "entity": c.entity.code,
            "department": c.department.code if c.department_id else None,
            "subject": c.subject,
            "resident_id": c.resident_id,
            "resolution_due": c.resolution_due,
            "breached": case_is_breached(c),
            "escalation_level": c.escalation_level,
            "created_at": c.created_at,
        }
        for c in page["results"]
    ]
    return page


@router.get("/{reference}", response=schemas.CaseOut, summary="Read a case")
def get_case(request: HttpRequest, reference: str):
    case = case_read(
        user=request.user,
        reference=reference,
        purpose="case detail",
        fields=CASE_FIELDS,
        request=request,
    )
    return case_to_out(case)


@router.post("/{reference}/transitions", response=schemas.CaseOut, summary="Move a case")
def transition_case(request: HttpRequest, reference: str, payload: schemas.TransitionIn):
    """Actions: route (with `department`), start, request_info, resume, resolve, close,
    reopen. Send `version` (from the last read) to refuse the change if someone else changed
    the case meanwhile (409)."""
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    department = None
    if payload.department:
        department = _get_or_field_error(
            Department.objects, "department", entity_id=case.entity_id, code=payload.department
        )
    case = services.case_transition(
        case=case,
        action=payload.action,
        actor=request.user,
        reason=payload.reason,
        department=department,
        expected_version=payload.version,
    )
    return case_to_out(case_get(user=request.user, reference=case.reference))


@router.post("/{reference}/assignee", response=schemas.CaseOut, summary="Assign a case")
def assign_case(request: HttpRequest, reference: str, payload: schemas.AssignIn):
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    assignee = None
    if payload.assignee:
        assignee = _get_or_field_error(
            User.objects.filter(is_active=True), "assignee", username=payload.assignee
        )
    services.case_assign(case=case, assignee=assignee, actor=request.user)
    return case_to_out(case_get(user=request.user, reference=reference))


@router.get("/{reference}/notes", response=list[schemas.NoteOut], summary="Notes and messages")
def list_notes(request: HttpRequest, reference: str):
    case = case_read(
        user=request.user,
        reference=reference,
        purpose="case notes",
        fields=["notes"],
        request=request,
    )
    return list(case.notes.all())


@router.post("/{reference}/notes", response={201: schemas.NoteOut}, summary="Add a note")
def add_note(request: HttpRequest, reference: str, payload: schemas.NoteIn):
    """`visibility`: `internal` (staff only) or `resident` (queued for the resident's
    preferred channel)."""
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    note = services.case_add_note(
        case=case, actor=request.user, body=payload.body, visibility=payload.visibility
    )
    return Status(201, note)


@router.get("/{reference}/attachments", response=list[schemas.AttachmentOut], summary="Attachments")
def list_attachments(request: HttpRequest, reference: str):
    return list(case_get(user=request.user, reference=reference).attachments.all())


@router.post(
    "/{reference}/attachments",
    response={201: schemas.AttachmentOut},
    summary="Attach a file (PDF, image, TIFF)",
)
def add_attachment(request: HttpRequest, reference: str, file: File[UploadedFile]):
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    attachment = services.case_add_attachment(case=case, actor=request.user, upload=file)
    return Status(201, attachment)


@router.get(
    "/{reference}/attachments/{attachment_id}/file",
    summary="Download an attachment (decrypted for staff who may see the case; audited)",
)
def download_attachment(request: HttpRequest, reference: str, attachment_id: int):
    require(request.user, Action.CASE_READ)
    case = case_get(user=request.user, reference=reference)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("no such attachment on this case", field="attachment_id")
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="attachment",
        object_id=attachment.pk,
        resident_id=case.resident_id,
        fields=["file"],
        purpose="attachment download",
        request=request,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/{reference}/history", response=list[schemas.EventOut], summary="Full history")
def case_history(request: HttpRequest, reference: str):
    case = case_read(
        user=request.user,
        reference=reference,
        purpose="case history",
        fields=["history"],
        request=request,
    )
    return list(case.events.all())


@router.get("/{reference}/resident", response=schemas.ResidentOut, summary="The case's resident")
def case_resident(request: HttpRequest, reference: str):
    """The resident's personal data as the case needs it (audited)."""
    from tawasul.api.routers.residents import resident_to_out

    case = case_get(user=request.user, reference=reference)
    if case.resident_id is None:
        raise NotFound("this case has no resident", field="reference")
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="resident",
        object_id=case.resident_id,
        resident_id=case.resident_id,
        fields=["full_name", "contacts", "national_id_masked"],
        purpose="resident of a case",
        request=request,
    )
    return resident_to_out(case.resident)


@router.get("/{reference}/follow-ups", response=list[schemas.FollowUpOut], summary="Follow-ups")
def list_follow_ups(request: HttpRequest, reference: str):
    return list(case_get(user=request.user, reference=reference).follow_ups.all())


@router.post(
    "/{reference}/follow-ups", response={201: schemas.FollowUpOut}, summary="Schedule a follow-up"
)
def add_follow_up(request: HttpRequest, reference: str, payload: schemas.FollowUpIn):
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    follow_up = services.case_follow_up_schedule(
        case=case, actor=request.user, due_at=payload.due_at, note=payload.note
    )
    return Status(201, follow_up)


@router.post(
    "/{reference}/follow-ups/{int:follow_up_id}/done",
    response=schemas.FollowUpOut,
    summary="Mark a follow-up done",
)
def finish_follow_up(request: HttpRequest, reference: str, follow_up_id: int):
    case = case_get(user=request.user, reference=reference)
    require_case_work(request.user, case)
    follow_up = case.follow_ups.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise NotFound("no such follow-up", field="follow_up_id")
    return services.case_follow_up_done(follow_up=follow_up, actor=request.user)


escalations = Router(tags=["cases"])


@escalations.post("", response=schemas.EscalationRunOut, summary="Escalate overdue cases now")
def run_escalations(request: HttpRequest):
    """The background worker does this every minute; supervisors may run it at once."""
    require(request.user, Action.SUPERVISE)
    return {"escalated": [c.reference for c in services.case_escalate_breached()]}
