"""SIP load on the voice gateway: sipp callers held in the IVR and in queue (no agent logged in,
so every caller hears the welcome prompt, then the hold prompt and hold audio), at a new-call
rate, for each concurrency level. Prints the failed-call ratio, the CPU of each process group
(controller, Kamailio, media workers, sipp) as % of one core and CPU-seconds per call, the peak
resident memory, and the largest level with < 0.1 % failed calls.

    .venv/bin/python bench/voice_load.py --levels 150,200,250,300 --rate 10
    .venv/bin/python bench/voice_load.py --levels 300 --rate 10 --database postgres

A call counts as *failed* unless all of these hold: sipp got the gateway's 200 OK, held the
call for the hold time without the gateway hanging up or answering anything but 200 (a 486
from a full gateway is a failure, not a "busy" success), and the controller wrote the call's
Interaction with the queue reached, the IVR path and the end time. Each level holds its
callers for ``level / rate`` seconds (at least ``--hold``), so that the level is really reached
at the rate; the peak of sipp's own concurrent-call counter is printed next to it.

Everything runs on 127.0.0.1 with free ports, in a throw-away data directory (and, with
``--database postgres``, a throw-away PostgreSQL database that is dropped afterwards).
"""

from __future__ import annotations

import argparse
import collections
import logging
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = "postgres://root@127.0.0.1:5432"
FIRST_NUMBER = 55_000_000  # callers +974 5500 0000, +974 5500 0001, … (Qatar mobile numbers)

SCENARIO = """<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- A resident calls, must be answered (200; 486/404/503 fail the call), stays HOLD ms
     (IVR, then queue on hold audio) without the gateway hanging up, then hangs up. -->
<scenario name="tawasul load caller">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Resident" <sip:+974[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:+974[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
  ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true"/>
  <send><![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Resident" <sip:+974[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      [routes]
      Max-Forwards: 70
      Content-Length: 0
  ]]></send>
VOICE
  <pause milliseconds="HOLD"/>
  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Resident" <sip:+974[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      [routes]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
  ]]></send>
  <recv response="200"/>
</scenario>
"""


# --------------------------------------------------------------------------------------------
# Set-up: a data directory, a database, one hotline whose flow is welcome → queue.


def setup(data: Path, database: str) -> str | None:
    """Point Django at a fresh database; returns the PostgreSQL database name to drop, if any."""
    os.environ["TAWASUL_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    pg_name = None
    if database == "postgres":
        pg_name = f"tw_voicecap_bench_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "root", pg_name], check=True)
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
        # The controller's threads share one pool; the writer and the router hold one each.
        os.environ.setdefault("DB_POOL_MAX", "16")
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tawasul.directory.models import BusinessCalendar, Hotline, Language
    from tawasul.voice import services

    en, _ = Language.objects.get_or_create(
        code="en", defaults={"name_en": "English", "name_ar": "الإنجليزية", "native_name": "En"}
    )
    always, _ = BusinessCalendar.objects.get_or_create(
        code="24x7", defaults={"name_en": "24/7", "name_ar": "24/7", "is_24x7": True}
    )
    hotline, _ = Hotline.objects.get_or_create(
        number="109", defaults={"name_en": "109", "name_ar": "109", "calendar": always}
    )
    hotline.languages.set([en])
    services.ivr_flow_save(
        hotline=hotline,
        definition={
            "start": "welcome",
            "closed": "bye",
            "nodes": {
                "welcome": {"type": "play", "say": {"en": "Welcome to 109."}, "next": "agent"},
                "agent": {"type": "queue", "queue": "general"},
                "bye": {"type": "hangup"},
            },
        },
    )
    return pg_name


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "root", "--if-exists", "--force", name], check=False
    )


