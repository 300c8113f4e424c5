"""The center's KPIs: one definition of each number, used by every screen, report and bulletin.

Everything here is pure Python over plain records so each definition can be checked by hand:

* :class:`ContactRecord` — one contact (an Interaction reduced to what the KPIs read);
* :func:`contribution` — what one ended contact adds to the counters (the counting rules);
* :class:`Totals` — sums and counts, never ratios, so totals of any slice simply add up
  (this is also exactly what a roll-up row stores);
* the KPI functions (:func:`answer_rate`, :func:`service_level`, :func:`asa`, …) turn totals
  into ratios, returning ``None`` when the denominator is zero ("no traffic", shown as "—");
* :func:`aggregate` slices records by dimension and 15-minute/hour/day/month period.

The ORM-backed equivalents (same :class:`Totals`, read from the roll-up tables) live in
:mod:`tawasul.insights.selectors`; ``DEFINITIONS`` feeds the definitions page.

Conventions (industry standard, stated once here):

* Only **inbound** contacts are offered. Outbound contacts (e.g. the call made to honour a
  call-back request) are counted apart (``outbound``) and never change offered/answered.
* A contact counts when it has **ended** (outcome no longer ``pending``); contacts still
  waiting or talking are "live" and shown by the wallboard from the raw rows.
* **Short abandons**: a caller who hangs up before ``short_abandon_seconds`` (default 5 s,
  setting ``INSIGHTS_SHORT_ABANDON_SECONDS``) is a misdial or a change of mind; the contact is
  counted in ``short_abandoned`` only — it is neither offered nor abandoned.
* **IVR-only** contacts (after-hours message, information given by the IVR) never reached the
  queue: counted in ``ivr_handled`` only.
* A **call-back request** (the caller left the queue asking to be called back) is offered,
  not answered and not abandoned (``callbacks``); it therefore lowers the answer rate.
* **Wait** is offered → answered (answered contacts) or offered → hang-up (abandoned, call-back).
* **Talk** excludes hold: the interaction's answered → ended span includes its hold time, so
  talk = (ended − answered) − hold, and handle time = talk + hold + wrap-up.
* A period contains the contacts **offered** in it (interval start = offered time floored to
  15 minutes, UTC); days and months are calendar days and months in the center's TIME_ZONE.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.utils.translation import gettext_lazy as _

# The thresholds (seconds) whose "answered within T" counts the roll-ups keep. Pure functions
# accept any T; the roll-up-backed reports accept these.
THRESHOLDS: tuple[int, ...] = (10, 20, 30, 60)
DEFAULT_SHORT_ABANDON_SECONDS = 5.0

# Interaction.outcome values (kept as strings so this module imports no models).
PENDING = "pending"
ABANDONED = "abandoned"
CALLBACK = "callback"
RESOLVED_FIRST_CONTACT = "resolved"
TRANSFERRED = "transferred"
IVR_ONLY_OUTCOMES = frozenset({"after_hours", "information"})
INBOUND = "in"
OUTBOUND = "out"


class SLVariant(enum.StrEnum):
    """How abandoned contacts count in the service level (see :func:`service_level`)."""

    IGNORED = "ignored"
    AGAINST = "against"
    FOR = "for"


class Dimension(enum.StrEnum):
    """What a report can be sliced by."""

    HOTLINE = "hotline"
    ENTITY = "entity"
    SERVICE = "service"
    LANGUAGE = "language"
    CHANNEL = "channel"
    SITE = "site"
    QUEUE = "queue"
    AGENT = "agent"


class Granularity(enum.StrEnum):
    QUARTER_HOUR = "15min"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One contact as the KPIs see it. Durations in seconds; ``wait`` is None when unknown.

    Dimensions are plain ids/codes: ``hotline``, ``entity``, ``service``, ``site`` and
    ``agent`` are primary keys, ``language``, ``channel`` and ``queue`` codes ("" when unknown).
    """

    offered_at: datetime
    outcome: str
    answered: bool = False
    wait: float | None = None
    talk: float = 0.0
    hold: float = 0.0
    wrap: float = 0.0
    direction: str = INBOUND
    channel: str = "call"
    hotline: int | None = None
    entity: int | None = None
    service: int | None = None
    language: str = ""
    site: int | None = None
    queue: str = ""
    agent: int | None = None

    def dimension(self, dimension: Dimension | str) -> Any:
        return getattr(self, str(dimension))


