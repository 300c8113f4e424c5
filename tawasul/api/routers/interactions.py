"""Interaction endpoints: log a contact from any channel, then its timings."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from tawasul.accounts.access import scope_interactions
from tawasul.accounts.policy import Action, require
from tawasul.api import schemas
from tawasul.api.routers.common import audit_resident_filter, paginate
from tawasul.directory.models import Entity, Hotline
from tawasul.errors import DomainError, NotFound
from tawasul.interactions.models import Channel, Interaction
from tawasul.interactions.services import interaction_record, interaction_update_timings
from tawasul.residents.models import Resident

router = Router(tags=["interactions"])


def _visible(request: HttpRequest):
    return scope_interactions(
        request.user,
        Interaction.objects.select_related("hotline", "entity", "agent").prefetch_related("cases"),
    )


def _get(request: HttpRequest, interaction_id: UUID) -> Interaction:
    found = _visible(request).filter(pk=interaction_id).first()
    if found is None:
        raise NotFound("no such interaction", field="interaction_id")
    return found


@router.post("", response={200: schemas.InteractionOut, 201: schemas.InteractionOut})
def create_interaction(request: HttpRequest, payload: schemas.InteractionIn):
    """Log a contact. A repeated `external_id` on the same channel returns the stored one (200)."""
    require(request.user, Action.INTERACTION_WRITE)
    fields = payload.model_dump(
        exclude={"hotline", "entity", "resident_id", "external_id", "channel"}, exclude_none=True
    )
    if payload.hotline:
        fields["hotline"] = Hotline.objects.filter(number=payload.hotline).first()
        if fields["hotline"] is None:
            raise DomainError(f"unknown hotline: {payload.hotline}", field="hotline")
    if payload.entity:
        fields["entity"] = Entity.objects.filter(code=payload.entity).first()
        if fields["entity"] is None:
            raise DomainError(f"unknown entity: {payload.entity}", field="entity")
    if payload.resident_id:
        fields["resident"] = Resident.objects.filter(pk=payload.resident_id).first()
        if fields["resident"] is None:
            raise DomainError("unknown resident", field="resident_id")
    fields.setdefault("offered_at", timezone.now())
    fields["agent"] = request.user if payload.answered_at else None
    interaction, created = interaction_record(
        channel=payload.channel, external_id=payload.external_id, **fields
    )
    return Status(201 if created else 200, _get(request, interaction.pk))


class InteractionFilters(schemas.Paging):
    channel: Channel | None = None
    resident_id: schemas.ObjectId | None = None
    hotline: schemas.text(20) | None = None


@router.get("", response=schemas.InteractionPageOut)
def list_interactions(request: HttpRequest, filters: Query[InteractionFilters]):
    require(request.user, Action.INTERACTION_READ)
    interactions = _visible(request)
    if filters.channel:
        interactions = interactions.filter(channel=filters.channel)
    if filters.resident_id:
        interactions = interactions.filter(resident_id=filters.resident_id)
    if filters.hotline:
        interactions = interactions.filter(hotline__number=filters.hotline)
    page = paginate(interactions, page=filters.page, page_size=filters.page_size)
    if filters.resident_id is not None:
        audit_resident_filter(request, filters.resident_id, purpose="interactions of a resident")
    return page


@router.get("/{uuid:interaction_id}", response=schemas.InteractionOut)
def get_interaction(request: HttpRequest, interaction_id: UUID):
    return _get(request, interaction_id)


@router.patch("/{uuid:interaction_id}", response=schemas.InteractionOut)
def update_interaction(
    request: HttpRequest, interaction_id: UUID, payload: schemas.InteractionPatch
):
    require(request.user, Action.INTERACTION_WRITE)
    interaction = _get(request, interaction_id)
    interaction_update_timings(interaction=interaction, **payload.model_dump(exclude_none=True))
    return _get(request, interaction_id)
