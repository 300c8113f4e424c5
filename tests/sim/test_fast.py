"""The fast simulator on a "109"-like center: nothing lost, KPIs through the KPI module."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import pytest

from tawasul.sim.centers import center_109
from tawasul.sim.fast import (
    ABANDONED,
    ANSWERED,
    CALLBACK,
    PENDING,
    simulate,
)
from tawasul.sim.traffic import TrafficModel

DAYS = 2


@pytest.fixture(scope="module")
def model():
    return TrafficModel.center_109(scale=0.5)


@pytest.fixture(scope="module")
def arrivals(model):
    return model.arrivals(DAYS, seed=5)


@pytest.fixture(scope="module")
def center(model):
    # Understaffed on purpose so that queues, overflow, call-backs and abandons all happen.
    return center_109(model, days=DAYS, agents=70, seed=5)


@pytest.fixture(scope="module")
def result(center, arrivals):
    return simulate(center, arrivals, horizon=DAYS * 86400.0)


def test_every_contact_ends_answered_abandoned_or_called_back(result, arrivals):
    assert result.unfinished == 0
    assert PENDING not in result.outcomes
    counts = result.engine_counts
    assert counts["waiting"] == counts["offered"] == counts["connected"] == 0
    # Every arrival and every redial reached the engine and finished there.
    assert counts["ended"] + counts["abandoned"] + counts["rejected"] == len(result.contacts)
    assert len(result.contacts) > len(arrivals)  # some callers redialled
    outcome = Counter(result.outcomes)
    assert outcome[ANSWERED] + outcome[CALLBACK] == counts["ended"]
    assert outcome[ABANDONED] == counts["abandoned"]
    # Every accepted call-back was eventually served (as an outbound call).
    assert outcome[CALLBACK] == result.served_callbacks > 0


def test_waits_respect_patience_and_overflow(result):
    for a, o, w in zip(result.contacts, result.outcomes, result.waits, strict=True):
        assert w >= 0
        if o == ABANDONED:
            assert w == pytest.approx(a.patience)
        elif o == ANSWERED and a.patience < math.inf:
            assert w <= a.patience + 1e-9
        elif o == CALLBACK:
            assert w == pytest.approx(300.0)  # offered at the queue's maximum wait
    assert max(w for o, w in zip(result.outcomes, result.waits, strict=True) if o == ANSWERED)


def test_kpis_come_from_the_kpi_module_and_agree_with_its_per_contact_rules(result, model):
    from tawasul.insights import kpis

    totals = result.totals()
    assert isinstance(totals, kpis.Totals)
    start = model.start.replace(tzinfo=None)
    records = []
    for a, o, w in zip(result.contacts, result.outcomes, result.waits, strict=True):
        outcome = {ANSWERED: "resolved", ABANDONED: "abandoned", CALLBACK: "callback"}[o]
        records.append(
            kpis.ContactRecord(
                offered_at=start + timedelta(seconds=a.t),
                outcome=outcome,
                answered=o == ANSWERED,
                wait=w,
                talk=a.handle if o == ANSWERED else 0.0,
                wrap=15.0 if o == ANSWERED else 0.0,
            )
        )
    reference = kpis.totals_of(records)
    for name in ("offered", "answered", "abandoned", "short_abandoned", "callbacks"):
        assert getattr(totals, name) == getattr(reference, name), name
    assert totals.answered_within == reference.answered_within
    assert totals.abandoned_within == reference.abandoned_within
    assert totals.sum_answer_wait == pytest.approx(reference.sum_answer_wait)
    assert totals.sum_talk + totals.sum_wrap == pytest.approx(
        reference.sum_talk + reference.sum_wrap
    )
    k = result.kpis()
    assert k["service_level"] == kpis.service_level(reference)
    assert k["asa"] == pytest.approx(kpis.asa(reference))
    assert 0 < k["occupancy"] < 1
    assert k["offered"] == k["answered"] + k["abandoned"] + k["callbacks"]


def test_engine_wrap_up_timers_give_the_same_kpis(center, arrivals, result):
    """Telling the engine the contact ended after wrap-up (default) or letting the engine time
    the wrap-up (``engine_wrap``) makes agents free at the same moments. Only occupancy may
    move a hair: the engine starts a break asked for during wrap-up at once."""
    timed = simulate(center, arrivals, horizon=DAYS * 86400.0, engine_wrap=True)
    assert timed.outcomes == result.outcomes
    assert timed.waits == pytest.approx(result.waits)
    fast, slow = result.kpis(), timed.kpis()
    assert fast.pop("occupancy") == pytest.approx(slow.pop("occupancy"), rel=2e-3)
    assert fast == pytest.approx(slow)


def test_ringing_time_delays_answers(center, arrivals, result):
    rung = simulate(center, arrivals, horizon=DAYS * 86400.0, ring=4.0)
    assert rung.unfinished == 0
    assert rung.kpis()["asa"] > result.kpis()["asa"] + 3.5


def test_more_agents_answer_faster(model, arrivals, result):
    bigger = simulate(center_109(model, days=DAYS, agents=140, seed=5), arrivals)
    assert bigger.kpis()["service_level"] > result.kpis()["service_level"]
    assert bigger.kpis()["abandon_rate"] < result.kpis()["abandon_rate"]


def test_same_seed_same_run(center, arrivals, result):
    again = simulate(center, arrivals, horizon=DAYS * 86400.0)
    assert again.waits == result.waits
    assert again.kpis() == result.kpis()


def test_slices_by_entity_and_language_add_up(result, model):
    total = result.totals().offered
    assert sum(result.totals(entity=code).offered for code in model.entities) == total
    assert sum(result.totals(language=code).offered for code in model.languages) == total


def test_a_run_makes_no_cyclic_garbage_per_contact_so_pausing_the_collector_is_safe(
    center, arrivals
):
    import gc

    def collected() -> int:
        return sum(generation["collected"] for generation in gc.get_stats())

    def garbage_after(contacts):
        gc.collect()
        before = collected()
        result = simulate(center, contacts, horizon=DAYS * 86400.0)
        assert gc.isenabled()  # given back as it was
        assert result.unfinished == 0
        del result
        gc.collect()
        return collected() - before  # cycles the run left: the dropped engine's own structure

    eighth = garbage_after(arrivals[: len(arrivals) // 8])
    whole = garbage_after(arrivals)
    # Eight times the contacts, not eight times the garbage: nothing cyclic is left per contact.
    assert whole < 2 * eighth
    gc.disable()
    try:
        simulate(center, arrivals[:100])
        assert not gc.isenabled()
    finally:
        gc.enable()
