"""HTML views of the insights room: definitions, the wallboard, reports and bulletins.

Thin: check who is asking (``access.py``), parse the form, call a selector or report builder,
render. Bad filters get a 400 page naming the field; people without access get a 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tawasul.accounts.mfa import is_verified
from tawasul.accounts.models import Site
from tawasul.directory.models import Entity, Hotline
from tawasul.insights import conf, kpis, reports
from tawasul.insights.access import (
    ReportScope,
    can_view_wallboard,
    report_scope,
)
from tawasul.insights.forms import BulletinForm, ReportForm
from tawasul.insights.selectors import ContactFilters, month_days
from tawasul.insights.wallboard import wallboard_snapshot

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _login_url(next_path: str) -> str:
    try:
        base = reverse("desk:login")
    except NoReverseMatch:
        base = reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    return f"{base}?{urlencode({'next': next_path})}"


def staff_page(allowed: Callable) -> Callable:
    """Require a staff session verified with the second factor and ``allowed(user)``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_verified(request):
                return redirect(_login_url(request.get_full_path()))
            if not allowed(request.user):
                return render(request, "insights/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _any_staff(user) -> bool:
    return True


def _language() -> str:
    return "ar" if (get_language() or "en")[:2] == "ar" else "en"


@require_GET
@staff_page(_any_staff)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/index.html", {
        "wallboard": can_view_wallboard(request.user),
        "reports": report_scope(request.user) is not None,
    })  # fmt: skip


@require_GET
@staff_page(_any_staff)
def definitions(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/definitions.html", {
        "definitions": kpis.DEFINITIONS,
        "short_abandon": f"{conf.short_abandon_seconds():g}",
        "threshold": conf.service_level_seconds(),
        "variant": conf.service_level_variant(),
    })  # fmt: skip


@require_GET
@staff_page(can_view_wallboard)
def wallboard(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/wallboard.html", {
        "snapshot": wallboard_snapshot(),
        "tv": request.GET.get("tv") == "1",
        "refresh": conf.wallboard_refresh_seconds(),
    })  # fmt: skip


def _bad_request(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400)


def _entity_filter(
    scope: ReportScope, code: str, form
) -> tuple[Entity | None, HttpResponse | None]:
    if not scope.all_entities:
        own = Entity.objects.get(pk=scope.entity_id)
        if code and code != own.code:
            form.add_error("entity", _("You may report on your own entity only."))
            return None, None
        return own, None
    if not code:
        return None, None
    entity = Entity.objects.filter(code=code).first()
    if entity is None:
        form.add_error("entity", _("Unknown entity."))
    return entity, None


def _reports_allowed(user) -> bool:
    return report_scope(user) is not None


@require_GET
@staff_page(_reports_allowed)
def report_page(request: HttpRequest) -> HttpResponse:
    scope = report_scope(request.user)
    form = ReportForm(request.GET or None)
    context = {"form": form, "scope": scope, "entities": _entities(scope), "sites": _sites(scope)}
    if not request.GET:
        form = ReportForm({"format": "html"})
    if not form.is_valid():
        context["form"] = form
        return _bad_request(request, "insights/reports.html", context)
    data = form.cleaned_data
    entity, _unused = _entity_filter(scope, data["entity"], form)
    hotline = None
    if data["hotline"]:
        hotline = Hotline.objects.filter(number=data["hotline"]).first()
        if hotline is None:
            form.add_error("hotline", _("Unknown hotline."))
    if data["by"] in ("agent", "site") and not scope.staff_slices:
        form.add_error("by", _("Staff figures are for the center's supervisors."))
    site = _site_filter(scope, data["site"], form)
    if form.errors:
        context["form"] = form
        return _bad_request(request, "insights/reports.html", context)
    filters = ContactFilters(
        entity=entity.pk if entity else None,
        hotline=hotline.pk if hotline else None,
        channel=data["channel"] or None,
        language=data["language"] or None,
        site=site.pk if site else None,
    )
    report = reports.report_build(
        start=data["start"],
        end=data["end"] + timedelta(days=1),
        granularity=data["granularity"] or None,
        by=data["by"] or None,
        filters=filters,
        language=_language(),
    )
    fmt = data["format"] or "html"
    if fmt != "html":
        return _download(report, fmt, f"report-{data['start']}-{data['end']}")
    context.update(report=report, form=form)
    return render(request, "insights/reports.html", context)


def _site_filter(scope: ReportScope, code: str, form) -> Site | None:
    if not code:
        return None
    if not scope.staff_slices:
        form.add_error("site", _("Staff figures are for the center's supervisors."))
        return None
    site = Site.objects.filter(code=code).first()
    if site is None:
        form.add_error("site", _("Unknown site."))
    return site


def _sites(scope: ReportScope):
    return Site.objects.filter(active=True) if scope.staff_slices else Site.objects.none()


def _entities(scope: ReportScope):
    entities = Entity.objects.filter(active=True).order_by("code")
    if not scope.all_entities:
        entities = entities.filter(pk=scope.entity_id)
    return entities


def _download(report: reports.Report, fmt: str, stem: str) -> HttpResponse:
    body = {"pdf": reports.render_pdf, "xlsx": reports.render_xlsx, "csv": reports.render_csv}[fmt](
        report
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-{report.language}.{fmt}"'
    return response


def _recent_months(count: int = 12) -> list[date]:
    month = date.today().replace(day=1)
    out = []
    for _i in range(count):
        month = (month - timedelta(days=1)).replace(day=1)
        out.append(month)
    return out


@require_GET
@staff_page(_reports_allowed)
def bulletins(request: HttpRequest) -> HttpResponse:
    scope = report_scope(request.user)
    return render(request, "insights/bulletins.html", {
        "scope": scope,
        "months": _recent_months(),
        "entities": _entities(scope),
    })  # fmt: skip


@require_GET
@staff_page(_reports_allowed)
def bulletin_download(request: HttpRequest) -> HttpResponse:
    scope = report_scope(request.user)
    form = BulletinForm(request.GET)
    context = {"scope": scope, "months": _recent_months(), "entities": _entities(scope)}
    if not form.is_valid():
        context["form"] = form
        return _bad_request(request, "insights/bulletins.html", context)
    data = form.cleaned_data
    entity, _unused = _entity_filter(scope, data["entity"], form)
    if form.errors:
        context["form"] = form
        return _bad_request(request, "insights/bulletins.html", context)
    start, end = month_days(data["month"])
    report = reports.bulletin_build(start=start, end=end, language=data["lang"], entity=entity)
    stem = f"bulletin-{data['month']:%Y-%m}-{entity.code if entity else 'center'}"
    return _download(report, data["format"], stem)
