"""One month of "109" traffic through the fast simulator, and the same center in SimPy.

    .venv/bin/python bench/sim_month.py                  # 30 days, 300 agents, ~350,000 contacts
    .venv/bin/python bench/sim_month.py --runs 3         # time each model three times
    .venv/bin/python bench/sim_month.py --days 7 --skip-simpy --skip-interpreted

Fast mode (``tawasul.sim.fast``) drives the real routing engine (``tawasul.routing``). The SimPy
model (SimPy 4.1.2, a benchmark-only dependency) is written here the way a SimPy user would:
a process per contact and a ``FilterStore`` of idle agents. Both get the *same* arrivals (same
seeded traffic model: entity, language, channel, handle time, patience, call-back acceptance,
redial delay) and the *same* center (same agents, skills and shifts; same rules):

* a contact needs an agent with its entity and language; after 60 s any agent speaking its
  language (overflow); after 300 s it is offered a call-back and accepts it or not (as drawn);
* among compatible idle agents, the one idle the longest; an agent that becomes free takes the
  compatible contact that has waited the longest (FIFO);
* 15 s wrap-up; a break or logout requested during a contact takes effect after its wrap-up;
* a waiting caller hangs up when its patience runs out and may redial once.

In SimPy, ``FilterStore.get`` hands out the first matching item (items are kept in the order they
were put back, so that is the longest-idle agent) and serves pending gets in their order; an
overflowing contact re-asks with a wider filter and its request is moved back to its original
place in the queue of requests. Wall time and CPU time of each model are printed with the
KPIs side by side; the ratio is SimPy / fast. The machine may be shared: CPU time is the fairer
figure when other work runs on it.

When the compiled build is there (``make`` runs ``scripts/build_native.py``), fast mode runs
compiled, and the same run also times it interpreted, in a child process that imports the
plain ``.py`` modules (``--skip-interpreted`` to leave that out); its KPIs are printed too, and
must be the compiled ones to the last digit.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import interpreted  # first: in the interpreted child, it keeps the compiled modules out

from tawasul.sim import metrics
from tawasul.sim.centers import center_109
from tawasul.sim.fast import (
    ABANDONED,
    ANSWERED,
    CALLBACK,
    PENDING,
    Center,
    SimResult,
    simulate,
)
from tawasul.sim.traffic import Arrival, TrafficModel


def simpy_model(center: Center, arrivals: list[Arrival], *, horizon: float) -> SimResult:
    """The same center in SimPy; returns a ``SimResult`` so KPIs are computed the same way."""
    import simpy

    env = simpy.Environment()
    store = simpy.FilterStore(env)
    queue = center.queues[0]
    relax_after = queue.overflow[0].after if queue.overflow else math.inf
    max_wait = queue.max_wait if queue.max_wait is not None else math.inf
    wrap = queue.wrap_up or 0.0
    contacts = list(arrivals)
    outcomes = [PENDING] * len(contacts)
    waits = [0.0] * len(contacts)
    state = {"handling": 0.0, "staffed": 0.0, "served_cb": 0}

    class Agent:
        __slots__ = ("busy", "ents", "i", "langs", "on", "pending", "ready_since")

        def __init__(self, i: int, skills: dict[str, int]) -> None:
            self.i = i
            self.langs = {k[5:] for k in skills if k.startswith("lang:")}
            self.ents = {k[7:] for k in skills if k.startswith("entity:")}
            self.on = False
            self.busy = False
            self.pending: str | None = None
            self.ready_since: float | None = None

    agents = [Agent(i, spec.skills) for i, spec in enumerate(center.agents)]

    def stop_staffed(a: Agent) -> None:
        if a.ready_since is not None:  # staffed time up to the horizon, as in fast mode
            state["staffed"] += min(env.now, horizon) - min(a.ready_since, horizon)
            a.ready_since = None

    def release(a: Agent) -> None:
        a.busy = False
        if a.pending == "logout":
            a.pending, a.on = None, False
            stop_staffed(a)
        elif a.pending == "break":
            a.pending = "on_break"
            stop_staffed(a)
        else:
            store.put(a)

    def contact(cid: int):
        a = contacts[cid]
        ent, lang = a[1], a[2]
        since = env.now
        stage = [0]

        def want(ag: Agent) -> bool:
            return lang in ag.langs and (stage[0] or ent in ag.ents)

        req = store.get(want)
        req.since = since
        patience = env.timeout(a[5]) if a[5] < math.inf else None
        overflow = env.timeout(relax_after) if relax_after < math.inf else None
        offer_cb = env.timeout(max_wait) if max_wait < math.inf else None
        callback = False
        while not req.triggered:
            wait_on = [req] + [e for e in (patience, overflow, offer_cb) if e is not None]
            yield env.any_of(wait_on)
            if req.triggered:
                break
            if patience is not None and patience.processed:
                req.cancel()
                outcomes[cid] = ABANDONED
                waits[cid] = env.now - since
                redial = env.now + a[7]
                if redial <= horizon:
                    contacts.append(a._replace(t=redial, redial_after=math.inf))
                    outcomes.append(PENDING)
                    waits.append(0.0)
                    env.process(later(len(contacts) - 1, a[7]))
                return
            if overflow is not None and overflow.processed:
                overflow = None
                stage[0] = 1
                req.cancel()
                req = store.get(want)  # serves it now if a language-only agent is idle
                req.since = since
                if not req.triggered:  # back to its original place among the requests
                    q = store.get_queue
                    q.remove(req)
                    k = len(q)
                    while k and q[k - 1].since > since:
                        k -= 1
                    q.insert(k, req)
            if offer_cb is not None and offer_cb.processed:
                offer_cb = None
                if a[6]:
                    callback = True
                    patience = None
                    outcomes[cid] = CALLBACK
                    waits[cid] = env.now - since
        ag = req.value
        if callback:
            state["served_cb"] += 1
        else:
            outcomes[cid] = ANSWERED
            waits[cid] = env.now - since
        if env.now <= horizon:
            state["handling"] += a[4] + wrap
        ag.busy = True
        yield env.timeout(a[4] + wrap)
        release(ag)

    def later(cid: int, delay: float):
        yield env.timeout(delay)
        yield env.process(contact(cid))

    def source():
        for cid, a in enumerate(arrivals):
            if a[0] > env.now:
                yield env.timeout(a[0] - env.now)
            env.process(contact(cid))

    def shift_events():
        evs = []
        for i, spec in enumerate(center.agents):
            for s, e in spec.shifts:
                evs.append((s, 0, i))
                evs.append((e, 3, i))
            for s, e in spec.breaks:
                evs.append((s, 1, i))
                evs.append((e, 2, i))
        evs.sort()
        for t, kind, i in evs:
            if t > env.now:
                yield env.timeout(t - env.now)
            ag = agents[i]
            if kind == 0:  # login
                if ag.on:
                    continue
                ag.on, ag.pending, ag.ready_since = True, None, env.now
                store.put(ag)
            elif kind == 1:  # break
                if not ag.on or ag.pending == "on_break":
                    continue
                if ag.busy:
                    ag.pending = "break"
                else:
                    if ag in store.items:
                        store.items.remove(ag)
                    ag.pending = "on_break"
                    stop_staffed(ag)
            elif kind == 2:  # ready
                if not ag.on:
                    continue
                if ag.pending == "on_break":
                    ag.pending, ag.ready_since = None, env.now
                    store.put(ag)
                elif ag.pending == "break":
                    ag.pending = None
            else:  # logout
                if not ag.on:
                    continue
                if ag.busy:
                    ag.pending = "logout"
                else:
                    if ag.pending != "on_break":
                        if ag in store.items:
                            store.items.remove(ag)
                        stop_staffed(ag)
                    ag.on, ag.pending = False, None

    env.process(source())
    env.process(shift_events())
    env.run()
    return SimResult(
        contacts=contacts,
        outcomes=outcomes,
        waits=waits,
        agent_of=[None] * len(contacts),
        served_callbacks=state["served_cb"],
        handling_seconds=state["handling"],
        staffed_seconds=state["staffed"],
        events=0,
        engine_counts={},
        warmup=0.0,
        wrap_of={q.name: (q.wrap_up or 0.0) for q in center.queues},
        queue_of=center.queue_of,
    )


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def _runs(fn, n: int):
    """Run ``fn`` ``n`` times: its last result and the (wall, CPU) times of every run."""
    times = []
    for _ in range(n):
        out, wall, cpu = _timed(fn)
        times.append((wall, cpu))
    return out, times


def _fmt(times) -> str:
    best_wall = min(w for w, _ in times)
    best_cpu = min(c for _, c in times)
    runs = "  ".join(f"{w:.2f}/{c:.2f}" for w, c in times)
    return f"{best_wall:6.2f} s wall  {best_cpu:6.2f} s CPU  (best of {len(times)}: {runs})"


def _interpreted_child(args) -> dict:
    """Fast mode timed in a child process that runs the plain ``.py`` modules."""
    cmd = [sys.executable, __file__, interpreted.FLAG, "--days", str(args.days)]
    cmd += ["--agents", str(args.agents), "--scale", str(args.scale), "--seed", str(args.seed)]
    cmd += ["--runs", str(args.runs)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--agents", type=int, default=300)
    parser.add_argument("--scale", type=float, default=1.0, help="x the 109 volume")
    parser.add_argument("--seed", type=int, default=109)
    parser.add_argument("--runs", type=int, default=1, help="time each model this many times")
    parser.add_argument("--skip-simpy", action="store_true")
    parser.add_argument("--skip-interpreted", action="store_true")
    parser.add_argument("--child-interpreted", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    model = TrafficModel.center_109(scale=args.scale)
    arrivals, gen_wall, gen_cpu = _timed(lambda: model.arrivals(args.days, args.seed))
    center = center_109(model, days=args.days, agents=args.agents, seed=args.seed)
    horizon = args.days * 86400.0
    fast, fast_times = _runs(lambda: simulate(center, arrivals, horizon=horizon), args.runs)
    if args.child_interpreted:
        kpis = fast.kpis()
        print(json.dumps({"compiled": interpreted.compiled(), "times": fast_times, "kpis": kpis}))
        return
    fast_wall = min(w for w, _ in fast_times)
    fast_cpu = min(c for _, c in fast_times)
    n_ent = len(model.entities)
    print(
        f"sim_month: {args.days} days of '109' traffic, {len(arrivals):,} contacts "
        f"({sum(1 for a in arrivals if a.channel == 'call'):,} calls), {args.agents} agents, "
        f"{len(model.languages)} languages x {n_ent} entities, seed {args.seed}"
    )
    print(f"  traffic model     {gen_wall:6.2f} s wall  {gen_cpu:6.2f} s CPU  (thinning + draws)")
    build = "compiled" if interpreted.compiled() else "interpreted"
    print(f"  fast ({build[:6]}.)    {_fmt(fast_times)}")
    print(
        f"                    {fast.events:,} engine events, {fast.events / fast_wall:,.0f}/s; "
        f"with traffic: {gen_wall + fast_wall:.2f} s wall"
    )
    print(f"  nothing lost      {fast.engine_counts}  unfinished {fast.unfinished}")
    rows = [(f"fast {build[:6]}.", fast.kpis())]
    if interpreted.compiled() and not args.skip_interpreted:
        child = _interpreted_child(args)
        if child["compiled"]:
            raise SystemExit("sim_month: the interpreted child imported the compiled modules")
        times = child["times"]
        print(
            f"  fast (interp.)    {_fmt(times)}  -> compiled is "
            f"{min(w for w, _ in times) / fast_wall:.1f}x faster (wall), "
            f"{min(c for _, c in times) / fast_cpu:.1f}x (CPU)"
        )
        rows.append(("fast interp.", child["kpis"]))
    if not args.skip_simpy:
        try:
            import simpy
        except ImportError:
            print("  SimPy is not installed (bench-only: pip install simpy==4.1.2); skipped")
        else:
            slow, sp_times = _runs(
                lambda: simpy_model(center, arrivals, horizon=horizon), args.runs
            )
            sp_wall = min(w for w, _ in sp_times)
            sp_cpu = min(c for _, c in sp_times)
            print(
                f"  SimPy {simpy.__version__}       {_fmt(sp_times)}  -> fast ({build}) is "
                f"{sp_wall / fast_wall:.1f}x faster (wall), {sp_cpu / fast_cpu:.1f}x (CPU)"
            )
            rows.append(("SimPy", slow.kpis()))
    print(f"  KPIs ({metrics.KPI_SOURCE}; service level 20 s, abandons counted against)")
    keys = [
        ("offered", "{:,}"),
        ("answered", "{:,}"),
        ("abandoned", "{:,}"),
        ("short_abandoned", "{:,}"),
        ("callbacks", "{:,}"),
        ("answer_rate", "{:.2%}"),
        ("service_level", "{:.2%}"),
        ("asa", "{:.2f} s"),
        ("aht", "{:.1f} s"),
        ("occupancy", "{:.2%}"),
    ]
    print("    " + f"{'':18}" + "".join(f"{name:>16}" for name, _ in rows))
    for key, fmt in keys:
        cells = "".join(f"{('—' if k[key] is None else fmt.format(k[key])):>16}" for _, k in rows)
        print(f"    {key:18}{cells}")


if __name__ == "__main__":
    main()
