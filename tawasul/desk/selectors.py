"""Reads of the staff desk, always through the caller's access scope; personal data audited."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case as When_
from django.db.models import F, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from tawasul.accounts.access import scope_cases, scope_interactions, scope_residents
from tawasul.accounts.models import AuditAction, Role, User
from tawasul.accounts.services import audit_record, audit_record_many
from tawasul.cases.choices import OPEN_STATUSES, CaseStatus
from tawasul.cases.models import Case
from tawasul.cases.selectors import case_get, case_search
from tawasul.desk import conf
from tawasul.desk.choices import AgentStatus, OfferStatus
from tawasul.desk.models import AgentState, ContactOffer
from tawasul.directory.models import Service
from tawasul.errors import DomainError, NotFound
from tawasul.interactions.models import Direction, Interaction, Outcome
from tawasul.omnichannel.models import OutboxMessage
from tawasul.residents.models import Resident
from tawasul.residents.services import InvalidContact, normalize_email, normalize_phone

RESIDENT_FIELDS = ["full_name", "contacts", "national_id_masked", "preferred_language"]
REFERENCE = re.compile(r"^[A-Z0-9]{1,20}-\d{4}-\d{3,9}$", re.IGNORECASE)


# --- agent --------------------------------------------------------------------------------


def agent_state_get(agent: User) -> AgentState:
    """The agent's state; someone who never signed in to the desk is logged out."""
    state = AgentState.objects.filter(agent=agent).select_related("offer").first()
    return state or AgentState(agent=agent, state=AgentStatus.LOGGED_OUT, since=timezone.now())


def offer_current(agent: User) -> ContactOffer | None:
    """The contact on the agent's screen: ringing, being handled, or in wrap-up."""
    base = ContactOffer.objects.select_related(
        "interaction__hotline", "interaction__resident", "interaction__entity"
    )
    ringing = base.filter(agent=agent, status=OfferStatus.RINGING).order_by("-offered_at").first()
    if ringing is not None:
        return ringing
    state = AgentState.objects.filter(agent=agent).values_list("state", "offer_id").first()
    if state and state[0] in (AgentStatus.ON_CONTACT, AgentStatus.WRAP_UP) and state[1]:
        return base.filter(pk=state[1]).first()
    return None


def offer_get(*, agent: User, offer_id: int) -> ContactOffer:
    offer = ContactOffer.objects.filter(pk=offer_id, agent=agent).first()
    if offer is None:
        raise NotFound("no such contact", field="offer")
    return offer


# --- residents ----------------------------------------------------------------------------


@dataclass
class Resident360:
    resident: Resident
    contacts: list
    interactions: list
    open_cases: list
    other_cases: list = field(default_factory=list)


