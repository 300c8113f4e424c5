"""The statistical bulletin: the seeds' March "calls by entity" table reproduced exactly from
roll-up rows, in PDF (Arabic text extracted in logical order), XLSX and CSV."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from tawasul.directory.models import Entity
from tawasul.insights import reports, services
from tawasul.insights.models import InteractionRollup

pytestmark = pytest.mark.django_db

# The seeds (002): calls received by the "109" center in one March, per entity.
MARCH = {"phcc": 124_341, "moph": 46_091, "moehe": 19_155, "moci": 21_412}
OTHERS = 129_542
TOTAL = 340_541
QUARTERS = [(0, 0), (6, 15), (12, 30), (23, 45)]  # local times of the rows of each day


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@pytest.fixture
def march(directory):
    """Roll-up rows equivalent to the 340,541 March calls, plus traffic that must not count:
    the last quarter of February and the first of April (local time) and March e-mails."""
    tz = services.center_tz()
    Entity.objects.create(code="moph", name_en="Ministry of Public Health",
                          name_ar="وزارة الصحة العامة")  # fmt: skip
    Entity.objects.create(code="moehe", name_en="Ministry of Education and Higher Education",
                          name_ar="وزارة التربية والتعليم والتعليم العالي")  # fmt: skip
    others = [directory["muscat"]] + [
        Entity.objects.create(code=f"other-{i}", name_en=f"Entity {i}", name_ar=f"جهة {i}")
        for i in range(29)
    ]
    counts = {Entity.objects.get(code=c).pk: n for c, n in MARCH.items()}
    counts.update(zip([e.pk for e in others], _spread(OTHERS, len(others)), strict=True))
    rows = []
    slots = [datetime(2026, 3, day, h, m, tzinfo=tz) for day in range(1, 32) for h, m in QUARTERS]
    for entity_id, total in counts.items():
        for start, n in zip(slots, _spread(total, len(slots)), strict=True):
            rows.append(_row(start, entity_id, "call", n))
    outside = [datetime(2026, 2, 28, 23, 45, tzinfo=tz), datetime(2026, 4, 1, 0, 0, tzinfo=tz)]
    for start in outside:
        rows.append(_row(start, directory["phcc"].pk, "call", 999))
    rows.append(_row(datetime(2026, 3, 15, 9, 0, tzinfo=tz), directory["phcc"].pk, "email", 77))
    InteractionRollup.objects.bulk_create(rows, batch_size=2000)
    services.rollups_derive_daily()
    return counts


def _row(start: datetime, entity_id: int, channel: str, n: int) -> InteractionRollup:
    answered = n - n // 50
    dims = {"hotline_id": None, "entity_id": entity_id, "service_id": None, "language": "ar",
            "channel": channel, "site_id": None, "queue": "", "agent_id": None}  # fmt: skip
    return InteractionRollup(
        interval_start=start.astimezone(UTC), key=services.dims_key(dims.values()), **dims,
        offered=n, answered=answered, abandoned=n - answered, answered_10=answered // 2,
        answered_20=answered - answered // 10, answered_30=answered, answered_60=answered,
        sum_answer_wait=11.0 * answered, max_wait=95.0, sum_talk=150.0 * answered,
        sum_wrap=30.0 * answered, resolved_first_contact=answered - answered // 12,
    )  # fmt: skip


def _bulletin(language: str) -> reports.Report:
    return reports.bulletin_build(start=date(2026, 3, 1), end=date(2026, 4, 1), language=language)


def test_march_calls_by_entity_table_is_reproduced_exactly(march):
    table = _bulletin("en").table("calls_by_entity")
    rows = [(name, cell.value) for name, cell in table.rows]
    assert rows == [
        ("Primary Health Care Corporation", 124_341),
        ("Ministry of Public Health", 46_091),
        ("Ministry of Commerce and Industry", 21_412),
        ("Ministry of Education and Higher Education", 19_155),
        ("Other entities", 129_542),
    ]
    assert table.total[1].value == TOTAL
    kpi = dict((str(k), v.text) for k, v in _bulletin("en").table("kpis").rows)
    assert kpi["Contacts offered"] == "340,618"  # the March e-mails are contacts, not calls


def _pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "Debian poppler-utils provides pdftotext"
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # pdftotext wraps right-to-left runs in embedding marks; the letters inside are in
    # logical (reading) order, which is what is checked.
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def test_arabic_pdf_has_its_headings_in_logical_order_and_the_march_numbers(march, tmp_path):
    text = _pdf_text(reports.render_pdf(_bulletin("ar")), tmp_path)
    headings = ["النشرة الإحصائية", "المؤشرات الرئيسية", "الاتصالات حسب الجهة",
                "الاتصالات حسب القناة", "الحجم اليومي", "البلاغات"]  # fmt: skip
    lines = [line.strip() for line in text.splitlines()]

    def line_of(heading: str) -> int:
        # A heading is a line of its own (the title continues with " — " and the scope).
        found = [
            i for i, line in enumerate(lines) if line == heading or line.startswith(heading + " —")
        ]
        assert found, (heading, text[:1500])
        return found[0]

    positions = [line_of(h) for h in headings]
    assert positions == sorted(positions)
    assert "مؤسسة الرعاية الصحية الأولية" in text
    for number in ("124,341", "46,091", "19,155", "21,412", "129,542", "340,541"):
        assert number in text


def test_english_pdf(march, tmp_path):
    text = _pdf_text(reports.render_pdf(_bulletin("en")), tmp_path)
    assert "Statistical bulletin" in text and "Calls by entity" in text
    assert "124,341" in text and "340,541" in text


def test_xlsx_keeps_numbers_and_reads_right_to_left_in_arabic(march):
    book = load_workbook(io.BytesIO(reports.render_xlsx(_bulletin("ar"))))
    sheet = next(s for s in book.worksheets if "الجهة" in s.title)
    assert sheet.sheet_view.rightToLeft
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["مؤسسة الرعاية الصحية الأولية"] == 124_341
    assert values["جهات أخرى"] == 129_542
    assert values["المجموع"] == 340_541
    english = load_workbook(io.BytesIO(reports.render_xlsx(_bulletin("en"))))
    assert not english.worksheets[0].sheet_view.rightToLeft


def test_csv_is_utf8_with_bom_and_plain_numbers(march):
    raw = reports.render_csv(_bulletin("ar"))
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["مؤسسة الرعاية الصحية الأولية", "124341"] in rows
    assert ["المجموع", "340541"] in rows


def test_month_boundaries_follow_the_center_time_zone(march):
    # The rows at 23:45 on 28 February and 00:00 on 1 April (Doha) belong to those months.
    feb = reports.calls_by_entity(start=date(2026, 2, 1), end=date(2026, 3, 1))
    april = reports.calls_by_entity(start=date(2026, 4, 1), end=date(2026, 5, 1))
    assert feb.total[1].value == 999 and april.total[1].value == 999
