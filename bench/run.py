"""Run every benchmark in bench/ one after the other (``make bench``).

    .venv/bin/python bench/run.py            # all of them
    .venv/bin/python bench/run.py cases_api  # only the named ones

Each benchmark is its own script with its own defaults; this runner starts them with the same
Python, prints their output as it comes, and ends non-zero if any of them failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# In this order; a script missing from the folder is skipped. Each runs with its defaults
# (voice_load: 150-300 concurrent calls at 10 new calls a second, about 5 GB of memory at 300).
SCRIPTS = [
    "routing_bench.py",
    "sim_month.py",
    "insights_report.py",
    "cases_api.py",
    "voice_load.py",
    "imap_poll.py",
    "demo_start.py",
    "realtime_layer.py",
    "screen_pop.py",
]


def main(argv: list[str]) -> int:
    wanted = {name.removesuffix(".py") for name in argv}
    failed = []
    for script in SCRIPTS:
        path = BENCH / script
        if not path.exists() or (wanted and path.stem not in wanted):
            continue
        print(f"=== {script}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(path)], cwd=BENCH.parent)
        print(f"=== {script}: exit {code} after {time.monotonic() - started:.0f}s\n", flush=True)
        if code != 0:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
