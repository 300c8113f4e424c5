"""The demo's case texts (``directory.demo_data.DEMO_CASE_TEMPLATES``) opened as real cases on
simulated contacts, for the history back-fill and the live stream alike."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.accounts.policy import covers_case
from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction


@cache
def _by_entity() -> dict[str, tuple[dict, ...]]:
    from tawasul.directory import demo_data

    found: dict[str, list[dict]] = {}
    for tpl in demo_data.DEMO_CASE_TEMPLATES:
        found.setdefault(tpl["entity"], []).append(tpl)
    return {code: tuple(tpls) for code, tpls in found.items()}


def templates_for(entity: str) -> tuple[dict, ...]:
    """The demo's case texts for the entity ``entity`` (a code), in the module's order."""
    return _by_entity().get(entity, ())


def template_pick(entity: str, rng: random.Random) -> dict | None:
    """One of the entity's case texts, drawn with ``rng`` (None if it has none)."""
    found = templates_for(entity)
    return rng.choice(found) if found else None


def demo_case_open(
    *, interaction: Interaction, template: dict, actor: User | None, when: datetime
) -> Case:
    """Open the case ``template`` describes for the contact, in the contact's language (Arabic
    or English text), linked to it, as the agent who handled it, dated ``when`` (its history
    line too)."""
    from tawasul.cases.services import case_create

    arabic = interaction.language == "ar"
    since = timezone.now()
    case = case_create(
        actor=actor,
        kind=template["kind"],
        entity=interaction.entity,
        subject=template["subject_ar"] if arabic else template["subject_en"],
        description=template["description_ar"] if arabic else template["description_en"],
        priority=template["priority"],
        hotline=interaction.hotline,
        resident=interaction.resident,
        channel=interaction.channel,
        language=interaction.language,
        interaction=interaction,
        now=when,
    )
    Case.objects.filter(pk=case.pk).update(created_at=when)
    back_date(case.pk, since, when)
    case.refresh_from_db()
    return case


# --- the back office working a case -------------------------------------------------------

LATE_SHARE = 0.04  # resolved past the SLA (a real center: a few %)
INFO_SHARE = 0.15  # the officer needs more from the resident first
REOPEN_SHARE = 0.03  # the resident says it is not solved

# (English, Arabic) texts of the officer's steps, in the case's language.
_ASK = (
    "Please send us the reference of your appointment or a photo of the document.",
    "يرجى تزويدنا برقم الموعد أو صورة من المستند.",
)
_REPLY = ("Here are the details you asked for.", "هذه هي التفاصيل التي طلبتموها.")
_NOTE = (
    "Checked with the department; the file is complete.",
    "تمت المراجعة مع القسم؛ الملف مكتمل.",
)
_RESOLVED = (
    "Handled by the department; the resident was informed of the outcome.",
    "عالجها القسم وأُبلغ المراجع بالنتيجة.",
)
_REOPEN = (
    "The resident called back: the problem is not solved.",
    "اتصل المراجع مجددًا: المشكلة لم تُحل.",
)


