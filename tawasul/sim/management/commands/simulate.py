"""``tawasul simulate``: what-if runs (fast), history back-fill, or a live demo stream.

tawasul simulate --days 30 --agents 300                 # a month of "109" traffic, KPIs
tawasul simulate --days 7 --agents 250 --scale 1.3      # a 30 % surge with fewer agents
tawasul simulate --backfill-days 90 [--scale 0.05]      # history for the reports
tawasul simulate --live [--per-minute 4]                # contacts through the real system
    [--sip 127.0.0.1:5070] [--smtp 127.0.0.1:2525] [--web-url http://127.0.0.1:8000]
    [--services-only]                                   # no SIP, SMTP, Kannel or HTTP
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
        parser.add_argument(
            "--sip", default=None, help="live: the voice gateway's SIP front, host:port "
            "(default 127.0.0.1:$TAWASUL_VOICE_SIP_PORT, else 5070)",
        )  # fmt: skip
        parser.add_argument(
            "--smtp", default=None, help="live: the inbound SMTP listener, host:port "
            "(default 127.0.0.1:$TAWASUL_SMTPD_PORT)",
        )  # fmt: skip
        parser.add_argument(
            "--web-url", default=None, help="live: the web server for the portal and app API "
            "(default $TAWASUL_PUBLIC_URL, else http://127.0.0.1:$PORT)",
        )  # fmt: skip
        parser.add_argument(
            "--services-only", action="store_true",
            help="live: record every contact through the services (no SIP, SMTP, SMS, HTTP)",
        )  # fmt: skip
        parser.add_argument(
            "--wait-for-gateway", type=float, default=60.0,
            help="live: seconds to wait at start for the gateway to answer",
        )  # fmt: skip

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
        import os
        import signal

        from tawasul.omnichannel import conf as channel_conf
        from tawasul.sim.live import LiveSimulator

        per_minute = opts["per_minute"] if opts["per_minute"] is not None else conf.live_rate()
        if per_minute < 0:
            raise CommandError("--per-minute must be >= 0")
        entry_points = {}
        if not opts["services_only"]:
            sip_port = os.environ.get("TAWASUL_VOICE_SIP_PORT") or "5070"
            web = os.environ.get("TAWASUL_PUBLIC_URL") or (
                f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"
            )
            smtp = f"127.0.0.1:{channel_conf.get('TAWASUL_SMTPD_PORT')}"
            entry_points = {
                "gateway": _host_port(opts["sip"] or f"127.0.0.1:{sip_port}", "--sip"),
                "smtp": _host_port(opts["smtp"] or smtp, "--smtp"),
                "web_url": (opts["web_url"] or web).rstrip("/"),
                "kannel": True,
            }
        # `tawasul run` stops its children with SIGTERM: unwind, so the SIP peers stop too.
        signal.signal(signal.SIGTERM, _exit)
        LiveSimulator(per_minute=per_minute, **entry_points).run(
            steps=opts["steps"], wait_for_gateway=opts["wait_for_gateway"]
        )


def _exit(*_args) -> None:
    raise SystemExit(0)


def _host_port(value: str, option: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"{option}: expected host:port, got {value!r}")
    return host, int(port)
