"""Writes of the insights room: keep the roll-ups in step with contacts and cases, rebuild them
from raw rows, and send bulletins.

Whoever ends an interaction may call :func:`rollup_record`; a ``post_save`` receiver (see
``signals.py``) calls it too, which is safe because it is idempotent: each interaction's
counted contribution is stored, and a new call subtracts the old contribution before adding
the new one. Bulk loads that bypass signals (``bulk_create``) are followed by
:func:`rollups_rebuild`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Model, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from tawasul.insights import conf, kpis
from tawasul.insights.models import (
    CaseContribution,
    CaseRollup,
    DailyRollup,
    InteractionContribution,
    InteractionRollup,
    RollupWatermark,
)

logger = logging.getLogger(__name__)

COUNTER_FIELDS: tuple[str, ...] = (
    "offered", "answered", "abandoned", "short_abandoned", "callbacks", "ivr_handled",
    "outbound", "answered_10", "answered_20", "answered_30", "answered_60", "abandoned_10",
    "abandoned_20", "abandoned_30", "abandoned_60", "sum_answer_wait", "sum_talk", "sum_hold",
    "sum_wrap", "resolved_first_contact", "transfers",
)  # fmt: skip
DAILY_DIMS = ("hotline_id", "entity_id", "service_id", "language", "channel", "site_id")
QUARTER_DIMS = (*DAILY_DIMS, "queue", "agent_id")


def center_tz() -> ZoneInfo:
    """The center's time zone: days and months of every report are cut in it."""
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(center_tz()).date()


def dims_key(values: Iterable) -> str:
    """A short digest identifying one combination of slice values."""
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


# --- from models to plain records ----------------------------------------------------------------


def _service_of(interaction) -> int | None:
    # An interaction has no service of its own; it is the service of the first case it opened
    # or updated that names one.
    return (
        interaction.cases.exclude(service=None)
        .order_by("created_at", "id")
        .values_list("service_id", flat=True)
        .first()
    )


def contact_record_of(interaction, *, service: int | None = ...) -> kpis.ContactRecord:
    """The :class:`~tawasul.insights.kpis.ContactRecord` of an Interaction (``service``: its
    case's service when already known, saving a query per contact)."""
    offered = interaction.offered_at
    answered_at, ended_at = interaction.answered_at, interaction.ended_at
    if answered_at:
        wait = (answered_at - offered).total_seconds()
    elif ended_at:
        wait = (ended_at - offered).total_seconds()
    else:
        wait = None
    talk = (ended_at - answered_at).total_seconds() if answered_at and ended_at else 0.0
    wrap = (
        (interaction.wrapup_ended_at - ended_at).total_seconds()
        if ended_at and interaction.wrapup_ended_at
        else 0.0
    )
    return kpis.ContactRecord(
        offered_at=offered,
        outcome=interaction.outcome,
        answered=answered_at is not None,
        wait=wait,
        talk=talk,
        hold=float(interaction.hold_seconds or 0),
        wrap=wrap,
        direction=interaction.direction,
        channel=interaction.channel,
        hotline=interaction.hotline_id,
        entity=interaction.entity_id,
        service=_service_of(interaction) if service is ... else service,
        language=interaction.language or "",
        site=interaction.site_id,
        queue=interaction.queue or "",
        agent=interaction.agent_id,
    )


def counters_of(totals: kpis.Totals) -> dict[str, float | int]:
    """A Totals as roll-up column values."""
    values: dict[str, float | int] = {
        name: getattr(totals, name)
        for name in COUNTER_FIELDS
        if not name.startswith(("answered_", "abandoned_"))
    }
    for t in kpis.THRESHOLDS:
        values[f"answered_{t}"] = totals.answered_within.get(t, 0)
        values[f"abandoned_{t}"] = totals.abandoned_within.get(t, 0)
    values["max_wait"] = totals.max_wait
    return values


