"""Erlang C and Erlang A against independent computations.

Erlang C: the published check (100 calls / 30 min, AHT 180 s, 14 agents, T 20 s).
Erlang A: the closed forms (incomplete gamma) against the birth-death chain of the M/M/N+M
queue solved numerically — stationary probabilities by the product formula truncated at a
queue of 2,000, abandonment as θ·E[queue]/λ, and the tagged caller's wait by integrating the
Kolmogorov equations of its position in the queue (RK4) — a computation that shares no
formula with the closed form. Agreement is asked to 4 significant digits and better.
"""

from __future__ import annotations

import math

import pytest

from tawasul.sim.erlang import erlang_c as sim_erlang_c
from tawasul.workforce.erlang import erlang_a, erlang_b, erlang_c, log_lower_gamma
from tawasul.workforce.staffing import Target, staff_interval


def test_published_erlang_c_check():
    r = erlang_c(calls=100, period=1800, aht=180, agents=14, threshold=20)
    assert round(r.p_wait, 4) == 0.1741
    assert round(r.service_level, 4) == 0.8884
    assert round(r.asa, 2) == 7.84
    assert round(r.occupancy, 3) == 0.714
    assert sim_erlang_c is erlang_c  # the simulator uses the same maths


def test_erlang_b_and_incomplete_gamma_known_values():
    assert erlang_b(2, 1.0) == pytest.approx(0.2)  # (1/2) / (1 + 1 + 1/2)
    # γ(1, x) = 1 - e^-x; γ(2, x) = 1 - (1 + x) e^-x; γ(0.5, x) = sqrt(pi) erf(sqrt x)
    for x in (0.1, 1.0, 3.0, 30.0):
        assert math.exp(log_lower_gamma(1, x)) == pytest.approx(1 - math.exp(-x), rel=1e-12)
        assert math.exp(log_lower_gamma(2, x)) == pytest.approx(
            1 - (1 + x) * math.exp(-x), rel=1e-11
        )
        assert math.exp(log_lower_gamma(0.5, x)) == pytest.approx(
            math.sqrt(math.pi) * math.erf(math.sqrt(x)), rel=1e-12
        )


def chain(calls, period, aht, agents, patience, threshold, cap=2000):
    """The M/M/N+M birth-death chain, numerically."""
    lam, mu, theta = calls / period, 1 / aht, 1 / patience
    weights = [1.0]
    for k in range(1, cap + 1):
        death = min(k, agents) * mu + max(0, k - agents) * theta
        weights.append(weights[-1] * lam / death)
    total = sum(weights)
    pi = [w / total for w in weights]
    p_wait = sum(pi[agents:])
    queue = sum((k - agents) * p for k, p in enumerate(pi) if k > agents)
    p_abandon = theta * queue / lam
    # Tagged caller arriving to find m waiting: position j ahead falls at rate Nμ + jθ, the
    # caller leaves at rate θ, is served from j = 0 at rate Nμ. Integrate P(position) in t.
    m_max = 400
    p = [pi[agents + m] / p_wait if agents + m < len(pi) else 0.0 for m in range(m_max)]

    def deriv(state):
        out = []
        for j in range(m_max):
            d = -(agents * mu + j * theta + theta) * state[j]
            if j + 1 < m_max:
                d += (agents * mu + (j + 1) * theta) * state[j + 1]
            out.append(d)
        return out

    dt = 0.05
    t = 0.0
    served_by_t = served_wait = 0.0
    served_within = None
    while t < 4000:
        k1 = deriv(p)
        k2 = deriv([a + dt / 2 * b for a, b in zip(p, k1, strict=True)])
        k3 = deriv([a + dt / 2 * b for a, b in zip(p, k2, strict=True)])
        k4 = deriv([a + dt * b for a, b in zip(p, k3, strict=True)])
        new = [a + dt / 6 * (b + 2 * c + 2 * d + e)
               for a, b, c, d, e in zip(p, k1, k2, k3, k4, strict=True)]  # fmt: skip
        # Simpson's rule on the served flow Nμ·p0 over the step (midpoint from RK stages).
        mid = p[0] + dt / 4 * (k1[0] + k2[0]) if False else (p[0] + new[0]) / 2
        flow = agents * mu * (p[0] + 4 * mid + new[0]) / 6 * dt
        served_by_t += flow
        served_wait += flow * (t + dt / 2)
        t += dt
        p = new
        if served_within is None and t >= threshold - 1e-9:
            served_within = served_by_t
        if sum(p) < 1e-13:
            break
    p_served = 1 - p_abandon
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "service_level": 1 - p_wait + p_wait * served_within,
        "asa": p_wait * served_wait / p_served,
        "mean_wait": queue / lam,
    }