@dataclass(slots=True)
class Totals:
    """Sums and counts over a set of contacts. Totals of disjoint sets add up (``+``).

    ``answered_within[T]`` / ``abandoned_within[T]``: answered (abandoned, not short) with a
    wait of at most T seconds. ``max_wait`` is the longest wait of any offered contact.
    ``handled`` equals ``answered`` (every answered contact is handled by an agent).
    """

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    callbacks: int = 0
    ivr_handled: int = 0
    outbound: int = 0
    answered_within: dict[int, int] = field(default_factory=lambda: dict.fromkeys(THRESHOLDS, 0))
    abandoned_within: dict[int, int] = field(default_factory=lambda: dict.fromkeys(THRESHOLDS, 0))
    sum_answer_wait: float = 0.0
    max_wait: float = 0.0
    sum_talk: float = 0.0
    sum_hold: float = 0.0
    sum_wrap: float = 0.0
    resolved_first_contact: int = 0
    transfers: int = 0

    @property
    def handled(self) -> int:
        return self.answered

    def __add__(self, other: Totals) -> Totals:
        return _combine(self, other, 1)

    def __sub__(self, other: Totals) -> Totals:
        """Difference of the additive counters; ``max_wait`` is not subtractable and is kept."""
        return _combine(self, other, -1)

    def kpis(
        self, *, threshold: int = 20, variant: SLVariant | str = SLVariant.AGAINST
    ) -> dict[str, float | int | None]:
        """Every contact KPI of these totals, keyed as in ``DEFINITIONS``."""
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "answer_rate": answer_rate(self),
            "abandon_rate": abandon_rate(self),
            "service_level": service_level(self, threshold=threshold, variant=variant),
            "asa": asa(self),
            "longest_wait": longest_wait(self),
            "aht": aht(self),
            "fcr": fcr(self),
            "transfer_rate": transfer_rate(self),
        }


def _combine(a: Totals, b: Totals, sign: int) -> Totals:
    out = Totals()
    for f in fields(Totals):
        name = f.name
        left, right = getattr(a, name), getattr(b, name)
        if name in ("answered_within", "abandoned_within"):
            setattr(out, name, {t: left.get(t, 0) + sign * right.get(t, 0) for t in left | right})
        elif name == "max_wait":
            setattr(out, name, max(left, right) if sign > 0 else left)
        else:
            setattr(out, name, left + sign * right)
    return out


# --- counting rules ----------------------------------------------------------------------------


def contribution(
    record: ContactRecord,
    *,
    short_abandon_seconds: float = DEFAULT_SHORT_ABANDON_SECONDS,
    thresholds: Iterable[int] = THRESHOLDS,
) -> Totals | None:
    """What one contact adds to the totals, or None while it has not ended (pending).

    The single place where the module conventions (docstring above) are applied.
    """
    if record.outcome == PENDING:
        return None
    thresholds = tuple(thresholds)
    totals = Totals(
        answered_within=dict.fromkeys(thresholds, 0), abandoned_within=dict.fromkeys(thresholds, 0)
    )
    if record.direction == OUTBOUND:
        totals.outbound = 1
        return totals
    wait = record.wait
    if record.answered:
        totals.offered = totals.answered = 1
        wait = max(wait or 0.0, 0.0)
        totals.sum_answer_wait = wait
        totals.max_wait = wait
        for t in thresholds:
            totals.answered_within[t] = int(wait <= t)
        totals.sum_hold = max(record.hold, 0.0)
        totals.sum_talk = max(record.talk - totals.sum_hold, 0.0)
        totals.sum_wrap = max(record.wrap, 0.0)
        totals.resolved_first_contact = int(record.outcome == RESOLVED_FIRST_CONTACT)
        totals.transfers = int(record.outcome == TRANSFERRED)
        return totals
    if record.outcome in IVR_ONLY_OUTCOMES:
        totals.ivr_handled = 1
        return totals
    if record.outcome == ABANDONED:
        if wait is not None and wait < short_abandon_seconds:
            totals.short_abandoned = 1
            return totals
        totals.offered = totals.abandoned = 1
        if wait is not None:
            totals.max_wait = max(wait, 0.0)
            for t in thresholds:
                totals.abandoned_within[t] = int(wait <= t)
        return totals
    # Call-back requested, or ended unanswered some other way: offered, never answered.
    totals.offered = 1
    totals.callbacks = int(record.outcome == CALLBACK)
    if wait is not None:
        totals.max_wait = max(wait, 0.0)
    return totals


