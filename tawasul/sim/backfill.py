"""Back-fill: days of realistic history written as Interaction rows (and a few Cases).

The history is not invented row by row: the fast simulator runs the traffic model through the
routing engine on a demo-scaled center, and each simulated contact becomes one Interaction
with the timings it really had in the run (offered, answered after its wait, ended after its
talk time, wrap-up ended), its outcome (resolved on first contact, transferred, case opened,
abandoned, call-back requested), its agent (a demo agent account standing in for the
simulated agent) and that agent's site. A few answered contacts per day open a real Case
through ``case_create``.

Each day is written in one short transaction, newest day first, so reports fill from the
most recent month while the rest is still being written, and other writers (the live demo
stream, the web server) get the database between days. In that transaction the rows go in
through the bulk path (``bulk_create``, no per-row signals) and are counted in the KPI
roll-ups in memory with one set of bulk writes (``insights.services.rollups_add_bulk``), so
no roll-up rebuild is needed afterwards (``tawasul rollups_rebuild`` gives the same rows).

Idempotent: every simulated contact has ``external_id = "sim:<YYYYMMDD>:<n>"`` and a day that
already has simulated rows is skipped, so running it again adds nothing (and a longer run only
fills the missing days). With ``through`` (e.g. now) the current day is written too, up to
that instant, so the wallboard's "today" has the morning's traffic when the demo starts.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tawasul.accounts.models import Role, User
from tawasul.directory.models import Entity, Hotline
from tawasul.interactions.models import Interaction, Outcome
from tawasul.sim.centers import center_109
from tawasul.sim.fast import ABANDONED, ANSWERED, CALLBACK, Center, simulate
from tawasul.sim.traffic import TrafficModel

log = logging.getLogger(__name__)

PREFIX = "sim:"
# A small center widens a contact from its entity's specialists to every agent who speaks the
# language sooner than "109" does (60 s): with few agents, specialists are rarely free.
RELAX_AFTER = 15.0
DEMO_SCALE = 1 / 20  # of "109" traffic: ~580 contacts a day, ~52,000 over 90 days
FIRST_CONTACT_RESOLUTION = 0.90  # "> 90 % solved on the first call" (seed 000)
TRANSFER_RATE = 0.03


@dataclass(frozen=True)
class BackfillResult:
    days_written: int
    days_skipped: int
    interactions: int
    cases: int
    rollups: str
    seconds: dict[str, float] | None = None

    def summary(self) -> str:
        phases = ""
        if self.seconds:
            phases = " [" + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items()) + "]"
        return (
            f"{self.interactions:,} simulated interactions and {self.cases} cases over "
            f"{self.days_written} days ({self.days_skipped} days already had history); "
            f"roll-ups: {self.rollups}{phases}"
        )


def _external_id(day: date, n: int) -> str:
    return f"{PREFIX}{day:%Y%m%d}:{n}"


def days_with_history(first: date, last: date) -> set[date]:
    """Days in [first, last] that already have simulated interactions (one query a day)."""
    found: set[date] = set()
    day = first
    while day <= last:
        prefix = f"{PREFIX}{day:%Y%m%d}:"
        if Interaction.objects.filter(external_id__startswith=prefix).exists():
            found.add(day)
        day += timedelta(days=1)
    return found


@dataclass
class _Day:
    """The rows of one local day, and its answered contacts that opened a case."""

    rows: list[Interaction] = field(default_factory=list)
    case_openers: list[Interaction] = field(default_factory=list)


def demo_agents(scale: float) -> int:
    """Agents for ``scale`` x "109" traffic: fewer than proportional would do at scale 1, more
    at small scale (square-root staffing), so the simulated history answers about as "109"
    does (1/20 of the traffic: 24 agents, ~96 % within 20 s, ASA ~10 s)."""
    return max(12, round(300 * scale**0.85))


def history_center(model: TrafficModel, *, days: int, agents: int, seed: int) -> Center:
    """The simulated center behind the history: "109"'s rules, sized by the caller."""
    return center_109(model, days=days, agents=agents, seed=seed, relax_after=RELAX_AFTER)


