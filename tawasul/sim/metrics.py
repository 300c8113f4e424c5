"""KPIs of a simulation run, with the center's one KPI module when it is installed.

``tawasul.insights.kpis`` holds the definitions every screen and report uses (pure functions
over ``Totals``); the simulator fills a ``Totals`` and asks that module for the ratios, so a
simulated service level means exactly what the wallboard's does. If that module cannot be
imported (a stripped-down install running only the planner tools), ``LocalTotals`` and the
functions below are a **local equivalent** with the same definitions: service level with
abandons counted against, ASA over answered contacts, AHT = talk + hold + wrap-up over handled,
short abandons (under 5 s) in neither offered nor abandoned, occupancy = handling ÷ (handling +
available).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

THRESHOLDS: tuple[int, ...] = (10, 20, 30, 60)
SHORT_ABANDON_SECONDS = 5.0

try:
    from tawasul.insights import kpis as _kpis
except ImportError:  # pragma: no cover - exercised only without the insights room
    _kpis = None

KPI_SOURCE = "tawasul.insights.kpis" if _kpis is not None else "tawasul.sim.metrics (local)"


@dataclass(slots=True)
class LocalTotals:
    """LOCAL EQUIVALENT of ``tawasul.insights.kpis.Totals`` (used only without insights)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    callbacks: int = 0
    ivr_handled: int = 0
    outbound: int = 0
    answered_within: dict[int, int] = field(default_factory=dict)
    abandoned_within: dict[int, int] = field(default_factory=dict)
    sum_answer_wait: float = 0.0
    max_wait: float = 0.0
    sum_talk: float = 0.0
    sum_hold: float = 0.0
    sum_wrap: float = 0.0
    resolved_first_contact: int = 0
    transfers: int = 0


def new_totals(thresholds: tuple[int, ...] = THRESHOLDS) -> Any:
    """An empty ``Totals`` of the KPI module (or the local equivalent)."""
    cls = _kpis.Totals if _kpis is not None else LocalTotals
    return cls(
        answered_within=dict.fromkeys(thresholds, 0), abandoned_within=dict.fromkeys(thresholds, 0)
    )


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


def summary(
    totals: Any, *, handling_seconds: float, staffed_seconds: float, threshold: int = 20
) -> dict[str, float | int | None]:
    """The numbers ``tawasul simulate`` prints: offered, answered, abandoned, answer and
    abandonment rates, service level within ``threshold`` s (abandons against), ASA, longest
    wait, AHT and occupancy (staffed = ready time of logged-in agents, i.e. handling +
    available)."""
    available = max(staffed_seconds - handling_seconds, 0.0)
    if _kpis is not None:
        out = {
            "offered": totals.offered,
            "answered": totals.answered,
            "abandoned": totals.abandoned,
            "short_abandoned": totals.short_abandoned,
            "callbacks": totals.callbacks,
            "answer_rate": _kpis.answer_rate(totals),
            "abandon_rate": _kpis.abandon_rate(totals),
            "service_level": _kpis.service_level(totals, threshold=threshold),
            "asa": _kpis.asa(totals),
            "longest_wait": _kpis.longest_wait(totals),
            "aht": _kpis.aht(totals),
            "occupancy": _kpis.occupancy(
                handling_seconds=handling_seconds, available_seconds=available
            ),
        }
    else:  # LOCAL EQUIVALENT, same definitions as the KPI module
        out = {
            "offered": totals.offered,
            "answered": totals.answered,
            "abandoned": totals.abandoned,
            "short_abandoned": totals.short_abandoned,
            "callbacks": totals.callbacks,
            "answer_rate": _ratio(totals.answered, totals.offered),
            "abandon_rate": _ratio(totals.abandoned, totals.offered),
            "service_level": _ratio(totals.answered_within[threshold], totals.offered),
            "asa": _ratio(totals.sum_answer_wait, totals.answered),
            "longest_wait": totals.max_wait if totals.offered else None,
            "aht": _ratio(totals.sum_talk + totals.sum_hold + totals.sum_wrap, totals.answered),
            "occupancy": _ratio(handling_seconds, handling_seconds + available),
        }
    return out


def format_summary(kpis: dict[str, float | int | None], *, threshold: int = 20) -> list[str]:
    """Human lines for a summary (used by the command and the benchmark)."""

    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.1%}"

    def sec(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f} s"

    return [
        f"offered          {kpis['offered']:,}",
        f"answered         {kpis['answered']:,}  ({pct(kpis['answer_rate'])})",
        f"abandoned        {kpis['abandoned']:,}  ({pct(kpis['abandon_rate'])}; "
        f"short abandons {kpis['short_abandoned']:,} not counted)",
        f"call-backs       {kpis['callbacks']:,}",
        f"service level    {pct(kpis['service_level'])}  (answered within {threshold} s ÷ "
        "offered, abandons counted against)",
        f"ASA              {sec(kpis['asa'])}",
        f"longest wait     {sec(kpis['longest_wait'])}",
        f"AHT              {sec(kpis['aht'])}  (talk + wrap-up)",
        f"occupancy        {pct(kpis['occupancy'])}",
    ]
