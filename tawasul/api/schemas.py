"""Typed shapes at the API edge, with the limits that keep bad input out of the services."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from tawasul.cases.choices import CaseKind, CaseStatus, NoteVisibility, Priority
from tawasul.cases.workflow import Action
from tawasul.interactions.models import Channel, Direction, Outcome
from tawasul.residents.models import ReplyChannel


def _no_control(value: str) -> str:
    # NUL cannot be stored by PostgreSQL and other C0 controls are never legitimate text;
    # tabs and newlines are. Bidi marks (U+200E/F, U+202A–E) are kept: Arabic text uses them.
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def text(max_length: int, *, min_length: int = 0):
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control),
    ]


Code = text(60, min_length=1)


def _storable_instant(value: datetime) -> datetime:
    # PostgreSQL refuses a UTC offset past ±15:59 and Python overflows turning year 1 or 9999
    # with an offset into UTC: both were 500s. Real offsets run from -12:00 to +14:00.
    offset = value.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


MIN_YEAR, MAX_YEAR = 1900, 9998
# Every date-time a caller sends: ISO 8601, with a real-world UTC offset and a year in range.
Instant = Annotated[datetime, AfterValidator(_storable_instant)]

# A database id: both SQLite and PostgreSQL keep integers in 64 bits, and a larger number in a
# filter was an overflow inside the driver (a 500) instead of a 422 naming the field.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(BaseModel):
    """Base of every request body and filter set.

    A plain pydantic model, not ninja's ``Schema``: ``Schema`` reads attributes off any
    object, so a string where an object belongs would pass as "all defaults". Unknown
    fields are refused so a misspelt field name is an error, not silently ignored.
    """

    model_config = ConfigDict(extra="forbid")


class ErrorItemOut(Schema):
    field: str | None = Field(description="The field at fault, or null for the whole request.")
    message: str
    code: str


class ErrorOut(Schema):
    """The body of every 4xx answer."""

    detail: list[ErrorItemOut]


# Deep pages are refused rather than handed to the database: an OFFSET past 64 bits is an
# overflow (a 500 on SQLite and PostgreSQL), and even a large one is a full scan. Past this
# many pages a caller narrows the filters instead.
MAX_PAGE = 10_000
MAX_PAGE_SIZE = 200


class Paging(Input):
    """``page`` and ``page_size`` of every paginated list, with their bounds in the schema."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based; past the end is empty.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema):
    count: int
    page: int
    page_size: int


# --- directory ----------------------------------------------------------------------------


class LanguageOut(Schema):
    code: str
    name_en: str
    name_ar: str
    native_name: str
    rtl: bool


class DepartmentOut(Schema):
    code: str
    name_en: str
    name_ar: str


class ServiceOut(Schema):
    code: str
    entity: str = Field(validation_alias="entity.code")
    department: str | None = Field(None, validation_alias="department.code")
    name_en: str
    name_ar: str
    description_en: str
    description_ar: str
    procedure_en: str
    procedure_ar: str
    documents_en: str
    documents_ar: str
    fee: Decimal | None


class EntityOut(Schema):
    code: str
    name_en: str
    name_ar: str
    description_en: str
    description_ar: str
    country: str


class EntityDetailOut(EntityOut):
    departments: list[DepartmentOut]
    services: list[ServiceOut]


class HotlineOut(Schema):
    number: str
    name_en: str
    name_ar: str
    is_24x7: bool
    priority: int
    entities: list[str]
    languages: list[str]
    open_now: bool


# --- residents ----------------------------------------------------------------------------


class ResidentIn(Input):
    full_name: text(200) = ""
    phone: text(40) | None = None
    email: text(254) | None = None
    app_account: text(120) | None = None
    social_handle: text(120) | None = None
    preferred_language: text(8) | None = None
    preferred_channel: ReplyChannel | None = None
    national_id: text(32) | None = None


class ResidentPatch(Input):
    full_name: text(200) | None = None
    preferred_language: text(8) | None = None
    preferred_channel: ReplyChannel | None = None
    fallback_channels: list[ReplyChannel] | None = Field(None, max_length=5)
    national_id: text(32) | None = None
    consent_contact: bool | None = None
    consent_recording: bool | None = None
    consent_surveys: bool | None = None


class ContactPointOut(Schema):
    kind: str
    value: str
    verified: bool


class ResidentSummaryOut(Schema):
    id: int
    full_name: str
    preferred_language: str
    preferred_channel: str


class ResidentOut(ResidentSummaryOut):
    fallback_channels: list[str]
    national_id_masked: str
    consent_contact: bool
    consent_recording: bool
    consent_surveys: bool
    contacts: list[ContactPointOut]
    merged_into: int | None
    created_at: datetime


