"""How long an event takes from one process to another, on the embedded default's layer.

    .venv/bin/python bench/realtime_layer.py [--events 500]

Measures the private Redis layer that `tawasul run` starts (``tawasul.core.realtime_layer``):
a publisher process sends events through Channels' ``group_send`` with its send time, this
process receives them on a group and records the delay; plus the server's memory (PSS).
The peer in the same run is what a database-backed layer on SQLite would be: the publisher
inserts a row per event into a WAL table, the receiver polls it every 50 ms (SQLite has no
LISTEN/NOTIFY, so a database layer must poll; each event is also a write on the one writer).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PUBLISHER = """
import asyncio, os, sys, time
import django
django.setup()
from channels.layers import get_channel_layer
async def main(n):
    layer = get_channel_layer()
    await asyncio.sleep(0.5)
    for i in range(n):
        await layer.group_send("bench", {"type": "tawasul.event", "sent": time.time()})
        await asyncio.sleep(0.005)
asyncio.run(main(int(sys.argv[1])))
"""

DB_PUBLISHER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[2], isolation_level=None)
time.sleep(0.5)
for i in range(int(sys.argv[1])):
    db.execute("INSERT INTO events (sent) VALUES (?)", (time.time(),))
    time.sleep(0.005)
"""


def pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def summary(name: str, delays: list[float], sent: int) -> None:
    ms = sorted(d * 1000 for d in delays)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"{name:<28} received {len(ms)}/{sent}  p50 {statistics.median(ms):6.2f} ms  "
          f"p95 {p95:6.2f} ms  max {ms[-1]:6.2f} ms")  # fmt: skip


async def redis_delays(url: str, events: int) -> list[float]:
    os.environ["REDIS_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    import django

    django.setup()
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("bench", channel)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    publisher = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(events)], env=env)
    delays = []
    try:
        while len(delays) < events:
            message = await asyncio.wait_for(layer.receive(channel), 30)
            delays.append(time.time() - message["sent"])
    finally:
        publisher.wait()
    return delays


def db_delays(path: Path, events: int, poll: float = 0.05) -> list[float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sent REAL)")
    publisher = subprocess.Popen([sys.executable, "-c", DB_PUBLISHER, str(events), str(path)])
    delays, last = [], 0
    while len(delays) < events:
        for row_id, sent in db.execute("SELECT id, sent FROM events WHERE id > ?", (last,)):
            delays.append(time.time() - sent)
            last = row_id
        time.sleep(poll)
    publisher.wait()
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    from tawasul.core.realtime_layer import private_layer_start, private_layer_stop

    with tempfile.TemporaryDirectory(prefix="tw-rt-") as tmp:
        os.environ["TAWASUL_DATA_DIR"] = tmp
        server, url = private_layer_start(Path(tmp), output=subprocess.DEVNULL)
        try:
            delays = asyncio.run(redis_delays(url, args.events))
            memory = pss_kib(server.pid)
        finally:
            private_layer_stop(server)
        summary("private Redis (Unix socket)", delays, args.events)
        print(f"{'':<28} redis-server PSS {memory / 1024:.1f} MiB")
        summary("SQLite table, 50 ms poll", db_delays(Path(tmp) / "events.db", args.events),
                args.events)  # fmt: skip


if __name__ == "__main__":
    main()
