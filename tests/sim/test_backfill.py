"""Back-fill on the database: realistic rows, roll-ups counted as written (equal to a rebuild
from raw rows), sites of the answering agents, today up to now, newest day first, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tawasul.accounts.models import Site
from tawasul.insights import services
from tawasul.insights.models import (
    CaseRollup,
    DailyRollup,
    InteractionContribution,
    InteractionRollup,
)
from tawasul.insights.selectors import contact_totals
from tawasul.interactions.models import Interaction
from tawasul.sim.backfill import PREFIX, backfill
from tawasul.sim.fast import simulate

END = date(2026, 3, 10)
DAYS = 3


@pytest.fixture
def sites(people):
    office = Site.objects.create(code="office", name_en="Doha office", name_ar="مكتب الدوحة")
    home = Site.objects.create(
        code="home", name_en="From home", name_ar="من المنزل", is_remote=True
    )
    for name, site in (("agent", office), ("agent2", home)):
        people[name].site = site
        people[name].save()
    return {"office": office, "home": home}


@pytest.fixture
def filled(people, sites):
    return backfill(days=DAYS, scale=0.01, end=END, cases_per_day=1, seed=3)


def rollup_tables():
    """Every roll-up row and contribution, rounded, in a stable order."""
    counters = [*services.COUNTER_FIELDS, "max_wait"]

    def rows(model, *columns):
        values = model.objects.values_list(*columns, *counters)
        return sorted(tuple(round(v, 3) if isinstance(v, float) else v for v in r) for r in values)

    quarter = ("interval_start", "key", "hotline_id", "entity_id", "service_id", "language",
               "channel", "site_id", "queue", "agent_id")  # fmt: skip
    daily = ("day", "key", "hotline_id", "entity_id", "service_id", "language", "channel",
             "site_id")  # fmt: skip
    cases = sorted(CaseRollup.objects.values_list("day", "entity_id", "kind", "created",
                                                  "completed", "resolved"))  # fmt: skip
    return (
        rows(InteractionRollup, *quarter),
        rows(DailyRollup, *daily),
        rows(InteractionContribution, "interaction_id", *quarter[:1], "day", *quarter[1:]),
        cases,
    )


@pytest.mark.django_db
def test_backfill_writes_simulated_history(filled, directory):
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    assert filled.interactions == rows.count() > 50
    assert filled.days_written == DAYS
    assert not rows.filter(outcome="pending").exists()
    days = {r.offered_at.date() for r in rows}
    assert min(days) >= END - timedelta(days=DAYS + 1) and max(days) < END
    # Only entities of this directory, realistic timings and outcomes.
    assert set(rows.values_list("entity__code", flat=True)) <= {"phcc", "moci", "muscat"}
    answered = rows.filter(answered_at__isnull=False)
    assert answered.count() > 0.8 * rows.count()
    for row in answered[:50]:
        assert row.offered_at <= row.answered_at < row.ended_at <= row.wrapup_ended_at
        assert row.agent is not None
    assert rows.filter(outcome="abandoned", answered_at__isnull=True).exists() or (
        answered.count() == rows.count()
    )
    assert filled.cases >= 1
    assert rows.filter(cases__isnull=False).count() == filled.cases


@pytest.mark.django_db
def test_each_answered_contact_keeps_the_site_of_its_agent(filled, sites):
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    answered = rows.filter(answered_at__isnull=False)
    assert not answered.filter(site__isnull=True).exists()
    assert not rows.filter(answered_at__isnull=True, site__isnull=False).exists()
    for row in answered.select_related("agent")[:100]:
        assert row.site_id == row.agent.site_id
    by_site = contact_totals(start=END - timedelta(days=DAYS), end=END, by=("site",))
    for code, site in sites.items():
        assert by_site[(site.pk,)].answered == answered.filter(site=site).count() > 0, code
    unanswered = rows.filter(answered_at__isnull=True, outcome__in=["abandoned", "callback"])
    nobody = by_site[(None,)]  # unanswered contacts sat at no site
    assert nobody.answered == 0
    assert nobody.offered + nobody.short_abandoned == unanswered.count()


@pytest.mark.django_db
def test_backfill_counts_the_rollups_as_a_rebuild_from_raw_rows_would(filled):
    assert filled.rollups.startswith("counted as written")
    totals = contact_totals(start=END - timedelta(days=DAYS + 1), end=END)
    total = next(iter(totals.values()))
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    assert total.answered == rows.filter(answered_at__isnull=False).count()
    assert InteractionContribution.objects.count() == rows.count()
    assert CaseRollup.objects.filter(created__gt=0).exists()
    written = rollup_tables()
    services.rollups_rebuild()
    assert rollup_tables() == written


@pytest.mark.django_db
def test_second_run_adds_nothing(filled):
    before = Interaction.objects.filter(external_id__startswith=PREFIX).count()
    again = backfill(days=DAYS, scale=0.01, end=END, cases_per_day=1, seed=3)
    assert again.interactions == 0 and again.days_skipped == DAYS
    assert Interaction.objects.filter(external_id__startswith=PREFIX).count() == before
    # A longer window only fills the missing days.
    longer = backfill(days=DAYS + 1, scale=0.01, end=END, cases_per_day=0, seed=3)
    assert longer.days_written == 1 and longer.days_skipped == DAYS


@pytest.mark.django_db
def test_today_up_to_now_newest_day_first_beside_live_contacts(people, sites, directory):
    from tawasul.insights.wallboard import wallboard_snapshot
    from tests.insights.conftest import make_contact

    now = datetime(2026, 3, 10, 9, 40, tzinfo=UTC)  # 12:40 in Doha
    # A live contact of this morning, counted by the usual per-contact path; the back-fill
    # adds to the same daily bucket instead of replacing it.
    live = make_contact(
        offered_at=now - timedelta(hours=1), wait=4, outcome="resolved", talk=60,
        channel="call", hotline=directory["h109"], entity=directory["phcc"], language="ar",
        queue="phcc", agent=people["agent"],
    )  # fmt: skip
    assert live.site == sites["office"]
    order: list[date] = []
    result = backfill(
        days=2, scale=0.01, through=now, cases_per_day=0, seed=5,
        on_day=lambda day, _n: order.append(day),
    )  # fmt: skip
    assert order == [date(2026, 3, 10), date(2026, 3, 9), date(2026, 3, 8)]
    assert result.days_written == 3
    today = Interaction.objects.filter(external_id__startswith=f"{PREFIX}20260310:")
    assert today.count() > 5
    assert not today.filter(wrapup_ended_at__gt=now).exists()
    assert not today.filter(ended_at__gt=now).exists()
    board = wallboard_snapshot(now=now)
    assert board["answered"] == today.filter(answered_at__isnull=False).count() + 1
    written = rollup_tables()
    services.rollups_rebuild()
    assert rollup_tables() == written


@pytest.mark.django_db
def test_demo_seed_writes_today_then_the_history_process_the_days_before(
    people, sites, settings, monkeypatch
):
    from django.utils import timezone

    from tawasul.sim.demo import AFTER_START_ENV, demo_history, seed_demo

    settings.SIM_DEMO_SCALE, settings.SIM_BACKFILL_DAYS = 0.01, 2
    monkeypatch.setenv(AFTER_START_ENV, "1")
    summary = seed_demo()
    today = timezone.localdate()
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    assert {r.external_id[4:12] for r in rows} <= {f"{today:%Y%m%d}"}
    assert "2 older days are written once the center is up" in summary
    assert not rows.filter(ended_at__gt=timezone.now()).exists()
    order: list[date] = []
    result = demo_history(on_day=lambda day, _n: order.append(day))
    # Today was written by the seed, unless it is just past midnight and nothing has ended yet
    # (then there is nothing of today to write at all).
    older = [today - timedelta(days=1), today - timedelta(days=2)]
    assert [day for day in order if day != today] == older
    if rows.exists():
        assert today not in order and result.days_skipped == 1


@pytest.mark.django_db
def test_a_day_whose_rollup_rows_changed_meanwhile_is_written_again(people, sites, monkeypatch):
    from django.db import IntegrityError

    real = services.rollups_add_bulk
    calls: list[int] = []

    def racing(*, interactions):
        calls.append(len(interactions))
        if len(calls) == 1:  # as when a live contact creates one of the day's buckets first
            raise IntegrityError("UNIQUE constraint failed: insights_dailyrollup.day, key")
        return real(interactions=interactions)

    monkeypatch.setattr(services, "rollups_add_bulk", racing)
    result = backfill(days=2, scale=0.01, end=END, cases_per_day=1, seed=3)
    assert result.days_written == 2 and len(calls) == 3
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    assert rows.count() == result.interactions == InteractionContribution.objects.count()
    written = rollup_tables()
    services.rollups_rebuild()
    assert rollup_tables() == written


def test_the_demo_history_answers_like_109():
    """The history the demo shows should look like the center it imitates ("109": 98 %
    answered, 11 s average speed of answer), not like an understaffed one."""
    from tawasul.sim.backfill import DEMO_SCALE, demo_agents, history_center
    from tawasul.sim.traffic import TrafficModel

    model = TrafficModel.center_109(scale=DEMO_SCALE, start=datetime(2026, 9, 6))
    center = history_center(model, days=14, agents=demo_agents(DEMO_SCALE), seed=109)
    kpis = simulate(center, model.arrivals(14, 109), horizon=14 * 86400.0).kpis()
    assert kpis["answer_rate"] > 0.95
    assert kpis["service_level"] > 0.90
    assert kpis["asa"] < 20
