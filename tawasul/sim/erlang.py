"""Erlang C: the closed form of the M/M/N queue (Poisson arrivals, exponential handle times,
N identical agents, first come first served, nobody hangs up). Pure Python.

Planners use it to size a queue; the simulator's tests use it as the reference its event loop
(driving the real routing engine) must reproduce.

For offered load A = arrival rate x mean handle time (in Erlangs) and N > A agents:

* P(wait) = C(N, A) = [A^N / N! x N/(N-A)] / [sum_{k<N} A^k/k! + A^N / N! x N/(N-A)]
* service level within T = 1 - C(N, A) x exp(-(N - A) x T / AHT)
* ASA = C(N, A) x AHT / (N - A)
* occupancy = A / N

The sum is evaluated with the Erlang B recursion (B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)))
and C = N B / (N - A (1 - B)), which stays exact for hundreds of agents where factorials
overflow.
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


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of an M/M/N/N loss system (Erlang B)."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must be >= 0")
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return b


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
    >>> round(r.p_wait, 4), round(r.service_level, 3), round(r.asa, 2)
    (0.1741, 0.888, 7.84)
    """
    if calls < 0 or period <= 0 or aht <= 0 or agents < 0:
        raise ValueError("calls >= 0, period > 0, aht > 0 and agents >= 0 are required")
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


def agents_for(
    *,
    calls: float,
    period: float,
    aht: float,
    service_level: float,
    threshold: float = 20.0,
    max_agents: int = 10_000,
) -> int:
    """Fewest agents that reach ``service_level`` within ``threshold`` seconds (a planner's
    question); raises ``ValueError`` if ``max_agents`` are not enough."""
    load = calls / period * aht
    for n in range(max(1, math.floor(load) + 1), max_agents + 1):
        if erlang_c(calls=calls, period=period, aht=aht, agents=n, threshold=threshold)\
                .service_level >= service_level:  # fmt: skip
            return n
    raise ValueError(f"more than {max_agents} agents needed")
