"""From `tawasul demo` on an empty data dir to a living wallboard, phase by phase.

    flock /tmp/tawasul-demo.lock .venv/bin/python bench/demo_start.py [--port 8031]

Runs what `make demo` runs (on an installed venv) with a fresh ``TAWASUL_DATA_DIR`` and the
given web port (the demo's other ports are fixed: hold the demo lock), stamps every line of
its output, signs in as the demo supervisor (password, then the TOTP code printed by
``tawasul totp``) and reads /insights/wallboard/ every second until it shows today's numbers
and then a change; waits for the history writer's summary line; stops the demo. Prints the
seconds since start of each phase and the load average (the machine is shared: compare runs
with a similar load, and see the CPU-bound phases in the history summary).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TAWASUL = str(ROOT / ".venv" / "bin" / "tawasul")
SUPERVISOR = "sup.hamad"
PASSWORD = "tawasul-demo"
MARKS = {
    "seed": re.compile(r"^Tawasul demo center"),
    "history": re.compile(r"\[history\] .*simulated interactions"),
}


class Output:
    """The demo's output lines with the second each arrived, and when each mark was seen."""

    def __init__(self, stream, t0: float, log: Path) -> None:
        self.t0, self.marks, self.lines = t0, {}, []
        self._log = log.open("w")
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in iter(stream.readline, ""):
            at = time.monotonic() - self.t0
            self._log.write(f"[{at:6.1f}] {line}")
            self._log.flush()
            self.lines.append(line.rstrip())
            for name, pattern in MARKS.items():
                if name not in self.marks and pattern.search(line):
                    self.marks[name] = (at, line.strip())


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def sign_in(client: httpx.Client, env: dict) -> None:
    client.post("/desk/login/", data={
        "csrfmiddlewaretoken": _csrf(client.get("/desk/login/").text),
        "username": SUPERVISOR, "password": PASSWORD, "next": "",
    })  # fmt: skip
    code = subprocess.run(
        [TAWASUL, "totp", SUPERVISOR], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[0]
    verify = client.get("/desk/login/verify/")
    done = client.post(
        "/desk/login/verify/", data={"csrfmiddlewaretoken": _csrf(verify.text), "code": code}
    )
    if done.status_code not in (302, 303):
        raise RuntimeError(f"sign-in refused ({done.status_code})")


def wallboard(client: httpx.Client) -> dict | None:
    page = client.get("/insights/wallboard/")
    found = re.search(r'<script id="wb-initial" type="application/json">(.*?)</script>',
                      page.text, re.S)  # fmt: skip
    return json.loads(found.group(1)) if page.status_code == 200 and found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--timeout", type=float, default=300, help="seconds before giving up")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="tw-bench-demo-")
    env = {**os.environ, "TAWASUL_DATA_DIR": data, "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)  # the embedded default, as `make demo`
    load_before = os.getloadavg()
    t0 = time.monotonic()
    demo = subprocess.Popen(
        [TAWASUL, "demo", "--port", str(args.port)], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    out = Output(demo.stdout, t0, Path(data) / "demo.log")
    seen: dict[str, tuple[float, str]] = {}
    client = httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=30)
    first = None
    try:
        while time.monotonic() - t0 < args.timeout and "changed" not in seen:
            time.sleep(0.5 if "web" not in seen else 1.0)
            if demo.poll() is not None:
                raise RuntimeError("the demo stopped:\n" + "\n".join(out.lines[-30:]))
            try:
                if "web" not in seen:
                    if client.get("/healthz").status_code == 200:
                        seen["web"] = (time.monotonic() - t0, "")
                        sign_in(client, env)
                    continue
                board = wallboard(client)
            except httpx.HTTPError:
                continue
            if board is None:
                continue
            numbers = (board["offered"], board["answered"], board["waiting"])
            if first is None and board["answered"]:
                first = numbers
                seen["numbers"] = (time.monotonic() - t0, f"offered, answered, waiting {numbers}")
            elif first is not None and numbers != first:
                seen["changed"] = (time.monotonic() - t0, f"{first} -> {numbers}")
        while "history" not in out.marks and time.monotonic() - t0 < args.timeout:
            time.sleep(1)
    finally:
        load_after = os.getloadavg()
        demo.send_signal(signal.SIGINT)  # `tawasul run` stops its processes on Ctrl-C
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
    rows = [
        ("seed done, logins printed", out.marks.get("seed")),
        ("web answers /healthz", seen.get("web")),
        ("wallboard shows today's numbers", seen.get("numbers")),
        ("wallboard changed (live contacts)", seen.get("changed")),
        ("history written (newest day first)", out.marks.get("history")),
    ]
    print(
        f"tawasul demo on an empty data dir ({data}), load average {load_before[0]:.1f} at "
        f"start, {load_after[0]:.1f} at end, {os.cpu_count()} CPUs"
    )
    for label, mark in rows:
        at = f"{mark[0]:6.1f} s" if mark else "   not seen"
        print(f"  {label:<38} {at}  {mark[1] if mark else ''}")
    print(f"  seed: {next((line for line in out.lines if line.startswith('sim:')), '')}")
    return 0 if seen.get("changed") else 1


if __name__ == "__main__":
    sys.exit(main())
