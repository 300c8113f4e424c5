"""SLA due times on department calendars, pauses while awaiting the resident, escalation."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import case_create, case_escalate_breached, case_transition
from tawasul.cases.tasks import escalate_overdue_cases

pytestmark = pytest.mark.django_db
DOHA = ZoneInfo("Asia/Qatar")
MUSCAT = ZoneInfo("Asia/Muscat")


def doha(*args) -> datetime:
    return datetime(*args, tzinfo=DOHA)


def open_case(directory, people, *, now, **overrides) -> Case:
    fields = {
        "actor": people["agent"],
        "kind": "complaint",
        "entity": directory["phcc"],
        "subject": "s",
        "description": "d",
        "priority": "high",  # default policy: first response 2 h, resolution 7 business hours
        "now": now,
    }
    fields.update(overrides)
    return case_create(**fields)


def test_due_times_follow_the_entity_calendar(directory, people):
    # Thursday 12:00 in Doha: 2 h left on Thursday, the weekend, then Sunday 07:00 + 5 h.
    case = open_case(directory, people, now=doha(2026, 11, 26, 12))
    assert case.first_response_due == doha(2026, 11, 26, 14)
    assert case.resolution_due == doha(2026, 11, 29, 12)


def test_due_times_skip_holidays(directory, people):
    # Thursday 17 Dec 13:00: National Day (Fri 18) + Saturday closed.
    case = open_case(directory, people, now=doha(2026, 12, 17, 13))
    assert case.resolution_due == doha(2026, 12, 20, 13)


def test_entity_specific_policy_and_holiday_hours(directory, people):
    # Muscat urgent reports: 4 business hours on Oman's calendar; 20 Nov is National Day
    # with holiday hours 09:30–16:30.
    case = open_case(
        directory,
        people,
        entity=directory["muscat"],
        kind="report",
        priority="urgent",
        now=datetime(2026, 11, 20, 15, 0, tzinfo=MUSCAT),
    )
    assert case.sla_policy.entity == directory["muscat"]
    assert case.resolution_due == datetime(2026, 11, 21, 10, 0, tzinfo=MUSCAT)


def test_awaiting_resident_pauses_the_clock(directory, people):
    agent = people["agent"]
    case = open_case(directory, people, now=doha(2026, 11, 23, 8))  # Monday
    assert case.resolution_due == doha(2026, 11, 24, 8)
    case = case_transition(case=case, action="start", actor=agent, now=doha(2026, 11, 23, 9))
    case = case_transition(
        case=case, action="request_info", actor=agent, reason="?", now=doha(2026, 11, 23, 10)
    )
    # The resident answers on Tuesday 10:00: 4 h Monday + 3 h Tuesday of business time waited.
    case = case_transition(case=case, action="resume", actor=agent, now=doha(2026, 11, 24, 10))
    assert case.sla_paused_at is None
    assert case.resolution_due == doha(2026, 11, 25, 8)


def test_paused_cases_never_escalate(directory, people):
    agent = people["agent"]
    case = open_case(directory, people, now=doha(2026, 11, 23, 8))
    case = case_transition(case=case, action="start", actor=agent, now=doha(2026, 11, 23, 8, 5))
    case_transition(
        case=case, action="request_info", actor=agent, reason="?", now=doha(2026, 11, 23, 9)
    )
    assert case_escalate_breached(now=doha(2026, 12, 30, 9)) == []


def test_escalation_goes_to_supervisors_then_entity_managers(directory, people):
    case = open_case(directory, people, now=doha(2026, 11, 23, 8))
    assert case_escalate_breached(now=doha(2026, 11, 24, 7, 59)) == [], "not due yet"

    first = case_escalate_breached(now=doha(2026, 11, 24, 8, 1))
    assert [c.pk for c in first] == [case.pk]
    event = CaseEvent.objects.get(case=case, kind="escalation")
    assert event.data == {"level": 1, "notified": ["supervisor.omar"]}
    assert case_escalate_breached(now=doha(2026, 11, 24, 8, 2)) == [], "once per level"

    # The next level comes ESCALATION_STEP_HOURS (4) business hours later.
    assert case_escalate_breached(now=doha(2026, 11, 24, 12, 0)) == []
    second = case_escalate_breached(now=doha(2026, 11, 24, 12, 2))
    assert [c.pk for c in second] == [case.pk]
    last = CaseEvent.objects.filter(case=case, kind="escalation").last()
    assert last.data == {"level": 2, "notified": ["phcc.manager"]}
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert case.next_escalation_at is None
    assert case_escalate_breached(now=doha(2027, 1, 31, 9)) == [], "no level beyond two"


def test_resolved_cases_do_not_escalate(directory, people):
    case = open_case(directory, people, now=doha(2026, 11, 23, 8))
    case_transition(case=case, action="resolve", actor=people["agent"], reason="answered")
    assert case_escalate_breached(now=doha(2026, 12, 30, 9)) == []


def test_reopen_restarts_the_sla(directory, people):
    agent = people["agent"]
    case = open_case(directory, people, now=doha(2026, 11, 23, 8))
    case = case_transition(
        case=case, action="resolve", actor=agent, reason="x", now=doha(2026, 11, 23, 9)
    )
    case = case_transition(
        case=case, action="reopen", actor=agent, reason="y", now=doha(2026, 11, 29, 10)
    )
    assert case.resolution_due == doha(2026, 11, 30, 10)
    assert case.resolved_at is None


def test_escalation_task_runs_through_the_tasks_framework(directory, people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    case = open_case(directory, people, now=doha(2026, 1, 4, 8))  # long overdue
    result = escalate_overdue_cases.enqueue()
    assert result.return_value == [case.reference]
    assert Case.objects.get(pk=case.pk).escalation_level == 1


def test_escalation_api_is_for_supervisors(api_as, directory, people):
    open_case(directory, people, now=doha(2026, 1, 4, 8) - timedelta(days=1))
    assert api_as("agent").post("/cases/escalations").status_code == 403
    response = api_as("supervisor").post("/cases/escalations")
    assert response.status_code == 200
    assert len(response.json()["escalated"]) == 1