def totals_from_row(row: dict | Model) -> kpis.Totals:
    """A Totals from a roll-up row or an aggregate dict with the same column names."""
    get = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    totals = kpis.Totals(
        answered_within={t: int(get(f"answered_{t}") or 0) for t in kpis.THRESHOLDS},
        abandoned_within={t: int(get(f"abandoned_{t}") or 0) for t in kpis.THRESHOLDS},
        max_wait=float(get("max_wait") or 0),
    )
    for name in COUNTER_FIELDS:
        if name.startswith(("answered_", "abandoned_")):
            continue
        value = get(name) or 0
        setattr(totals, name, float(value) if name.startswith("sum_") else int(value))
    return totals


def _contribution_values(interaction_id, record: kpis.ContactRecord, totals: kpis.Totals) -> dict:
    """The column values of one contact's :class:`InteractionContribution`."""
    dims = {
        "hotline_id": record.hotline, "entity_id": record.entity, "service_id": record.service,
        "language": record.language[:8], "channel": record.channel[:10], "site_id": record.site,
        "queue": record.queue[:80], "agent_id": record.agent,
    }  # fmt: skip
    return {
        "interaction_id": interaction_id,
        "interval_start": kpis.quarter_hour(record.offered_at.astimezone(ZoneInfo("UTC"))),
        "day": local_day(record.offered_at),
        "key": dims_key(dims[d] for d in QUARTER_DIMS),
        "daily_key": dims_key(dims[d] for d in DAILY_DIMS),
        **dims,
        **counters_of(totals),
    }


def _contribution_row(interaction_id, record: kpis.ContactRecord, totals: kpis.Totals):
    return InteractionContribution(**_contribution_values(interaction_id, record, totals))


def _same(a: InteractionContribution, b: InteractionContribution) -> bool:
    names = ("interval_start", "day", "key", "daily_key", "max_wait", *COUNTER_FIELDS)
    return all(getattr(a, n) == getattr(b, n) for n in names)


# --- applying contributions ------------------------------------------------------------------


def _buckets(row: InteractionContribution) -> list[tuple[type[Model], dict, dict, dict]]:
    """(model, bucket lookup, dimension values, contribution lookup) for both roll-up tables."""
    return [
        (
            InteractionRollup,
            {"interval_start": row.interval_start, "key": row.key},
            {d: getattr(row, d) for d in QUARTER_DIMS},
            {"interval_start": row.interval_start, "key": row.key},
        ),
        (
            DailyRollup,
            {"day": row.day, "key": row.daily_key},
            {d: getattr(row, d) for d in DAILY_DIMS},
            {"day": row.day, "daily_key": row.daily_key},
        ),
    ]


def _add(row: InteractionContribution) -> None:
    values = {name: getattr(row, name) for name in COUNTER_FIELDS}
    for model, lookup, dims, _contrib in _buckets(row):
        updates = {name: F(name) + value for name, value in values.items() if value}
        updates["max_wait"] = Greatest(F("max_wait"), row.max_wait)
        if model.objects.filter(**lookup).update(**updates):
            continue
        try:
            with transaction.atomic():
                model.objects.create(**lookup, **dims, **values, max_wait=row.max_wait)
        except IntegrityError:  # created meanwhile by a concurrent contact of the same slice
            model.objects.filter(**lookup).update(**updates)


def _subtract(row: InteractionContribution) -> None:
    """Take a (just deleted) contribution out of its buckets; the longest wait of each bucket
    is recomputed from the contributions left, and an emptied bucket is removed."""
    values = {name: getattr(row, name) for name in COUNTER_FIELDS}
    for model, lookup, _dims, contrib in _buckets(row):
        left = InteractionContribution.objects.filter(**contrib).aggregate(
            n=Count("pk"), longest=Max("max_wait")
        )
        if not left["n"]:
            model.objects.filter(**lookup).delete()
            continue
        updates = {name: F(name) - value for name, value in values.items() if value}
        updates["max_wait"] = left["longest"] or 0.0
        model.objects.filter(**lookup).update(**updates)