def totals_of(
    records: Iterable[ContactRecord],
    *,
    short_abandon_seconds: float = DEFAULT_SHORT_ABANDON_SECONDS,
    thresholds: Iterable[int] = THRESHOLDS,
) -> Totals:
    """The totals of some contacts (pending ones are skipped)."""
    thresholds = tuple(thresholds)
    total = Totals(
        answered_within=dict.fromkeys(thresholds, 0), abandoned_within=dict.fromkeys(thresholds, 0)
    )
    for record in records:
        part = contribution(
            record, short_abandon_seconds=short_abandon_seconds, thresholds=thresholds
        )
        if part is not None:
            total = total + part
    return total


# --- contact KPIs --------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def answer_rate(t: Totals) -> float | None:
    """Answer rate = answered ÷ offered (short abandons are in neither)."""
    return _ratio(t.answered, t.offered)


def abandon_rate(t: Totals) -> float | None:
    """Abandonment rate = abandoned ÷ offered (short abandons are in neither)."""
    return _ratio(t.abandoned, t.offered)


def service_level(
    t: Totals, *, threshold: int = 20, variant: SLVariant | str = SLVariant.AGAINST
) -> float | None:
    """Service level: share of offered contacts answered within ``threshold`` seconds.

    Offered already excludes short abandons, so the base is answered-within-T ÷ (offered −
    short abandons). The three standard treatments of the remaining abandons:

    * ``against`` (default): answered within T ÷ offered — every abandon counts as a miss;
    * ``ignored``: answered within T ÷ (offered − abandoned) — abandons leave the base;
    * ``for``: (answered within T + abandoned within T) ÷ offered — an abandon within T
      counts as met (the caller gave up before the center could reasonably answer).

    Raises ``KeyError`` if the totals were not counted for this threshold.
    """
    variant = SLVariant(variant)
    within = t.answered_within[threshold]
    if variant == SLVariant.AGAINST:
        return _ratio(within, t.offered)
    if variant == SLVariant.IGNORED:
        return _ratio(within, t.offered - t.abandoned)
    return _ratio(within + t.abandoned_within[threshold], t.offered)


def asa(t: Totals) -> float | None:
    """Average speed of answer (s) = total wait of answered contacts ÷ answered."""
    return _ratio(t.sum_answer_wait, t.answered)


def longest_wait(t: Totals) -> float | None:
    """Longest wait (s) of any offered contact, answered or not; None without traffic."""
    return t.max_wait if (t.offered or t.max_wait) else None


def aht(t: Totals) -> float | None:
    """Average handle time (s) = (talk + hold + wrap-up) ÷ handled (answered) contacts."""
    return _ratio(t.sum_talk + t.sum_hold + t.sum_wrap, t.handled)


def fcr(t: Totals) -> float | None:
    """First-contact resolution = contacts with outcome "resolved on first contact" ÷ handled."""
    return _ratio(t.resolved_first_contact, t.handled)


def transfer_rate(t: Totals) -> float | None:
    """Transfer rate = handled contacts that ended transferred ÷ handled."""
    return _ratio(t.transfers, t.handled)


# --- agent, case and satisfaction KPIs --------------------------------------------------------

HANDLING_STATES = frozenset({"on_contact", "wrap_up"})
AVAILABLE_STATES = frozenset({"available"})


def occupancy(*, handling_seconds: float, available_seconds: float) -> float | None:
    """Occupancy = handling time ÷ (available + handling time) of staffed agents.

    Handling is time in the desk states "on contact" and "wrap-up"; available is idle time
    ready for a contact. Breaks and logged-out time are not staffed time.
    """
    return _ratio(handling_seconds, handling_seconds + available_seconds)


