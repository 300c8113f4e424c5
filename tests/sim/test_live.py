"""Live mode for a few simulated minutes, with an injected clock (no real sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tawasul.interactions.models import Interaction
from tawasul.sim.live import LIVE_PREFIX, LiveSimulator


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
        self.slept = 0.0

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += timedelta(seconds=seconds)


@pytest.mark.django_db
def test_live_stream_goes_through_the_desk(people):
    from tawasul.desk.models import AgentState, ContactOffer

    clock = FakeClock()
    sim = LiveSimulator(per_minute=10, seed=4, clock=clock, sleep=clock.sleep)
    sim.run(steps=120, interval=5.0)  # ten simulated minutes
    assert clock.slept == 600.0
    assert sim.stats["errors"] == 0, sim.stats
    rows = Interaction.objects.filter(external_id__startswith=LIVE_PREFIX)
    assert rows.count() == sim.stats["arrived"] > 40
    # Both demo agents logged in through the desk and answered contacts.
    assert set(AgentState.objects.values_list("agent__username", flat=True)) >= {
        people["agent"].username,
        people["agent2"].username,
    }
    answered = rows.filter(answered_at__isnull=False)
    assert answered.count() == sim.stats["answered"] > 3
    assert set(answered.values_list("agent", flat=True)) == {
        people["agent"].pk,
        people["agent2"].pk,
    }
    assert ContactOffer.objects.filter(interaction__in=answered).count() == answered.count()
    # Two agents cannot keep up with 10 contacts a minute: callers hang up, and say so.
    abandoned = rows.filter(outcome="abandoned")
    assert abandoned.count() == sim.stats["abandoned"] > 0
    assert all(r.ended_at and not r.answered_at for r in abandoned)
    ended = rows.filter(ended_at__isnull=False, answered_at__isnull=False)
    assert all(r.answered_at < r.ended_at for r in ended)


@pytest.mark.django_db
def test_live_stream_survives_a_failing_action(people, monkeypatch):
    clock = FakeClock()
    sim = LiveSimulator(per_minute=30, seed=5, clock=clock, sleep=clock.sleep)
    calls = {"n": 0}
    real = sim._arrive

    def flaky(ts):
        calls["n"] += 1
        if calls["n"] % 3 == 0:
            raise RuntimeError("database hiccup")
        return real(ts)

    monkeypatch.setattr(sim, "_arrive", flaky)
    sim.run(steps=24, interval=5.0)
    assert sim.stats["errors"] >= 1
    assert sim.stats["arrived"] >= 5  # it kept going after the failures


@pytest.mark.django_db
def test_a_restart_closes_what_the_previous_run_left_open(people):
    from tawasul.desk.models import AgentState

    clock = FakeClock()
    first = LiveSimulator(per_minute=20, seed=6, clock=clock, sleep=clock.sleep)
    first.run(steps=12, interval=5.0)  # stopped mid-flight: agents on contact, callers waiting
    assert Interaction.objects.filter(external_id__startswith=LIVE_PREFIX, outcome="pending")
    again = LiveSimulator(per_minute=0, seed=7, clock=clock, sleep=clock.sleep)
    again.start()
    assert again.stats["errors"] == 0
    assert not Interaction.objects.filter(
        external_id__startswith=LIVE_PREFIX, outcome="pending"
    ).exists()
    states = dict(AgentState.objects.values_list("agent__username", "state"))
    assert states[people["agent"].username] == states[people["agent2"].username] == "available"


@pytest.mark.django_db
def test_the_simulated_back_office_works_some_of_the_live_cases(people, monkeypatch, caplog):
    from tawasul.cases.choices import CaseStatus
    from tawasul.cases.models import Case
    from tawasul.sim import live

    monkeypatch.setattr(live, "CASE_SHARE", 0.6)  # enough cases in a short run
    monkeypatch.setattr(live, "CASE_STEP_SECONDS", (20.0, 60.0))
    clock = FakeClock()
    start = clock.now
    sim = LiveSimulator(per_minute=3, seed=7, clock=clock, sleep=clock.sleep)
    sim.run(steps=180, interval=10.0)  # thirty simulated minutes
    failed = [r.getMessage() for r in caplog.records if "case" in r.getMessage()]
    assert not failed
    cases = list(Case.objects.filter(interactions__external_id__startswith=LIVE_PREFIX))
    assert len(cases) == sim.stats["cases"] >= 5
    statuses = {c.status for c in cases}
    assert CaseStatus.NEW in statuses or CaseStatus.ASSIGNED in statuses  # not all are worked
    assert statuses & {CaseStatus.RESOLVED, CaseStatus.CLOSED}
    for case in cases:
        ats = [e.at for e in case.events.all()]
        assert start <= case.created_at == ats[0] and ats == sorted(ats) and ats[-1] <= clock.now
        if case.status == CaseStatus.CLOSED:
            assert case.department is not None and case.assignee.entity_id == case.entity_id
            assert case.created_at < case.resolved_at < case.closed_at <= clock.now