def resident_360(*, user: User, resident_id: int, request: HttpRequest | None) -> Resident360:
    """Everything the user may see about a resident (audited): identity, contact points,
    preferences, recent contacts and cases across the entities the user may see."""
    resident = (
        scope_residents(user, Resident.objects.all())
        .prefetch_related("contacts")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise NotFound("no such resident", field="resident")
    interactions = list(
        scope_interactions(user, Interaction.objects.filter(resident=resident))
        .select_related("hotline", "entity", "agent")
        .order_by("-offered_at")[:10]
    )
    cases = list(
        scope_cases(user, Case.objects.filter(resident=resident))
        .select_related("entity", "department")
        .order_by("-created_at")[:20]
    )
    audit_record(
        actor=user,
        action=AuditAction.READ,
        object_type="resident",
        object_id=resident.pk,
        resident_id=resident.pk,
        fields=RESIDENT_FIELDS,
        request=request,
    )
    return Resident360(
        resident=resident,
        contacts=list(resident.contacts.all()),
        interactions=interactions,
        open_cases=[c for c in cases if c.status in OPEN_STATUSES],
        other_cases=[c for c in cases if c.status not in OPEN_STATUSES],
    )


def resident_lookup(*, user: User, q: str, request: HttpRequest | None) -> list[Resident]:
    """Residents matching a phone, e-mail, national ID, case reference or name (audited).

    The kind of query is recognised from its shape, so the agent types into one box.
    """
    q = (q or "").strip()
    if len(q) < 2:
        raise DomainError("type at least two characters", field="q")
    if len(q) > 200:
        raise DomainError("at most 200 characters", field="q")
    residents = scope_residents(user, Resident.objects.all()).filter(merged_into__isnull=True)
    if REFERENCE.match(q):
        try:
            case = case_get(user=user, reference=q)
        except NotFound:
            return []
        found = residents.filter(pk=case.resident_id)
    elif "@" in q:
        try:
            email = normalize_email(q, field="q")
        except InvalidContact:
            return []
        found = residents.filter(contacts__kind="email", contacts__value=email)
    elif re.fullmatch(r"[+\d][\d\s\-()]{5,}", q):
        digits = re.sub(r"\D", "", q)
        match = Q(national_id=digits)
        with contextlib.suppress(InvalidContact):
            match |= Q(contacts__kind="phone", contacts__value=normalize_phone(q, field="q"))
        found = residents.filter(match)
    else:
        found = residents.filter(full_name__icontains=q)
    results = list(found.distinct().prefetch_related("contacts").order_by("-id")[:20])
    audit_record_many(
        actor=user,
        action=AuditAction.SEARCH,
        object_type="resident",
        resident_ids=[r.pk for r in results],
        fields=RESIDENT_FIELDS,
        request=request,
    )
    return results


# --- back office --------------------------------------------------------------------------


def work_queue(
    *,
    user: User,
    status: list[str] | None = None,
    kind: str | None = None,
    priority: str | None = None,
    department: str | None = None,
    overdue: bool | None = None,
    mine: bool = False,
    q: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Case]:
    """The cases the user may work, overdue first, then by resolution due time."""
    now = now or timezone.now()
    cases = case_search(
        user=user,
        status=status or list(OPEN_STATUSES),
        kind=kind or None,
        priority=priority or None,
        department=department or None,
        overdue=overdue,
        q=q or None,
    ).select_related("service", "assignee", "resident")
    if mine:
        cases = cases.filter(assignee=user)
    breached = Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True, resolution_due__lt=now)
    return cases.annotate(
        overdue_rank=When_(When(breached, then=Value(0)), default=Value(1))
    ).order_by("overdue_rank", F("resolution_due").asc(nulls_last=True), "-id")


@dataclass
class TimelineItem:
    at: datetime
    kind: str
    label: str
    actor: str
    text: str = ""
    extra: str = ""
    css: str = ""


def case_timeline(case: Case) -> list[TimelineItem]:
    """The case's whole history in order: transitions, notes, messages (with delivery
    status), attachments, follow-ups and escalations."""
    notes = {n.pk: n for n in case.notes.all()}
    attachments = {a.pk: a for a in case.attachments.all()}
    outbox = {m.note_id: m for m in OutboxMessage.objects.filter(case=case, note__isnull=False)}
    items: list[TimelineItem] = []
    for event in case.events.all():
        item = TimelineItem(
            at=event.at,
            kind=event.kind,
            label=event.get_kind_display(),
            actor=event.actor_label,
            text=event.reason,
            css=event.kind,
        )
        data = event.data or {}
        if event.kind == "transition":
            item.extra = f"{event.from_status} → {event.to_status}"
            item.label = str(CaseStatus(event.to_status).label) if event.to_status else item.label
        note = notes.get(data.get("note"))
        if note is not None:
            item.text = note.body
            message = outbox.get(note.pk)
            if message is not None:
                item.extra = f"{message.channel} · {message.get_status_display()}"
        attachment = attachments.get(data.get("attachment"))
        if attachment is not None:
            item.text = attachment.filename
        items.append(item)
    return items


def case_departments(case: Case):
    return case.entity.departments.filter(active=True).order_by("name_en")


