"""Case creation through the HTTP API under concurrent clients, on SQLite and on PostgreSQL,
with django-helpdesk's ticket-creation API under the same load as a peer.

    .venv/bin/python bench/cases_api.py                      # 20 s per target, 32 clients
    .venv/bin/python bench/cases_api.py --seconds 30 --concurrency 64
    .venv/bin/python bench/cases_api.py --skip-helpdesk --targets postgres

For each database this creates a fresh data directory (SQLite) or a throwaway database
``tawasul_bench_<pid>`` (PostgreSQL), migrates it, loads the demo directory, creates an agent
with an API token, starts uvicorn with N workers exactly as ``tawasul run`` does, waits for
``/healthz`` and then drives ``POST /api/cases`` from C keep-alive clients in a separate
load-generator process: a warm-up, then the measured window. Afterwards it checks that the
database holds exactly one case per 201 response. django-helpdesk is installed from PyPI into a
throwaway virtualenv under the temporary folder (never a project dependency), served by the
same uvicorn with the same worker count, and driven with the same load on ``POST
/api/tickets/``.

Prints a table and writes ``bench/results/cases_api-<date>.json``. Target on the 2-core
reference machine: 1,000 cases/s on PostgreSQL with p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://root@127.0.0.1:5432/postgres")
CLK_TCK = os.sysconf("SC_CLK_TCK")
HELPDESK_PINS = ["django-helpdesk", "uvicorn[standard]==0.54.0", "psycopg[binary]==3.3.9"]

SUBJECTS = [
    ("complaint", "تأخر موعد المراجعة", "تم تأجيل موعدي في المركز الصحي ثلاث مرات دون إشعار"),
    ("inquiry", "استفسار عن تجديد البطاقة الصحية", "ما هي المستندات المطلوبة لتجديد البطاقة؟"),
    ("report", "تسرب مياه في الشارع", "يوجد تسرب مياه مستمر أمام المنزل منذ يومين"),
    ("suggestion", "اقتراح لتحسين الخدمة", "أقترح إضافة خدمة حجز المواعيد عبر الرسائل النصية"),
    ("complaint", "عدم الرد على الاتصال", "اتصلت بالقسم عدة مرات ولم يرد أحد على مكالمتي"),
    ("inquiry", "رسوم إصدار الشهادة", "كم تبلغ رسوم إصدار شهادة الميلاد بدل فاقد؟"),
    ("report", "إنارة الشارع معطلة", "أعمدة الإنارة في الحي معطلة منذ أسبوع"),
    ("complaint", "تأخر صرف الدواء", "لم يتم صرف الدواء الموصوف لي من الصيدلية"),
]
NAMES = ["مريم الكواري", "أحمد المهندي", "فاطمة النعيمي", "خالد العطية", "نورة السليطي", ""]
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]


# --- small helpers ------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(argv: list[str], *, env: dict | None = None, cwd: Path = ROOT, timeout: int = 600) -> str:
    proc = subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv[:4])}… failed ({proc.returncode}):\n{proc.stdout[-2000:]}"
            f"\n{proc.stderr[-4000:]}"
        )
    return proc.stdout


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


# --- CPU accounting from /proc --------------------------------------------------------------


def _proc_stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, command, CPU seconds) of a live process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # utime + stime + cutime + cstime: a parent that reaped short-lived children (the
    # postmaster and its per-connection backends) carries their CPU time.
    return int(fields[1]), comm, sum(int(v) for v in fields[11:15]) / CLK_TCK


def _all_procs() -> dict[int, tuple[int, str, float]]:
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _proc_stat(int(entry))) is not None:
            procs[int(entry)] = info
    return procs


def cpu_snapshot(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server's process tree, by PostgreSQL, and by the machine."""
    procs = _all_procs()
    tree, frontier = {server_pid}, [server_pid]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _comm, _cpu) in procs.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    with open("/proc/stat") as fh:
        cpu_line = fh.readline().split()[1:]
    # user nice system idle iowait irq softirq steal: busy excludes idle, iowait and steal.
    ticks = [int(v) for v in cpu_line[:8]]
    return {
        "server": sum(procs[pid][2] for pid in tree if pid in procs),
        "postgres": sum(cpu for _pp, comm, cpu in procs.values() if comm.startswith("postgres")),
        "machine_busy": (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / CLK_TCK,
        "steal": ticks[7] / CLK_TCK,
        "time": time.monotonic(),
    }


def cpu_delta(before: dict, after: dict) -> dict[str, float]:
    wall = after["time"] - before["time"]
    return {
        key: round(100 * (after[key] - before[key]) / wall, 1)
        for key in ("server", "postgres", "machine_busy", "steal")
    }


# --- load generator (runs in its own process) -----------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    keep_alive = b"connection: close" not in lower
    start = lower.find(b"content-length:")
    if start >= 0:
        end = lower.index(b"\r\n", start)
        body = await reader.readexactly(int(lower[start + 15 : end]))
    elif b"transfer-encoding: chunked" in lower:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            parts.append(chunk[:-2])
        body = b"".join(parts)
    else:
        body = await reader.read()
        keep_alive = False
    return status, body, keep_alive


async def _client(cfg: dict, index: int, clock: dict, out: dict) -> None:
    rng = random.Random(cfg["seed"] * 1000 + index)
    host, port = "127.0.0.1", cfg["port"]
    head = (
        f"POST {cfg['path']} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: {cfg['auth']}\r\nContent-Type: application/json\r\n"
        "Accept: application/json\r\n"
    ).encode()
    bodies, pool = cfg["bodies"], cfg["pool"]
    reader = writer = None
    seq = 0
    while time.perf_counter() < clock["end"]:
        if writer is None:
            reader, writer = await asyncio.open_connection(host, port)
        seq += 1
        template = bodies[rng.randrange(len(bodies))]
        body = template.replace("__CONTACT__", pool[rng.randrange(len(pool))]).encode()
        request = b"%sIdempotency-Key: %s-%d-%d\r\nContent-Length: %d\r\n\r\n%s" % (
            head,
            cfg["run_id"].encode(),
            index,
            seq,
            len(body),
            body,
        )
        started = time.perf_counter()
        try:
            writer.write(request)
            status, payload, keep_alive = await asyncio.wait_for(_read_response(reader), 60)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            status, payload, keep_alive = 0, repr(exc).encode(), False
        finished = time.perf_counter()
        out["sent"] += 1
        if status == cfg["ok_status"]:
            out["ok_total"] += 1
        if clock["start"] <= finished <= clock["end"]:
            if status == cfg["ok_status"]:
                out["latencies"].append(finished - started)
            else:
                out["errors"] += 1
                out["error_statuses"][str(status)] = out["error_statuses"].get(str(status), 0) + 1
        if status != cfg["ok_status"] and len(out["error_samples"]) < 5:
            out["error_samples"].append(f"{status}: {payload[:300].decode(errors='replace')}")
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _loadgen_main(cfg: dict) -> dict:
    out = {
        "latencies": [],
        "errors": 0,
        "error_statuses": {},
        "error_samples": [],
        "sent": 0,
        "ok_total": 0,
    }
    now = time.perf_counter()
    clock = {"start": now + cfg["warmup"], "end": now + cfg["warmup"] + cfg["seconds"]}
    cpu_marks = {}

    async def mark() -> None:
        await asyncio.sleep(max(0.0, clock["start"] - time.perf_counter()))
        cpu_marks["start"] = (time.process_time(), time.perf_counter())
        await asyncio.sleep(max(0.0, clock["end"] - time.perf_counter()))
        cpu_marks["end"] = (time.process_time(), time.perf_counter())

    marker = asyncio.create_task(mark())
    await asyncio.gather(*(_client(cfg, i, clock, out) for i in range(cfg["concurrency"])))
    await marker
    (cpu0, wall0), (cpu1, wall1) = cpu_marks["start"], cpu_marks["end"]
    out["window_s"] = wall1 - wall0
    out["loadgen_cpu_pct"] = round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1)
    return out


