"""The planning home: forecast and staffing per queue and interval for a chosen day, and its
CSV export. Thin: check access, parse the day, call the selector, render."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tawasul.accounts.mfa import is_verified
from tawasul.workforce.access import can_plan
from tawasul.workforce.selectors import interval_label, plan_day

METHODS = {
    "profile": gettext_lazy("weekday and interval profile with trend"),
    "seasonal_naive": gettext_lazy("same day last week"),
    "interval_mean": gettext_lazy("mean of each interval"),
}


def planner_page(view: Callable) -> Callable:
    """A staff session verified with the second factor, in a planning role; others get the
    sign-in page (not verified) or 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_verified(request):
            return redirect(reverse("desk:login") + "?" + urlencode({"next": request.path}))
        if not can_plan(request.user):
            return render(request, "workforce/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _day(request: HttpRequest) -> tuple[date | None, str]:
    raw = request.GET.get("day", "")
    if not raw:
        return datetime.now(ZoneInfo(settings.TIME_ZONE)).date(), ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return None, _("day: enter a date as YYYY-MM-DD.")


@require_GET
@planner_page
def home(request: HttpRequest) -> HttpResponse:
    day, error = _day(request)
    if error:
        return render(request, "workforce/home.html", {"error": error}, status=400)
    plans = plan_day(day)
    chosen = request.GET.get("queue", "")
    keys = [f"{p.channel}:{p.queue}" for p in plans]
    if chosen and chosen not in keys:
        return render(
            request, "workforce/home.html",
            {"error": _("queue: no history for this queue."), "day": day}, status=400,
        )  # fmt: skip
    selected = plans[keys.index(chosen)] if chosen else (plans[0] if plans else None)
    rows = []
    if selected:
        rows = [
            {"label": interval_label(i), "calls": calls, "staff": staff}
            for i, (calls, staff) in enumerate(selected.intervals)
        ]
    summary = [
        {
            "key": f"{p.channel}:{p.queue}",
            "plan": p,
            "method": METHODS[p.forecast.method],
            "calls": sum(c for c, _s in p.intervals),
            "peak": max((s.scheduled for _c, s in p.intervals), default=0),
        }
        for p in plans
    ]
    return render(
        request,
        "workforce/home.html",
        {
            "day": day,
            "summary": summary,
            "selected": selected,
            "selected_method": METHODS[selected.forecast.method] if selected else "",
            "rows": rows,
        },
    )


@require_GET
@planner_page
def export_csv(request: HttpRequest) -> HttpResponse:
    day, error = _day(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workforce-{day}.csv"'
    writer = csv.writer(response)
    writer.writerow(["day", "channel", "queue", "interval", "method", "forecast", "aht",
                     "agents_erlang_c", "agents_erlang_a", "scheduled", "service_level_erlang_a",
                     "abandon_erlang_a"])  # fmt: skip
    for p in plan_day(day):
        for i, (calls, s) in enumerate(p.intervals):
            writer.writerow([day.isoformat(), p.channel, p.queue, interval_label(i),
                             p.forecast.method, f"{calls:.2f}", f"{p.aht:.0f}", s.erlang_c,
                             s.erlang_a, s.scheduled, f"{s.service_level:.4f}",
                             f"{s.p_abandon:.4f}"])  # fmt: skip
    return response
