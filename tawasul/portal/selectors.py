"""Reads of the portal room: what a resident who proved a case may see of it.

A resident sees the case's public face only: its status, the steps of its lifecycle, the
messages the center sent them and their own replies. Internal notes, assignments,
escalations, department names and staff names never leave through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from tawasul.cases.choices import CaseKind, CaseStatus, EventKind, NoteVisibility
from tawasul.cases.models import Case, CaseEvent
from tawasul.directory.models import Service
from tawasul.interactions.models import Direction, Outcome
from tawasul.portal.models import ServiceAttribute
from tawasul.portal.services import rating_for

# Transitions whose reason is written for the resident: the question when staff ask for more
# information, and the answer when they resolve. Other reasons (return to center, reopen) are
# staff's own words about routing and stay internal.
_PUBLIC_REASONS = {"request_info", "resolve"}


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "status" | "message" | "reply"
    status: str
    title: str
    body: str


def _status_label(status: str) -> str:
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status


def public_timeline(case: Case) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    events = CaseEvent.objects.filter(
        case=case, kind__in=[EventKind.CREATED, EventKind.TRANSITION]
    ).order_by("at", "id")
    for event in events:
        action = (event.data or {}).get("action", "")
        if event.kind == EventKind.CREATED:
            title = _("Request received")
        elif action == "request_info":
            title = _("We need more information from you")
        elif action == "resolve":
            title = _("Answered")
        else:
            title = _status_label(event.to_status)
        items.append(
            TimelineItem(
                at=event.at,
                kind="status",
                status=event.to_status,
                title=title,
                body=event.reason if action in _PUBLIC_REASONS else "",
            )
        )
    for note in case.notes.filter(visibility=NoteVisibility.RESIDENT):
        items.append(TimelineItem(note.created_at, "message", "", _("Message from us"), note.body))
    replies = case.interactions.filter(direction=Direction.INBOUND).exclude(
        outcome=Outcome.CASE_OPENED
    )
    for reply in replies:
        items.append(TimelineItem(reply.offered_at, "reply", "", _("Your reply"), reply.body))
    items.sort(key=lambda item: item.at)
    return items


def public_case(case: Case, *, language: str) -> dict:
    """The case as its resident sees it (also the app API's JSON)."""
    timeline = public_timeline(case)
    rating = rating_for(case)
    return {
        "reference": case.reference,
        "kind": case.kind,
        "kind_label": str(CaseKind(case.kind).label),
        "status": case.status,
        "status_label": _status_label(case.status),
        "entity": case.entity.name_in(language),
        "service": case.service.name_in(language) if case.service_id else None,
        "subject": case.subject,
        "description": case.description,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "created_at": case.created_at,
        "resolution": case.resolution if case.status in _DONE else "",
        "awaiting_resident": case.status == CaseStatus.AWAITING_RESIDENT,
        "can_reply": case.status not in _DONE,
        "can_rate": case.status in _DONE and case.resolved_at is not None and rating is None,
        "rating": {"score": rating.score, "comment": rating.comment} if rating else None,
        "attachments": [a.filename for a in case.attachments.filter(uploaded_by__isnull=True)],
        "timeline": [
            {
                "at": item.at,
                "kind": item.kind,
                "status": item.status,
                "title": item.title,
                "body": item.body,
            }
            for item in timeline
        ],
    }


_DONE = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


def service_questions(service: Service | None) -> list[ServiceAttribute]:
    if service is None:
        return []
    return list(ServiceAttribute.objects.filter(service=service, variable=True))
