"""The live wallboard: what is waiting now (raw rows), how today went (15-minute roll-ups),
and agents by state (the desk's current states). Computed in a handful of grouped queries.

Pushes go to the wallboard group (:func:`tawasul.core.realtime.group_wallboard`): on change
(a contact saved), throttled per process to one per ``INSIGHTS_WALLBOARD_MIN_PUSH_SECONDS``,
and from the periodic task; each open screen also refreshes itself now and then so a change
that fell inside a throttle window shows up soon after.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.core.realtime import group_wallboard, publish
from tawasul.insights import conf, kpis
from tawasul.insights.models import InteractionRollup
from tawasul.insights.services import COUNTER_FIELDS, center_tz, totals_from_row

logger = logging.getLogger(__name__)
EVENT = "wallboard.snapshot"


def _today_start(now: datetime) -> datetime:
    return now.astimezone(center_tz()).replace(hour=0, minute=0, second=0, microsecond=0)


def _kpi_block(totals: kpis.Totals, threshold: int, variant: str) -> dict:
    return {
        "offered": totals.offered,
        "answered": totals.answered,
        "abandoned": totals.abandoned,
        "service_level": kpis.service_level(totals, threshold=threshold, variant=variant),
        "asa": kpis.asa(totals),
    }


def wallboard_snapshot(*, now: datetime | None = None) -> dict:
    """Everything the wallboard shows, as JSON-ready data (no personal data)."""
    from tawasul.interactions.models import Direction, Interaction, Outcome

    now = now or timezone.now()
    threshold = conf.service_level_seconds()
    variant = conf.service_level_variant()
    waiting = (
        Interaction.objects.filter(
            direction=Direction.INBOUND,
            outcome=Outcome.PENDING,
            answered_at__isnull=True,
            ended_at__isnull=True,
            offered_at__gte=now - timedelta(hours=conf.waiting_horizon_hours()),
            offered_at__lte=now,
        )
        .values("hotline_id", "queue")
        .annotate(n=Count("pk"), oldest=Min("offered_at"))
        .order_by()
    )
    today = (
        InteractionRollup.objects.filter(interval_start__gte=_today_start(now))
        .values("hotline_id", "queue")
        .annotate(**{name: Sum(name) for name in COUNTER_FIELDS}, max_wait=Max("max_wait"))
        .order_by()
    )
    hotlines: dict = {}
    queues: dict = {}

    def slot(table: dict, key) -> dict:
        return table.setdefault(key, {"waiting": 0, "oldest": None, "totals": kpis.Totals()})

    for row in waiting:
        for table, key in ((hotlines, row["hotline_id"]), (queues, row["queue"])):
            entry = slot(table, key)
            entry["waiting"] += row["n"]
            if entry["oldest"] is None or row["oldest"] < entry["oldest"]:
                entry["oldest"] = row["oldest"]
    center = kpis.Totals()
    for row in today:
        totals = totals_from_row(row)
        center = center + totals
        for table, key in ((hotlines, row["hotline_id"]), (queues, row["queue"])):
            entry = slot(table, key)
            entry["totals"] = entry["totals"] + totals
    hotline_names, queue_names = _row_names(hotlines, queues)

    def render(key, entry: dict, names: dict[str, str]) -> dict:
        oldest = entry["oldest"]
        return {
            "key": str(key or ""),
            "label": names["en"],
            "names": names,
            "waiting": entry["waiting"],
            "longest_wait": round((now - oldest).total_seconds()) if oldest else 0,
            **_kpi_block(entry["totals"], threshold, variant),
        }

    hotline_rows = [render(k, hotlines[k], hotline_names[k]) for k in _by_label(hotline_names)]
    queue_rows = [render(k, queues[k], queue_names[k]) for k in _by_label(queue_names)]
    all_oldest = [v["oldest"] for v in hotlines.values() if v["oldest"]]
    return {
        "at": now.isoformat(),
        "threshold": threshold,
        "variant": variant,
        "waiting": sum(v["waiting"] for v in hotlines.values()),
        "longest_wait": round((now - min(all_oldest)).total_seconds()) if all_oldest else 0,
        **_kpi_block(center, threshold, variant),
        "hotlines": hotline_rows,
        "queues": queue_rows,
        "agents": agents_by_state(),
    }


def _ui_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _in_each_language(text: str) -> dict[str, str]:
    names = {}
    for language in _ui_languages():
        with translation.override(language):
            names[language] = _(text)
    return names


def _row_names(hotlines: dict, queues: dict) -> tuple[dict, dict]:
    """Names for the rows in every UI language: one snapshot goes to Arabic and English screens
    alike, so each screen picks its own. A voice queue's key is ``<queue>:<hotline number>``
    (the IVR flow's queue on that hotline), a digital contact's is its entity's code."""
    from tawasul.directory.models import Entity, Hotline

    languages = _ui_languages()
    lines = Hotline.objects.filter(pk__in=[k for k in hotlines if k])
    by_pk = {line.pk: line for line in lines}
    hotline_names = {
        key: {code: f"{by_pk[key].number} · {by_pk[key].name_in(code)}" for code in languages}
        if key in by_pk
        else _in_each_language("No hotline")
        for key in hotlines
    }
    entities = {e.code: e for e in Entity.objects.filter(code__in=[k for k in queues if k])}
    queue_names = {}
    for key in queues:
        if key in entities:
            queue_names[key] = {code: entities[key].name_in(code) for code in languages}
        elif key and ":" in key:
            queue, number = key.rsplit(":", 1)
            queue_names[key] = {code: f"{number} · {queue}" for code in languages}
        else:
            queue_names[key] = (
                {code: key for code in languages} if key else _in_each_language("No queue")
            )
    return hotline_names, queue_names


def _by_label(names: dict) -> list:
    return sorted(names, key=lambda key: names[key]["en"])


def agents_by_state() -> dict[str, int]:
    """How many agents are in each desk state now (empty when the desk keeps no states)."""
    try:
        state_model = apps.get_model("desk", "AgentState")
    except LookupError:
        return {}
    counts = state_model.objects.values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in counts if row["state"] != "logged_out"}


def wallboard_push() -> dict:
    """Compute the snapshot and publish it to every open wallboard (after commit)."""
    snapshot = wallboard_snapshot()
    publish(EVENT, snapshot, groups=[group_wallboard()])
    return snapshot


_lock = threading.Lock()
_last_push = 0.0


def wallboard_nudge() -> None:
    """Something the wallboard shows changed: push after commit, at most once per interval
    per process (the periodic push and the screens' own refresh catch the rest)."""
    global _last_push
    with _lock:
        moment = time.monotonic()
        if moment - _last_push < conf.wallboard_min_push_seconds():
            return
        _last_push = moment

    def push() -> None:
        try:
            wallboard_push()
        except Exception:  # the wallboard must never fail the write that nudged it
            logger.exception("wallboard push failed")

    transaction.on_commit(push)
