"""REST endpoints of the desk app (mounted by tawasul/api/api.py at /api/desk/).

``POST /api/desk/offers`` offers a contact to an agent, so the screen pop can be driven by the
voice gateway, a channel adapter or a script (``tawasul offer_contact``) with one call.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, require
from tawasul.api import schemas
from tawasul.desk import services
from tawasul.desk.models import ContactOffer
from tawasul.errors import DomainError
from tawasul.interactions.models import Channel, Interaction

router = Router(tags=["desk"])


class OfferIn(schemas.Input):
    agent: schemas.text(150, min_length=1)
    interaction_id: UUID | None = None
    channel: Channel = Channel.CALL
    phone: schemas.text(40) | None = None
    email: schemas.text(254) | None = None
    full_name: schemas.text(200) = ""
    hotline: schemas.text(20) | None = None
    ivr: list[schemas.text(60)] = Field(default_factory=list, max_length=50)
    language: schemas.text(8) = ""
    external_id: schemas.text(255) = ""
    subject: schemas.text(300) = ""


class OfferOut(Schema):
    offer_id: int
    agent: str
    interaction_id: UUID
    resident_id: int | None
    status: str
    path: dict
    language: str
    offered_at: datetime


def offer_to_out(offer: ContactOffer) -> dict:
    return {
        "offer_id": offer.pk,
        "agent": offer.agent.get_username(),
        "interaction_id": offer.interaction_id,
        "resident_id": offer.interaction.resident_id,
        "status": offer.status,
        "path": offer.path,
        "language": offer.language,
        "offered_at": offer.offered_at,
    }


@router.post("/offers", response={201: OfferOut}, summary="Offer a contact to an agent")
def create_offer(request: HttpRequest, payload: OfferIn):
    """Ring an agent's desk with a contact: give `interaction_id` of a recorded contact, or the
    resident's `phone`/`email` (found or created) with `channel`, `hotline` and the `ivr`
    choices. The agent must be available (409 otherwise). Center staff and system tokens only.
    """
    require(request.user, Action.OFFER_CONTACTS)
    agent = User.objects.filter(username=payload.agent, is_active=True).first()
    if agent is None:
        raise DomainError(f"unknown agent: {payload.agent}", field="agent")
    if payload.interaction_id is not None:
        interaction = Interaction.objects.filter(pk=payload.interaction_id).first()
        if interaction is None:
            raise DomainError("unknown interaction", field="interaction_id")
        path = {"channel": payload.channel, "hotline": payload.hotline or "", "ivr": payload.ivr}
        offer = services.contact_offer(
            agent=agent, interaction=interaction, path=path, language=payload.language
        )
    else:
        offer = services.contact_offer_inbound(
            agent=agent,
            channel=payload.channel,
            phone=payload.phone,
            email=payload.email,
            full_name=payload.full_name,
            hotline=payload.hotline,
            ivr=payload.ivr,
            language=payload.language,
            external_id=payload.external_id,
            subject=payload.subject,
        )
    return Status(201, offer_to_out(offer))
