"""Back-fill: days of realistic history written as Interaction rows (and a few Cases).

The history is not invented row by row: the fast simulator runs the traffic model through the
routing engine on a demo-scaled center, and each simulated contact becomes one Interaction
with the timings it really had in the run (offered, answered after its wait, ended after its
talk time, wrap-up ended), its outcome (resolved on first contact, transferred, case opened,
abandoned, call-back requested) and its agent (a demo agent account standing in for the
simulated agent). A few answered contacts per day open a real Case through ``case_create``.

Rows are written through the bulk path (``bulk_create`` in batches; no per-row signals), then
the KPI roll-ups are recomputed from the first back-filled day with the insights room's
``rollups_rebuild`` command when it is installed.

Idempotent: every simulated contact has ``external_id = "sim:<YYYYMMDD>:<n>"`` and a day that
already has simulated rows is skipped, so running it again adds nothing (and a longer run only
fills the missing days).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from tawasul.accounts.models import Role, User
from tawasul.directory.models import Entity, Hotline
from tawasul.interactions.models import Interaction, Outcome
from tawasul.sim.centers import center_109
from tawasul.sim.fast import ABANDONED, ANSWERED, CALLBACK, simulate
from tawasul.sim.traffic import TrafficModel

log = logging.getLogger(__name__)

PREFIX = "sim:"
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


def backfill(
    *,
    days: int = 90,
    scale: float = DEMO_SCALE,
    agents: int | None = None,
    seed: int = 109,
    end: date | None = None,
    batch_size: int = 2000,
    cases_per_day: int = 2,
    rebuild_rollups: bool = True,
) -> BackfillResult:
    """Write ``days`` days of history ending the day before ``end`` (default: today, local).

    ``scale`` is the share of "109" traffic (1 = ~350,000 contacts a month); ``agents``
    defaults to 300 x scale (at least 12) so the service stays realistic at any scale.
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    end = end or timezone.localdate()
    first = end - timedelta(days=days)
    existing = days_with_history(first, end - timedelta(days=1))
    if len(existing) == days:
        return BackfillResult(0, days, 0, 0, "unchanged")

    clock = _Phases()
    start_local = datetime.combine(first, time(0), tzinfo=tz)
    model = TrafficModel.center_109(scale=scale, start=datetime.combine(first, time(0)))
    entities = {e.code: e for e in Entity.objects.all()}
    model = _restrict(model, set(entities))
    arrivals = model.arrivals(days, seed)
    n_agents = agents or max(12, round(300 * scale))
    center = center_109(model, days=days, agents=n_agents, seed=seed)
    result = simulate(center, arrivals, horizon=days * 86400.0)
    clock.lap("simulate")

    hotlines = {h.number: h for h in Hotline.objects.all()}
    staff = list(
        User.objects.filter(role=Role.AGENT, is_active=True)
        .exclude(username="integration")
        .order_by("pk")
    )
    rng = random.Random(seed)
    rows: list[Interaction] = []
    answered_by_day: dict[date, list[Interaction]] = {}
    per_day_n: dict[date, int] = {}
    written_days: set[date] = set()
    for a, outcome, wait, agent_ix in zip(
        result.contacts, result.outcomes, result.waits, result.agent_of, strict=True
    ):
        offered = start_local + timedelta(seconds=a.t)
        day = offered.astimezone(tz).date()
        if day in existing or day >= end:
            continue
        n = per_day_n.get(day, 0)
        per_day_n[day] = n + 1
        written_days.add(day)
        row = Interaction(
            channel=a.channel,
            direction="in",
            hotline=hotlines.get(a.hotline),
            entity=entities.get(a.entity),
            language=a.language,
            queue=a.entity,
            external_id=_external_id(day, n),
            offered_at=offered,
        )
        if outcome == ANSWERED:
            row.answered_at = offered + timedelta(seconds=wait)
            row.ended_at = row.answered_at + timedelta(seconds=a.handle)
            row.wrapup_ended_at = row.ended_at + timedelta(seconds=center.queues[0].wrap_up or 0)
            if staff:
                row.agent = staff[(agent_ix or 0) % len(staff)]
            roll = rng.random()
            if roll < FIRST_CONTACT_RESOLUTION:
                row.outcome = Outcome.RESOLVED_FIRST_CONTACT
            elif roll < FIRST_CONTACT_RESOLUTION + TRANSFER_RATE:
                row.outcome = Outcome.TRANSFERRED
            else:
                row.outcome = Outcome.CASE_OPENED
                answered_by_day.setdefault(day, []).append(row)
        elif outcome == ABANDONED:
            row.ended_at = offered + timedelta(seconds=wait)
            row.outcome = Outcome.ABANDONED
        elif outcome == CALLBACK:
            row.ended_at = offered + timedelta(seconds=wait)
            row.outcome = Outcome.CALLBACK_REQUESTED
        else:  # never served (not expected with the drain shifts): leave no pending history
            continue
        rows.append(row)

    clock.lap("rows")
    with transaction.atomic():
        for i in range(0, len(rows), batch_size):
            Interaction.objects.bulk_create(rows[i : i + batch_size], ignore_conflicts=True)
    clock.lap("insert")
    n_cases = _open_cases(answered_by_day, cases_per_day, rng)
    clock.lap("cases")
    rollups = _refresh_rollups(first) if rebuild_rollups and rows else "not refreshed"
    clock.lap("roll-ups")
    return BackfillResult(len(written_days), len(existing), len(rows), n_cases, rollups, clock.laps)


