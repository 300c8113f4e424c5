"""Reports and statistical bulletins: built once as plain data (:class:`Report`), then rendered
as PDF (WeasyPrint, Arabic shaped right-to-left with Debian's Noto fonts, charts as inline
SVG), XLSX (openpyxl, right-to-left sheets for Arabic) or CSV (UTF-8 with a BOM so Excel
reads Arabic). Every number comes from :mod:`tawasul.insights.selectors` and
:mod:`tawasul.insights.kpis`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tawasul.directory.models import Entity, Hotline
from tawasul.insights import conf, kpis, selectors
from tawasul.insights.selectors import ContactFilters

CALL = "call"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    total: list | None = None
    key: str = ""


@dataclass
class Report:
    title: str
    subtitle: str
    language: str
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (caption, svg)
    notes: list[str] = field(default_factory=list)

    @property
    def rtl(self) -> bool:
        return self.language == "ar"

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- formatting ------------------------------------------------------------------------------


def fmt_count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def fmt_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def fmt_seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


FORMATTERS = {"count": fmt_count, "percent": fmt_percent, "seconds": fmt_seconds}


def cell_text(value) -> str:
    if isinstance(value, Cell):
        return value.text
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Cell:
    """A number with its display text (the XLSX keeps the number, PDF/CSV the text)."""

    value: float | int | None
    text: str


def count_cell(value: int | None) -> Cell:
    return Cell(value, fmt_count(value))


def percent_cell(value: float | None) -> Cell:
    return Cell(None if value is None else round(value, 4), fmt_percent(value))


def seconds_cell(value: float | None) -> Cell:
    return Cell(None if value is None else round(value, 1), fmt_seconds(value))


def month_label(month: date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def period_label(start: date, end: date) -> str:
    last = end - timedelta(days=1)
    if start.day == 1 and end == (start + timedelta(days=32)).replace(day=1):
        return month_label(start)
    return f"{start.isoformat()} – {last.isoformat()}"


# --- the bulletin --------------------------------------------------------------------------------


def _kpi_rows(
    totals: kpis.Totals, cases: kpis.CaseTotals, csat: tuple[int, int] | None, occupancy
) -> list[list]:
    threshold = conf.service_level_seconds()
    variant = conf.service_level_variant()
    variant_text = {
        "against": _("abandons counted against"),
        "ignored": _("abandons ignored"),
        "for": _("abandons within T counted as met"),
    }[variant]
    return [
        [_("Contacts offered"), count_cell(totals.offered)],
        [_("Contacts answered"), count_cell(totals.answered)],
        [_("Answer rate"), percent_cell(kpis.answer_rate(totals))],
        [_("Abandonment rate"), percent_cell(kpis.abandon_rate(totals))],
        [
            _("Service level (%(seconds)s s, %(variant)s)")
            % {"seconds": threshold, "variant": variant_text},
            percent_cell(kpis.service_level(totals, threshold=threshold, variant=variant)),
        ],
        [_("Average speed of answer (s)"), seconds_cell(kpis.asa(totals))],
        [_("Longest wait (s)"), seconds_cell(kpis.longest_wait(totals))],
        [_("Average handle time (s)"), seconds_cell(kpis.aht(totals))],
        [_("First-contact resolution"), percent_cell(kpis.fcr(totals))],
        [_("Transfer rate"), percent_cell(kpis.transfer_rate(totals))],
        [_("Occupancy"), percent_cell(occupancy)],
        [_("Cases created"), count_cell(cases.created)],
        [_("Case completion rate"), percent_cell(kpis.case_completion_rate(cases))],
        [_("SLA compliance"), percent_cell(kpis.sla_compliance(cases))],
        [
            _("Satisfaction (CSAT)"),
            percent_cell(kpis.csat_from_counts(satisfied=csat[0], rated=csat[1]) if csat else None),
        ],
    ]


def calls_by_entity(*, start: date, end: date, top: int | None = None) -> Table:
    """Calls offered per entity in the period: the ``top`` busiest by name, then "others"."""
    top = conf.bulletin_top_entities() if top is None else top
    totals = selectors.contact_totals(
        start=start, end=end, by=("entity",), filters=ContactFilters(channel=CALL)
    )
    counts = sorted(
        ((t.offered, e) for (e,), t in totals.items()), key=lambda x: (-x[0], x[1] or 0)
    )
    names = {e.pk: e.name for e in Entity.objects.filter(pk__in=[e for _n, e in counts if e])}
    named = [(n, e) for n, e in counts if e is not None][:top]
    others = sum(n for n, _e in counts) - sum(n for n, _e in named)
    rows = [[names.get(e, str(e)), count_cell(n)] for n, e in named]
    rows.append([_("Other entities"), count_cell(others)])
    return Table(
        title=_("Calls by entity"),
        headers=[_("Entity"), _("Calls")],
        rows=rows,
        total=[_("Total"), count_cell(sum(n for n, _e in counts))],
        key="calls_by_entity",
    )


def contacts_by_site(*, start: date, end: date) -> Table:
    """Contacts answered per site (where the answering agent sat), with speed and handling.

    Unanswered contacts have no site and are left out; the center bulletin only, because
    staff figures are the center's business (see ``access.py``).
    """
    from tawasul.accounts.models import Site

    totals = selectors.contact_totals(start=start, end=end, by=("site",))
    answered = {site: t for (site,), t in totals.items() if site is not None and t.answered}
    sites = {site.pk: site for site in Site.objects.filter(pk__in=answered)}
    all_answered = sum(t.answered for t in answered.values())
    rows = [
        [
            sites[pk].name if pk in sites else str(pk),
            count_cell(t.answered),
            percent_cell(t.answered / all_answered if all_answered else None),
            seconds_cell(kpis.asa(t)),
            seconds_cell(kpis.aht(t)),
            percent_cell(kpis.fcr(t)),
        ]
        for pk, t in sorted(answered.items(), key=lambda kv: (-kv[1].answered, kv[0]))
    ]
    return Table(
        title=_("Contacts answered by site"),
        headers=[_("Site"), _("Answered"), _("Share"), _("ASA (s)"), _("AHT (s)"), _("FCR")],
        rows=rows,
        total=[_("Total"), count_cell(all_answered), "", "", "", ""],
        key="by_site",
    )


def bulletin_build(
    *, start: date, end: date, language: str, entity: Entity | None = None
) -> Report:
    """The statistical bulletin of local days [start, end) for the center or one entity."""
    with translation.override(language):
        filters = ContactFilters(entity=entity.pk if entity else None)
        totals = selectors.contact_summary(start=start, end=end, filters=filters)
        cases = selectors.case_totals(start=start, end=end, entity=entity.pk if entity else None)[
            ()
        ]
        csat = selectors.csat_counts(start=start, end=end, entity=entity.pk if entity else None)
        occupancy = None
        if entity is None:
            seconds = selectors.agent_state_seconds(
                start=selectors.day_start(start), end=selectors.day_start(end)
            )
            occupancy = kpis.occupancy_of_states(seconds) if seconds is not None else None
        title = _("Statistical bulletin")
        scope = entity.name_in(language) if entity else _("Government contact center")
        report = Report(
            title=f"{title} — {scope}",
            subtitle=period_label(start, end),
            language=language,
        )
        report.tables.append(
            Table(
                title=_("Key indicators"),
                headers=[_("Indicator"), _("Value")],
                rows=_kpi_rows(totals, cases, csat, occupancy),
                key="kpis",
            )
        )
        if entity is None:
            report.tables.append(calls_by_entity(start=start, end=end))
        by_channel = selectors.contact_totals(
            start=start, end=end, by=("channel",), filters=filters
        )
        from tawasul.interactions.models import Channel

        labels = dict(Channel.choices)
        report.tables.append(
            Table(
                title=_("Contacts by channel"),
                headers=[_("Channel"), _("Offered"), _("Answered"), _("Answer rate")],
                rows=[
                    [
                        str(labels.get(ch, ch)),
                        count_cell(t.offered),
                        count_cell(t.answered),
                        percent_cell(kpis.answer_rate(t)),
                    ]
                    for (ch,), t in sorted(by_channel.items(), key=lambda kv: -kv[1].offered)
                ],
                key="by_channel",
            )
        )
        if entity is None:
            report.tables.append(contacts_by_site(start=start, end=end))
        daily = selectors.contact_totals(start=start, end=end, granularity="day", filters=filters)
        days = []
        day = start
        while day < end:
            days.append((day, daily.get((day,), kpis.Totals())))
            day += timedelta(days=1)
        report.tables.append(
            Table(
                title=_("Daily volume"),
                headers=[_("Day"), _("Offered"), _("Answered"), _("Service level")],
                rows=[
                    [
                        d.isoformat(),
                        count_cell(t.offered),
                        count_cell(t.answered),
                        percent_cell(
                            kpis.service_level(
                                t,
                                threshold=conf.service_level_seconds(),
                                variant=conf.service_level_variant(),
                            )
                        ),
                    ]
                    for d, t in days
                ],
                key="daily",
            )
        )
        report.charts.append(
            (
                _("Contacts offered and answered per day"),
                svg_columns(
                    [(d.day, t.offered, t.answered) for d, t in days],
                    series=(_("Offered"), _("Answered")),
                ),
            )
        )
        by_kind = _cases_by_kind(start, end, entity)
        report.tables.append(by_kind)
        report.notes.append(
            _(
                "Short abandons (callers who hung up within %(seconds)s s) are excluded from "
                "offered and abandoned. Definitions: see the KPI definitions page."
            )
            % {"seconds": f"{conf.short_abandon_seconds():g}"}
        )
        return report


def _cases_by_kind(start: date, end: date, entity: Entity | None) -> Table:
    from django.db.models import Sum

    from tawasul.cases.choices import CaseKind
    from tawasul.insights.models import CaseRollup

    rows = CaseRollup.objects.filter(day__gte=start, day__lt=end)
    if entity is not None:
        rows = rows.filter(entity_id=entity.pk)
    grouped = {
        r["kind"]: kpis.CaseTotals(r["c"] or 0, r["d"] or 0, r["r"] or 0, r["w"] or 0)
        for r in rows.values("kind")
        .annotate(
            c=Sum("created"), d=Sum("completed"), r=Sum("resolved"), w=Sum("resolved_within_sla")
        )
        .order_by()
    }
    out = []
    for kind, label in CaseKind.choices:
        t = grouped.get(kind, kpis.CaseTotals())
        out.append([str(label), count_cell(t.created), count_cell(t.resolved),
                    percent_cell(kpis.case_completion_rate(t)),
                    percent_cell(kpis.sla_compliance(t))])  # fmt: skip
    return Table(
        title=_("Cases"),
        headers=[
            _("Kind"),
            _("Created"),
            _("Resolved"),
            _("Completion rate"),
            _("SLA compliance"),
        ],
        rows=out,
        key="cases",
    )


# --- the ad-hoc report -------------------------------------------------------------------------


def dimension_labels(dimension: str, values) -> dict:
    """Display names of slice values (ids → names, codes → labels)."""
    from tawasul.accounts.models import Site, User
    from tawasul.directory.models import Language, Service
    from tawasul.interactions.models import Channel

    values = [v for v in values if v not in (None, "")]
    if dimension == "entity":
        return {e.pk: e.name for e in Entity.objects.filter(pk__in=values)}
    if dimension == "hotline":
        return {h.pk: str(h) for h in Hotline.objects.filter(pk__in=values)}
    if dimension == "service":
        return {s.pk: s.name for s in Service.objects.filter(pk__in=values)}
    if dimension == "site":
        return {site.pk: site.name for site in Site.objects.filter(pk__in=values)}
    if dimension == "agent":
        return {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=values)}
    if dimension == "channel":
        return {k: str(v) for k, v in Channel.choices}
    if dimension == "language":
        return {lang.code: lang.native_name for lang in Language.objects.filter(code__in=values)}
    return {v: v for v in values}


def report_build(
    *,
    start: date,
    end: date,
    granularity: str | None,
    by: str | None,
    filters: ContactFilters,
    language: str,
) -> Report:
    """One table: a row per period × slice value with every contact KPI."""
    with translation.override(language):
        totals = selectors.contact_totals(
            start=start, end=end, by=(by,) if by else (), granularity=granularity, filters=filters
        )
        labels = dimension_labels(by, [k[-1] for k in totals]) if by else {}
        threshold = conf.service_level_seconds()
        variant = conf.service_level_variant()
        headers = []
        if granularity:
            headers.append(_("Period"))
        if by:
            headers.append(str(BY_LABELS()[by]))
        names = ["offered", "answered", "abandoned", "answer_rate", "service_level", "asa",
                 "longest_wait", "aht", "fcr", "transfer_rate"]  # fmt: skip
        definitions = {d.key: d for d in kpis.DEFINITIONS}
        headers += [str(definitions[n].name) for n in names]
        rows = []
        for key in sorted(totals, key=lambda k: tuple(str(x) for x in k)):
            values = totals[key].kpis(threshold=threshold, variant=variant)
            row: list = []
            if granularity:
                period = key[0]
                row.append(
                    period.isoformat()
                    if isinstance(period, date) and granularity != "month"
                    else period.strftime("%Y-%m")
                    if granularity == "month"
                    else period.strftime("%Y-%m-%d %H:%M")
                )
            if by:
                row.append(str(labels.get(key[-1], key[-1] if key[-1] not in (None, "") else "—")))
            for n in names:
                unit = definitions[n].unit
                row.append({"count": count_cell, "percent": percent_cell,
                            "seconds": seconds_cell}[unit](values[n]))  # fmt: skip
            rows.append(row)
        report = Report(title=_("Contact report"), subtitle=period_label(start, end),
                        language=language)  # fmt: skip
        report.tables.append(Table(title=_("Contacts"), headers=headers, rows=rows, key="report"))
        return report


def BY_LABELS() -> dict:
    from django.utils.translation import gettext_lazy

    return {
        "hotline": gettext_lazy("Hotline"),
        "entity": gettext_lazy("Entity"),
        "service": gettext_lazy("Service"),
        "language": gettext_lazy("Language"),
        "channel": gettext_lazy("Channel"),
        "site": gettext_lazy("Site"),
        "queue": gettext_lazy("Queue"),
        "agent": gettext_lazy("Agent"),
    }


# --- charts ----------------------------------------------------------------------------------


def svg_columns(points: list[tuple[int, int, int]], *, series: tuple[str, str]) -> str:
    """Paired columns (e.g. offered/answered per day) as an inline SVG. Labels are numbers
    only; the caption and legend are HTML so Arabic is shaped by the text engine."""
    width, height, pad = 680, 220, 34
    peak = max([max(a, b) for _x, a, b in points] + [1])
    slot = (width - 2 * pad) / max(len(points), 1)
    bar = max(slot * 0.38, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" direction="ltr">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#555" stroke-width="1"/>',
        f'<text x="{pad - 4}" y="{pad}" font-size="9" text-anchor="end">{peak:,}</text>',
    ]
    for i, (label, first, second) in enumerate(points):
        x = pad + i * slot
        for j, (value, colour) in enumerate(((first, "#1f5f8b"), (second, "#7fb3d5"))):
            h = (height - 2 * pad) * value / peak
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{height - pad - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - pad + 12}" font-size="8" '
            f'text-anchor="middle">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    del series  # shown as the HTML legend
    return "".join(parts)


# --- renderers -------------------------------------------------------------------------------


def render_pdf(report: Report) -> bytes:
    """The report as a PDF (A4), Arabic shaped and right-to-left when in Arabic."""
    from weasyprint import HTML

    with translation.override(report.language):
        html = render_to_string("insights/report_pdf.html", {"report": report, "LEGEND": True})
    return HTML(string=html).write_pdf()


def render_xlsx(report: Report) -> bytes:
    """One sheet per table; Arabic sheets read right to left; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for index, table in enumerate(report.tables, start=1):
        name = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:28] or f"Sheet {index}"
        sheet = book.create_sheet(f"{index} {name}"[:31])
        sheet.sheet_view.rightToLeft = report.rtl
        sheet.append([report.title])
        sheet.append([report.subtitle])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        sheet.append(table.headers)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            sheet.append([c.value if isinstance(c, Cell) else c for c in row])
            for c, col in zip(row, sheet[sheet.max_row], strict=False):
                if isinstance(c, Cell) and c.text.endswith("%"):
                    col.number_format = "0.0%"
                elif isinstance(c, Cell):
                    col.number_format = "#,##0"
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark (so Excel opens Arabic); tables one after another."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([report.title])
    writer.writerow([report.subtitle])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow([_csv_value(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value) -> str:
    # Plain numbers (no thousands separators) so spreadsheets read them as numbers.
    if isinstance(value, Cell):
        if value.value is None:
            return ""
        if value.text.endswith("%"):
            return value.text
        return f"{value.value:g}" if isinstance(value.value, float) else str(value.value)
    return cell_text(value)