def rollup_record(*, interaction, created: bool = False) -> bool:
    """Bring the roll-ups in line with this interaction's current state (idempotent).

    Call it when a contact ends (or changes after ending). Returns whether the roll-ups
    changed. A pending contact contributes nothing; if it had contributed before (an outcome
    set back to pending) its contribution is withdrawn. ``created``: the row was just
    inserted, so it has no contribution yet.
    """
    pending = interaction.outcome == kpis.PENDING
    if pending and created:
        # The voice gateway saves a call several times while it is in the IVR and the queue:
        # those saves must not cost the service look-up and a locked read each.
        return False
    # A pending contact's slice does not matter (it contributes nothing): no service query.
    record = contact_record_of(interaction, service=None if pending else ...)
    totals = kpis.contribution(record, short_abandon_seconds=conf.short_abandon_seconds())
    new = _contribution_row(interaction.pk, record, totals) if totals is not None else None
    with transaction.atomic():
        old = InteractionContribution.objects.select_for_update().filter(pk=interaction.pk).first()
        if old is None and new is None:
            return False
        if old is not None and new is not None and _same(old, new):
            return False
        if old is not None:
            InteractionContribution.objects.filter(pk=old.pk).delete()
            _subtract(old)
        if new is not None:
            new.save(force_insert=True)
            _add(new)
    return True


def rollup_forget(*, interaction_id) -> None:
    """Withdraw a deleted interaction from the roll-ups."""
    with transaction.atomic():
        old = InteractionContribution.objects.select_for_update().filter(pk=interaction_id).first()
        if old is not None:
            InteractionContribution.objects.filter(pk=old.pk).delete()
            _subtract(old)


# --- cases -------------------------------------------------------------------------------------


def _case_contribution(case) -> CaseContribution:
    record = kpis.CaseRecord(
        created_at=case.created_at,
        status=case.status,
        entity=case.entity_id,
        kind=case.kind,
        resolved_at=case.resolved_at,
        resolution_due=case.resolution_due,
    )
    return CaseContribution(
        case_id=case.pk,
        entity_id=case.entity_id,
        kind=case.kind,
        created_day=local_day(case.created_at),
        completed=case.status in kpis.COMPLETED_CASE_STATUSES,
        resolved_day=local_day(case.resolved_at) if case.resolved_at else None,
        resolved_within_sla=kpis.case_resolved_within_sla(record),
    )


def _case_apply(row: CaseContribution, sign: int) -> None:
    parts = [(row.created_day, {"created": 1, "completed": int(row.completed)})]
    if row.resolved_day is not None:
        parts.append(
            (row.resolved_day, {"resolved": 1, "resolved_within_sla": int(row.resolved_within_sla)})
        )
    for day, values in parts:
        lookup = {"day": day, "entity_id": row.entity_id, "kind": row.kind}
        updates = {k: F(k) + sign * v for k, v in values.items() if v}
        if CaseRollup.objects.filter(**lookup).update(**updates) or sign < 0:
            continue
        try:
            with transaction.atomic():
                CaseRollup.objects.create(**lookup, **values)
        except IntegrityError:
            CaseRollup.objects.filter(**lookup).update(**updates)


def case_rollup_record(*, case) -> bool:
    """Bring the case roll-ups in line with this case (idempotent, like :func:`rollup_record`)."""
    if case.created_at is None:
        return False
    new = _case_contribution(case)
    names = ("entity_id", "kind", "created_day", "completed", "resolved_day", "resolved_within_sla")
    with transaction.atomic():
        old = CaseContribution.objects.select_for_update().filter(pk=case.pk).first()
        if old is not None and all(getattr(old, n) == getattr(new, n) for n in names):
            return False
        if old is not None:
            _case_apply(old, -1)
            old.delete()
        new.save(force_insert=True)
        _case_apply(new, 1)
    return True


