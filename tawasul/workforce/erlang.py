"""Erlang C and Erlang A: closed forms of the M/M/N and M/M/N+M queues. Pure Python.

Erlang C (Poisson arrivals at rate λ, exponential handle times with mean AHT = 1/μ, N agents,
first come first served, nobody hangs up), with offered load A = λ·AHT and N > A:

* P(wait) = C(N, A) = N·B / (N - A·(1 - B)), B = Erlang B(N, A) by the recursion
  B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1)) (exact for hundreds of agents, no factorials)
* service level within T = 1 - C·exp(-(N - A)·T / AHT)
* ASA = C·AHT / (N - A), occupancy = A / N

Erlang A (Palm; Garnett, Mandelbaum and Reiman 2002; Mandelbaum and Zeltyn 2004/2007): the same
queue where every waiting caller hangs up after an exponential patience with mean 1/θ. With
a = Nμ/θ, x = λ/θ, ρ = λ/(Nμ), γ(a, x) the lower incomplete gamma function and
A(a, x) = a·e^x·x^(-a)·γ(a, x) = Σ_{m≥0} x^m / ((a+1)(a+2)…(a+m)):

* P(wait) = A·B / (1 + (A - 1)·B)                        (GMR, B = Erlang B(N, λ/μ))
* P(abandon | wait) = 1/(ρ·A) + 1 - 1/ρ                   (Mandelbaum-Zeltyn)
* P(offered wait V > t) = P(wait)·γ(a, x·e^(-θt)) / γ(a, x)
* answered within T = 1 - P(wait) + P(wait)·[γ(a+1, x) - γ(a+1, x·e^(-θT))] / (x·γ(a, x))
* mean wait of all callers = P(abandon) / θ (abandonment flow θ·E[queue] = λ·P(abandon))
* ASA of answered callers = ∫_0^x ln(x/u)·u^a·e^(-u) du / (θ·x·γ(a, x)·P(served | wait))
  × P(wait) / P(served), evaluated by Gauss-Legendre quadrature
* occupancy = λ·(1 - P(abandon))·AHT / N

The derivation of the last three from the stationary distribution is in docs/workforce.md; the
tests check every number against the birth-death chain solved numerically.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErlangC:
    """The steady-state numbers of one M/M/N queue."""

    agents: int
    load: float  # offered load, Erlangs
    p_wait: float  # probability that a contact waits at all
    service_level: float  # probability of being answered within the threshold
    asa: float  # average speed of answer, seconds
    occupancy: float  # share of the agents' time spent handling


@dataclass(frozen=True, slots=True)
class ErlangA:
    """The steady-state numbers of one M/M/N+M queue (callers abandon)."""

    agents: int
    load: float
    p_wait: float
    p_abandon: float  # share of offered callers who hang up before an answer
    service_level: float  # share of offered callers answered within the threshold
    asa: float  # mean wait of answered callers, seconds
    mean_wait: float  # mean wait of all callers (answered or not), seconds
    occupancy: float


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/N/N loss system (Erlang B)."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must be >= 0")
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return b


def _check(calls: float, period: float, aht: float, agents: int) -> None:
    if calls < 0 or period <= 0 or aht <= 0 or agents < 0:
        raise ValueError("calls >= 0, period > 0, aht > 0 and agents >= 0 are required")


def erlang_c(
    *,
    calls: float,
    period: float,
    aht: float,
    agents: int,
    threshold: float = 20.0,
) -> ErlangC:
    """Erlang C for ``calls`` arrivals per ``period`` seconds, mean handle time ``aht`` seconds
    and ``agents`` agents; service level within ``threshold`` seconds.

    With as many or fewer agents than the offered load the queue grows without bound: P(wait)
    is 1, the service level 0 and the ASA infinite.

    >>> r = erlang_c(calls=100, period=1800, aht=180, agents=14, threshold=20)
    >>> round(r.p_wait, 4), round(r.service_level, 4), round(r.asa, 2)
    (0.1741, 0.8884, 7.84)
    """
    _check(calls, period, aht, agents)
    load = calls / period * aht
    if agents <= load:
        return ErlangC(agents, load, 1.0, 0.0, math.inf, 1.0 if agents else 0.0)
    b = erlang_b(agents, load)
    c = agents * b / (agents - load * (1 - b))
    spare = agents - load
    return ErlangC(
        agents=agents,
        load=load,
        p_wait=c,
        service_level=1 - c * math.exp(-spare * threshold / aht),
        asa=c * aht / spare,
        occupancy=load / agents,
    )


# --- incomplete gamma, in logs so that a and x in the thousands do not overflow ------------


def log_lower_gamma(a: float, x: float) -> float:
    """ln γ(a, x) = ln ∫_0^x t^(a-1) e^(-t) dt for a > 0, x > 0 (series below a + 1,
    Lentz continued fraction for the upper function above; Numerical Recipes §6.2)."""
    if a <= 0 or x <= 0:
        raise ValueError("a > 0 and x > 0 are required")
    if x < a + 1:
        term = total = 1.0 / a
        n = 0
        while abs(term) > abs(total) * 1e-16 and n < 100_000:
            n += 1
            term *= x / (a + n)
            total += term
        return a * math.log(x) - x + math.log(total)
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    log_upper = a * math.log(x) - x + math.log(h)
    q = math.exp(log_upper - math.lgamma(a))  # regularized upper
    return math.lgamma(a) + math.log1p(-q) if q < 1 else math.log(tiny)


# 32-point Gauss-Legendre nodes and weights on [-1, 1], computed once by Newton's method.
def _gauss_legendre(n: int) -> list[tuple[float, float]]:
    out = []
    for i in range(1, n + 1):
        z = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p1, p2 = 1.0, 0.0
            for j in range(1, n + 1):
                p1, p2 = ((2 * j - 1) * z * p1 - (j - 1) * p2) / j, p1
            dp = n * (z * p1 - p2) / (z * z - 1)
            z_new = z - p1 / dp
            if abs(z_new - z) < 1e-15:
                z = z_new
                break
            z = z_new
        out.append((z, 2 / ((1 - z * z) * dp * dp)))
    return out


_GL = _gauss_legendre(32)


def erlang_a(
    *,
    calls: float,
    period: float,
    aht: float,
    agents: int,
    patience: float,
    threshold: float = 20.0,
    with_asa: bool = True,
) -> ErlangA:
    """Erlang A for ``calls`` per ``period`` seconds, handle time ``aht`` s, ``agents`` agents
    and mean patience ``patience`` seconds (exponential); the formulas are in the module text.
    Stable for any number of agents, since callers who wait too long leave. ``with_asa=False``
    skips the quadrature of the answered callers' ASA (reported as NaN) for fast staffing."""
    _check(calls, period, aht, agents)
    if patience <= 0:
        raise ValueError("patience > 0 is required")
    lam = calls / period
    mu = 1 / aht
    theta = 1 / patience
    load = lam * aht
    if calls == 0:
        return ErlangA(agents, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    if agents == 0:
        return ErlangA(0, load, 1.0, 1.0, 0.0, math.inf, patience, 0.0)
    a = agents * mu / theta
    x = lam / theta
    rho = lam / (agents * mu)
    lg = log_lower_gamma(a, x)
    big_a = math.exp(math.log(a) + x - a * math.log(x) + lg)
    b = erlang_b(agents, load)
    p_wait = big_a * b / (1 + (big_a - 1) * b)
    ab_given_wait = 1 / (rho * big_a) + 1 - 1 / rho
    p_abandon = p_wait * ab_given_wait
    1 - ab_given_wait
    y = x * math.exp(-theta * threshold)
    # γ(a+1, x) - γ(a+1, y), both relative to γ(a, x), without cancellation trouble
    g1x = math.exp(log_lower_gamma(a + 1, x) - lg)
    g1y = math.exp(log_lower_gamma(a + 1, y) - lg)
    within_given_wait = (g1x - g1y) / x
    service_level = 1 - p_wait + p_wait * within_given_wait
    # E[V; served | wait] = ∫_0^x ln(x/u) u^a e^-u du / (θ x γ(a, x)); with u = x·e^(-t) the
    # integrand t·u^(a+1)·e^(-u) peaks at t = ln(x/(a+1)) with width 1/sqrt(a+1), or, when
    # x < a+1, falls from t = 0 at rate a+1-x: integrate over a few dozen of those widths.
    if not with_asa:
        return ErlangA(agents, load, p_wait, p_abandon, service_level, math.nan,
                       p_abandon / theta, load * (1 - p_abandon) / agents)  # fmt: skip
    peak = max(0.0, math.log(x / (a + 1)))
    scale = 1 / math.sqrt(a + 1)
    if x < a + 1:
        scale = min(scale, 1 / (a + 1 - x))
    width = 60.0 * scale
    lo_t, hi_t = max(0.0, peak - width), peak + width
    panels = 16
    step = (hi_t - lo_t) / panels
    integral = 0.0
    log_x = math.log(x)
    for k in range(panels):
        left = lo_t + k * step
        for z, w in _GL:
            t = left + (z + 1) * step / 2
            u_log = log_x - t
            integral += (w * step / 2) * t * math.exp((a + 1) * u_log - math.exp(u_log) - lg)
    served_wait = integral / (theta * x)
    p_served = 1 - p_abandon
    asa = p_wait * served_wait / p_served if p_served > 0 else math.inf
    return ErlangA(
        agents=agents,
        load=load,
        p_wait=p_wait,
        p_abandon=p_abandon,
        service_level=service_level,
        asa=asa,
        mean_wait=p_abandon / theta,
        occupancy=load * (1 - p_abandon) / agents,
    )


def agents_for(
    *,
    calls: float,
    period: float,
    aht: float,
    service_level: float,
    threshold: float = 20.0,
    max_agents: int = 10_000,
) -> int:
    """Fewest agents that reach ``service_level`` within ``threshold`` seconds (Erlang C);
    raises ``ValueError`` if ``max_agents`` are not enough."""
    load = calls / period * aht
    for n in range(max(1, math.floor(load) + 1), max_agents + 1):
        if erlang_c(calls=calls, period=period, aht=aht, agents=n, threshold=threshold)\
                .service_level >= service_level:  # fmt: skip
            return n
    raise ValueError(f"more than {max_agents} agents needed")
