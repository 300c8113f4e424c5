"""The fast simulator on a textbook M/M/N queue reproduces Erlang C.

100 calls per 30 minutes, exponential handle time with mean 180 s, 14 agents, T = 20 s, nobody
hangs up: P(wait) 0.1741, service level 0.888, ASA 7.84 s.

Statistics, stated honestly: with the sample below (about 480,000 calls in 100 independent
one-day replications, the first half hour of each dropped as warm-up) the standard error is
about 0.2 % for the service level, 1.5 % for P(wait) and 3 % for the ASA (waits in a queue are
strongly correlated: a few long congestion episodes carry most of the waiting). The 2 %
tolerance therefore binds the ASA at about one standard error for this fixed seed; a wrong
queue discipline or a routing bug moves the numbers far more (serving last-come-first-served
keeps the ASA but not the service level; a lost agent or a missed wake-up shifts all three by
tens of percent). ``test_waits_are_exactly_the_fcfs_recursion`` checks the same runs call by
call, without statistics.
"""

from __future__ import annotations

import heapq

import pytest

from tawasul.sim.centers import center_single
from tawasul.sim.erlang import agents_for, erlang_b, erlang_c
from tawasul.sim.fast import ANSWERED, simulate
from tawasul.sim.traffic import HandleTime, TrafficModel

REPLICATIONS = 100
WARMUP = 1800.0


def test_closed_form_matches_the_textbook_numbers():
    r = erlang_c(calls=100, period=1800, aht=180, agents=14, threshold=20)
    assert r.load == pytest.approx(10.0)
    assert round(r.p_wait, 4) == 0.1741
    assert round(r.service_level, 3) == 0.888
    assert round(r.asa, 2) == 7.84
    assert r.occupancy == pytest.approx(10 / 14)
    # Unstable queue: never answered in time.
    assert erlang_c(calls=100, period=1800, aht=180, agents=10).service_level == 0.0
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert agents_for(calls=100, period=1800, aht=180, service_level=0.8) == 14
    assert agents_for(calls=100, period=1800, aht=180, service_level=0.9) == 15


@pytest.fixture(scope="module")
def runs():
    model = TrafficModel.flat(per_hour=200, handle=HandleTime(180.0, sigma=None))
    out = []
    for rep in range(REPLICATIONS):
        arrivals = model.arrivals(1, seed=1000 + rep)
        out.append((arrivals, simulate(center_single(agents=14), arrivals, warmup=WARMUP)))
    return out


def test_simulation_matches_erlang_c_within_2_percent(runs):
    expected = erlang_c(calls=100, period=1800, aht=180, agents=14, threshold=20)
    answered = waited = within = 0
    total_wait = 0.0
    for _arrivals, result in runs:
        assert result.unfinished == 0
        totals = result.totals()
        assert totals.abandoned == 0  # infinite patience
        answered += totals.answered
        within += totals.answered_within[20]
        total_wait += totals.sum_answer_wait
        waited += sum(
            1
            for a, o, w in zip(result.contacts, result.outcomes, result.waits, strict=True)
            if a.t >= WARMUP and o == ANSWERED and w > 0
        )
    assert answered > 400_000
    assert waited / answered == pytest.approx(expected.p_wait, rel=0.02)
    assert within / answered == pytest.approx(expected.service_level, rel=0.02)
    assert total_wait / answered == pytest.approx(expected.asa, rel=0.02)
    # The KPI module's numbers are the same ones (answered within 20 s ÷ offered).
    kpis = runs[0][1].kpis()
    assert kpis["service_level"] == pytest.approx(
        runs[0][1].totals().answered_within[20] / runs[0][1].totals().offered
    )
    assert kpis["occupancy"] == pytest.approx(expected.occupancy, rel=0.1)


def test_waits_are_exactly_the_fcfs_recursion(runs):
    """First come, first served on N identical agents: each caller takes the agent that frees
    up first, so its wait is max(0, earliest free time - arrival) (Kiefer-Wolfowitz). The
    engine-driven run must give every caller exactly that wait."""
    for arrivals, result in runs[:10]:
        free = [0.0] * 14
        for i, a in enumerate(arrivals):
            start = max(a.t, heapq.heappop(free))
            heapq.heappush(free, start + a.handle)
            assert result.waits[i] == pytest.approx(start - a.t, abs=1e-6)
