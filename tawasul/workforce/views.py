"""The planning home: forecast and staffing per queue and interval for a chosen day, and its
CSV export. Thin: check access, parse the day, call the selector, render."""

from __future__ import annotations

import csv
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tawasul.accounts.pages import staff_page
from tawasul.accounts.policy import Action
from tawasul.errors import DomainError
from tawasul.workforce import services
from tawasul.workforce.selectors import interval_label, plan_day

METHODS = {
    "profile": gettext_lazy("weekday and interval profile with trend"),
    "seasonal_naive": gettext_lazy("same day last week"),
    "interval_mean": gettext_lazy("mean of each interval"),
}


# A verified staff session whose role may plan (the one policy); others get the sign-in page
# or the planning 403 page.
planner_page = staff_page(Action.WORKFORCE_PLAN, forbidden_template="workforce/forbidden.html")


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
            {
                "index": i,
                "label": interval_label(i),
                "calls": calls,
                "staff": staff,
                "override": selected.overrides.get(i),
            }
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
            "selected_key": f"{selected.channel}:{selected.queue}" if selected else "",
            "selected_method": METHODS[selected.forecast.method] if selected else "",
            "rows": rows,
        },
    )


def _cell(text: str) -> str:
    """Queue names come from contact records: a leading = + - @ would make a spreadsheet run
    the cell as a formula (CSV injection), so such text is quoted with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
                     "abandon_erlang_a", "override_version"])  # fmt: skip
    for p in plan_day(day):
        for i, (calls, s) in enumerate(p.intervals):
            writer.writerow([day.isoformat(), p.channel, _cell(p.queue), interval_label(i),
                             p.forecast.method, f"{calls:.2f}", f"{p.aht:.0f}", s.erlang_c,
                             s.erlang_a, s.scheduled, f"{s.service_level:.4f}",
                             f"{s.p_abandon:.4f}",
                             p.overrides[i].version if i in p.overrides else ""])  # fmt: skip
    return response


def _number(raw: str, field: str, kind=float):
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise DomainError(_("enter a number"), field=field) from None


@require_POST
@planner_page
def override(request: HttpRequest) -> HttpResponse:
    """A planner's correction of one interval: a new override version, then back to the day."""
    day, error = _day(request)  # the day is in the query string, like the page's
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    channel, _sep, queue = request.POST.get("queue", "").partition(":")
    try:
        if not channel:
            raise DomainError(_("choose a queue"), field="queue")
        services.override_create(
            user=request.user,
            channel=channel,
            queue=queue,
            day=day,
            interval=_number(request.POST.get("interval"), "interval", int),
            contacts=_number(request.POST.get("contacts"), "contacts"),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        text = f"{exc.field}: {exc.message}" if exc.field else exc.message
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    query = urlencode({"day": day.isoformat(), "queue": f"{channel}:{queue}"})
    return redirect(reverse("workforce:home") + "?" + query)