def case_rollups_refresh() -> int:
    """Record every case changed since the last refresh (idempotent; the task runs it every
    scheduler tick). Returns how many cases were looked at."""
    from tawasul.cases.models import Case

    with transaction.atomic():
        mark = RollupWatermark.objects.select_for_update().filter(name="cases").first()
        cases = Case.objects.order_by("updated_at")
        if mark is not None:
            # A little overlap: a case saved in the same instant as the mark is seen again,
            # which is harmless because recording is idempotent.
            cases = cases.filter(updated_at__gte=mark.value - timedelta(seconds=1))
        seen = 0
        last = mark.value if mark else None
        for case in cases.iterator(chunk_size=2000):
            case_rollup_record(case=case)
            seen += 1
            last = case.updated_at
        if last is not None:
            RollupWatermark.objects.update_or_create(name="cases", defaults={"value": last})
    return seen


# --- rebuilding ---------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    interactions: int
    quarter_rows: int
    daily_rows: int
    cases: int


def _since_instant(since: date | None) -> datetime | None:
    if since is None:
        return None
    return datetime(since.year, since.month, since.day, tzinfo=center_tz())


class RollupSet:
    """The roll-up rows of many contacts, summed in memory and written in a few bulk inserts.

    Used by the rebuild and by bulk loads (the simulator's back-fill): one update statement
    per contact, as :func:`rollup_record` does, is far too slow for months of history, and so
    is the ORM's per-field work for hundreds of thousands of derived rows (see
    :func:`_insert_rows`).
    """

    def __init__(self, *, short_abandon_seconds: float | None = None) -> None:
        self.short = (
            conf.short_abandon_seconds() if short_abandon_seconds is None else short_abandon_seconds
        )
        self.contributions: list[dict] = []
        # (interval start or day, key) → [dimension values, totals]
        self.quarter: dict[tuple, list] = {}
        self.daily: dict[tuple, list] = {}

    def add(self, interaction_id, record: kpis.ContactRecord) -> None:
        """Count one contact (a pending one adds nothing)."""
        totals = kpis.contribution(record, short_abandon_seconds=self.short)
        if totals is None:
            return
        values = _contribution_values(interaction_id, record, totals)
        self.contributions.append(values)
        for table, bucket, dims in (
            (self.quarter, (values["interval_start"], values["key"]), QUARTER_DIMS),
            (self.daily, (values["day"], values["daily_key"]), DAILY_DIMS),
        ):
            slot = table.get(bucket)
            if slot is None:
                table[bucket] = [{d: values[d] for d in dims}, totals]
            else:
                slot[1] = slot[1] + totals

    def write(self, *, merge: bool) -> None:
        """Insert the contributions and roll-up rows. With ``merge``, buckets that already
        have a row (e.g. today's, kept live by :func:`rollup_record`) are added to it."""
        _insert_rows(InteractionContribution, self.contributions)
        for model, period, table in (
            (InteractionRollup, "interval_start", self.quarter),
            (DailyRollup, "day", self.daily),
        ):
            if merge:
                table = _merge_into_existing(model, period, table)
            _insert_rows(model, [
                {period: bucket[0], "key": bucket[1], **dims, **counters_of(totals)}
                for bucket, (dims, totals) in table.items()
            ])  # fmt: skip