@dataclass(frozen=True, slots=True)
class StatePeriod:
    """A span an agent spent in one desk state (``ended_at`` None while it lasts)."""

    agent: int
    state: str
    started_at: datetime
    ended_at: datetime | None


def state_seconds(
    periods: Iterable[StatePeriod], *, start: datetime, end: datetime
) -> dict[str, float]:
    """Seconds per state inside [start, end), spans clipped to the window (open spans run to
    ``end``)."""
    out: dict[str, float] = {}
    for period in periods:
        begin = max(period.started_at, start)
        finish = min(period.ended_at or end, end)
        if finish > begin:
            out[period.state] = out.get(period.state, 0.0) + (finish - begin).total_seconds()
    return out


def occupancy_of_states(seconds_by_state: Mapping[str, float]) -> float | None:
    """:func:`occupancy` from :func:`state_seconds` output."""
    handling = sum(v for k, v in seconds_by_state.items() if k in HANDLING_STATES)
    available = sum(v for k, v in seconds_by_state.items() if k in AVAILABLE_STATES)
    return occupancy(handling_seconds=handling, available_seconds=available)


COMPLETED_CASE_STATUSES = frozenset({"resolved", "closed"})


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One case as the case KPIs see it."""

    created_at: datetime
    status: str
    entity: int | None = None
    kind: str = "inquiry"
    resolved_at: datetime | None = None
    resolution_due: datetime | None = None


@dataclass(slots=True)
class CaseTotals:
    """Case counters: ``created``/``completed`` count cases created in the period (completed =
    now resolved or closed); ``resolved``/``resolved_within_sla`` count cases resolved in it."""

    created: int = 0
    completed: int = 0
    resolved: int = 0
    resolved_within_sla: int = 0

    def __add__(self, other: CaseTotals) -> CaseTotals:
        return CaseTotals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def case_resolved_within_sla(case: CaseRecord) -> bool:
    """Resolved no later than its resolution due time; a case with no due time cannot breach."""
    return case.resolved_at is not None and (
        case.resolution_due is None or case.resolved_at <= case.resolution_due
    )


def case_totals(cases: Iterable[CaseRecord], *, start: datetime, end: datetime) -> CaseTotals:
    """Case totals for the period [start, end)."""
    out = CaseTotals()
    for case in cases:
        if start <= case.created_at < end:
            out.created += 1
            out.completed += int(case.status in COMPLETED_CASE_STATUSES)
        if case.resolved_at is not None and start <= case.resolved_at < end:
            out.resolved += 1
            out.resolved_within_sla += int(case_resolved_within_sla(case))
    return out


def case_completion_rate(t: CaseTotals) -> float | None:
    """Case completion rate = cases created in the period now resolved or closed ÷ created."""
    return _ratio(t.completed, t.created)


def sla_compliance(t: CaseTotals) -> float | None:
    """SLA compliance = cases resolved in the period by their resolution due time ÷ resolved."""
    return _ratio(t.resolved_within_sla, t.resolved)


SATISFIED_SCORE = 4


def csat(scores: Iterable[int]) -> float | None:
    """CSAT = ratings of 4 or 5 (on 1–5) ÷ ratings ("top-two-box")."""
    scores = list(scores)
    return _ratio(sum(1 for s in scores if s >= SATISFIED_SCORE), len(scores))


def csat_from_counts(*, satisfied: int, rated: int) -> float | None:
    """:func:`csat` when only the counts are known (e.g. from another survey system)."""
    return _ratio(satisfied, rated)


# --- slicing -------------------------------------------------------------------------------------


def period_start(moment: datetime, granularity: Granularity | str, tz: tzinfo) -> datetime:
    """Start of the 15-minute/hour/day/month period containing ``moment`` (aware, in ``tz``)."""
    local = moment.astimezone(tz)
    granularity = Granularity(granularity)
    if granularity == Granularity.QUARTER_HOUR:
        return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    if granularity == Granularity.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == Granularity.DAY:
        return day
    return day.replace(day=1)


def quarter_hour(moment: datetime) -> datetime:
    """The 15-minute interval start (same time zone as ``moment``) a roll-up row is keyed by."""
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def aggregate(
    records: Iterable[ContactRecord],
    *,
    by: Iterable[Dimension | str] = (),
    granularity: Granularity | str | None = None,
    tz: tzinfo | None = None,
    short_abandon_seconds: float = DEFAULT_SHORT_ABANDON_SECONDS,
    thresholds: Iterable[int] = THRESHOLDS,
) -> dict[tuple, Totals]:
    """Totals per (period start?, *dimension values); the period comes first when asked for."""
    by = tuple(Dimension(d) for d in by)
    thresholds = tuple(thresholds)
    if granularity is not None and tz is None:
        raise ValueError("a time zone is needed to cut days and months")
    out: dict[tuple, Totals] = {}
    for record in records:
        part = contribution(
            record, short_abandon_seconds=short_abandon_seconds, thresholds=thresholds
        )
        if part is None:
            continue
        key = tuple(record.dimension(d) for d in by)
        if granularity is not None:
            key = (period_start(record.offered_at, granularity, tz), *key)
        out[key] = out[key] + part if key in out else part
    return out


def month_bounds(month: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[first instant, first instant of next month) of a calendar month in ``tz``."""
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=tz)


