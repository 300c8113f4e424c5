"""Roll-ups kept as contacts change equal a recompute from raw rows; the command rebuilds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.insights import kpis, selectors, services
from tawasul.insights.models import (
    CaseRollup,
    DailyRollup,
    InteractionContribution,
    InteractionRollup,
)
from tawasul.interactions.models import Interaction
from tests.insights.conftest import make_contact

pytestmark = pytest.mark.django_db
# Around midnight in Doha (21:00 UTC) so contacts fall on two local days and several quarters.
BASE = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)
OUTCOMES = ["pending", "resolved", "case_opened", "transferred", "abandoned", "callback",
            "after_hours"]  # fmt: skip


def table(model, *columns):
    counters = [*services.COUNTER_FIELDS, "max_wait"]
    rows = model.objects.values_list(*columns, *counters)
    return sorted(tuple(round(v, 3) if isinstance(v, float) else v for v in row) for row in rows)


def snapshot():
    return (
        table(InteractionRollup, "interval_start", "key", "hotline_id", "entity_id", "language",
              "channel", "queue", "agent_id"),
        table(DailyRollup, "day", "key", "hotline_id", "entity_id", "language", "channel"),
    )  # fmt: skip


contact_spec = st.fixed_dictionaries({
    "minutes": st.integers(0, 240),
    "wait": st.one_of(st.none(), st.integers(0, 90)),
    "outcome": st.sampled_from(OUTCOMES),
    "talk": st.integers(0, 600),
    "hold": st.integers(0, 60),
    "wrap": st.integers(0, 120),
    "entity": st.sampled_from([None, "phcc", "moci"]),
    "language": st.sampled_from(["ar", "en", ""]),
    "queue": st.sampled_from(["", "phcc-ar", "gov-en"]),
    "agent": st.sampled_from([None, "agent", "agent2"]),
    "direction": st.sampled_from(["in", "in", "in", "out"]),
})  # fmt: skip
operation = st.one_of(
    st.tuples(st.just("create"), contact_spec),
    st.tuples(st.just("update"), st.integers(0, 50), contact_spec),
    st.tuples(st.just("delete"), st.integers(0, 50)),
)


def _fields(spec, directory, people):
    return {
        "offered_at": BASE + timedelta(minutes=spec["minutes"]),
        "wait": spec["wait"], "outcome": spec["outcome"], "talk": spec["talk"],
        "hold": spec["hold"], "wrap": spec["wrap"],
        "entity": directory[spec["entity"]] if spec["entity"] else None,
        "hotline": directory["h107"] if spec["entity"] == "phcc" else directory["h109"],
        "language": spec["language"], "queue": spec["queue"],
        "agent": people[spec["agent"]] if spec["agent"] else None,
        "direction": spec["direction"],
    }  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_rollups_equal_a_recompute_after_random_inserts_updates_and_deletes(
    people, directory, operations
):  # fmt: skip
    Interaction.objects.all().delete()
    made: list = []
    for op in operations:
        if op[0] == "create":
            made.append(make_contact(**_fields(op[1], directory, people)))
        elif made and op[0] == "update":
            # Anything may change, even the offered time and slices (a corrected record).
            target = Interaction.objects.get(pk=made[op[1] % len(made)].pk)
            fresh = make_contact(**_fields(op[2], directory, people))
            for name in ("offered_at", "answered_at", "ended_at", "wrapup_ended_at",
                         "hold_seconds", "outcome", "entity", "hotline", "language", "queue",
                         "agent", "direction"):  # fmt: skip
                setattr(target, name, getattr(fresh, name))
            fresh.delete()
            target.save()
            services.rollup_record(interaction=target)  # a second call changes nothing
        elif made and op[0] == "delete":
            victim = made.pop(op[1] % len(made))
            Interaction.objects.filter(pk=victim.pk).delete()
    incremental = snapshot()
    contributions = InteractionContribution.objects.count()
    services.rollups_rebuild()
    assert snapshot() == incremental
    assert InteractionContribution.objects.count() == contributions


def test_the_roll_ups_answer_like_the_pure_functions(people, directory, contact):
    specs = [
        dict(minutes=5, wait=8, outcome="resolved", talk=100, wrap=10, entity=directory["phcc"]),
        dict(minutes=20, wait=2, outcome="abandoned", entity=directory["phcc"]),
        dict(minutes=70, wait=45, outcome="abandoned", entity=directory["moci"]),
        dict(minutes=190, wait=25, outcome="transferred", talk=60, entity=directory["moci"]),
        dict(minutes=200, wait=15, outcome="resolved", talk=30, hold=10, entity=directory["moci"]),
    ]  # fmt: skip
    made = [contact(offered_at=BASE + timedelta(minutes=s.pop("minutes")), **s) for s in specs]
    records = [services.contact_record_of(i) for i in made]
    tz = services.center_tz()
    for granularity in ("15min", "hour", "day", "month"):
        pure = kpis.aggregate(records, by=["entity"], granularity=granularity, tz=tz)
        stored = selectors.contact_totals(
            start=date(2026, 3, 31), end=date(2026, 4, 2), by=("entity",), granularity=granularity
        )
        normal = {}
        for (period, entity), totals in pure.items():
            if granularity in ("day", "month"):
                period = period.date()
            normal[(period, entity)] = totals
        assert stored == normal, granularity
    whole = selectors.contact_summary(start=date(2026, 3, 31), end=date(2026, 4, 2))
    assert (whole.offered, whole.answered, whole.abandoned, whole.short_abandoned) == (4, 3, 1, 1)
    assert kpis.service_level(whole, threshold=20) == 2 / 4


def test_rebuild_command_restores_lost_rollups(people, directory, contact):
    contact(offered_at=BASE, wait=10, outcome="resolved", talk=50, entity=directory["phcc"])
    contact(offered_at=BASE + timedelta(days=1), wait=70, outcome="abandoned")
    before = snapshot()
    InteractionRollup.objects.all().delete()
    DailyRollup.objects.filter(day__gte=date(2026, 4, 1)).delete()
    call_command("rollups_rebuild", "--since", "2026-03-01")
    assert snapshot() == before
    DailyRollup.objects.all().delete()
    assert services.rollups_derive_daily() == len(before[1])
    assert snapshot() == before


def test_case_rollups_follow_the_case_lifecycle(api_as, directory):
    from tests.support import case_payload

    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    agent.post("/cases", case_payload(kind="inquiry"))
    assert services.case_rollups_refresh() == 2
    today = services.local_day(datetime.now(UTC))
    totals = selectors.case_totals(start=today, end=today + timedelta(days=1))[()]
    assert (totals.created, totals.completed, totals.resolved) == (2, 0, 0)
    agent.post(f"/cases/{ref}/transitions", {"action": "resolve", "reason": "done"})
    services.case_rollups_refresh()
    services.case_rollups_refresh()  # running again changes nothing
    totals = selectors.case_totals(start=today, end=today + timedelta(days=1))[()]
    assert (totals.created, totals.completed, totals.resolved, totals.resolved_within_sla) == (
        2, 1, 1, 1,
    )  # fmt: skip
    columns = ("day", "entity_id", "kind", "created", "completed", "resolved",
               "resolved_within_sla")  # fmt: skip
    before = sorted(CaseRollup.objects.values_list(*columns))
    services.case_rollups_rebuild()
    after = sorted(CaseRollup.objects.values_list(*columns))
    assert before == after


def test_a_contact_still_in_the_ivr_costs_no_rollup_work_until_it_ends(people, directory):
    """The gateway saves a call as it moves through the IVR and the queue; only the end of the
    contact changes the numbers, so only then do the roll-ups get work."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as created:
        call = Interaction.objects.create(
            channel="call", direction="in", offered_at=BASE, entity=directory["phcc"]
        )
    assert [q["sql"].split()[0] for q in created.captured_queries] == ["INSERT"]
    call.language, call.queue = "ar", "109:general"
    call.save()
    assert not InteractionContribution.objects.exists()
    call.answered_at, call.ended_at = BASE + timedelta(seconds=8), BASE + timedelta(seconds=90)
    call.outcome = "resolved"
    call.save()
    contribution = InteractionContribution.objects.get(pk=call.pk)
    assert (contribution.offered, contribution.answered) == (1, 1)