def loadgen(config_path: str) -> None:
    cfg = json.loads(Path(config_path).read_text())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    out = asyncio.run(_loadgen_main(cfg))
    Path(cfg["result_path"]).write_text(json.dumps(out))


def drive(*, port: int, path: str, auth: str, bodies: list[str], pool: list[str], args, tmp: Path,
          label: str, server_pid: int) -> dict:  # fmt: skip
    """Run the load generator against a live server and summarise what it measured."""
    cfg = {
        "port": port,
        "path": path,
        "auth": auth,
        "bodies": bodies,
        "pool": pool,
        "ok_status": 201,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "seed": args.seed,
        "run_id": f"{label}-{os.getpid()}-{int(time.time())}",
        "result_path": str(tmp / f"{label}.loadgen.json"),
    }
    cfg_path = tmp / f"{label}.loadgen-config.json"
    cfg_path.write_text(json.dumps(cfg, ensure_ascii=False))
    gen = subprocess.Popen([sys.executable, __file__, "--loadgen", str(cfg_path)])
    time.sleep(args.warmup)
    before = cpu_snapshot(server_pid)
    time.sleep(args.seconds)
    after = cpu_snapshot(server_pid)
    if gen.wait(timeout=args.seconds + args.warmup + 120) != 0:
        raise RuntimeError("the load generator failed")
    out = json.loads(Path(cfg["result_path"]).read_text())
    lat = sorted(out["latencies"])
    ms = [v * 1000 for v in lat]
    window = out["window_s"]
    cpu = cpu_delta(before, after)
    return {
        "requests": len(lat) + out["errors"],
        "created_201": len(lat),
        "errors": out["errors"],
        "error_statuses": out["error_statuses"],
        "error_samples": out["error_samples"],
        "throughput_per_s": round(len(lat) / window, 1),
        "latency_ms": {
            "p50": round(percentile(ms, 50), 1),
            "p90": round(percentile(ms, 90), 1),
            "p99": round(percentile(ms, 99), 1),
            "max": round(ms[-1], 1) if ms else float("nan"),
            "mean": round(sum(ms) / len(ms), 1) if ms else float("nan"),
        },
        "cpu_pct_of_one_core": {
            "server": cpu["server"],
            "postgres": cpu["postgres"],
            "loadgen": out["loadgen_cpu_pct"],
            "machine_busy": cpu["machine_busy"],
            "steal": cpu["steal"],
        },
        "window_s": round(window, 2),
        "total_201_including_warmup": out["ok_total"],
        "total_sent_including_warmup": out["sent"],
    }