def _text(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "ar" else pair[0]


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


def back_date(case_id: int, since: datetime, when: datetime) -> None:
    """Date the history lines a service call just wrote (at or after the wall-clock
    ``since``) at ``when``, the moment the step happened in the simulated past."""
    from tawasul.cases.models import CaseEvent, CaseNote

    CaseEvent.objects.filter(case_id=case_id, at__gte=since).update(at=when)
    CaseNote.objects.filter(case_id=case_id, created_at__gte=since).update(created_at=when)


def demo_case_work(
    *,
    case: Case,
    rng: random.Random,
    departments: Sequence,
    officers: Sequence[User],
    router: User | None,
    horizon: datetime,
) -> Case:
    """Work a freshly opened case the way a center's back office does, through the case
    services, each step dated when it happens (never after ``horizon``): routed to a
    department within hours, taken by an officer, worked (sometimes waiting for the
    resident), resolved within its SLA (a few late), closed; a few reopened. Steps that
    would fall after ``horizon`` are left undone, so only recent cases are still open."""
    from tawasul.cases import services
    from tawasul.cases.workflow import Action

    language = case.language
    at = case.created_at
    due = case.resolution_due or at + timedelta(days=3)
    officer: User | None = None

    def step(when: datetime, call) -> bool:
        nonlocal case, at
        if when > horizon:
            return False
        since = timezone.now()
        result = call(when)
        if isinstance(result, Case):
            case = result
        back_date(case.pk, since, when)
        at = when
        return True

    def transition(action: str, actor: User | None, reason: str = "", **extra):
        return lambda when: services.case_transition(
            case=case, action=action, actor=actor, reason=reason, now=when, **extra
        )

    late = rng.random() < LATE_SHARE
    info = rng.random() < INFO_SHARE
    reopen = rng.random() < REOPEN_SHARE
    done = False
    if departments:
        department = rng.choice(departments)
        done = not step(
            at + _minutes(rng, 5, 180), transition(Action.ROUTE, router, department=department)
        )
    # Taken by someone whose departments cover where it was routed (the case service refuses
    # anyone else).
    officer = _officer_for(case, officers, rng)
    if not done and officer is not None:
        done = not step(
            at + _minutes(rng, 2, 60),
            lambda when: services.case_assign(case=case, assignee=officer, actor=officer),
        )
    done = done or not step(at + _minutes(rng, 5, 120), transition(Action.START, officer))
    done = done or not step(
        at + _minutes(rng, 10, 240),
        lambda when: services.case_add_note(
            case=case, actor=officer, body=_text(_NOTE, language), visibility="internal",
            now=when,
        ),
    )  # fmt: skip
    if not done and info:
        done = not step(
            at + _minutes(rng, 10, 240),
            transition(Action.REQUEST_INFO, officer, _text(_ASK, language)),
        )
        done = done or not step(
            at + _minutes(rng, 60, 1440),
            lambda when: services.case_resident_replied(
                case=Case.objects.get(pk=case.pk), body=_text(_REPLY, language),
                channel=case.channel or "phone", now=when,
            ),
        )  # fmt: skip
        case.refresh_from_db()
        due = case.resolution_due or due
    for round_ in range(2 if reopen else 1):
        if done:
            break
        if late and round_ == 0:
            resolve_at = max(due, at) + _minutes(rng, 120, 4320)
        else:
            # Somewhere between now and the due time, most often well before it.
            room = max((due - at).total_seconds(), 600.0)
            resolve_at = at + timedelta(seconds=room * rng.uniform(0.1, 0.9))
        done = not step(resolve_at, transition(Action.RESOLVE, officer, _text(_RESOLVED, language)))
        done = done or not step(at + _minutes(rng, 720, 4320), transition(Action.CLOSE, officer))
        if round_ == 0 and reopen:
            done = done or not step(
                at + _minutes(rng, 60, 1440),
                transition(Action.REOPEN, officer, _text(_REOPEN, language)),
            )
            case.refresh_from_db()
            due = case.resolution_due or at + timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(updated_at=at)
    case.refresh_from_db()
    return case


def _officer_for(case: Case, officers: Sequence[User], rng: random.Random) -> User | None:
    """One of ``officers`` who may work this case where it is now routed, or None."""
    eligible = [officer for officer in officers if covers_case(officer, case)]
    return rng.choice(eligible) if eligible else None


def back_office_of(entity_id: int) -> tuple[list, list[User]]:
    """The entity's departments and the people who work its cases: its back-office staff,
    else (an entity with no desk of its own) the center's supervisors."""
    from tawasul.accounts.models import Role
    from tawasul.directory.models import Department

    departments = list(Department.objects.filter(entity_id=entity_id).order_by("pk"))
    active = User.objects.filter(is_active=True).order_by("pk")
    officers = list(active.filter(role=Role.BACKOFFICE, entity_id=entity_id)) or list(
        active.filter(role=Role.SUPERVISOR)
    )
    return departments, officers


def demo_case_advance(
    *, case: Case, rng: random.Random, departments: Sequence, officers: Sequence[User],
    router: User | None, now: datetime,
) -> bool:  # fmt: skip
    """One step of the live back office on an open case, now: route it, take it and start
    it, resolve it, close it. Returns whether a step is left (False once closed)."""
    case = Case.objects.get(pk=case.pk)
    since = timezone.now()
    try:
        return _advance(case, rng, departments, officers, router, now)
    finally:
        back_date(case.pk, since, now)  # the assignment line is dated by the clock otherwise


def _advance(case: Case, rng, departments, officers, router, now: datetime) -> bool:
    from tawasul.cases import services
    from tawasul.cases.choices import CaseStatus
    from tawasul.cases.workflow import Action

    officer = case.assignee or _officer_for(case, officers, rng)
    if case.status == CaseStatus.NEW and departments:
        services.case_transition(
            case=case, action=Action.ROUTE, actor=router, department=rng.choice(departments),
            now=now,
        )  # fmt: skip
    elif case.status in (CaseStatus.NEW, CaseStatus.ASSIGNED):
        if officer is not None and case.assignee_id is None:
            services.case_assign(case=case, assignee=officer, actor=officer)
        services.case_transition(case=case, action=Action.START, actor=officer, now=now)
    elif case.status == CaseStatus.IN_PROGRESS:
        reason = _text(_RESOLVED, case.language)
        services.case_transition(
            case=case, action=Action.RESOLVE, actor=officer, reason=reason, now=now
        )
    elif case.status == CaseStatus.RESOLVED:
        services.case_transition(case=case, action=Action.CLOSE, actor=officer, now=now)
        return False
    else:  # waiting for the resident, or closed: nothing for the back office to do
        return False
    return True
