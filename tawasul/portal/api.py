"""The mobile-app API (mounted at /api/app/): what the portal does, as JSON.

Authentication is the installation's own token (``Authorization: Bearer twapp_…``), set on
this router so the project's staff/system tokens are neither needed nor accepted here, and an
app token is worthless on the staff API. Reading or answering a case also needs the
short-lived tracking token (``X-Tracking-Token``) that a one-time code, or submitting the case
from this installation, gives.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import Field, StringConstraints

from tawasul.api.schemas import ErrorOut, Input, text
from tawasul.cases.choices import CaseKind
from tawasul.directory.models import Entity, Service
from tawasul.errors import DomainError
from tawasul.omnichannel import push
from tawasul.portal import services
from tawasul.portal.choices import OtpChannel, Source
from tawasul.portal.models import AppInstallation
from tawasul.portal.selectors import public_case, service_questions
from tawasul.portal.views import client_ip
from tawasul.residents.models import ReplyChannel

TRACKING_HEADER = "X-Tracking-Token"


class AppToken(HttpBearer):
    """An installed app's bearer token; never a staff or system token."""

    def authenticate(self, request: HttpRequest, token: str) -> AppInstallation | None:
        installation = services.app_installation_for(token)
        if installation is not None:
            request.app_installation = installation
        return installation


router = Router(tags=["mobile app"], auth=AppToken())


def _language() -> str:
    return (get_language() or "ar")[:2]


def _tracked(request: HttpRequest, reference: str):
    return services.tracking_grant_case(
        raw=request.headers.get(TRACKING_HEADER, ""),
        installation=request.app_installation,
        reference=reference,
    )


# --- schemas ----------------------------------------------------------------------------------


class RegisterIn(Input):
    platform: text(20, min_length=1)
    app_version: text(40) = ""
    language: text(8) = "ar"


class RegisterOut(Schema):
    installation_id: int
    token: str = Field(description="Send as `Authorization: Bearer …`; shown only once.")


class ChoiceOut(Schema):
    key: str
    name: str


class QuestionOut(Schema):
    code: str
    datatype: str
    required: bool
    description: str
    values: list[ChoiceOut]


class AppServiceOut(Schema):
    code: str
    entity: str
    name: str
    description: str
    questions: list[QuestionOut]


class AppEntityOut(Schema):
    code: str
    name: str
    services: list[AppServiceOut]


class SubmitIn(Input):
    kind: CaseKind
    entity: text(40, min_length=1)
    service: text(60) | None = None
    description: text(5000, min_length=1)
    full_name: text(200) = ""
    phone: text(40) = ""
    email: text(254) = ""
    preferred_channel: ReplyChannel | None = None
    language: text(8) = "ar"
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    address: text(300) = ""
    attributes: dict[str, str | list[str]] = {}
    client_request_id: text(64) = Field(
        "", description="Your id for this submission: sending it again returns the same case."
    )


class TrackingOut(Schema):
    reference: str
    tracking_token: str
    expires_at: datetime


class SubmitOut(TrackingOut):
    status: str


class CodeIn(Input):
    reference: text(32, min_length=1)
    channel: OtpChannel = OtpChannel.SMS


class CodeSentOut(Schema):
    message: str


class VerifyIn(Input):
    reference: text(32, min_length=1)
    code: text(6, min_length=6)


class TimelineOut(Schema):
    at: datetime
    kind: str
    status: str
    title: str
    body: str


class AppCaseOut(Schema):
    reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    entity: str
    service: str | None
    subject: str
    description: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    created_at: datetime
    resolution: str
    awaiting_resident: bool
    can_reply: bool
    can_rate: bool
    rating: dict | None
    attachments: list[str]
    timeline: list[TimelineOut]


class ReplyIn(Input):
    body: text(5000, min_length=1)


class PushTokenIn(Input):
    # An FCM registration token: letters, digits, "-", "_" and ":" only.
    token: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=20, max_length=1024, pattern=r"^[A-Za-z0-9_:-]+$"
        ),
    ] = Field(description="This device's Firebase Cloud Messaging registration token.")


class RatingIn(Input):
    score: int = Field(ge=1, le=5)
    comment: text(2000) = ""


class RatingOut(Schema):
    score: int
    comment: str


class AppAttachmentOut(Schema):
    filename: str
    content_type: str
    size: int


# --- endpoints --------------------------------------------------------------------------------


@router.post(
    "/installations",
    auth=None,
    response={201: RegisterOut, 429: ErrorOut},
    summary="Register an app",
)
def register(request: HttpRequest, payload: RegisterIn):
    installation, raw = services.app_register(
        platform=payload.platform,
        app_version=payload.app_version,
        language=payload.language,
        ip=client_ip(request),
    )
    return Status(201, {"installation_id": installation.pk, "token": raw})


def _questions(service: Service, language: str) -> list[dict]:
    key = "name_ar" if language == "ar" else "name_en"
    return [
        {
            "code": q.code,
            "datatype": q.datatype,
            "required": q.required,
            "description": q.description_in(language),
            "values": [
                {"key": str(v.get("key")), "name": v.get(key) or v.get("name_en") or v.get("key")}
                for v in q.values
            ],
        }
        for q in service_questions(service)
    ]


def _service_out(service: Service, language: str) -> dict:
    return {
        "code": service.code,
        "entity": service.entity.code,
        "name": service.name_in(language),
        "description": service.description_ar if language == "ar" else service.description_en,
        "questions": _questions(service, language),
    }


