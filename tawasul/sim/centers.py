"""Simulated centers: queues, agents with skills (language x entity) and shift schedules.

``center_109`` builds a "109"-like center for a traffic model: one queue per entity, overflow to
"any agent who speaks the language" after ``relax_after`` seconds, a call-back offer after
``max_wait`` seconds, engine-timed wrap-up; agents whose skills follow the demand (every agent
speaks Arabic or English, a third also a community language; each serves a primary entity and a
handful of others, drawn by volume) on 8.5-hour shifts (8 hours paid, a 30-minute break in the
middle) whose start times follow the daily arrival curve, with one day off a week (more of them
on Friday, the quiet day). ``center_single`` is the textbook single-skill queue.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from itertools import accumulate

from tawasul.routing import Queue, Relax
from tawasul.sim.fast import AgentSpec, Center
from tawasul.sim.traffic import TrafficModel

SHIFT_HOURS = 8.5
BREAK_MINUTES = 30
DAYS_ON_PER_WEEK = 6
MIN_SPEAKERS = 8


def center_single(*, agents: int, queue: str = "q", wrap_up: float = 0.0) -> Center:
    """One queue, ``agents`` identical agents always logged in, no skills, no overflow."""
    return Center(
        queues=[Queue(queue, wrap_up=wrap_up)],
        agents=[AgentSpec(f"agent-{i + 1}", {}, [(0.0, math.inf)]) for i in range(agents)],
        language_skill=False,
    )


def _weighted_sample(rng: random.Random, items: list[str], cum: list[float], k: int) -> list[str]:
    """``k`` distinct items drawn by weight (fewer if there are not enough)."""
    chosen: dict[str, None] = {}
    tries = 0
    total = cum[-1]
    while len(chosen) < min(k, len(items)) and tries < 50 * k:
        chosen[items[bisect(cum, rng.random() * total)]] = None
        tries += 1
    return list(chosen)


def agent_skills(traffic: TrafficModel, agents: int, rng: random.Random) -> list[dict[str, int]]:
    """Skills of ``agents`` agents following the traffic's language and entity demand."""
    minor = [lang for lang in traffic.languages if lang not in ("ar", "en")]
    minor_cum = list(accumulate(traffic.languages[lang] for lang in minor))
    entities = list(traffic.entities)
    ent_cum = list(accumulate(traffic.entities.values()))
    # A small center cannot have specialists: each agent then speaks more community languages,
    # so that every language keeps MIN_SPEAKERS agents across the shifts (none at "109" size).
    extra_languages = max(0, math.ceil(len(minor) * MIN_SPEAKERS / max(agents, 1)) - 1)
    out = []
    for i in range(agents):
        skills: dict[str, int] = {}
        if rng.random() < 0.85:
            skills["lang:ar"] = 1
        if rng.random() < 0.7 or not skills:
            skills["lang:en"] = 1
        # Community languages: spread so that every one is spoken by some agents.
        if minor and (rng.random() < 0.3 or i < len(minor) * 3):
            lang = minor[i % len(minor)] if i < len(minor) * 3 else None
            if lang is None:
                lang = minor[bisect(minor_cum, rng.random() * minor_cum[-1])]
            skills["lang:" + lang] = 1
        for k in range(1, extra_languages + 1):
            skills["lang:" + minor[(i + k) % len(minor)]] = 1
        for code in _weighted_sample(rng, entities, ent_cum, 1 + rng.randint(5, 9)):
            skills["entity:" + code] = 1
        out.append(skills)
    return out


def shift_starts(traffic: TrafficModel, agents: int) -> list[int]:
    """A start hour per agent so that staffing follows the weekly mean arrival curve.

    Greedy: each agent in turn takes the start hour whose shift covers the largest remaining
    shortfall against a target proportional to load^0.85 (small loads need relatively more
    agents: the square-root staffing effect)."""
    load = [sum(traffic.hour_factor(d, h) for d in range(7)) / 7 for h in range(24)]
    target = [x**0.85 for x in load]
    scale = agents * SHIFT_HOURS / sum(target)  # agent-hours per day / target-hours
    target = [x * scale for x in target]
    cover = [0.0] * 24
    hours = math.ceil(SHIFT_HOURS)
    starts = []
    for _ in range(agents):
        best_h, best_gain = 0, -math.inf
        for h in range(24):
            gain = sum(target[(h + k) % 24] - cover[(h + k) % 24] for k in range(hours))
            if gain > best_gain:
                best_h, best_gain = h, gain
        starts.append(best_h)
        for k in range(hours):
            cover[(best_h + k) % 24] += 1
    return starts


def center_109(
    traffic: TrafficModel,
    *,
    days: int,
    agents: int = 300,
    seed: int = 0,
    wrap_up: float = 15.0,
    relax_after: float | None = 60.0,
    max_wait: float | None = 300.0,
) -> Center:
    """A "109"-like center sized for ``traffic`` over ``days`` days (see module docstring)."""
    rng = random.Random(seed)
    overflow = (Relax(relax_after, keep=("lang:",)),) if relax_after is not None else ()
    queues = [
        Queue(
            code,
            requirements={"entity:" + code: 1},
            overflow=overflow,
            max_wait=max_wait,
            wrap_up=wrap_up,
            aht=traffic.handle_times.get("call", next(iter(traffic.handle_times.values()))).mean,
        )
        for code in traffic.entities
    ]
    skills = agent_skills(traffic, agents, rng)
    starts = shift_starts(traffic, agents)
    # Days off: one a week, more often on the quiet days (Friday, then Saturday).
    quiet = [max(traffic.weekday) - w + 0.05 for w in traffic.weekday]
    quiet_cum = list(accumulate(quiet))
    specs = []
    for i in range(agents):
        off = bisect(quiet_cum, rng.random() * quiet_cum[-1])
        jitter = rng.uniform(-300, 300)
        break_at = 3.5 + (i % 3) * 0.5
        shifts, breaks = [], []
        for day in range(-1, days + 1):  # the day after: drains what is still waiting
            if (traffic.start.weekday() + day) % 7 == off:
                continue
            t0 = day * 86400.0 + starts[i] * 3600.0 + jitter
            t1 = t0 + SHIFT_HOURS * 3600.0
            if t1 <= 0:
                continue
            b0 = t0 + break_at * 3600.0
            shifts.append((max(t0, 0.0), t1))
            if b0 > 0:
                breaks.append((b0, b0 + BREAK_MINUTES * 60.0))
        specs.append(AgentSpec(f"agent-{i + 1:03d}", skills[i], shifts, breaks))
    return Center(queues=queues, agents=specs)
