"""Benchmark of the routing engine on a synthetic "109" center.

300 agents in shifts, 9 languages x 34 entities, ~350,000 calls over 30 days with a daily and
weekly arrival profile (inhomogeneous Poisson by thinning), lognormal handle times, exponential
patience (abandons), ring-no-answer, call-back offers after a maximum wait, overflow to
language-only and to a surge pool, wrap-up timers driven by the engine's deadlines.

    .venv/bin/python bench/routing_bench.py                         # one month
    .venv/bin/python bench/routing_bench.py --days 365 --calls 4000000   # one year
    .venv/bin/python bench/routing_bench.py --child-interpreted     # the .py engine, not the build

Prints wall time, events/s and decisions/s, plus service KPIs so the traffic is known to be sane.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from bisect import bisect
from heapq import heappop, heappush
from itertools import accumulate, count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import interpreted  # first: with --child-interpreted, the compiled modules are kept out

from tawasul.routing import (
    AgentBreak,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentStateChanged,
    CallbackAccepted,
    CallbackOffered,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    Offer,
    OfferNotAnswered,
    OfferRevoked,
    OpenPool,
    Queue,
    Queued,
    Rejected,
    Relax,
    RoutingEngine,
    Tick,
)

LANGS = ["ar", "en", "ur", "hi", "ml", "tl", "ne", "bn", "fr"]
LANG_W = [0.55, 0.20, 0.06, 0.05, 0.05, 0.03, 0.02, 0.02, 0.02]
BIG = {"phcc": 124_341, "moph": 46_091, "edu": 19_155, "commerce": 21_412}
OTHERS = [f"e{i:02d}" for i in range(30)]
ENTITIES = [*BIG, *OTHERS]
ENTITY_W = [*BIG.values(), *[129_542 / 30] * 30]
# Relative arrivals per local hour (night trough, morning and evening peaks); Friday is quieter.
HOURLY = [0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.9, 1.5, 1.8, 1.9, 1.8, 1.6, 1.4, 1.3, 1.3]
HOURLY += [1.4, 1.5, 1.5, 1.4, 1.2, 0.9, 0.6, 0.4]
WEEKDAY = [1.0, 1.0, 1.0, 1.0, 0.7, 0.85, 1.05]  # day 0 = Sunday ... 6 = Saturday (rough)
SHIFT_STARTS = [(0, 0.08), (6, 0.17), (7, 0.17), (8, 0.17), (12, 0.11), (15, 0.17), (22, 0.13)]

ANSWER, NOANSWER, END, PATIENCE, LOGIN, LOGOUT, BREAK, READY, TICK = range(9)


def build_center(rng: random.Random) -> tuple[list[Queue], list[dict[str, int]]]:
    overflow = (Relax(60.0, keep=("lang:",)), OpenPool(120.0, pool="surge"))
    queues = [
        Queue(
            e,
            requirements={"entity:" + e: 1},
            overflow=overflow,
            max_size=120,
            max_wait=300.0,
            wrap_up=20.0,
        )
        for e in ENTITIES
    ]
    queues.append(
        Queue(
            "16000",
            requirements={"entity:moph": 1},
            priority=10,
            overflow=overflow,
            max_wait=300.0,
            wrap_up=20.0,
        )
    )
    agents = []
    minor = LANGS[2:]
    for i in range(300):
        skills: dict[str, int] = {}
        if rng.random() < 0.85:
            skills["lang:ar"] = rng.randint(3, 5)
        if rng.random() < 0.7 or not skills:
            skills["lang:en"] = rng.randint(3, 5)
        if rng.random() < 0.3:
            skills["lang:" + minor[i % len(minor)]] = 4
        if rng.random() < 0.45:
            team = ["phcc", "moph"]
        else:
            team = rng.sample(OTHERS, 8) + rng.sample(["edu", "commerce", "moph"], 2)
        for e in team:
            skills["entity:" + e] = rng.randint(1, 5)
        if rng.random() < 0.1:
            skills["pool:surge"] = 1
        agents.append(skills)
    return queues, agents


def run(days: int, calls: int, seed: int, replay: bool = False) -> None:
    rng = random.Random(seed)
    queues, agent_skills = build_center(rng)
    engine = RoutingEngine(queues)
    horizon = days * 86400.0
    # Piecewise-constant arrival rate per hour: base * HOURLY[hour] * WEEKDAY[day].
    shape = [HOURLY[h % 24] * WEEKDAY[(h // 24) % 7] for h in range(days * 24)]
    base = calls / 3600.0 / sum(shape)
    rates = [base * x for x in shape]
    queue_names = [*ENTITIES, "16000"]
    queue_cum = list(accumulate([*ENTITY_W, sum(ENTITY_W) * 0.02]))
    queue_tot = queue_cum[-1]
    lang_cum = list(accumulate(LANG_W))
    lang_tot = lang_cum[-1]
    lang_reqs = [{"lang:" + lang: 1} for lang in LANGS]
    mu, sigma = math.log(240.0) - 0.7**2 / 2, 0.7

    ev: list[tuple] = []
    nxt = count().__next__
    # Shifts: each agent works 8 h (30 min break in the middle), 6 days out of 7.
    starts = [s for s, _ in SHIFT_STARTS]
    weights = [w for _, w in SHIFT_STARTS]
    for i in range(len(agent_skills)):
        start_h = rng.choices(starts, weights)[0]
        off = rng.randrange(7)
        for d in range(days):
            if d % 7 == off:
                continue
            t0 = max(0.0, d * 86400.0 + start_h * 3600.0 + rng.uniform(-600, 600))
            heappush(ev, (t0, nxt(), LOGIN, i, None))
            heappush(ev, (t0 + 4 * 3600.0, nxt(), BREAK, i, None))
            heappush(ev, (t0 + 4.5 * 3600.0, nxt(), READY, i, None))
            heappush(ev, (t0 + 8 * 3600.0, nxt(), LOGOUT, i, None))

    expo = rng.expovariate
    rand = rng.random
    gauss = rng.gauss
    exp = math.exp

    def next_arrival(t: float) -> float:
        # Memoryless: redraw at each hour boundary with that hour's rate.
        while t < horizon:
            h = int(t // 3600.0)
            t2 = t + expo(rates[h])
            if t2 < (h + 1) * 3600.0:
                return t2
            t = (h + 1) * 3600.0
        return math.inf

    arrived_at: dict[int, float] = {}
    unserved: set[int] = set()  # arrived, never offered, may still abandon
    offered: dict[int, object] = {}  # contact -> agent currently ringing
    logged_in: set[int] = set()
    n_contacts = n_events = n_decisions = 0
    answered = within20 = abandoned = rejected = cb_offered = cb_accepted = 0
    total_wait = 0.0
    next_tick = math.inf
    handle = engine.handle
    log: list = []
    if replay:  # record every event to time the engine alone afterwards
        engine_handle = engine.handle

        def handle(e: object) -> list:
            log.append(e)
            return engine_handle(e)

    next_deadline = engine.next_deadline
    arr_t = next_arrival(0.0)
    inf = math.inf

    wall0 = time.perf_counter()
    cpu0 = time.process_time()
    while True:
        if arr_t <= (ev[0][0] if ev else inf):
            if arr_t == inf:
                break
            t = arr_t
            arr_t = next_arrival(t)
            n_contacts += 1
            cid = n_contacts
            e = ContactArrived(
                t,
                cid,
                queue_names[bisect(queue_cum, rand() * queue_tot)],
                lang_reqs[bisect(lang_cum, rand() * lang_tot)],
            )
            arrived_at[cid] = t
            unserved.add(cid)
        else:
            t, _, kind, a, b = heappop(ev)
            if kind == ANSWER:
                if offered.get(a) is not b:
                    continue
                del offered[a]
                e = ContactAnswered(t, a)
                answered += 1
                w = t - arrived_at.pop(a)
                total_wait += w
                if w <= 20.0:
                    within20 += 1
                heappush(ev, (t + exp(mu + sigma * gauss()), nxt(), END, a, None))
            elif kind == TICK:
                if t == next_tick:
                    next_tick = inf
                e = Tick(t)
            elif kind == END:
                e = ContactEnded(t, a)
            elif kind == PATIENCE:
                if a not in unserved:
                    continue
                unserved.discard(a)
                del arrived_at[a]
                abandoned += 1
                e = ContactAbandoned(t, a)
            elif kind == NOANSWER:
                if offered.get(a) is not b:
                    continue
                del offered[a]
                e = OfferNotAnswered(t, a)
            elif kind == LOGIN:
                if a in logged_in:
                    continue
                logged_in.add(a)
                e = AgentLoggedIn(t, a, agent_skills[a])
            elif kind == LOGOUT:
                logged_in.discard(a)
                e = AgentLoggedOut(t, a)
            elif kind == BREAK:
                e = AgentBreak(t, a, "rest")
            else:  # READY
                if a not in logged_in:
                    continue
                e = AgentReady(t, a)
        out = handle(e)
        n_events += 1
        if not out:
            continue  # no decision: no new timer either (see RoutingEngine.next_deadline)
        n_decisions += len(out)
        for d in out:
            cls = d.__class__
            if cls is Offer:
                cid = d.contact_id
                unserved.discard(cid)
                offered[cid] = d.agent_id
                if rand() < 0.01:
                    heappush(ev, (t + 20.0, nxt(), NOANSWER, cid, d.agent_id))
                else:
                    heappush(ev, (t + 2.0 + 4.0 * rand(), nxt(), ANSWER, cid, d.agent_id))
            elif cls is AgentStateChanged:
                if d.reason == "no_answer":
                    heappush(ev, (t + 60.0, nxt(), READY, d.agent_id, None))
            elif cls is Queued:
                cid = d.contact_id
                if cid in unserved:  # first time in line: the caller's patience starts
                    give_up = arrived_at[cid] + expo(1 / 180.0)
                    heappush(ev, (max(t, give_up), nxt(), PATIENCE, cid, None))
            elif cls is OfferRevoked:
                offered.pop(d.contact_id, None)
            elif cls is CallbackOffered:
                cb_offered += 1
                if rand() < 0.5:
                    cb_accepted += 1
                    unserved.discard(d.contact_id)
                    n_decisions += len(handle(CallbackAccepted(t, d.contact_id)))
                    n_events += 1
            elif cls is Rejected:
                unserved.discard(d.contact_id)
                del arrived_at[d.contact_id]
                rejected += 1
        nd = next_deadline()
        if nd is not None and nd < next_tick:
            next_tick = nd
            heappush(ev, (nd, nxt(), TICK, None, None))
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0

    n = n_contacts
    build = "compiled (mypyc)" if interpreted.compiled() else "interpreted"
    print(
        f"routing bench: {days} days, {n:,} contacts, 300 agents, 35 queues, seed {seed}, "
        f"engine {build}"
    )
    print(f"  wall time        {wall:8.2f} s   (engine + this event loop; CPU {cpu:.2f} s)")
    print(f"  events           {n_events:,}  ->  {n_events / wall:,.0f} events/s")
    print(f"  decisions        {n_decisions:,}  ->  {n_decisions / wall:,.0f} decisions/s")
    print(f"  contacts         {n / wall:,.0f} contacts/s")
    sl = within20 / max(1, n - rejected)
    print(
        f"  answered {answered:,} ({answered / n:.1%}), service level 20 s {sl:.1%}, "
        f"ASA {total_wait / max(1, answered):.1f} s, abandoned {abandoned / n:.2%}, "
        f"rejected {rejected}, call-backs offered {cb_offered:,} / accepted {cb_accepted:,}"
    )
    stats = engine.counts()
    print("  final statuses   " + ", ".join(f"{k}={v:,}" for k, v in stats.items()))
    if replay:
        fresh = RoutingEngine(queues)
        h = fresh.handle
        t0 = time.perf_counter()
        for e in log:
            h(e)
        alone = time.perf_counter() - t0
        print(
            f"  engine alone     {alone:8.2f} s   (same {len(log):,} events replayed: "
            f"{len(log) / alone:,.0f} events/s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--calls", type=int, default=350_000, help="calls over the whole run")
    parser.add_argument("--seed", type=int, default=109)
    parser.add_argument(
        "--replay", action="store_true", help="also time the engine alone on the recorded events"
    )
    parser.add_argument(
        interpreted.FLAG, action="store_true", help="run the .py engine (see interpreted.py)"
    )
    args = parser.parse_args()
    run(args.days, args.calls, args.seed, args.replay)


if __name__ == "__main__":
    main()