# --- servers --------------------------------------------------------------------------------


def start_server(argv: list[str], *, env: dict, cwd: Path, log_path: Path) -> subprocess.Popen:
    log_file = log_path.open("w")
    return subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_healthy(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f}s:\n{log_path.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def web_argv(*, python: str, app: str, port: int, workers: int) -> list[str]:
    """uvicorn as ``tawasul run`` starts it (taken from the command itself when it loads)."""
    if app == "tawasul.asgi:application":
        try:
            sys.path.insert(0, str(ROOT))
            from tawasul.core.management.commands.run import Command

            argv = Command().processes(host="127.0.0.1", port=port, workers=workers)["web"]
            return [python, *argv[1:]]
        except Exception as exc:  # fall back to the same command line written out
            log(f"could not read `tawasul run`'s command line ({exc!r}); using the known one")
    return [
        python, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip


# --- PostgreSQL throwaway databases ---------------------------------------------------------


def pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def pg_create(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pg_drop(name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:
        log(f"could not drop database {name}: {exc}")


# --- Tawasul --------------------------------------------------------------------------------

TAWASUL_SETUP = textwrap.dedent(
    """
    import json
    from tawasul.accounts.models import Role, User
    from tawasul.directory.models import Entity, Hotline
    user, _ = User.objects.get_or_create(username="bench.agent", defaults={"role": Role.AGENT})
    user.role = Role.AGENT
    user.save()
    pairs = []
    for hotline in Hotline.objects.filter(active=True).order_by("-priority", "number"):
        for entity in hotline.entities.filter(active=True).order_by("code")[:3]:
            pairs.append([entity.code, hotline.number])
    print("BENCH" + json.dumps(pairs[:12]))
    """
)

TAWASUL_MINIMAL_DIRECTORY = textwrap.dedent(
    """
    from decimal import Decimal
    from tawasul.cases.models import SlaPolicy
    from tawasul.directory.models import BusinessCalendar, Entity, Hotline
    cal, _ = BusinessCalendar.objects.get_or_create(
        code="bench-24x7", defaults={"name_en": "24/7", "name_ar": "24/7", "is_24x7": True})
    entity, _ = Entity.objects.get_or_create(
        code="bench", defaults={"name_en": "Bench entity", "name_ar": "جهة", "calendar": cal})
    hotline, _ = Hotline.objects.get_or_create(
        number="109", defaults={"name_en": "109", "name_ar": "109", "calendar": cal})
    hotline.entities.add(entity)
    for kind in ("inquiry", "complaint", "report", "suggestion"):
        for priority in ("low", "normal", "high", "urgent"):
            SlaPolicy.objects.get_or_create(entity=None, kind=kind, priority=priority, defaults={
                "first_response_hours": Decimal(4), "resolution_hours": Decimal(35)})
    """
)

TAWASUL_COUNT = textwrap.dedent(
    """
    import json
    from tawasul.api.models import IdempotencyKey
    from tawasul.cases.models import Case
    from tawasul.residents.models import Resident
    print("BENCH" + json.dumps({
        "cases": Case.objects.count(),
        "distinct_references": Case.objects.values("reference").distinct().count(),
        "idempotency_keys": IdempotencyKey.objects.count(),
        "residents": Resident.objects.count(),
    }))
    """
)


def _bench_json(output: str):
    line = next(line for line in output.splitlines() if line.startswith("BENCH"))
    return json.loads(line[5:])


def tawasul_bodies(pairs: list[list[str]]) -> list[str]:
    bodies = []
    for entity, hotline in pairs:
        for kind, subject, description in SUBJECTS:
            for priority in PRIORITIES[:4]:
                bodies.append(
                    json.dumps(
                        {
                            "kind": kind,
                            "entity": entity,
                            "hotline": hotline,
                            "priority": priority,
                            "channel": "call",
                            "language": "ar",
                            "subject": subject,
                            "description": description,
                            "resident": {
                                "phone": "__CONTACT__",
                                "full_name": NAMES[len(bodies) % len(NAMES)],
                            },
                        },
                        ensure_ascii=False,
                    )
                )
    return bodies


def phone_pool(size: int, seed: int) -> list[str]:
    """Distinct Qatari mobile numbers, written as people type them (``+974 5512 3456``)."""
    rng = random.Random(seed)
    numbers: set[str] = set()
    while len(numbers) < size:
        digits = rng.choice("3567") + "".join(rng.choice("0123456789") for _ in range(7))
        numbers.add(f"+974 {digits[:4]} {digits[4:]}")
    pool = sorted(numbers)
    try:
        import phonenumbers

        pool = [p for p in pool if phonenumbers.is_valid_number(phonenumbers.parse(p))]
    except ImportError:
        pass
    rng.shuffle(pool)
    return pool


def bench_tawasul(db: str, args, tmp: Path) -> dict:
    workers = args.pg_workers if db == "postgres" else args.sqlite_workers
    data_dir = tmp / f"tawasul-{db}"
    data_dir.mkdir()
    env = {
        **os.environ,
        "TAWASUL_DATA_DIR": str(data_dir),
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
    }
    env.pop("DATABASE_URL", None)
    dbname = f"tawasul_bench_{os.getpid()}"
    if db == "postgres":
        pg_create(dbname)
        env["DATABASE_URL"] = pg_url(dbname)
    python = sys.executable
    cli = [python, "-m", "tawasul.cli"]
    proc = None
    try:
        log(f"tawasul/{db}: migrate")
        run([*cli, "migrate", "--noinput"], env=env)
        if (ROOT / "tawasul" / "directory" / "demo_data.py").exists():
            log(f"tawasul/{db}: seed directory (demo)")
            run([*cli, "seed", "directory"], env=env)
        else:
            log(f"tawasul/{db}: no demo_data.py; creating a minimal entity, hotline and SLA")
            run([*cli, "shell", "-c", TAWASUL_MINIMAL_DIRECTORY], env=env)
        pairs = _bench_json(run([*cli, "shell", "-c", TAWASUL_SETUP], env=env))
        if not pairs:
            raise RuntimeError("the directory has no active hotline with an entity")
        token = run([*cli, "issue_token", "bench.agent", "--name", "bench"], env=env).strip()
        token = token.splitlines()[-1].strip()
        port = free_port()
        log_path = tmp / f"tawasul-{db}.server.log"
        argv = web_argv(python=python, app="tawasul.asgi:application", port=port, workers=workers)
        log(f"tawasul/{db}: {' '.join(argv[1:])}")
        proc = start_server(argv, env=env, cwd=ROOT, log_path=log_path)
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc, log_path)
        pool = phone_pool(args.contacts, args.seed)
        log(f"tawasul/{db}: {args.concurrency} clients, {args.warmup}s warm-up + {args.seconds}s")
        result = drive(
            port=port,
            path="/api/cases",
            auth=f"Bearer {token}",
            bodies=tawasul_bodies(pairs),
            pool=pool,
            args=args,
            tmp=tmp,
            label=f"tawasul-{db}",
            server_pid=proc.pid,
        )
        stop_server(proc)
        proc = None
        counts = _bench_json(run([*cli, "shell", "-c", TAWASUL_COUNT], env=env))
        expected = result["total_201_including_warmup"]
        result["verify"] = {
            **counts,
            "expected_cases": expected,
            "ok": counts["cases"] == expected == counts["distinct_references"]
            and counts["idempotency_keys"] >= expected,
            "existing_resident_cases": counts["cases"] - counts["residents"],
        }
        result.update(system="tawasul", database=db, workers=workers, server=" ".join(argv[1:]))
        return result
    finally:
        if proc is not None:
            stop_server(proc)
        if db == "postgres":
            pg_drop(dbname)


# --- django-helpdesk ------------------------------------------------------------------------

HELPDESK_SETTINGS = textwrap.dedent(
    """
    import os

    SECRET_KEY = "bench-only-not-secret"
    DEBUG = False
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    INSTALLED_APPS = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.sites",
        "django.contrib.messages",
        "django.contrib.humanize",
        "django.contrib.staticfiles",
        "rest_framework",
        "rest_framework.authtoken",
        "helpdesk",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    ROOT_URLCONF = "hdbench.urls"
    TEMPLATES = [{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": [
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
        ]},
    }]
    if os.environ.get("HD_PG_NAME"):
        DATABASES = {"default": {
            "ENGINE": "django.db.backends.postgresql", "NAME": os.environ["HD_PG_NAME"],
            "USER": os.environ.get("HD_PG_USER", "root"), "HOST": "127.0.0.1",
            "PORT": os.environ.get("HD_PG_PORT", "5432"),
            "CONN_MAX_AGE": int(os.environ.get("HD_CONN_MAX_AGE", "0")),
            "CONN_HEALTH_CHECKS": True,
        }}
    else:  # the same SQLite set-up as Tawasul's: WAL, IMMEDIATE, busy timeout
        DATABASES = {"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["HD_SQLITE"],
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE", "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
            },
        }}
    DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    USE_TZ = True
    TIME_ZONE = "Asia/Qatar"
    STATIC_URL = "static/"
    SITE_ID = 1
    LOGIN_URL = "/login/"
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    DEFAULT_FROM_EMAIL = "helpdesk@example.org"
    HELPDESK_TEAMS_MODE_ENABLED = False  # else it needs pinax-teams installed
    HELPDESK_API_ENABLED = True
    HELPDESK_ACTIVATE_API_ENDPOINT = True  # the name in older releases
    # Token auth, like Tawasul's bearer tokens (Basic auth would hash a password per request).
    REST_FRAMEWORK = {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.TokenAuthentication",
        ],
    }
    LOGGING = {"version": 1, "disable_existing_loggers": False,
               "root": {"handlers": [], "level": "WARNING"}}
    """
)

HELPDESK_URLS = textwrap.dedent(
    """
    from django.urls import include, path
    from django.http import JsonResponse

    urlpatterns = [
        path("healthz", lambda request: JsonResponse({"status": "ok"})),
        path("", include("helpdesk.urls")),
    ]
    """
)

HELPDESK_ASGI = textwrap.dedent(
    """
    import os
    from django.core.asgi import get_asgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")
    application = get_asgi_application()
    """
)

HELPDESK_MANAGE = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdbench.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
    """
)

HELPDESK_SETUP = textwrap.dedent(
    """
    import json
    from django.contrib.auth import get_user_model
    from helpdesk.models import Queue
    from rest_framework.authtoken.models import Token
    User = get_user_model()
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.org", "bench-password-not-used")
    queue, _ = Queue.objects.get_or_create(
        slug="complaints", defaults={"title": "Complaints", "allow_public_submission": True})
    token, _ = Token.objects.get_or_create(user=user)
    print("BENCH" + json.dumps({"queue": queue.id, "token": token.key}))
    """
)

HELPDESK_COUNT = textwrap.dedent(
    """
    import json
    from helpdesk.models import FollowUp, Ticket
    print("BENCH" + json.dumps({"tickets": Ticket.objects.count(),
                                "followups": FollowUp.objects.count()}))
    """
)


def helpdesk_venv(tmp: Path) -> tuple[Path, str]:
    """A throwaway virtualenv with django-helpdesk from PyPI; returns (python, version)."""
    venv = tmp / "helpdesk-venv"
    base_python = shutil.which("python3.11") or sys.executable
    log(f"helpdesk: creating a throwaway virtualenv in {venv} and installing from PyPI")
    run([base_python, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "--quiet", *HELPDESK_PINS], timeout=900)
    version = run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('django-helpdesk'))"]
    ).strip()
    return python, version


def helpdesk_project(tmp: Path) -> Path:
    project = tmp / "helpdesk-project"
    pkg = project / "hdbench"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "settings.py").write_text(HELPDESK_SETTINGS)
    (pkg / "urls.py").write_text(HELPDESK_URLS)
    (pkg / "asgi.py").write_text(HELPDESK_ASGI)
    (project / "manage.py").write_text(HELPDESK_MANAGE)
    return project


def helpdesk_bodies(queue: int) -> list[str]:
    prio = {"low": 4, "normal": 3, "high": 2, "urgent": 1}
    return [
        json.dumps(
            {
                "queue": queue,
                "title": subject,
                "description": description,
                "submitter_email": "__CONTACT__",
                "priority": prio[priority],
            },
            ensure_ascii=False,
        )
        for _kind, subject, description in SUBJECTS
        for priority in PRIORITIES[:4]
    ]


def bench_helpdesk(db: str, args, tmp: Path, python: Path, project: Path, workers: int) -> dict:
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "hdbench.settings",
        "HD_CONN_MAX_AGE": str(args.conn_max_age),
    }
    for key in ("HD_PG_NAME", "HD_SQLITE", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(key, None)
    dbname = f"tawasul_bench_hd_{os.getpid()}"
    if db == "postgres":
        pg_create(dbname)
        env["HD_PG_NAME"] = dbname
    else:
        env["HD_SQLITE"] = str(tmp / "helpdesk-sqlite" / "db.sqlite3")
        (tmp / "helpdesk-sqlite").mkdir(exist_ok=True)
    manage = [str(python), "manage.py"]
    proc = None
    try:
        log(f"helpdesk/{db}: migrate")
        run([*manage, "migrate", "--noinput"], env=env, cwd=project)
        info = _bench_json(run([*manage, "shell", "-c", HELPDESK_SETUP], env=env, cwd=project))
        port = free_port()
        log_path = tmp / f"helpdesk-{db}.server.log"
        argv = web_argv(python=str(python), app="hdbench.asgi:application", port=port,
                        workers=workers)  # fmt: skip
        log(f"helpdesk/{db}: {' '.join(argv[1:])}")
        proc = start_server(argv, env=env, cwd=project, log_path=log_path)
        wait_healthy(f"http://127.0.0.1:{port}/healthz", proc, log_path)
        pool = [f"resident{n}@example.org" for n in range(args.contacts)]
        log(f"helpdesk/{db}: {args.concurrency} clients, {args.warmup}s warm-up + {args.seconds}s")
        result = drive(
            port=port,
            path="/api/tickets/",
            auth=f"Token {info['token']}",
            bodies=helpdesk_bodies(info["queue"]),
            pool=pool,
            args=args,
            tmp=tmp,
            label=f"helpdesk-{db}",
            server_pid=proc.pid,
        )
        stop_server(proc)
        proc = None
        counts = _bench_json(run([*manage, "shell", "-c", HELPDESK_COUNT], env=env, cwd=project))
        expected = result["total_201_including_warmup"]
        result["verify"] = {**counts, "expected_tickets": expected,
                            "ok": counts["tickets"] == expected}  # fmt: skip
        result.update(system="django-helpdesk", database=db, workers=workers,
                      server=" ".join(argv[1:]))  # fmt: skip
        return result
    finally:
        if proc is not None:
            stop_server(proc)
        if db == "postgres":
            pg_drop(dbname)


# --- report ---------------------------------------------------------------------------------


def table(results: list[dict]) -> str:
    header = (
        f"{'system':<16} {'db':<9} {'wrk':>3} {'requests':>8} {'errors':>6} {'cases/s':>8} "
        f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7} {'srv cpu':>8} {'pg cpu':>7} "
        f"{'gen cpu':>7} {'box %':>6} {'verified':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['system']:<16} {r['database']:<9} failed: {r['error']}")
            continue
        lat, cpu = r["latency_ms"], r["cpu_pct_of_one_core"]
        pg = f"{cpu['postgres']:.0f}%" if r["database"] == "postgres" else "-"
        lines.append(
            f"{r['system']:<16} {r['database']:<9} {r['workers']:>3} {r['requests']:>8} "
            f"{r['errors']:>6} {r['throughput_per_s']:>8.1f} {lat['p50']:>7.1f} {lat['p90']:>7.1f} "
            f"{lat['p99']:>7.1f} {lat['max']:>7.1f} {cpu['server']:>7.0f}% {pg:>7} "
            f"{cpu['loadgen']:>6.0f}% {cpu['machine_busy'] / os.cpu_count():>5.0f}% "
            f"{'yes' if r['verify']['ok'] else 'NO':>8}"
        )
    return "\n".join(lines)


def ratios(results: list[dict]) -> list[dict]:
    out = []
    for db in ("sqlite", "postgres"):
        ours = next((r for r in results if r["system"] == "tawasul" and r["database"] == db), None)
        peer = next(
            (r for r in results if r["system"] == "django-helpdesk" and r["database"] == db), None
        )
        if not ours or not peer or "error" in ours or "error" in peer:
            continue
        out.append(
            {
                "database": db,
                "throughput_ratio": round(ours["throughput_per_s"] / peer["throughput_per_s"], 2)
                if peer["throughput_per_s"]
                else None,
                "p99_ratio": round(ours["latency_ms"]["p99"] / peer["latency_ms"]["p99"], 2),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured window per target")
    parser.add_argument("--warmup", type=float, default=5, help="warm-up before the window")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--pg-workers", type=int, default=2, help="uvicorn workers, PostgreSQL")
    parser.add_argument("--sqlite-workers", type=int, default=1, help="uvicorn workers, SQLite")
    parser.add_argument("--contacts", type=int, default=5000, help="resident phone/e-mail pool")
    parser.add_argument("--targets", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--skip-helpdesk", action="store_true", help="Tawasul only")
    parser.add_argument("--skip-tawasul", action="store_true", help="django-helpdesk only")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="DB_CONN_MAX_AGE for both servers (Tawasul's default of 60 s leaks a PostgreSQL "
        "connection per request under ASGI and exhausts max_connections; see bench/README.md)",
    )
    parser.add_argument("--seed", type=int, default=109)
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder")
    parser.add_argument("--loadgen", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.loadgen:
        loadgen(args.loadgen)
        return 0

    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="tawasul-bench-"))
    log(f"temporary folder {tmp}")
    results: list[dict] = []
    notes: list[str] = []
    helpdesk = None
    if not args.skip_helpdesk:
        try:
            python, version = helpdesk_venv(tmp)
            helpdesk = (python, helpdesk_project(tmp))
            notes.append(f"django-helpdesk {version} from PyPI in a throwaway virtualenv")
        except Exception as exc:
            notes.append(f"django-helpdesk could not be installed: {exc}")
            log(notes[-1])
    try:
        for db in targets:
            for system in ("tawasul", "django-helpdesk"):
                if (system == "django-helpdesk" and helpdesk is None) or (
                    system == "tawasul" and args.skip_tawasul
                ):
                    continue
                workers = args.pg_workers if db == "postgres" else args.sqlite_workers
                try:
                    if system == "tawasul":
                        result = bench_tawasul(db, args, tmp)
                    else:
                        result = bench_helpdesk(db, args, tmp, *helpdesk, workers)
                except Exception as exc:
                    log(f"{system}/{db} failed: {exc}")
                    result = {"system": system, "database": db, "error": str(exc)[:2000]}
                results.append(result)
                if "error" not in result:
                    log(
                        f"{system}/{db}: {result['throughput_per_s']} /s, "
                        f"p99 {result['latency_ms']['p99']} ms, verified {result['verify']['ok']}"
                    )
    finally:
        if args.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    report = {
        "benchmark": "cases_api",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "settings": {
            "seconds": args.seconds,
            "warmup": args.warmup,
            "concurrency": args.concurrency,
            "pg_workers": args.pg_workers,
            "sqlite_workers": args.sqlite_workers,
            "contacts": args.contacts,
            "conn_max_age": args.conn_max_age,
        },
        "target": {"postgres_cases_per_s": 1000, "postgres_p99_ms": 100},
        "results": results,
        "ratios_tawasul_over_helpdesk": ratios(results),
        "notes": notes,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    out_path = RESULTS_DIR / f"cases_api-{datetime.now().strftime('%Y-%m-%d-%H%M%S')}.json"
    out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print()
    print(f"Case creation over HTTP: {args.concurrency} clients, {args.warmup:g}s warm-up, "
          f"{args.seconds:g}s measured per target, {os.cpu_count()} cores")  # fmt: skip
    print(table(results))
    for ratio in report["ratios_tawasul_over_helpdesk"]:
        print(
            f"Tawasul / django-helpdesk on {ratio['database']}: throughput x"
            f"{ratio['throughput_ratio']}, p99 x{ratio['p99_ratio']}"
        )
    for r in results:
        if "error" not in r and r["errors"]:
            print(f"{r['system']}/{r['database']} errors {r['error_statuses']}: "
                  f"{r['error_samples'][:2]}")  # fmt: skip
        if "error" not in r and not r["verify"]["ok"]:
            print(f"{r['system']}/{r['database']} VERIFY FAILED: {r['verify']}")
    pg = next((r for r in results if r.get("system") == "tawasul" and r["database"] == "postgres"
               and "error" not in r), None)  # fmt: skip
    if pg:
        met = pg["throughput_per_s"] >= 1000 and pg["latency_ms"]["p99"] < 100
        print(f"Target (PostgreSQL >= 1000 cases/s, p99 < 100 ms): {'met' if met else 'NOT met'}")
    for note in notes:
        print(f"note: {note}")
    print("cpu columns: % of one core during the window (srv = uvicorn tree, pg = all postgres")
    print("processes, gen = load generator, box = whole machine busy incl. other users)")
    print(f"results: {out_path.relative_to(ROOT)}")
    failed = [r for r in results if "error" in r or not r["verify"]["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