def with_dimensions(record: ContactRecord, **changes: Any) -> ContactRecord:
    """A copy of ``record`` with some fields changed (for tests and the simulator)."""
    return replace(record, **changes)


# --- definitions page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    key: str
    name: Any
    formula: Any
    unit: str  # "count", "percent", "seconds"


DEFINITIONS: tuple[Definition, ...] = (
    Definition("offered", _("Offered"), _(
        "Inbound contacts that reached a queue and ended, minus short abandons (callers who "
        "hung up within the short-abandon threshold) and contacts served by the IVR alone."
    ), "count"),
    Definition("answered", _("Answered"), _("Offered contacts an agent answered."), "count"),
    Definition("abandoned", _("Abandoned"), _(
        "Offered contacts whose caller hung up before being answered, after the short-abandon "
        "threshold."
    ), "count"),
    Definition("short_abandoned", _("Short abandons"), _(
        "Callers who hung up within the short-abandon threshold; in neither offered nor abandoned."
    ), "count"),
    Definition("answer_rate", _("Answer rate"), _("Answered ÷ offered."), "percent"),
    Definition("abandon_rate", _("Abandonment rate"), _("Abandoned ÷ offered."), "percent"),
    Definition("service_level", _("Service level"), _(
        "Answered within T seconds ÷ offered (abandons counted against). Other variants: "
        "abandons ignored — answered within T ÷ (offered − abandoned); abandons counted for — "
        "(answered within T + abandoned within T) ÷ offered."
    ), "percent"),
    Definition("asa", _("Average speed of answer"), _(
        "Total waiting time of answered contacts ÷ answered."
    ), "seconds"),
    Definition("longest_wait", _("Longest wait"), _(
        "The longest time any offered contact waited, answered or not."
    ), "seconds"),
    Definition("aht", _("Average handle time"), _(
        "(Talk + hold + wrap-up time) ÷ handled contacts; talk excludes hold."
    ), "seconds"),
    Definition("fcr", _("First-contact resolution"), _(
        "Handled contacts with the outcome “resolved on first contact” ÷ handled contacts."
    ), "percent"),
    Definition("transfer_rate", _("Transfer rate"), _(
        "Handled contacts that ended in a transfer ÷ handled contacts."
    ), "percent"),
    Definition("occupancy", _("Occupancy"), _(
        "Time agents spent on contacts and in wrap-up ÷ (that time + time available)."
    ), "percent"),
    Definition("case_completion_rate", _("Case completion rate"), _(
        "Cases created in the period that are now resolved or closed ÷ cases created in it."
    ), "percent"),
    Definition("sla_compliance", _("SLA compliance"), _(
        "Cases resolved in the period by their resolution due time ÷ cases resolved in it."
    ), "percent"),
    Definition("csat", _("Satisfaction (CSAT)"), _(
        "Residents' ratings of 4 or 5 out of 5 ÷ all ratings."
    ), "percent"),
)  # fmt: skip