class ResidentPageOut(Page):
    results: list[ResidentOut]


class MergeIn(Input):
    source_id: ObjectId


# --- interactions -------------------------------------------------------------------------


class InteractionIn(Input):
    channel: Channel
    direction: Direction = Direction.INBOUND
    external_id: text(255) = ""
    hotline: text(20) | None = None
    entity: text(40) | None = None
    resident_id: ObjectId | None = None
    language: text(8) = ""
    queue: text(80) = ""
    address: text(254) = ""
    subject: text(300) = ""
    body: text(20000) = ""
    offered_at: Instant | None = None
    answered_at: Instant | None = None
    ended_at: Instant | None = None
    wrapup_ended_at: Instant | None = None
    hold_seconds: int = Field(0, ge=0, le=86400)
    outcome: Outcome = Outcome.PENDING
    ivr_path: list[text(60)] = Field(default_factory=list, max_length=50)


class InteractionPatch(Input):
    answered_at: Instant | None = None
    ended_at: Instant | None = None
    wrapup_ended_at: Instant | None = None
    hold_seconds: int | None = Field(None, ge=0, le=86400)
    outcome: Outcome | None = None


class InteractionOut(Schema):
    id: UUID
    channel: str
    direction: str
    external_id: str
    hotline: str | None = Field(None, validation_alias="hotline.number")
    entity: str | None = Field(None, validation_alias="entity.code")
    resident_id: int | None
    agent: str | None = Field(None, validation_alias="agent.username")
    language: str
    queue: str
    subject: str
    offered_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wrapup_ended_at: datetime | None
    hold_seconds: int
    wait_seconds: float | None
    talk_seconds: float | None
    outcome: str
    ivr_path: list[str]
    cases: list[str]

    @staticmethod
    def resolve_cases(obj) -> list[str]:
        return [case.reference for case in obj.cases.all()]


class InteractionPageOut(Page):
    results: list[InteractionOut]


# --- cases --------------------------------------------------------------------------------


class LocationIn(Input):
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=10, decimal_places=6)
    address: text(300) = ""


class CaseIn(Input):
    kind: CaseKind
    entity: Code
    service: text(60) | None = None
    department: text(40) | None = None
    priority: Priority = Priority.NORMAL
    hotline: text(20) | None = None
    subject: text(300, min_length=1)
    description: text(20000, min_length=1)
    channel: Channel | None = None
    language: text(8) = "ar"
    resident_id: ObjectId | None = None
    resident: ResidentIn | None = None
    location: LocationIn | None = None
    interaction_id: UUID | None = None


class SlaOut(Schema):
    policy: str | None
    first_response_due: datetime | None
    first_response_at: datetime | None
    resolution_due: datetime | None
    paused_since: datetime | None
    breached: bool
    escalation_level: int


class LocationOut(Schema):
    latitude: Decimal | None
    longitude: Decimal | None
    address: str


class CaseOut(Schema):
    reference: str
    kind: CaseKind
    status: CaseStatus
    priority: Priority
    entity: str
    service: str | None
    department: str | None
    hotline: str | None
    subject: str
    description: str
    channel: str
    language: str
    resident_id: int | None
    location: LocationOut | None
    assignee: str | None
    sla: SlaOut
    resolution: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    allowed_actions: list[str]


class CaseListItemOut(Schema):
    reference: str
    kind: str
    status: str
    priority: str
    entity: str
    department: str | None
    subject: str
    resident_id: int | None
    resolution_due: datetime | None
    breached: bool
    escalation_level: int
    created_at: datetime


class CasePageOut(Page):
    results: list[CaseListItemOut]


class TransitionIn(Input):
    action: Action
    reason: text(5000) = ""
    department: text(40) | None = None
    version: int | None = Field(None, ge=1)


class AssignIn(Input):
    assignee: text(150) | None = None


class NoteIn(Input):
    body: text(10000, min_length=1)
    visibility: NoteVisibility = NoteVisibility.INTERNAL


class NoteOut(Schema):
    id: int
    visibility: str
    body: str
    author: str = Field(validation_alias="author_label")
    delivery_channel: str
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str = Field(validation_alias="actor_label")
    from_status: str
    to_status: str
    reason: str
    data: dict


class FollowUpIn(Input):
    due_at: Instant
    note: text(500, min_length=1)


class FollowUpOut(Schema):
    id: int
    due_at: datetime
    note: str
    created_at: datetime
    done_at: datetime | None


class EscalationRunOut(Schema):
    escalated: list[str]


CaseSort = Literal["created_at", "-created_at", "resolution_due", "-resolution_due", "priority"]
