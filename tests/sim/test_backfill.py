"""Back-fill on the database: realistic rows, roll-ups refreshed, idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tawasul.interactions.models import Interaction
from tawasul.sim.backfill import PREFIX, backfill

END = date(2026, 3, 10)
DAYS = 3


@pytest.fixture
def filled(people):
    return backfill(days=DAYS, scale=0.01, end=END, cases_per_day=1, seed=3)


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
def test_backfill_refreshes_the_rollups(filled):
    from tawasul.insights.selectors import contact_totals

    assert filled.rollups.startswith("rebuilt")
    totals = contact_totals(start=END - timedelta(days=DAYS + 1), end=END)
    total = next(iter(totals.values()))
    rows = Interaction.objects.filter(external_id__startswith=PREFIX)
    answered = rows.filter(answered_at__isnull=False).count()
    assert total.answered == answered


@pytest.mark.django_db
def test_second_run_adds_nothing(filled):
    before = Interaction.objects.filter(external_id__startswith=PREFIX).count()
    again = backfill(days=DAYS, scale=0.01, end=END, cases_per_day=1, seed=3)
    assert again.interactions == 0 and again.days_skipped == DAYS
    assert Interaction.objects.filter(external_id__startswith=PREFIX).count() == before
    # A longer window only fills the missing days.
    longer = backfill(days=DAYS + 1, scale=0.01, end=END, cases_per_day=0, seed=3)
    assert longer.days_written == 1 and longer.days_skipped == DAYS