def backfill(
    *,
    days: int = 90,
    scale: float = DEMO_SCALE,
    agents: int | None = None,
    seed: int = 109,
    end: date | None = None,
    through: datetime | None = None,
    batch_size: int = 2000,
    cases_per_day: int = 2,
    on_day: Callable[[date, int], None] | None = None,
) -> BackfillResult:
    """Write ``days`` days of history ending the day before ``end`` (default: today, local),
    newest day first; with ``through`` also ``end``'s day up to that instant (``end`` then
    defaults to its local day). ``on_day(day, contacts)`` is told of each day written.

    ``scale`` is the share of "109" traffic (1 = ~350,000 contacts a month); ``agents``
    defaults to :func:`demo_agents` so the service stays realistic at any scale.
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    if end is None:
        end = through.astimezone(tz).date() if through else timezone.localdate()
    first = end - timedelta(days=days)
    last = end if through else end - timedelta(days=1)
    span = (last - first).days + 1
    existing = days_with_history(first, last)
    if len(existing) == span:
        return BackfillResult(0, len(existing), 0, 0, "unchanged")

    clock = _Phases()
    by_day = _simulated_days(
        first=first, span=span, last=last, through=through, existing=existing,
        scale=scale, agents=agents, seed=seed,
    )  # fmt: skip
    clock.lap("simulate")
    rng = random.Random(seed)
    counted = apps.is_installed("tawasul.insights")
    horizon = through or datetime.combine(end, time(0), tzinfo=tz)
    office = _BackOffice.of_directory(seed=seed, horizon=horizon)
    n_cases = n_rows = written = 0
    for day in sorted(by_day, reverse=True):
        opened = _write_day(
            day,
            by_day[day],
            batch_size,
            cases_per_day,
            rng,
            clock,
            counted=counted,
            back_office=office,
        )
        if opened is None:  # written meanwhile by another back-fill: nothing lost, skip it
            continue
        written += 1
        n_cases += opened
        n_rows += len(by_day[day].rows)
        if on_day is not None:
            on_day(day, len(by_day[day].rows))
    rollups = f"counted as written ({n_rows:,} contacts)" if counted else "no insights room"
    return BackfillResult(written, len(existing), n_rows, n_cases, rollups, clock.laps)


def _simulated_days(
    *,
    first: date,
    span: int,
    last: date,
    through: datetime | None,
    existing: set[date],
    scale: float,
    agents: int | None,
    seed: int,
) -> dict[date, _Day]:
    """Run the traffic model through the routing engine; the contacts as Interactions per day
    (days in ``existing``, and contacts still going on at ``through``, left out)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start_local = datetime.combine(first, time(0), tzinfo=tz)
    model = TrafficModel.center_109(scale=scale, start=datetime.combine(first, time(0)))
    entities = {e.code: e for e in Entity.objects.all()}
    model = _restrict(model, set(entities))
    arrivals = model.arrivals(span, seed)
    center = history_center(model, days=span, agents=agents or demo_agents(scale), seed=seed)
    result = simulate(center, arrivals, horizon=span * 86400.0)

    hotlines = {h.number: h for h in Hotline.objects.all()}
    staff = list(
        User.objects.filter(role=Role.AGENT, is_active=True)
        .exclude(username="integration")
        .order_by("pk")
    )
    wrap_up = timedelta(seconds=center.queues[0].wrap_up or 0)
    rng = random.Random(seed)
    by_day: dict[date, _Day] = {}
    for a, outcome, wait, agent_ix in zip(
        result.contacts, result.outcomes, result.waits, result.agent_of, strict=True
    ):
        offered = start_local + timedelta(seconds=a.t)
        day = offered.astimezone(tz).date()
        if day in existing or day > last:
            continue
        slot = by_day.setdefault(day, _Day())
        row = Interaction(
            channel=a.channel,
            direction="in",
            hotline=hotlines.get(a.hotline),
            entity=entities.get(a.entity),
            language=a.language,
            queue=a.entity,
            external_id=_external_id(day, len(slot.rows)),
            offered_at=offered,
        )
        if outcome == ANSWERED:
            row.answered_at = offered + timedelta(seconds=wait)
            row.ended_at = row.answered_at + timedelta(seconds=a.handle)
            row.wrapup_ended_at = row.ended_at + wrap_up
            if staff:
                agent = staff[(agent_ix or 0) % len(staff)]
                row.agent, row.site_id = agent, agent.site_id
            roll = rng.random()
            if roll < FIRST_CONTACT_RESOLUTION:
                row.outcome = Outcome.RESOLVED_FIRST_CONTACT
            elif roll < FIRST_CONTACT_RESOLUTION + TRANSFER_RATE:
                row.outcome = Outcome.TRANSFERRED
            else:
                row.outcome = Outcome.CASE_OPENED
        elif outcome == ABANDONED:
            row.ended_at = offered + timedelta(seconds=wait)
            row.outcome = Outcome.ABANDONED
        elif outcome == CALLBACK:
            row.ended_at = offered + timedelta(seconds=wait)
            row.outcome = Outcome.CALLBACK_REQUESTED
        else:  # never served (not expected with the drain shifts): leave no pending history
            continue
        if through is not None and (row.wrapup_ended_at or row.ended_at) > through:
            continue  # still going on at ``through``: the live demo stream has the present
        slot.rows.append(row)
        if row.outcome == Outcome.CASE_OPENED:
            slot.case_openers.append(row)
    return {day: slot for day, slot in by_day.items() if slot.rows}