# --------------------------------------------------------------------------------------------
# Measuring processes


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo.extend(
                    int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()
                )
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def _cpu_rss(pid: int) -> tuple[float, float]:
    """(CPU seconds, resident MiB) of one process (all its threads)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(stat[11]) + int(stat[12])) / ticks, rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class Groups:
    """Process ids of each group, found again at every sample (workers restart, sipp comes)."""

    gateway: object
    sipp_pid: int | None = None
    cpu_dead: dict[str, float] = field(default_factory=lambda: collections.defaultdict(float))

    def pids(self) -> dict[str, list[int]]:
        front = self.gateway.front.proc.pid
        return {
            "controller": [os.getpid()],
            "kamailio": _tree(front),
            "workers": [p.pid for p in self.gateway.procs.values()],
            "sipp": [self.sipp_pid] if self.sipp_pid else [],
        }

    def sample(self) -> dict[str, tuple[float, float]]:
        return {
            name: tuple(map(sum, zip(*[_cpu_rss(p) for p in pids], strict=False)))
            if pids
            else (0.0, 0.0)
            for name, pids in self.pids().items()
        }


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine: how loaded the cores were, others included."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class QueryCount:
    """SQL statements the controller ran, writes and reads, counted on every connection."""

    def __init__(self) -> None:
        self.writes = 0
        self.reads = 0
        self.lock = threading.Lock()
        self.by_table: collections.Counter[str] = collections.Counter()

    def install(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(self._wrap, weak=False)

    def _wrap(self, sender, connection, **kwargs) -> None:
        # The signal comes at every (re)connection of a thread's wrapper object; count once.
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip()[:6].upper()
        with self.lock:
            if verb in ("INSERT", "UPDATE", "DELETE"):
                self.writes += 1
                table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)', sql)
                self.by_table[f"{verb} {table.group(1) if table else '?'}"] += 1
            elif verb == "SELECT":
                self.reads += 1
        return execute(sql, params, many, context)

    def take(self) -> tuple[int, int]:
        with self.lock:
            counts = (self.writes, self.reads)
            self.writes = self.reads = 0
            self.last_tables = self.by_table.most_common()
            self.by_table = collections.Counter()
        return counts


QUERIES = QueryCount()


class ErrorCount(logging.Handler):
    """Counts the controller's warnings and errors by message, per level."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        self.counts[text[:160]] += 1


# --------------------------------------------------------------------------------------------
# One level


def check_interactions(since: datetime) -> tuple[int, int]:
    """(calls written completely, calls offered) since ``since`` in the controller's database."""
    from tawasul.interactions.models import Channel, Interaction

    rows = Interaction.objects.filter(channel=Channel.CALL, offered_at__gte=since)
    offered = rows.count()
    complete = (
        rows.exclude(queue="")
        .exclude(ended_at=None)
        .filter(outcome="abandoned", resident__isnull=False)
        .count()
    )
    return complete, offered


