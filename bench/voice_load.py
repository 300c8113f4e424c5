"""SIP load on the voice gateway: sipp callers held in the IVR and in queue (no agent logged in,
so every caller hears the prompts, then hold audio), at a new-call rate, for each concurrency
level. Prints failed-call ratio, CPU and memory of the gateway's processes (controller, Kamailio,
media workers), and the largest level with < 0.1 % failed calls.

    .venv/bin/python bench/voice_load.py --levels 20,40,80 --rate 10 --hold 20

Everything runs on 127.0.0.1 with free ports, in a throw-away data directory; the run is bounded
(each level: `calls = level * 2` calls, at most `--hold` seconds each, plus a sipp timeout).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(data: Path) -> None:
    os.environ["TAWASUL_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
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


def proc_stats(pids: list[int]) -> tuple[float, float]:
    """(CPU seconds used, resident MiB) of these processes and their children."""
    cpu, rss = 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    seen: set[int] = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(stat[11]) + int(stat[12])) / ticks
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) / 1024
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return cpu, rss


def run_level(gateway, level: int, rate: float, hold: int, tmp: Path) -> dict:
    from tests.voice.sip import free_rtp_port, free_udp_port

    calls = level * 2
    stats = tmp / f"stats-{level}.csv"
    scenario = tmp / "uac.xml"
    # The caller holds for `hold` seconds (in IVR, then in queue), then hangs up.
    text = (ROOT / "tests/voice/scenarios/caller.xml").read_text()
    steps = f"""  <pause milliseconds="{hold * 1000}"/>
  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Resident" <sip:+97455000000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      [routes]
      CSeq: 3 BYE
      Max-Forwards: 70
      Content-Length: 0
  ]]></send>
  <recv response="200"/>"""
    scenario.write_text(text.replace("STEPS", steps).replace("CALLER", "+97455000000"))
    pids = [os.getpid(), *[p.pid for p in gateway.procs.values()], gateway.front.proc.pid]
    cpu0, _ = proc_stats(pids)
    t0 = time.monotonic()
    peak_rss = 0.0
    sipp = subprocess.Popen(
        [
            "sipp", "-sf", str(scenario), "-s", "109", "-m", str(calls), "-l", str(level),
            "-r", str(rate), "-p", str(free_udp_port()), "-mp", str(free_rtp_port()),
            "-trace_stat", "-stf", str(stats), "-fd", "1", "-nostdin",
            "-timeout", f"{hold * 4 + calls / rate + 60}s", f"127.0.0.1:{gateway.sip_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    while sipp.poll() is None:
        time.sleep(1)
        peak_rss = max(peak_rss, proc_stats(pids)[1])
    elapsed = time.monotonic() - t0
    cpu1, _ = proc_stats(pids)
    header, *rows = stats.read_text().splitlines()
    names = header.split(";")
    last = dict(zip(names, rows[-1].split(";"), strict=False))
    ok = int(last["SuccessfulCall(C)"])
    failed = int(last["FailedCall(C)"])
    return {
        "level": level,
        "calls": ok + failed,
        "failed": failed,
        "failed_pct": 100.0 * failed / max(1, ok + failed),
        "cpu_pct_of_one_core": 100.0 * (cpu1 - cpu0) / elapsed,
        "peak_rss_mib": peak_rss,
        "seconds": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="20,40,80")
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--hold", type=int, default=20)
    parser.add_argument("--slots", type=int, default=2, help="callers per media worker")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    with tempfile.TemporaryDirectory(prefix="tw-voice-bench-") as tmp_name:
        tmp = Path(tmp_name)
        setup(tmp)
        from tawasul.voice.gateway import Gateway
        from tests.voice.sip import free_udp_port

        workers = -(-max(levels) // args.slots) + 2
        gateway = Gateway(
            sip_port=free_udp_port(), workers=workers, slots=args.slots, data_dir=tmp / "voice",
            announce_every=30,
        )  # fmt: skip
        print(f"starting gateway: {workers} media workers x {args.slots} callers …", flush=True)
        gateway.start()
        try:
            best = 0
            print("level  calls  failed  failed%  cpu%(1 core)  peak RSS MiB  seconds")
            for level in levels:
                r = run_level(gateway, level, args.rate, args.hold, tmp)
                print(
                    f"{r['level']:5d}  {r['calls']:5d}  {r['failed']:6d}  {r['failed_pct']:7.2f}"
                    f"  {r['cpu_pct_of_one_core']:12.0f}  {r['peak_rss_mib']:12.0f}"
                    f"  {r['seconds']:7.0f}",
                    flush=True,
                )
                if r["failed_pct"] < 0.1:
                    best = level
            print(f"largest concurrency with < 0.1 % failed calls: {best}")
        finally:
            gateway.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