class _Phases:
    """Wall time of each phase, for the summary line (where does a slow back-fill go?)."""

    def __init__(self) -> None:
        import time as _time

        self._now = _time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = now - self._last
        self._last = now


def _restrict(model: TrafficModel, codes: set[str]) -> TrafficModel:
    """The model limited to the entities present in this installation's directory."""
    from dataclasses import replace

    mix = {code: w for code, w in model.entities.items() if code in codes}
    if not mix:
        raise CommandError("no entity of the demo directory is installed: run `tawasul seed demo`")
    return replace(model, entities=mix)


def _open_cases(by_day: dict[date, list[Interaction]], per_day: int, rng: random.Random) -> int:
    """A few real cases per day through ``case_create``, dated when the contact happened."""
    from tawasul.cases.models import Case
    from tawasul.cases.services import case_create
    from tawasul.directory import demo_data

    templates: dict[str, list[dict]] = {}
    for tpl in demo_data.DEMO_CASE_TEMPLATES:
        templates.setdefault(tpl["entity"], []).append(tpl)
    opened = 0
    for _day, interactions in sorted(by_day.items()):
        candidates = [
            i for i in interactions if i.entity is not None and i.entity.code in templates
        ]
        for interaction in rng.sample(candidates, min(per_day, len(candidates))):
            tpl = rng.choice(templates[interaction.entity.code])
            arabic = interaction.language == "ar"
            stored = Interaction.objects.filter(external_id=interaction.external_id).first()
            if stored is None or stored.cases.exists():
                continue
            when = interaction.ended_at or interaction.offered_at
            try:
                with transaction.atomic():
                    case = case_create(
                        actor=interaction.agent,
                        kind=tpl["kind"],
                        entity=interaction.entity,
                        subject=tpl["subject_ar"] if arabic else tpl["subject_en"],
                        description=tpl["description_ar"] if arabic else tpl["description_en"],
                        priority=tpl["priority"],
                        hotline=interaction.hotline,
                        channel=interaction.channel,
                        language=interaction.language,
                        interaction=stored,
                        now=when,
                    )
                    Case.objects.filter(pk=case.pk).update(created_at=when)
            except Exception:  # one odd template must not stop the history
                log.exception("back-fill: could not open a case for %s", interaction.external_id)
                continue
            opened += 1
    return opened


def _refresh_rollups(first: date) -> str:
    """Recompute the roll-ups from the first back-filled day with the insights command."""
    try:
        call_command("rollups_rebuild", since=first.isoformat(), stdout=_Sink())
    except (CommandError, LookupError) as exc:  # no insights room in this installation
        return f"skipped ({exc})"
    return f"rebuilt since {first}"


class _Sink:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