def run_level(
    gateway, level: int, rate: float, hold: int, tmp: Path, errors: ErrorCount, *, voice: bool
) -> dict:
    from django.db import connection
    from django.utils import timezone

    from tests.voice.sip import free_rtp_port, free_udp_port

    calls = level * 2
    hold = max(hold, math.ceil(level / rate))
    stats = tmp / f"stats-{level}.csv"
    sipp_errors = tmp / f"errors-{level}.log"
    scenario = tmp / f"uac-{level}.xml"
    # With --voice every caller also talks: a looped u-law tone, 50 RTP packets a second, as a
    # real phone sends (without it the callers are silent and the workers only send).
    speech = ""
    if voice:
        from tests.voice.sip import tone

        wav = tone(tmp / "voice.wav", 440)
        speech = f'  <nop><action><exec rtp_stream="{wav},-1,0"/></action></nop>'
    scenario.write_text(SCENARIO.replace("HOLD", str(hold * 1000)).replace("VOICE", speech))
    numbers = tmp / f"callers-{level}.csv"
    numbers.write_text(
        "SEQUENTIAL\n" + "".join(f"{FIRST_NUMBER + i}\n" for i in range(calls)), encoding="ascii"
    )
    groups = Groups(gateway)
    errors.counts.clear()
    QUERIES.take()
    since = timezone.now()
    before = groups.sample()
    busy0, total0 = machine_busy()
    t0 = time.monotonic()
    peak: dict[str, float] = collections.defaultdict(float)
    peak_total = 0.0
    sipp = subprocess.Popen(
        [
            "sipp", "-sf", str(scenario), "-inf", str(numbers), "-s", "109",
            "-m", str(calls), "-l", str(level), "-r", str(rate),
            "-p", str(free_udp_port()), "-mp", str(free_rtp_port()),
            "-trace_stat", "-stf", str(stats), "-fd", "1", "-nostdin",
            "-trace_err", "-error_file", str(sipp_errors),
            "-timeout", f"{hold * 3 + calls / rate + 60}s", "-timeout_error",
            "-max_recv_loops", "1000", f"127.0.0.1:{gateway.sip_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    groups.sipp_pid = sipp.pid
    last = before
    while sipp.poll() is None:
        time.sleep(1)
        now = groups.sample()
        for name, (_cpu, rss) in now.items():
            peak[name] = max(peak[name], rss)
        peak_total = max(peak_total, sum(rss for name, (_c, rss) in now.items() if name != "sipp"))
        last = now
    elapsed = time.monotonic() - t0
    busy1, total1 = machine_busy()
    after = groups.sample()
    after["sipp"] = last["sipp"]  # sipp has exited; its last sample is what it used
    header, *rows = stats.read_text().splitlines()
    names = header.split(";")
    records = [dict(zip(names, r.split(";"), strict=False)) for r in rows]
    final = records[-1]
    ok = int(final["SuccessfulCall(C)"])
    sipp_failed = int(final["FailedCall(C)"])
    peak_calls = max(int(r["CurrentCall"]) for r in records)
    # New calls per second while sipp was still starting calls (it starts none beyond the
    # level, so a level that is reached shows a rate a little under the target).
    started = next((r for r in records if int(r["TotalCallCreated"]) >= calls), records[-1])
    try:
        rate_seen = int(started["TotalCallCreated"]) / max(1.0, _seconds(started["ElapsedTime(C)"]))
    except (KeyError, ValueError):
        rate_seen = float("nan")
    # The controller writes the end of a call just after the BYE: give it a moment.
    time.sleep(3)
    writes, reads = QUERIES.take()
    complete, offered = check_interactions(since)
    connection.close()
    failed = max(sipp_failed, calls - complete)
    cpu = {name: after[name][0] - before[name][0] for name in after}
    return {
        "level": level,
        "workers": len(gateway.procs),
        "calls": calls,
        "sipp_ok": ok,
        "sipp_failed": sipp_failed,
        "written": complete,
        "offered": offered,
        "failed": failed,
        "failed_pct": 100.0 * failed / calls,
        "peak_calls": peak_calls,
        "rate_seen": rate_seen,
        "hold": hold,
        "seconds": elapsed,
        "cpu": cpu,
        "machine_pct": 100.0 * (busy1 - busy0) / max(1, total1 - total0) * os.cpu_count(),
        "rss": dict(peak),
        "rss_gateway": peak_total,
        "errors": errors.counts.most_common(4) + sipp_reasons(sipp_errors),
        "writes_per_call": writes / calls,
        "reads_per_call": reads / calls,
    }


def _seconds(elapsed: str) -> float:
    """sipp's ``HH:MM:SS:micro`` (or ``HH:MM:SS.micro``) as seconds."""
    parts = re.split(r"[:.]", elapsed.strip())
    h, m, sec = (int(x) for x in parts[:3])
    micro = int(parts[3]) if len(parts) > 3 else 0
    return h * 3600 + m * 60 + sec + micro / 1e6


def sipp_reasons(path: Path) -> list[tuple[str, int]]:
    """The commonest reasons sipp gave for failed calls (numbers and ids stripped)."""
    if not path.exists():
        return []
    counts: collections.Counter[str] = collections.Counter()
    for line in path.read_text(errors="replace").splitlines():
        if "sipp" in line.lower() and ("abort" in line.lower() or "unexpected" in line.lower()):
            counts["sipp: " + re.sub(r"[0-9]+", "#", line.split(":", 3)[-1])[:150]] += 1
        elif line.startswith(("SIP/2.0", "BYE ", "CANCEL ")):
            counts["sipp got: " + line[:60]] += 1
    return counts.most_common(4)


def report(r: dict) -> str:
    gw_cpu = sum(v for k, v in r["cpu"].items() if k != "sipp")
    per = {k: 100.0 * v / r["seconds"] for k, v in r["cpu"].items()}
    lines = [
        f"{r['level']:5d} {r['workers']:4d} {r['peak_calls']:5d} {r['calls']:5d}"
        f" {r['failed']:5d} {r['failed_pct']:6.2f}%"
        f" {100.0 * gw_cpu / r['seconds']:6.0f}% {1000.0 * gw_cpu / r['calls']:7.0f}"
        f"   ctl {per['controller']:3.0f}% kam {per['kamailio']:3.0f}%"
        f" wrk {per['workers']:3.0f}% sipp {per['sipp']:3.0f}% machine {r['machine_pct']:3.0f}%"
        f"  {r['rss_gateway']:6.0f} MiB (ctl {r['rss']['controller']:.0f},"
        f" wrk {r['rss']['workers']:.0f}) {r['seconds']:4.0f}s",
        f"      sipp ok {r['sipp_ok']} failed {r['sipp_failed']}; interactions offered"
        f" {r['offered']}, complete {r['written']}; hold {r['hold']} s;"
        f" {r['rate_seen']:.1f} new calls/s; SQL per call:"
        f" {r['writes_per_call']:.1f} writes, {r['reads_per_call']:.1f} reads",
    ]
    lines.extend(f"      log x{n}: {text}" for text, n in r["errors"])
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="150,200,250,300")
    parser.add_argument("--rate", type=float, default=10, help="new calls per second")
    parser.add_argument("--hold", type=int, default=15, help="least seconds each caller holds")
    parser.add_argument("--slots", type=int, default=None, help="callers per media worker")
    parser.add_argument("--workers", type=int, default=None, help="default: enough for the top")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=1, help="runs of every level")
    parser.add_argument("--sql", action="store_true", help="writes per call, by table")
    parser.add_argument("--voice", action="store_true", help="callers send audio (RTP)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")] * args.repeat
    with tempfile.TemporaryDirectory(prefix="tw-voice-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pg_name = setup(tmp, args.database)
        try:
            return bench(args, levels, tmp)
        finally:
            if pg_name:
                drop_database(pg_name)


def print_idle(gateway, workers: int) -> None:
    """CPU and memory of the gateway's process groups over 10 s without calls."""
    groups = Groups(gateway)
    idle0 = groups.sample()
    time.sleep(10)
    idle1 = groups.sample()
    idle = {k: 100.0 * (idle1[k][0] - idle0[k][0]) / 10 for k in idle1}
    print(
        f"idle: controller {idle['controller']:.1f} %, kamailio {idle['kamailio']:.1f} %,"
        f" workers {idle['workers']:.1f} % ({idle['workers'] / workers:.2f} % each),"
        f" RSS {sum(v[1] for v in idle1.values()):.0f} MiB",
        flush=True,
    )


def bench(args: argparse.Namespace, levels: list[int], tmp: Path) -> int:
    from tawasul.voice import conf
    from tawasul.voice.gateway import Gateway
    from tests.voice.sip import free_udp_port

    slots = args.slots or conf.WORKER_SLOTS
    # Callers per worker, plus spares so that the dispatcher's round robin finds room.
    workers = args.workers or -(-max(levels) // slots) + 4
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    QUERIES.install()
    gateway = Gateway(
        sip_port=free_udp_port(), workers=workers, slots=slots, data_dir=tmp / "voice",
        announce_every=30,
    )  # fmt: skip
    print(
        f"{args.database}: {workers} media workers x {slots} callers, {args.rate}/s new calls"
        f"{', callers talking' if args.voice else ', silent callers'}",
        flush=True,
    )
    t0 = time.monotonic()
    gateway.start()
    print(f"gateway ready in {time.monotonic() - t0:.0f} s; idle 10 s …", flush=True)
    print_idle(gateway, workers)
    try:
        worst: dict[int, float] = {}
        print(
            "level wrk  peak calls fail  fail%   gwCPU  ms/call  (CPU % of one core over the"
            " level; ms/call = gateway CPU-ms per call)"
        )
        for level in levels:
            r = run_level(gateway, level, args.rate, args.hold, tmp, errors, voice=args.voice)
            print(report(r), flush=True)
            if args.sql:
                for what, n in QUERIES.last_tables:
                    print(f"      {n / r['calls']:5.2f} x {what}")
            worst[level] = max(worst.get(level, 0.0), r["failed_pct"])
        # A level counts only if every run of it stayed under 0.1 % failed calls.
        best = max((level for level, pct in worst.items() if pct < 0.1), default=0)
        print(f"largest concurrency with < 0.1 % failed calls in every run: {best}")
        print("after the levels (a leak in a worker would show here):", end=" ")
        print_idle(gateway, workers)
    finally:
        gateway.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
