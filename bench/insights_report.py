"""Month-by-entity report over a year of national traffic (4 M interactions), SQLite and PostgreSQL.

    .venv/bin/python bench/insights_report.py                 # both databases
    .venv/bin/python bench/insights_report.py --db sqlite --interactions 1000000 --raw-month 0

Loads 15-minute roll-up rows equivalent to ``--interactions`` contacts over 2025 (34 entities,
9 languages, 4 channels, 6 sites, arrivals shaped by hour of day), derives the daily rows with
the production code (``rollups_derive_daily``), then times the month-by-entity report
(``selectors.contact_totals(by=entity)`` for March, as the bulletin's "calls by entity" uses),
the same from the 15-minute rows, and March by site. With ``--raw-month N`` it also
bulk-inserts N raw interactions in one month and times the GROUP BY over raw rows, for
comparison.
Prints p50/p95 latency over repeated runs; target: p50 under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PG_URL", "postgres://root@127.0.0.1:5432/tawasul")


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    import django

    django.setup()
    from datetime import UTC, date, datetime, timedelta

    from django.core.management import call_command
    from django.db import connection

    from tawasul.directory.models import Entity
    from tawasul.insights import selectors, services
    from tawasul.insights.models import DailyRollup, InteractionRollup

    call_command("migrate", verbosity=0)
    InteractionRollup.objects.all().delete()
    DailyRollup.objects.all().delete()
    entities = [
        Entity.objects.get_or_create(
            code=f"bench-{i:02d}", defaults={"name_en": f"Entity {i}", "name_ar": f"جهة {i}"}
        )[0].pk
        for i in range(34)
    ]
    from tawasul.accounts.models import Site

    # "109": 300 agents in 6 sites. Each synthetic row carries a site so the site slice is
    # timed too (it makes ~2x the daily rows of a load without sites; only reads are timed).
    sites = [
        Site.objects.get_or_create(
            code=f"bench-site-{i}", defaults={"name_en": f"Site {i}", "name_ar": f"الموقع {i}"}
        )[0].pk
        for i in range(1, 7)
    ]
    languages = ["ar", "en", "ur", "hi", "ml", "bn", "ne", "tl", "fr"]
    channels = ["call", "call", "call", "call", "web", "email", "app"]
    weights = [1 / (i + 1) for i in range(34)]  # a few big entities, a long tail
    hour_shape = [
        0.2,
        0.1,
        0.1,
        0.1,
        0.2,
        0.4,
        0.8,
        1.4,
        1.8,
        1.9,
        1.9,
        1.8,
        1.6,
        1.6,
        1.7,
        1.6,
        1.4,
        1.3,
        1.2,
        1.1,
        0.9,
        0.7,
        0.5,
        0.3,
    ]
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    quarters = 365 * 96
    per_quarter = args.interactions / sum(hour_shape[(q // 4) % 24] for q in range(quarters))
    columns = [
        "interval_start",
        "key",
        "hotline_id",
        "entity_id",
        "service_id",
        "language",
        "channel",
        "site_id",
        "queue",
        "agent_id",
        *services.COUNTER_FIELDS,
        "max_wait",
    ]
    table = InteractionRollup._meta.db_table
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    loaded = rows = 0
    began = time.monotonic()
    batch: list[tuple] = []
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for q in range(quarters):
            volume = per_quarter * hour_shape[(q // 4) % 24]
            n_total = int(volume) + (1 if rng.random() < volume % 1 else 0)
            interval = start + timedelta(minutes=15 * q)
            buckets: dict[tuple, int] = {}
            for _ in range(min(n_total, 24)):  # spread the quarter over up to 24 slices
                key = (
                    rng.choices(entities, weights)[0],
                    rng.choice(languages),
                    rng.choice(channels),
                    rng.choice(sites),
                )
                buckets[key] = buckets.get(key, 0)
            keys = list(buckets) or []
            for i in range(n_total):
                if keys:
                    buckets[keys[i % len(keys)]] += 1
            for (entity, language, channel, site), n in buckets.items():
                if not n:
                    continue
                answered = n - n // 30
                dims = (None, entity, None, language, channel, site, "", None)
                counters = {name: 0 for name in services.COUNTER_FIELDS}
                counters.update(
                    offered=n,
                    answered=answered,
                    abandoned=n - answered,
                    answered_10=answered * 6 // 10,
                    answered_20=answered * 9 // 10,
                    answered_30=answered,
                    answered_60=answered,
                    sum_answer_wait=11.0 * answered,
                    sum_talk=150.0 * answered,
                    sum_wrap=25.0 * answered,
                    resolved_first_contact=answered * 9 // 10,
                )
                batch.append(
                    (
                        interval,
                        services.dims_key(dims),
                        *dims,
                        *(counters[c] for c in services.COUNTER_FIELDS),
                        40.0 + n,
                    )
                )
                loaded += n
                rows += 1
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    load_s = time.monotonic() - began
    began = time.monotonic()
    daily = services.rollups_derive_daily()
    derive_s = time.monotonic() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def timed(fn, runs: int) -> tuple[float, float, object]:
        fn()  # warm
        samples = []
        result = None
        for _ in range(runs):
            t0 = time.perf_counter()
            result = fn()
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], result

    march = (date(2025, 3, 1), date(2025, 4, 1))
    p50, p95, result = timed(
        lambda: selectors.contact_totals(start=march[0], end=march[1], by=("entity",)), args.runs
    )
    month_total = sum(t.offered for t in result.values())
    q50, q95, _r = timed(
        lambda: selectors.contact_totals(
            start=march[0], end=march[1], by=("entity",), granularity="15min"
        ),
        max(3, args.runs // 4),
    )
    s50, s95, _r = timed(
        lambda: selectors.contact_totals(start=march[0], end=march[1], by=("site",)),
        max(3, args.runs // 4),
    )
    y50, y95, _r = timed(
        lambda: selectors.contact_totals(
            start=date(2025, 1, 1), end=date(2026, 1, 1), by=("entity",), granularity="month"
        ),
        max(3, args.runs // 4),
    )
    print(
        f"[{connection.vendor}] loaded {loaded:,} interactions as {rows:,} 15-minute rows "
        f"in {load_s:.0f}s; derived {daily:,} daily rows in {derive_s:.1f}s"
    )
    print(
        f"[{connection.vendor}] month-by-entity (March, {month_total:,} contacts, daily rows): "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {args.runs} runs"
    )
    print(
        f"[{connection.vendor}] same from 15-minute rows (by quarter × entity): "
        f"p50 {q50:.1f} ms, p95 {q95:.1f} ms"
    )
    print(
        f"[{connection.vendor}] month-by-site (March, daily rows): "
        f"p50 {s50:.1f} ms, p95 {s95:.1f} ms"
    )
    print(
        f"[{connection.vendor}] whole year month × entity (daily rows): "
        f"p50 {y50:.1f} ms, p95 {y95:.1f} ms"
    )
    if args.raw_month:
        raw_path(args, entities, languages, channels, weights, timed)
    print(f"[{connection.vendor}] target p50 < 200 ms: {'met' if p50 < 200 else 'NOT met'}")


def raw_path(args, entities, languages, channels, weights, timed) -> None:
    """Insert N raw interactions in March 2025 (signals off: bulk) and time a GROUP BY."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from django.db import connection
    from django.db.models import Count

    from tawasul.interactions.models import Interaction

    rng = random.Random(11)
    # Raw deletes: the benchmark's rows never reached the roll-ups (bulk_create sends no
    # signals), so the per-row delete signal is not wanted here.
    Interaction.objects.filter(offered_at__year=2025)._raw_delete(connection.alias)
    base = datetime(2025, 3, 1, tzinfo=UTC)
    began = time.monotonic()
    batch = []
    for i in range(args.raw_month):
        offered = base + timedelta(seconds=rng.randrange(31 * 86400))
        batch.append(
            Interaction(
                id=uuid.uuid4(),
                channel=rng.choice(channels),
                entity_id=rng.choices(entities, weights)[0],
                language=rng.choice(languages),
                offered_at=offered,
                answered_at=offered + timedelta(seconds=rng.randrange(40)),
                ended_at=offered + timedelta(seconds=200),
                outcome="resolved",
            )
        )
        if len(batch) == 10000 or i == args.raw_month - 1:
            Interaction.objects.bulk_create(batch)
            batch.clear()
    load_s = time.monotonic() - began

    def group():
        return list(
            Interaction.objects.filter(
                offered_at__gte=base, offered_at__lt=datetime(2025, 4, 1, tzinfo=UTC)
            )
            .values("entity_id")
            .annotate(n=Count("pk"))
            .order_by()
        )

    p50, p95, _r = timed(group, max(3, args.runs // 4))
    print(
        f"[{connection.vendor}] raw rows: {args.raw_month:,} interactions in March loaded in "
        f"{load_s:.0f}s; month-by-entity COUNT over raw rows p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        " (roll-ups also give every KPI, not only counts)"
    )
    Interaction.objects.filter(offered_at__year=2025)._raw_delete(connection.alias)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--interactions", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--raw-month", type=int, default=350_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    code = 0
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        with tempfile.TemporaryDirectory(prefix="tw-bench-insights-") as data:
            env = {**os.environ, "TAWASUL_DATA_DIR": data, "PYTHONUNBUFFERED": "1"}
            if db == "postgres":
                base = PG_URL.rsplit("/", 1)[0]
                name = "tw_bench_insights"
                subprocess.call(
                    ["dropdb", "--if-exists", "-h", "127.0.0.1", name], stderr=subprocess.DEVNULL
                )
                if subprocess.call(["createdb", "-h", "127.0.0.1", name]) != 0:
                    print("[postgresql] could not create the benchmark database; skipped")
                    code = 1
                    continue
                env["DATABASE_URL"] = f"{base}/{name}"
            else:
                env.pop("DATABASE_URL", None)
            argv = [
                sys.executable,
                __file__,
                "--child",
                "--interactions",
                str(args.interactions),
                "--runs",
                str(args.runs),
                "--raw-month",
                str(args.raw_month),
            ]
            code |= subprocess.call(argv, env=env, cwd=ROOT)
            if db == "postgres":
                subprocess.call(["dropdb", "--if-exists", "-h", "127.0.0.1", name])
    return code


if __name__ == "__main__":
    sys.exit(main())
