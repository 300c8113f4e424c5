"""The back-filled cases live the life a real center's cases do: routed and worked by the
entity's back office, resolved within the SLA (a few late), closed, a few reopened, only the
recent ones still open; every step dated in order, the roll-ups as a rebuild gives them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tawasul.cases.choices import OPEN_STATUSES, CaseStatus
from tawasul.cases.models import Case, CaseEvent
from tawasul.insights import kpis, services
from tawasul.insights.models import CaseContribution, CaseRollup
from tawasul.sim.backfill import PREFIX, backfill

END = date(2026, 3, 10)
DAYS = 8
SETTLED = 5  # days: older cases are past every SLA of the test directory (and closed)


def run():
    return backfill(days=DAYS, scale=0.005, end=END, cases_per_day=5, seed=11)


def horizon() -> datetime:
    return datetime.combine(END, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def history_cases():
    return Case.objects.filter(interactions__external_id__startswith=PREFIX).distinct()


def snapshot():
    cases = sorted(
        history_cases().values_list(
            "reference", "status", "department_id", "assignee_id", "resolved_at", "closed_at",
            "resolution_due", "created_at", "updated_at",
        )
    )  # fmt: skip
    events = sorted(
        CaseEvent.objects.values_list("case__reference", "kind", "at", "actor_label", "to_status")
    )
    rollups = sorted(
        CaseRollup.objects.values_list(
            "day", "entity_id", "kind", "created", "completed", "resolved", "resolved_within_sla"
        )
    )
    return cases, events, rollups


@pytest.mark.django_db
def test_backfilled_cases_are_worked_like_a_real_centers(people):
    result = run()
    cases = list(history_cases().select_related("assignee"))
    assert result.cases == len(cases) >= 30
    statuses = Counter(c.status for c in cases)
    end = horizon()
    settled = [c for c in cases if c.created_at < end - timedelta(days=SETTLED)]
    assert len(settled) >= 0.4 * len(cases)
    old = Counter(c.status for c in settled)
    assert old[CaseStatus.CLOSED] > 0.6 * len(settled), old
    assert old[CaseStatus.CLOSED] + old[CaseStatus.RESOLVED] >= 0.9 * len(settled), old
    assert statuses[CaseStatus.NEW] < 0.1 * len(cases)
    assert statuses[CaseStatus.IN_PROGRESS] + statuses[CaseStatus.AWAITING_RESIDENT] > 0
    late = 0
    for case in cases:
        # Open only when recent: no open case is past its SLA unless it is one of the few
        # deliberately late ones.
        if case.status in OPEN_STATUSES and case.resolution_due < end:
            late += 1
        if case.resolved_at is not None and case.resolved_at > case.resolution_due:
            late += 1
        if case.assignee is not None:
            assert case.assignee.entity_id == case.entity_id  # the entity's own back office
        events = list(case.events.all())
        ats = [e.at for e in events]
        assert ats == sorted(ats), case.reference
        assert ats[0] == case.created_at and ats[-1] <= end, case.reference
        assert case.updated_at == ats[-1]
        assert [e.kind for e in events[:2]] == ["created", "transition"]
        if case.status == CaseStatus.CLOSED:
            steps = [e.to_status for e in events if e.kind == "transition"]
            assert steps[:2] == ["assigned", "in_progress"] and steps[-2:] == ["resolved", "closed"]
            assert case.created_at < case.resolved_at < case.closed_at <= end
    assert late <= 0.12 * len(cases)
    # The case KPIs of the settled back-filled days read like a working center (Muscat: 98 % of
    # reports completed), not like an untouched inbox.
    records = [
        kpis.CaseRecord(
            created_at=c.created_at, status=c.status, resolved_at=c.resolved_at,
            resolution_due=c.resolution_due,
        )
        for c in settled
    ]  # fmt: skip
    totals = kpis.case_totals(records, start=end - timedelta(days=DAYS + 1), end=end)
    assert 0.8 <= kpis.case_completion_rate(totals) <= 1.0
    assert 0.85 <= kpis.sla_compliance(totals) <= 1.0
    # Worked by people: the officers' steps, the residents' replies to requests for details.
    labels = Counter(CaseEvent.objects.values_list("actor_label", flat=True))
    assert labels["phcc.noura"] + labels["phcc.khalid"] + labels["phcc.manager"] > 0
    unattended = CaseEvent.objects.filter(actor_label="system").values_list(
        "data__action", flat=True
    )
    assert set(unattended) <= {"resume"}  # only the clock restarting when the resident replied
    assert labels["resident"] == labels["system"]


@pytest.mark.django_db
def test_case_rollups_equal_a_rebuild_and_a_second_run_changes_nothing(people):
    run()
    written = snapshot()
    assert CaseContribution.objects.count() == len(written[0])
    assert sum(r[4] for r in written[2]) > 0  # resolved cases are counted on their day
    services.rollups_rebuild()
    assert snapshot() == written
    again = run()
    assert again.cases == 0 and again.days_skipped == DAYS
    assert snapshot() == written


@pytest.mark.django_db
def test_no_step_is_taken_after_the_end_of_the_history(people, directory):
    from tawasul.interactions.models import Interaction
    from tawasul.sim.demo_cases import demo_case_open, demo_case_work, templates_for

    when = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    contact = Interaction.objects.create(
        channel="call", direction="in", entity=directory["phcc"], language="en",
        offered_at=when, ended_at=when, agent=people["agent"],
    )  # fmt: skip
    case = demo_case_open(
        interaction=contact, template=templates_for("phcc")[0] if templates_for("phcc") else {
            "kind": "inquiry", "priority": "normal", "subject_en": "Card", "subject_ar": "بطاقة",
            "description_en": "Renewal", "description_ar": "تجديد",
        }, actor=people["agent"], when=when,
    )  # fmt: skip
    assert case.created_at == when == case.events.get().at  # dated when the contact ended
    worked = demo_case_work(
        case=case, rng=random.Random(1), departments=[directory["appointments"]],
        officers=[people["phcc_staff"]], router=people["agent"], horizon=when,
    )  # fmt: skip
    assert worked.status == CaseStatus.NEW  # the history ends before anyone got to it
    assert worked.department is None and worked.assignee is None


@pytest.mark.django_db
def test_a_department_limited_officer_only_takes_cases_of_their_department(
    people, directory, caplog
):
    # The case service refuses anyone whose departments do not cover the case: the history
    # must pick its officers the same way, or it silently loses those cases.
    from tawasul.accounts.policy import covers_case

    officer = people["phcc_staff"]
    officer.departments.set([directory["appointments"]])
    with caplog.at_level("ERROR", logger="tawasul.sim.backfill"):
        result = run()
    assert not [r for r in caplog.records if "could not open a case" in r.getMessage()]
    cases = list(history_cases().select_related("assignee"))
    assert result.cases == len(cases) >= 30
    taken = [c for c in cases if c.assignee_id == officer.pk]
    assert taken and all(c.department == directory["appointments"] for c in taken)
    assert all(covers_case(c.assignee, c) for c in cases if c.assignee is not None)