def case_assignable(case: Case) -> list[User]:
    """People who may be given this case: the entity's back office (within the case's
    department when they are limited to departments) and the center's supervisors."""
    candidates = User.objects.filter(is_active=True).filter(
        Q(role=Role.BACKOFFICE, entity_id=case.entity_id) | Q(role=Role.SUPERVISOR)
    )
    people = []
    for person in candidates.prefetch_related("departments").order_by("username"):
        allowed = {d.pk for d in person.departments.all()}
        if person.role == Role.BACKOFFICE and allowed and case.department_id not in allowed:
            continue
        people.append(person)
    return people


# --- supervisor ---------------------------------------------------------------------------


def _today_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class QueueStats:
    waiting: int
    longest_wait_seconds: int | None
    offered_today: int
    answered_today: int
    answered_in_threshold: int
    abandoned_today: int
    threshold_seconds: int
    service_level: float | None  # 0..1, None when nothing was offered yet


def queue_stats(*, now: datetime | None = None) -> QueueStats:
    """Live queue figures: contacts waiting now, and today's service level (center time zone).

    The service level is the center's one definition (:mod:`tawasul.insights.kpis`, variant
    "against"): contacts answered within T seconds ÷ contacts offered today that have ended.
    Abandoned contacts count against it; short abandons (under the KPI module's threshold) and
    contacts still waiting or talking are not counted.
    """
    from tawasul.insights import kpis

    now = now or timezone.now()
    threshold = conf.service_level_seconds()
    inbound = Interaction.objects.filter(direction=Direction.INBOUND)
    waiting = inbound.filter(
        answered_at__isnull=True, ended_at__isnull=True, offered_at__gte=now - timedelta(days=1)
    ).exclude(outcome=Outcome.ABANDONED)
    oldest = waiting.order_by("offered_at").values_list("offered_at", flat=True).first()
    rows = inbound.filter(offered_at__gte=_today_start(now)).values_list(
        "offered_at", "answered_at", "ended_at", "outcome", "channel"
    )
    records = []
    for offered, answered, ended, outcome, channel in rows:
        end = answered or ended
        records.append(
            kpis.ContactRecord(
                offered_at=offered,
                outcome=outcome,
                answered=answered is not None,
                wait=(end - offered).total_seconds() if end else None,
                channel=channel,
            )
        )
    totals = kpis.totals_of(records, thresholds=(threshold,))
    return QueueStats(
        waiting=waiting.count(),
        longest_wait_seconds=int((now - oldest).total_seconds()) if oldest else None,
        offered_today=totals.offered,
        answered_today=totals.answered,
        answered_in_threshold=totals.answered_within[threshold],
        abandoned_today=totals.abandoned,
        threshold_seconds=threshold,
        service_level=kpis.service_level(totals, threshold=threshold),
    )


@dataclass
class AgentRow:
    agent: User
    state: str
    state_label: str
    reason: str
    since: datetime | None
    seconds: int | None


def agents_board(*, now: datetime | None = None) -> list[AgentRow]:
    """Every agent with their state and time in state (system accounts left out)."""
    now = now or timezone.now()
    agents = (
        User.objects.filter(is_active=True, role=Role.AGENT)
        .exclude(password__startswith="!")  # unusable password: an integration account
        .select_related("desk_state")
        .order_by("username")
    )
    order = {s: i for i, s in enumerate(
        [AgentStatus.ON_CONTACT, AgentStatus.WRAP_UP, AgentStatus.AVAILABLE,
         AgentStatus.ON_BREAK, AgentStatus.LOGGED_OUT]
    )}  # fmt: skip
    rows = []
    for agent in agents:
        state = getattr(agent, "desk_state", None)
        code = state.state if state else AgentStatus.LOGGED_OUT
        rows.append(
            AgentRow(
                agent=agent,
                state=code,
                state_label=str(AgentStatus(code).label),
                reason=state.reason if state else "",
                since=state.since if state else None,
                seconds=int((now - state.since).total_seconds()) if state else None,
            )
        )
    rows.sort(key=lambda r: (order[r.state], r.agent.username))
    return rows


