"""Agents needed per interval: Erlang C or Erlang A to the target, an occupancy cap, then
shrinkage (breaks, training, absence) to turn agents on the phones into agents scheduled.
Deferred channels (e-mail, SMS, web forms, social, fax) are staffed by workload: hours of
handling / interval length / occupancy cap, since nobody waits on the line for them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tawasul.workforce.erlang import erlang_a, erlang_c

PERIOD = 1800.0
LIVE_CHANNELS = frozenset({"call", "app"})


@dataclass(frozen=True)
class Target:
    service_level: float = 0.8
    threshold: float = 20.0
    asa: float | None = None  # seconds; also required when given
    occupancy_cap: float = 0.85
    shrinkage: float = 0.30


@dataclass(frozen=True)
class Staffing:
    erlang_c: int  # agents on the phones by Erlang C
    erlang_a: int  # agents on the phones by Erlang A (abandonment)
    scheduled: int  # Erlang A agents / (1 - shrinkage), rounded up
    service_level: float  # Erlang A service level with erlang_a agents
    p_abandon: float


def _meets(r, target: Target) -> bool:
    return (
        r.service_level >= target.service_level
        and (target.asa is None or r.asa <= target.asa)
        and r.occupancy <= target.occupancy_cap
    )


def staff_interval(
    *, channel: str, calls: float, aht: float, patience: float, target: Target
) -> Staffing:
    """Staffing for one interval of ``calls`` contacts of mean handle time ``aht`` seconds."""
    if calls <= 0:
        return Staffing(0, 0, 0, 1.0, 0.0)
    load = calls / PERIOD * aht
    if channel not in LIVE_CHANNELS:
        n = max(1, math.ceil(load / target.occupancy_cap))
        return Staffing(n, n, math.ceil(n / (1 - target.shrinkage)), 1.0, 0.0)
    n_c = max(1, math.floor(load) + 1)
    while not _meets(
        erlang_c(calls=calls, period=PERIOD, aht=aht, agents=n_c, threshold=target.threshold),
        target,
    ):
        n_c += 1
    with_asa = target.asa is not None

    def run(n: int):
        return erlang_a(calls=calls, period=PERIOD, aht=aht, agents=n, patience=patience,
                        threshold=target.threshold, with_asa=with_asa)  # fmt: skip

    # Abandonment only helps, so Erlang A needs at most Erlang C's agents: search down.
    n_a = n_c
    while n_a > 1 and _meets(run(n_a - 1), target):
        n_a -= 1
    r = run(n_a)
    return Staffing(n_c, n_a, math.ceil(n_a / (1 - target.shrinkage)), r.service_level,
                    r.p_abandon)  # fmt: skip