CASES = [
    (100, 1800, 180, 14, 120, 20),  # the published queue, callers patient for 2 minutes
    (100, 1800, 180, 9, 60, 20),  # overloaded: stable only thanks to abandonment
    (300, 1800, 240, 45, 300, 30),
]


@pytest.mark.parametrize("case", CASES)
def test_erlang_a_closed_form_matches_the_birth_death_chain(case):
    calls, period, aht, agents, patience, threshold = case
    closed = erlang_a(calls=calls, period=period, aht=aht, agents=agents, patience=patience,
                      threshold=threshold)  # fmt: skip
    numeric = chain(calls, period, aht, agents, patience, threshold)
    assert closed.p_wait == pytest.approx(numeric["p_wait"], rel=1e-9)
    assert closed.p_abandon == pytest.approx(numeric["p_abandon"], rel=1e-9)
    assert closed.mean_wait == pytest.approx(numeric["mean_wait"], rel=1e-9)
    assert closed.service_level == pytest.approx(numeric["service_level"], rel=1e-4)
    assert closed.asa == pytest.approx(numeric["asa"], rel=1e-4)


def test_erlang_a_tends_to_erlang_c_with_endless_patience():
    c = erlang_c(calls=100, period=1800, aht=180, agents=14, threshold=20)
    a = erlang_a(calls=100, period=1800, aht=180, agents=14, patience=1e9, threshold=20)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-5)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-5)
    assert a.asa == pytest.approx(c.asa, rel=1e-4)
    assert a.p_abandon < 1e-7


def test_staffing_targets_and_shrinkage():
    target = Target(service_level=0.8, threshold=20, occupancy_cap=0.85, shrinkage=0.3)
    s = staff_interval(channel="call", calls=100, aht=180, patience=120, target=target)
    assert s.erlang_c == 14  # SL 0.8884 >= 0.8 with 14, occupancy 0.714
    assert s.erlang_a == 12  # callers who hang up after ~2 minutes shorten the others' waits
    r = erlang_a(calls=100, period=1800, aht=180, agents=12, patience=120, threshold=20)
    assert round(r.service_level, 4) == 0.8256
    assert erlang_a(calls=100, period=1800, aht=180, agents=11, patience=120,
                    threshold=20).service_level < 0.8  # fmt: skip
    assert s.scheduled == math.ceil(12 / 0.7)
    # An occupancy cap of 0.7 needs 15 agents (10 Erlangs / 15 = 0.667).
    capped = staff_interval(channel="call", calls=100, aht=180, patience=1e9,
                            target=Target(service_level=0.5, occupancy_cap=0.7))  # fmt: skip
    assert capped.erlang_c == 15
    # Deferred work: 10 Erlangs of e-mail at 85 % occupancy = 12 agents.
    mail = staff_interval(channel="email", calls=100, aht=180, patience=120, target=target)
    assert (mail.erlang_c, mail.scheduled) == (12, 18)
    with pytest.raises(ValueError):
        erlang_a(calls=10, period=1800, aht=180, agents=2, patience=0)