def cases_near_sla(*, user: User, now: datetime | None = None, limit: int = 50) -> list[Case]:
    """Open, running cases due within the warning window or already overdue, most urgent
    first."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=conf.sla_warning_hours())
    return list(
        scope_cases(user, Case.objects.all())
        .filter(
            status__in=[s for s in OPEN_STATUSES if s != CaseStatus.AWAITING_RESIDENT],
            resolution_due__lt=horizon,
        )
        .select_related("entity", "department", "assignee")
        .order_by("resolution_due")[:limit]
    )


# --- service suggestion -------------------------------------------------------------------

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEF = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES_AR = ("ات", "ون", "ين", "ان", "ها", "هم", "يه", "ه", "ي")
_STOP = {
    "the", "and", "for", "with", "from", "that", "this", "have", "was", "are", "not", "you",
    "my", "of", "to", "in", "on", "a", "an", "is", "it", "at", "by", "or", "be", "i",
    "في", "من", "علي", "الي", "عن", "ان", "مع", "هذا", "هذه", "التي", "الذي", "لم", "لا",
    "ما", "تم", "قد", "كان", "او", "ثم", "انا", "لقد", "كل", "بعد", "دون",
}  # fmt: skip


def normalize_text(text: str) -> str:
    """Fold Arabic letter forms (alef/hamza, ya/alef maqsura, ta marbuta), strip diacritics
    and tatweel, lower-case, and turn punctuation into spaces."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _DIACRITICS.sub("", text).translate(_ALEF)
    return re.sub(r"[^\w]+", " ", text)


def _stem(token: str) -> str:
    if re.fullmatch(r"[\u0600-\u06ff]+", token):
        for prefix in _PREFIXES:
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                token = token[len(prefix) :]
                break
        for suffix in _SUFFIXES_AR:
            if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                token = token[: -len(suffix)]
                break
        return token
    for suffix in ("ing", "ies", "es", "s", "ed"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)]
    return token


def keywords(text: str) -> set[str]:
    """Normalised, lightly stemmed content words of a text.

    Uses the knowledge room's terms (tawasul.knowledge.search) when present, so an agent's
    description and the knowledge base fold Arabic the same way; the small folding above is
    the fallback.
    """
    try:
        from tawasul.knowledge.search import terms
    except ImportError:
        terms = None
    if terms is not None:
        return {t for t in terms(text or "") if len(t) >= 2}
    return {_stem(t) for t in normalize_text(text).split() if t not in _STOP and len(t) >= 2} - {""}


@dataclass
class Suggestion:
    service: Service
    score: float


def suggest_service(text: str, language: str = "ar", *, limit: int = 3) -> list[Suggestion]:
    """Services whose names and descriptions share words with ``text``, best first.

    Arabic-aware: letter forms are folded, diacritics stripped, common prefixes (ال، وال، بال…)
    and suffixes removed, so "المواعيد" matches "موعد" only by shared stems, not by accident.
    A word in the service name counts three times a word in its description.
    """
    words = keywords(text)
    if not words:
        return []
    del language  # both languages' texts are matched; the agent may type either
    scored = []
    for service in Service.objects.filter(active=True, entity__active=True).select_related(
        "entity", "department"
    ):
        name = keywords(f"{service.name_ar} {service.name_en}")
        body = keywords(
            f"{service.description_ar} {service.description_en} "
            f"{service.entity.name_ar} {service.entity.name_en}"
        )
        score = 3 * _overlap(words, name) + _overlap(words, body - name)
        if score:
            scored.append(Suggestion(service=service, score=score))
    scored.sort(key=lambda s: (-s.score, s.service.code))
    return scored[:limit]


def _overlap(words: set[str], target: set[str]) -> float:
    score = 0.0
    for word in words:
        if word in target:
            score += 1
        elif len(word) >= 4 and any(
            t.startswith(word) or word.startswith(t) for t in target if len(t) >= 4
        ):
            score += 0.5
    return score
