"""``tawasul simulate``: what-if runs (fast), history back-fill, or a live demo stream.

tawasul simulate --days 30 --agents 300                 # a month of "109" traffic, KPIs
tawasul simulate --days 7 --agents 250 --scale 1.3      # a 30 % surge with fewer agents
tawasul simulate --backfill-days 90 [--scale 0.05]      # history for the reports
tawasul simulate --live [--per-minute 4]                # contacts through the real system
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from tawasul.sim import conf


class Command(BaseCommand):
    help = "Simulate the center: KPIs of a what-if run, history back-fill, or live demo traffic."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=30, help="fast mode: days to simulate")
        parser.add_argument("--agents", type=int, default=None, help="agents on the roster")
        parser.add_argument(
            "--scale", type=float, default=None, help="x the '109' volume (~350,000/month)"
        )
        parser.add_argument("--seed", type=int, default=109)
        parser.add_argument("--threshold", type=int, default=20, help="service level T (s)")
        parser.add_argument("--backfill-days", type=int, default=None)
        parser.add_argument("--live", action="store_true")
        parser.add_argument("--per-minute", type=float, default=None, help="live: contacts/min")
        parser.add_argument("--steps", type=int, default=None, help="live: stop after N steps")

    def handle(self, *args, **opts) -> None:
        if opts["live"]:
            return self._live(opts)
        if opts["backfill_days"] is not None:
            return self._backfill(opts)
        return self._fast(opts)

    def _fast(self, opts) -> None:
        from tawasul.sim import metrics
        from tawasul.sim.centers import center_109
        from tawasul.sim.fast import simulate
        from tawasul.sim.traffic import TrafficModel

        days, scale = opts["days"], opts["scale"] if opts["scale"] is not None else 1.0
        agents = opts["agents"] if opts["agents"] is not None else 300
        if days < 1 or days > 400:
            raise CommandError("--days: between 1 and 400")
        if scale <= 0 or agents < 1:
            raise CommandError("--scale must be > 0 and --agents >= 1")
        started = time.perf_counter()
        model = TrafficModel.center_109(scale=scale)
        arrivals = model.arrivals(days, opts["seed"])
        center = center_109(model, days=days, agents=agents, seed=opts["seed"])
        result = simulate(center, arrivals, horizon=days * 86400.0)
        wall = time.perf_counter() - started
        self.stdout.write(
            f"{days} days, {len(arrivals):,} contacts (x{scale:g} of '109'), {agents} agents, "
            f"{len(model.languages)} languages x {len(model.entities)} entities, seed "
            f"{opts['seed']}: {wall:.1f} s"
        )
        kpis = result.kpis(threshold=opts["threshold"])
        for line in metrics.format_summary(kpis, threshold=opts["threshold"]):
            self.stdout.write("  " + line)
        self.stdout.write(f"  (KPIs by {metrics.KPI_SOURCE})")
        if result.unfinished:
            self.stdout.write(f"  {result.unfinished} contacts never found a skilled agent")

    def _backfill(self, opts) -> None:
        from tawasul.sim.backfill import backfill

        days = opts["backfill_days"]
        if days < 1 or days > 730:
            raise CommandError("--backfill-days: between 1 and 730")
        scale = opts["scale"] if opts["scale"] is not None else conf.demo_scale()
        started = time.perf_counter()
        result = backfill(days=days, scale=scale, agents=opts["agents"], seed=opts["seed"])
        self.stdout.write(f"{result.summary()} ({time.perf_counter() - started:.1f} s)")

    def _live(self, opts) -> None:
        from tawasul.sim.live import LiveSimulator

        per_minute = opts["per_minute"] if opts["per_minute"] is not None else conf.live_rate()
        if per_minute < 0:
            raise CommandError("--per-minute must be >= 0")
        LiveSimulator(per_minute=per_minute).run(steps=opts["steps"])
