"""Resident endpoints. Every response carrying personal data writes an audit entry."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from tawasul.accounts.models import AuditAction
from tawasul.accounts.policy import Action, require
from tawasul.accounts.services import audit_record, audit_record_many
from tawasul.api import schemas
from tawasul.api.routers.common import paginate
from tawasul.errors import DomainError
from tawasul.residents.models import Resident
from tawasul.residents.selectors import resident_get, resident_search
from tawasul.residents.services import normalize_contacts, resident_for_staff, resident_merge

router = Router(tags=["residents"])
PERSONAL_FIELDS = ["full_name", "contacts", "national_id_masked"]


def resident_to_out(resident: Resident) -> dict:
    return {
        "id": resident.pk,
        "full_name": resident.full_name,
        "preferred_language": resident.preferred_language,
        "preferred_channel": resident.preferred_channel,
        "fallback_channels": resident.fallback_channels,
        "national_id_masked": resident.masked_national_id,
        "consent_contact": resident.consent_contact,
        "consent_recording": resident.consent_recording,
        "consent_surveys": resident.consent_surveys,
        "contacts": [
            {"kind": c.kind, "value": c.value, "verified": c.verified}
            for c in resident.contacts.all()
        ],
        "merged_into": resident.merged_into_id,
        "created_at": resident.created_at,
    }


def _audit(request: HttpRequest, resident: Resident, action: str, fields=PERSONAL_FIELDS) -> None:
    audit_record(
        actor=request.user,
        action=action,
        object_type="resident",
        object_id=resident.pk,
        resident_id=resident.pk,
        fields=fields,
        request=request,
    )


@router.post("", response={200: schemas.ResidentOut, 201: schemas.ResidentOut})
def find_or_create_resident(request: HttpRequest, payload: schemas.ResidentIn):
    """The resident owning any of these contact points (200), or a new one (201)."""
    require(request.user, Action.RESIDENT_WRITE)
    contacts = normalize_contacts(
        phone=payload.phone,
        email=payload.email,
        app_account=payload.app_account,
        social_handle=payload.social_handle,
    )
    if not contacts:
        raise DomainError(
            "give at least one of phone, email, app_account, social_handle", field="phone"
        )
    with transaction.atomic():
        resident, created = resident_for_staff(
            user=request.user,
            contacts=contacts,
            full_name=payload.full_name,
            preferred_language=payload.preferred_language,
            preferred_channel=payload.preferred_channel,
        )
        if created and payload.national_id:
            resident.national_id = payload.national_id
            resident.save(update_fields=["national_id", "updated_at"])
        _audit(request, resident, AuditAction.CREATE if created else AuditAction.READ)
    return Status(201 if created else 200, resident_to_out(resident))


class ResidentFilters(schemas.Paging):
    phone: schemas.text(40) | None = None
    email: schemas.text(254) | None = None
    name: schemas.text(200) | None = None
    national_id: schemas.text(32) | None = None
    page_size: int = Field(20, ge=1, le=schemas.MAX_PAGE_SIZE)


@router.get("", response=schemas.ResidentPageOut)
def search_residents(request: HttpRequest, filters: Query[ResidentFilters]):
    """Center staff only; each resident returned is recorded in the audit log."""
    require(request.user, Action.RESIDENT_SEARCH)
    criteria = filters.model_dump(exclude={"page", "page_size"}, exclude_none=True)
    if not criteria:
        raise DomainError("give phone, email, name or national_id to search", field="phone")
    page = paginate(
        resident_search(user=request.user, **criteria),
        page=filters.page,
        page_size=filters.page_size,
    )
    audit_record_many(
        actor=request.user,
        action=AuditAction.SEARCH,
        object_type="resident",
        resident_ids=[r.pk for r in page["results"]],
        fields=PERSONAL_FIELDS,
        request=request,
    )
    page["results"] = [resident_to_out(r) for r in page["results"]]
    return page


@router.get("/{int:resident_id}", response=schemas.ResidentOut)
def get_resident(request: HttpRequest, resident_id: int):
    resident = resident_get(user=request.user, resident_id=resident_id)
    _audit(request, resident, AuditAction.READ)
    return resident_to_out(resident)


@router.patch("/{int:resident_id}", response=schemas.ResidentOut)
def update_resident(request: HttpRequest, resident_id: int, payload: schemas.ResidentPatch):
    require(request.user, Action.RESIDENT_WRITE)
    resident = resident_get(user=request.user, resident_id=resident_id)
    changes = payload.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name != "national_id":
            raise DomainError("may not be null", field=name)
        setattr(resident, name, (value or "") if name == "national_id" else value)
    with transaction.atomic():
        resident.save()
        _audit(request, resident, AuditAction.UPDATE, fields=sorted(changes))
    return resident_to_out(resident)


@router.post("/{int:resident_id}/merge", response=schemas.ResidentOut)
def merge_residents(request: HttpRequest, resident_id: int, payload: schemas.MergeIn):
    """Fold resident `source_id` into this one; all history moves here."""
    require(request.user, Action.RESIDENT_WRITE)
    target = resident_get(user=request.user, resident_id=resident_id)
    source = resident_get(user=request.user, resident_id=payload.source_id)
    merged = resident_merge(source=source, target=target, actor=request.user)
    return resident_to_out(resident_get(user=request.user, resident_id=merged.pk))
