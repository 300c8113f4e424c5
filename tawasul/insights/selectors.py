"""Reads of the insights room: the KPIs of :mod:`tawasul.insights.kpis` computed from the
roll-up tables (the same :class:`~tawasul.insights.kpis.Totals`, summed by the database).

Days and months come from the daily rows (a month of national traffic is a few tens of
thousands of rows); 15-minute and hour periods, and the queue/agent slices, from the
15-minute rows. Callers pass the entity restriction of the person asking (see ``access.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncMonth

from tawasul.errors import DomainError
from tawasul.insights import kpis
from tawasul.insights.models import CaseRollup, DailyRollup, InteractionRollup
from tawasul.insights.services import COUNTER_FIELDS, center_tz, totals_from_row

COLUMN = {
    kpis.Dimension.HOTLINE: "hotline_id",
    kpis.Dimension.ENTITY: "entity_id",
    kpis.Dimension.SERVICE: "service_id",
    kpis.Dimension.LANGUAGE: "language",
    kpis.Dimension.CHANNEL: "channel",
    kpis.Dimension.SITE: "site_id",
    kpis.Dimension.QUEUE: "queue",
    kpis.Dimension.AGENT: "agent_id",
}
QUARTER_ONLY = {kpis.Dimension.QUEUE, kpis.Dimension.AGENT}


@dataclass(frozen=True)
class ContactFilters:
    """Restrict contacts to some slice values (None: any). Ids for hotline/entity/service/site/
    agent."""

    hotline: int | None = None
    entity: int | None = None
    service: int | None = None
    language: str | None = None
    channel: str | None = None
    site: int | None = None
    queue: str | None = None
    agent: int | None = None

    def q(self) -> Q:
        q = Q()
        for dimension, column in COLUMN.items():
            value = getattr(self, str(dimension))
            if value is not None:
                q &= Q(**{column: value})
        return q

    def uses_quarter_only(self) -> bool:
        return any(getattr(self, str(d)) is not None for d in QUARTER_ONLY)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=center_tz())


def _sums() -> dict[str, Any]:
    return {name: Sum(name) for name in COUNTER_FIELDS} | {"max_wait": Max("max_wait")}


def contact_totals(
    *,
    start: date,
    end: date,
    by: tuple[kpis.Dimension | str, ...] = (),
    granularity: kpis.Granularity | str | None = None,
    filters: ContactFilters = ContactFilters(),
) -> dict[tuple, kpis.Totals]:
    """Totals of contacts offered on local days [start, end), keyed (period?, *slice values).

    Periods are ``date``s for day and month, aware datetimes (center time) for 15 minutes
    and hours; slice values are ids (hotline, entity, service, agent) or codes.
    """
    if end <= start:
        raise DomainError("the period must end after it starts", field="end")
    by = tuple(kpis.Dimension(d) for d in by)
    granularity = kpis.Granularity(granularity) if granularity else None
    tz = center_tz()
    columns = [COLUMN[d] for d in by]
    fine = (
        granularity in (kpis.Granularity.QUARTER_HOUR, kpis.Granularity.HOUR)
        or any(d in QUARTER_ONLY for d in by)
        or filters.uses_quarter_only()
    )
    # Periods are grouped on the stored interval/day and folded into hours, days and months
    # here: no per-row time-zone function in the database (SQLite would run it in Python).
    if fine:
        rows = InteractionRollup.objects.filter(
            filters.q(), interval_start__gte=day_start(start), interval_start__lt=day_start(end)
        )
        stored = "interval_start"
    else:
        rows = DailyRollup.objects.filter(filters.q(), day__gte=start, day__lt=end)
        stored = "day"
    if granularity is not None:
        columns = [stored, *columns]
    if not columns:
        agg = rows.aggregate(**_sums())
        return {(): totals_from_row(agg)} if agg["offered"] is not None else {}
    out: dict[tuple, kpis.Totals] = {}
    for row in rows.values(*columns).annotate(**_sums()).order_by():
        key = tuple(row[c] for c in columns)
        if granularity is not None:
            key = (_normal_period(key[0], granularity, tz), *key[1:])
        out[key] = out[key] + totals_from_row(row) if key in out else totals_from_row(row)
    return out


def _normal_period(value, granularity, tz):
    if isinstance(value, datetime):
        local = value.astimezone(tz)
        if granularity in (kpis.Granularity.DAY, kpis.Granularity.MONTH):
            value = local.date()
        else:
            return kpis.period_start(local, granularity, tz)
    return value.replace(day=1) if granularity == kpis.Granularity.MONTH else value


def contact_summary(
    *, start: date, end: date, filters: ContactFilters = ContactFilters()
) -> kpis.Totals:
    """All contacts of the period as one Totals (zero totals when there were none)."""
    return contact_totals(start=start, end=end, filters=filters).get((), kpis.Totals(
        answered_within=dict.fromkeys(kpis.THRESHOLDS, 0),
        abandoned_within=dict.fromkeys(kpis.THRESHOLDS, 0),
    ))  # fmt: skip


def case_totals(
    *,
    start: date,
    end: date,
    entity: int | None = None,
    by_entity: bool = False,
    granularity: kpis.Granularity | str | None = None,
) -> dict[tuple, kpis.CaseTotals]:
    """Case totals of local days [start, end) from the case roll-ups."""
    rows = CaseRollup.objects.filter(day__gte=start, day__lt=end)
    if entity is not None:
        rows = rows.filter(entity_id=entity)
    columns: list[str] = []
    if granularity:
        granularity = kpis.Granularity(granularity)
        if granularity == kpis.Granularity.DAY:
            columns.append("day")
        elif granularity == kpis.Granularity.MONTH:
            rows = rows.annotate(period=TruncMonth("day"))
            columns.append("period")
        else:
            raise DomainError("case figures are kept per day", field="granularity")
    if by_entity:
        columns.append("entity_id")
    sums = {k: Sum(k) for k in ("created", "completed", "resolved", "resolved_within_sla")}
    out: dict[tuple, kpis.CaseTotals] = {}
    if not columns:
        agg = rows.aggregate(**sums)
        return {(): kpis.CaseTotals(**{k: v or 0 for k, v in agg.items()})}
    for row in rows.values(*columns).annotate(**sums).order_by():
        key = tuple(row[c] for c in columns)
        out[key] = kpis.CaseTotals(**{k: row[k] or 0 for k in sums})
    return out


def csat_counts(*, start: date, end: date, entity: int | None = None) -> tuple[int, int] | None:
    """(satisfied, rated) from the portal's ratings of the period, or None when the portal
    keeps no ratings (then CSAT comes from another survey: :func:`kpis.csat_from_counts`)."""
    try:
        rating = apps.get_model("portal", "Rating")
    except LookupError:
        return None
    ratings = rating.objects.filter(created_at__gte=day_start(start), created_at__lt=day_start(end))
    if entity is not None:
        ratings = ratings.filter(case__entity_id=entity)
    agg = ratings.aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=kpis.SATISFIED_SCORE))
    )
    return agg["satisfied"], agg["rated"]


def agent_state_seconds(
    *, start: datetime, end: datetime, agent: int | None = None
) -> dict[str, float] | None:
    """Seconds per desk state in [start, end) from the desk's state history, or None when the
    desk keeps none (then occupancy needs staffed seconds as an input: :func:`kpis.occupancy`)."""
    try:
        history = apps.get_model("desk", "AgentStateChange")
    except LookupError:
        return None
    rows = history.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    if agent is not None:
        rows = rows.filter(agent_id=agent)
    periods = (
        kpis.StatePeriod(agent=a, state=s, started_at=b, ended_at=e)
        for a, s, b, e in rows.values_list("agent_id", "state", "started_at", "ended_at")
    )
    return kpis.state_seconds(periods, start=start, end=end)


def month_days(month: date) -> tuple[date, date]:
    """[first day, first day of the next month) of ``month``."""
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)
