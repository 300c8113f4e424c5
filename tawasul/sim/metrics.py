"""KPIs of a simulation run, through the center's one KPI module.

The simulator fills a ``tawasul.insights.kpis.Totals`` and asks that module for the ratios, so a
simulated service level means exactly what the wallboard's does.
"""

from __future__ import annotations

from typing import Any

from tawasul.insights import kpis as _kpis

THRESHOLDS: tuple[int, ...] = (10, 20, 30, 60)
SHORT_ABANDON_SECONDS = 5.0
KPI_SOURCE = "tawasul.insights.kpis"


def new_totals(thresholds: tuple[int, ...] = THRESHOLDS) -> _kpis.Totals:
    """An empty ``Totals`` of the KPI module."""
    return _kpis.Totals(
        answered_within=dict.fromkeys(thresholds, 0), abandoned_within=dict.fromkeys(thresholds, 0)
    )


def summary(
    totals: Any, *, handling_seconds: float, staffed_seconds: float, threshold: int = 20
) -> dict[str, float | int | None]:
    """The numbers ``tawasul simulate`` prints: offered, answered, abandoned, answer and
    abandonment rates, service level within ``threshold`` s (abandons against), ASA, longest
    wait, AHT and occupancy (staffed = ready time of logged-in agents, i.e. handling +
    available)."""
    available = max(staffed_seconds - handling_seconds, 0.0)
    return {
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