def _insert_rows(model: type[Model], rows: list[dict], batch_size: int = 5000) -> None:
    """Insert plain rows (attribute name → value, the same names in every row) with one
    ``executemany`` per batch. Only the values that need it (dates, times, UUIDs) go through
    the field's conversion, which is what makes this several times cheaper than
    ``bulk_create`` for these narrow numeric rows."""
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = list(rows[0])
    convert = {}
    for i, name in enumerate(names):
        field = fields[name]
        target = field.target_field if field.is_relation else field
        if target.get_internal_type() in ("DateTimeField", "DateField", "UUIDField"):
            convert[i] = field
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(fields[n].column) for n in names),
        ", ".join(["%s"] * len(names)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            params = []
            for row in rows[start : start + batch_size]:
                values = [row[n] for n in names]
                for i, field in convert.items():
                    values[i] = field.get_db_prep_save(values[i], connection)
                params.append(values)
            cursor.executemany(sql, params)


def _merge_into_existing(model: type[Model], period: str, table: dict[tuple, list]) -> dict:
    """Add the buckets that already have a row to it; return the ones still to insert."""
    if not table:
        return table
    periods = [bucket[0] for bucket in table]
    existing = set(
        model.objects.filter(
            **{f"{period}__gte": min(periods), f"{period}__lte": max(periods)}
        ).values_list(period, "key")
    )
    missing = {}
    for bucket, (dims, totals) in table.items():
        if bucket not in existing:
            missing[bucket] = [dims, totals]
            continue
        values = counters_of(totals)
        updates = {name: F(name) + values[name] for name in COUNTER_FIELDS if values[name]}
        updates["max_wait"] = Greatest(F("max_wait"), values["max_wait"])
        model.objects.filter(**{period: bucket[0], "key": bucket[1]}).update(**updates)
    return missing


def rollups_add_bulk(*, interactions: Iterable) -> int:
    """Count interactions just bulk-inserted (``bulk_create`` sends no signals) in the
    roll-ups: in memory, then a few bulk writes. Call it in the transaction of the insert.

    The interactions must not be counted yet and have no case linked yet (so no service);
    linking a case later goes through :func:`rollup_record` as usual. Returns how many
    contributed.
    """
    rollups = RollupSet()
    for interaction in interactions:
        rollups.add(interaction.pk, contact_record_of(interaction, service=None))
    rollups.write(merge=True)
    return len(rollups.contributions)


def rollups_rebuild(*, since: date | None = None, batch_size: int = 5000) -> RebuildResult:
    """Recompute every roll-up from raw interactions and cases offered/created on or after
    ``since`` (a local day; all history when None). Runs in one transaction."""
    from tawasul.interactions.models import Interaction

    start = _since_instant(since)
    interactions = Interaction.objects.all()
    if start is not None:
        interactions = interactions.filter(offered_at__gte=start)
    services = _services_by_interaction(start)
    rollups = RollupSet()
    fields_needed = (
        "id", "offered_at", "answered_at", "ended_at", "wrapup_ended_at", "hold_seconds",
        "outcome", "direction", "channel", "hotline_id", "entity_id", "language", "queue",
        "agent_id", "site_id",
    )  # fmt: skip
    count = 0
    for interaction in interactions.only(*fields_needed).iterator(chunk_size=batch_size):
        count += 1
        rollups.add(
            interaction.pk, contact_record_of(interaction, service=services.get(interaction.pk))
        )
    with transaction.atomic():
        old_contrib = InteractionContribution.objects.all()
        old_quarter = InteractionRollup.objects.all()
        old_daily = DailyRollup.objects.all()
        if start is not None:
            old_contrib = old_contrib.filter(interval_start__gte=start)
            old_quarter = old_quarter.filter(interval_start__gte=start)
            old_daily = old_daily.filter(day__gte=since)
        old_contrib.delete()
        old_quarter.delete()
        old_daily.delete()
        rollups.write(merge=False)
        cases = case_rollups_rebuild(since=since)
    return RebuildResult(count, len(rollups.quarter), len(rollups.daily), cases)


def _services_by_interaction(start: datetime | None) -> dict:
    """interaction id → service of its first case naming one (as :func:`_service_of`)."""
    from tawasul.cases.models import Case

    links = Case.interactions.through.objects.exclude(case__service=None)
    if start is not None:
        links = links.filter(interaction__offered_at__gte=start)
    out: dict = {}
    for interaction_id, service_id in links.order_by("-case__created_at", "-case__id").values_list(
        "interaction_id", "case__service_id"
    ):
        out[interaction_id] = service_id  # the earliest case is written last and wins
    return out


def case_rollups_rebuild(*, since: date | None = None) -> int:
    """Recompute the case roll-ups for cases created on or after ``since`` (local day).

    A case created before ``since`` but resolved after it keeps its earlier contribution;
    rebuild from an earlier day (or everything) to recount those too.
    """
    from tawasul.cases.models import Case

    start = _since_instant(since)
    cases = Case.objects.all()
    contributions = CaseContribution.objects.all()
    if start is not None:
        cases = cases.filter(created_at__gte=start)
        contributions = contributions.filter(created_day__gte=since)
    with transaction.atomic():
        if start is None:
            CaseRollup.objects.all().delete()
        else:
            for old in contributions.iterator():
                _case_apply(old, -1)
        contributions.delete()
        CaseRollup.objects.filter(
            created=0, completed=0, resolved=0, resolved_within_sla=0
        ).delete()
        rows = [
            _case_contribution(case)
            for case in cases.only(
                "id", "created_at", "status", "entity_id", "kind", "resolved_at", "resolution_due"
            )
        ]
        CaseContribution.objects.bulk_create(rows, batch_size=5000)
        totals: dict[tuple, dict[str, int]] = {}
        for row in rows:
            parts = [(row.created_day, {"created": 1, "completed": int(row.completed)})]
            if row.resolved_day is not None:
                parts.append(
                    (
                        row.resolved_day,
                        {"resolved": 1, "resolved_within_sla": int(row.resolved_within_sla)},
                    )
                )
            for day, values in parts:
                slot = totals.setdefault((day, row.entity_id, row.kind), {})
                for k, v in values.items():
                    slot[k] = slot.get(k, 0) + v
        for (day, entity_id, kind), values in totals.items():
            lookup = {"day": day, "entity_id": entity_id, "kind": kind}
            if not CaseRollup.objects.filter(**lookup).update(
                **{k: F(k) + v for k, v in values.items()}
            ):
                CaseRollup.objects.create(**lookup, **values)
    return len(rows)


def rollups_derive_daily(*, since: date | None = None, until: date | None = None) -> int:
    """Recompute the daily rows from the 15-minute rows (for 15-minute rows bulk-loaded
    without contributions, e.g. by the simulator's back-fill or a benchmark). Returns rows.

    One grouped query per local day over the (interval_start, key) index: no per-row
    time-zone conversion in the database.
    """
    bounds = InteractionRollup.objects.aggregate(
        first=Min("interval_start"), last=Max("interval_start")
    )
    if bounds["first"] is None:
        DailyRollup.objects.filter(**({"day__gte": since} if since else {})).delete()
        return 0
    first = max(since, local_day(bounds["first"])) if since else local_day(bounds["first"])
    last = min(until, local_day(bounds["last"])) if until else local_day(bounds["last"])
    sums = {name: Sum(name) for name in COUNTER_FIELDS}
    count = 0
    with transaction.atomic():
        days = DailyRollup.objects.filter(day__gte=since or first)
        if until is not None:
            days = days.filter(day__lte=until)
        days.delete()
        day = first
        while day <= last:
            grouped = (
                InteractionRollup.objects.filter(
                    interval_start__gte=_since_instant(day),
                    interval_start__lt=_since_instant(day + timedelta(days=1)),
                )
                .values(*DAILY_DIMS)
                .annotate(**sums, max_wait_all=Max("max_wait"))
                .order_by()
            )
            rows = [
                {
                    "day": day,
                    "key": dims_key(g[d] for d in DAILY_DIMS),
                    "max_wait": g["max_wait_all"] or 0,
                    **{d: g[d] for d in DAILY_DIMS},
                    **{name: g[name] or 0 for name in COUNTER_FIELDS},
                }
                for g in grouped
            ]
            _insert_rows(DailyRollup, rows)
            count += len(rows)
            day += timedelta(days=1)
    return count


def now() -> datetime:
    return timezone.now()
