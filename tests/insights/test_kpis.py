"""The KPI definitions against cases computed by hand (pure functions, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tawasul.insights import kpis
from tawasul.insights.kpis import ContactRecord, SLVariant

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def answered(wait, talk=100.0, hold=0.0, wrap=20.0, outcome="resolved", **kw):
    return ContactRecord(
        offered_at=T0, outcome=outcome, answered=True, wait=wait, talk=talk, hold=hold,
        wrap=wrap, **kw,
    )  # fmt: skip


def abandoned(wait, **kw):
    return ContactRecord(offered_at=T0, outcome="abandoned", wait=wait, **kw)


# Ten contacts worked out on paper (short-abandon threshold 5 s, T = 20 s):
#   answered after 5, 12, 20, 25, 40 s   → 5 answered, 3 within 20 s, total wait 102 s
#   abandoned after 3 s                  → short abandon: neither offered nor abandoned
#   abandoned after 5 s                  → not short (threshold is "sooner than 5 s"); within T
#   abandoned after 30 s                 → abandoned, after T
#   call-back requested after 50 s       → offered, neither answered nor abandoned
#   after-hours message                  → IVR only
# offered = 5 + 2 + 1 = 8; answered 5; abandoned 2.
HAND = [
    answered(5), answered(12), answered(20, outcome="transferred"),
    answered(25, talk=200, hold=30, wrap=10, outcome="case_opened"), answered(40),
    abandoned(3), abandoned(5), abandoned(30),
    ContactRecord(offered_at=T0, outcome="callback", wait=50.0),
    ContactRecord(offered_at=T0, outcome="after_hours"),
]  # fmt: skip


def test_counts_follow_the_short_abandon_threshold():
    t = kpis.totals_of(HAND, short_abandon_seconds=5)
    assert (t.offered, t.answered, t.abandoned, t.short_abandoned) == (8, 5, 2, 1)
    assert (t.callbacks, t.ivr_handled) == (1, 1)
    assert kpis.answer_rate(t) == 5 / 8
    assert kpis.abandon_rate(t) == 2 / 8
    # A higher threshold turns the 5 s abandon into a short one too.
    t10 = kpis.totals_of(HAND, short_abandon_seconds=10)
    assert (t10.offered, t10.abandoned, t10.short_abandoned) == (7, 1, 2)


def test_three_service_level_variants():
    t = kpis.totals_of(HAND, short_abandon_seconds=5, thresholds=(20,))
    assert t.answered_within[20] == 3 and t.abandoned_within[20] == 1
    assert kpis.service_level(t, threshold=20, variant=SLVariant.AGAINST) == 3 / 8
    assert kpis.service_level(t, threshold=20, variant=SLVariant.IGNORED) == 3 / 6
    assert kpis.service_level(t, threshold=20, variant=SLVariant.FOR) == (3 + 1) / 8
    assert kpis.service_level(t, threshold=20, variant="against") == 3 / 8


def test_speed_wait_handle_time_fcr_and_transfers():
    t = kpis.totals_of(HAND, short_abandon_seconds=5)
    assert kpis.asa(t) == (5 + 12 + 20 + 25 + 40) / 5
    assert kpis.longest_wait(t) == 50  # the call-back request waited longest
    # Talk excludes hold: the 200 s span held 30 s → talk 170, hold 30, wrap 10.
    handle = 4 * (100 + 20) + (170 + 30 + 10)
    assert kpis.aht(t) == handle / 5
    assert (t.sum_talk, t.sum_hold, t.sum_wrap) == (570, 30, 90)
    assert kpis.fcr(t) == 3 / 5  # three "resolved"; transferred and case_opened are not
    assert kpis.transfer_rate(t) == 1 / 5


def test_outbound_call_back_is_not_offered():
    back = ContactRecord(offered_at=T0, outcome="resolved", answered=True, wait=0, direction="out")
    t = kpis.totals_of([*HAND, back])
    assert (t.offered, t.answered, t.outbound) == (8, 5, 1)


def test_pending_contacts_do_not_count_and_no_traffic_gives_none():
    t = kpis.totals_of([ContactRecord(offered_at=T0, outcome="pending", wait=None)])
    assert t.offered == 0
    for fn in (kpis.answer_rate, kpis.asa, kpis.aht, kpis.fcr, kpis.longest_wait):
        assert fn(t) is None
    assert kpis.service_level(t, threshold=20) is None


def test_totals_add_up_across_slices():
    phcc = [answered(5, entity=1), abandoned(30, entity=1)]
    moci = [answered(40, entity=2)]
    parts = kpis.aggregate([*phcc, *moci], by=["entity"])
    whole = kpis.totals_of([*phcc, *moci])
    assert parts[(1,)] + parts[(2,)] == whole
    assert parts[(1,)].offered == 2 and parts[(2,)].max_wait == 40


def test_periods_are_cut_in_the_center_time_zone():
    doha = ZoneInfo("Asia/Qatar")
    late = ContactRecord(offered_at=datetime(2026, 3, 31, 21, 10, tzinfo=UTC), outcome="abandoned",
                         wait=30.0)  # fmt: skip
    by_month = kpis.aggregate([late], granularity="month", tz=doha)
    # 21:10 UTC on 31 March is 00:10 on 1 April in Doha.
    assert list(by_month) == [(datetime(2026, 4, 1, tzinfo=doha),)]
    by_quarter = kpis.aggregate([late], granularity="15min", tz=doha)
    assert next(iter(by_quarter))[0].minute == 0
    hour = kpis.period_start(late.offered_at, "hour", doha)
    assert hour == datetime(2026, 4, 1, 0, tzinfo=doha)


def test_occupancy_from_agent_state_history():
    start, end = T0, T0 + timedelta(hours=1)
    periods = [
        kpis.StatePeriod(1, "available", T0 - timedelta(minutes=10), T0 + timedelta(minutes=20)),
        kpis.StatePeriod(1, "on_contact", T0 + timedelta(minutes=20), T0 + timedelta(minutes=45)),
        kpis.StatePeriod(1, "wrap_up", T0 + timedelta(minutes=45), T0 + timedelta(minutes=50)),
        kpis.StatePeriod(1, "on_break", T0 + timedelta(minutes=50), None),
    ]
    seconds = kpis.state_seconds(periods, start=start, end=end)
    assert seconds == {"available": 1200, "on_contact": 1500, "wrap_up": 300, "on_break": 600}
    assert kpis.occupancy_of_states(seconds) == 1800 / 3000
    assert kpis.occupancy(handling_seconds=0, available_seconds=0) is None


def test_case_completion_sla_compliance_and_csat():
    start, end = T0, T0 + timedelta(days=30)
    day = timedelta(days=1)
    cases = [
        kpis.CaseRecord(T0 + day, "closed", resolved_at=T0 + 2 * day, resolution_due=T0 + 3 * day),
        kpis.CaseRecord(
            T0 + day, "resolved", resolved_at=T0 + 5 * day, resolution_due=T0 + 3 * day
        ),
        kpis.CaseRecord(T0 + day, "in_progress"),
        kpis.CaseRecord(T0 + day, "resolved", resolved_at=T0 + 2 * day),  # no SLA: cannot breach
        # Created before the period, resolved in it: counts for SLA, not for completion.
        kpis.CaseRecord(T0 - 3 * day, "closed", resolved_at=T0 + day, resolution_due=T0),
    ]
    t = kpis.case_totals(cases, start=start, end=end)
    assert (t.created, t.completed, t.resolved, t.resolved_within_sla) == (4, 3, 4, 2)
    assert kpis.case_completion_rate(t) == 3 / 4
    assert kpis.sla_compliance(t) == 2 / 4
    assert kpis.csat([5, 4, 3, 1]) == 0.5
    assert kpis.csat_from_counts(satisfied=0, rated=0) is None


@pytest.mark.parametrize("variant", ["ignored", "against", "for"])
def test_every_definition_is_documented(variant):
    keys = {d.key for d in kpis.DEFINITIONS}
    assert set(kpis.Totals().kpis(threshold=20, variant=variant)) - {"short_abandoned"} <= keys
    assert {"occupancy", "case_completion_rate", "sla_compliance", "csat"} <= keys