@router.get("/entities", response=list[AppEntityOut], summary="Entities and their active services")
def entities(request: HttpRequest, q: text(100) = ""):
    language = _language()
    found = services.active_entities(q)
    offered = Service.objects.filter(entity__in=found, active=True).select_related("entity")
    by_entity: dict[int, list[dict]] = {}
    for service in offered.order_by("name_en"):
        by_entity.setdefault(service.entity_id, []).append(_service_out(service, language))
    return [
        {"code": e.code, "name": e.name_in(language), "services": by_entity.get(e.pk, [])}
        for e in found
    ]


@router.get("/services", response=list[AppServiceOut], summary="Active services of an entity")
def services_of(request: HttpRequest, entity: text(40, min_length=1)):
    found = Entity.objects.filter(code=entity, active=True).first()
    if found is None:
        raise DomainError(f"unknown entity: {entity}", field="entity")
    return [_service_out(s, _language()) for s in services.active_services(found)]


@router.post(
    "/cases",
    response={201: SubmitOut, 200: SubmitOut, 429: ErrorOut},
    summary="Submit a request",
)
def submit(request: HttpRequest, payload: SubmitIn):
    entity = Entity.objects.filter(code=payload.entity, active=True).first()
    if entity is None:
        raise DomainError(f"unknown entity: {payload.entity}", field="entity")
    service = None
    if payload.service:
        service = Service.objects.filter(code=payload.service, entity=entity, active=True).first()
        if service is None:
            raise DomainError(f"unknown service: {payload.service}", field="service")
    raw = {
        code: value if isinstance(value, list) else [value]
        for code, value in payload.attributes.items()
    }
    installation = request.app_installation
    data = services.SubmissionInput(
        kind=payload.kind,
        entity=entity,
        service=service,
        description=payload.description,
        phone=payload.phone,
        email=payload.email,
        full_name=payload.full_name,
        preferred_channel=payload.preferred_channel or "",
        language=payload.language,
        latitude=payload.latitude,
        longitude=payload.longitude,
        address=payload.address,
        attributes=services.attributes_clean(service=service, raw=raw),
        app_account=installation.account_id,
        submission_id=f"{installation.pk}:{payload.client_request_id}"
        if payload.client_request_id
        else "",
    )
    case, created = services.portal_submit(
        data=data, source=Source.APP, ip=client_ip(request), installation=installation
    )
    token, expires = services.tracking_grant_issue(case=case, installation=installation)
    body = {
        "reference": case.reference,
        "status": case.status,
        "tracking_token": token,
        "expires_at": expires,
    }
    return Status((201 if created else 200), body)


@router.post(
    "/cases/{reference}/attachments",
    response={201: AppAttachmentOut},
    summary="Attach an image or PDF (needs X-Tracking-Token)",
)
def attach(request: HttpRequest, reference: str, file: File[UploadedFile]):
    from tawasul.cases.services import case_add_attachment

    case = _tracked(request, reference)
    services.check_uploads([file])
    attachment = case_add_attachment(case=case, actor=None, upload=file)
    return Status(201, attachment)


@router.post(
    "/tracking/code",
    response={202: CodeSentOut, 429: ErrorOut},
    summary="Ask for a one-time code",
)
def request_code(request: HttpRequest, payload: CodeIn):
    services.otp_request(
        reference=payload.reference, channel=payload.channel, ip=client_ip(request)
    )
    # The same answer whether or not the reference exists or a contact is on file.
    return Status(
        202, {"message": "If the reference is right, a code was sent to the contact on file."}
    )


@router.post(
    "/tracking/verify",
    response={200: TrackingOut, 429: ErrorOut},
    summary="Exchange a code for access",
)
def verify(request: HttpRequest, payload: VerifyIn):
    case = services.otp_verify(
        reference=payload.reference, code=payload.code, ip=client_ip(request)
    )
    token, expires = services.tracking_grant_issue(case=case, installation=request.app_installation)
    return {"reference": case.reference, "tracking_token": token, "expires_at": expires}


@router.get("/cases/{reference}", response=AppCaseOut, summary="A tracked case (X-Tracking-Token)")
def get_case(request: HttpRequest, reference: str):
    return public_case(_tracked(request, reference), language=_language())


@router.get(
    "/cases/{reference}/messages",
    response=list[TimelineOut],
    summary="Messages from the center and the resident's replies",
)
def messages(request: HttpRequest, reference: str):
    view = public_case(_tracked(request, reference), language=_language())
    return [item for item in view["timeline"] if item["kind"] in ("message", "reply")]


@router.post(
    "/cases/{reference}/replies", response={201: AppCaseOut}, summary="Reply to the center"
)
def reply(request: HttpRequest, reference: str, payload: ReplyIn):
    case = services.resident_reply(
        case=_tracked(request, reference), body=payload.body, source=Source.APP
    )
    return Status(201, public_case(case, language=_language()))


@router.post("/cases/{reference}/rating", response={201: RatingOut}, summary="Rate the answer")
def rate(request: HttpRequest, reference: str, payload: RatingIn):
    rating = services.rating_submit(
        case=_tracked(request, reference),
        score=payload.score,
        comment=payload.comment,
        source=Source.APP,
    )
    return Status(201, rating)


@router.put("/push-token", response={204: None}, summary="Receive replies as push notifications")
def push_token_register(request: HttpRequest, payload: PushTokenIn):
    push.push_device_register(installation=request.app_installation, token=payload.token)
    return Status(204, None)


@router.delete("/push-token", response={204: None}, summary="Stop push notifications")
def push_token_unregister(request: HttpRequest):
    push.push_device_unregister(installation=request.app_installation)
    return Status(204, None)