def _write_day(
    when: date,
    day: _Day,
    batch_size: int,
    cases_per_day: int,
    rng: random.Random,
    clock,
    *,
    counted: bool,
    back_office: _BackOffice,
) -> int | None:
    """One day in one transaction: rows, their roll-ups, a few cases. Returns the cases
    opened, or None when the day was written meanwhile by another back-fill."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                Interaction.objects.bulk_create(day.rows, batch_size=batch_size)
                clock.lap("insert")
                if counted:
                    from tawasul.insights.services import rollups_add_bulk

                    rollups_add_bulk(interactions=day.rows)
                    clock.lap("roll-ups")
                opened = _open_cases(
                    day.case_openers, cases_per_day, rng, back_office, counted=counted
                )
                clock.lap("cases")
            return opened
        except IntegrityError:
            clock.lap("insert")
            if days_with_history(when, when):
                return None
            # Otherwise a live contact created one of today's roll-up rows between our
            # look-up and our insert: the whole day was rolled back, so write it again.
    raise CommandError(f"could not write the history of {when} (roll-up rows kept changing)")


class _Phases:
    """Wall time per phase (summed over days), for the summary line (where does it go?)."""

    def __init__(self) -> None:
        import time as _time

        self._now = _time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _restrict(model: TrafficModel, codes: set[str]) -> TrafficModel:
    """The model limited to the entities present in this installation's directory."""
    from dataclasses import replace

    mix = {code: w for code, w in model.entities.items() if code in codes}
    if not mix:
        raise CommandError("no entity of the demo directory is installed: run `tawasul seed demo`")
    return replace(model, entities=mix)


@dataclass(frozen=True)
class _BackOffice:
    """Who works the back-filled cases: each entity's departments and back-office staff (the
    demo's ``bo.*`` accounts, else the center's supervisors), and the moment the history
    ends (no step after it)."""

    departments: dict[int, list]
    officers: dict[int, list[User]]
    seed: int
    horizon: datetime

    @classmethod
    def of_directory(cls, *, seed: int, horizon: datetime) -> _BackOffice:
        from tawasul.sim.demo_cases import back_office_of

        departments: dict[int, list] = {}
        officers: dict[int, list[User]] = {}
        for entity_id in Entity.objects.order_by("pk").values_list("pk", flat=True):
            departments[entity_id], officers[entity_id] = back_office_of(entity_id)
        return cls(departments, officers, seed, horizon)


def _open_cases(
    interactions: list[Interaction],
    per_day: int,
    rng: random.Random,
    office: _BackOffice,
    *,
    counted: bool,
) -> int:
    """A few real cases of one day through ``case_create``, dated when the contact happened,
    then worked by the entity's back office up to the end of the history (each step through
    the case services, dated when it happened), and counted in the case roll-ups as they
    stand."""
    from tawasul.sim.demo_cases import (
        demo_case_open,
        demo_case_work,
        template_pick,
        templates_for,
    )

    candidates = [i for i in interactions if i.entity is not None and templates_for(i.entity.code)]
    opened = 0
    for interaction in rng.sample(candidates, min(per_day, len(candidates))):
        tpl = template_pick(interaction.entity.code, rng)
        when = interaction.ended_at or interaction.offered_at
        try:
            with transaction.atomic():
                case = demo_case_open(
                    interaction=interaction, template=tpl, actor=interaction.agent, when=when
                )
                # Its own generator per contact: the same case gets the same life whatever
                # else the run writes (the back-fill is deterministic).
                case = demo_case_work(
                    case=case,
                    rng=random.Random(f"{office.seed}:{interaction.external_id}"),
                    departments=office.departments.get(case.entity_id, []),
                    officers=office.officers.get(case.entity_id, []),
                    router=interaction.agent,
                    horizon=office.horizon,
                )
                if counted:
                    from tawasul.insights.services import case_rollup_record

                    case_rollup_record(case=case)
        except Exception:  # one odd template must not stop the history
            log.exception("back-fill: could not open a case for %s", interaction.external_id)
            continue
        opened += 1
    return opened
