"""Bulletins downloaded from the bulletins page in Chromium: the Arabic and the English PDF of
last month, and one chosen with the form (the server is a separate process)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from tawasul.accounts.models import Site
from tests.insights.conftest import make_contact, verified_client
from tests.insights.test_bulletins import _pdf_text


def _last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def test_bulletin_pdfs_download_in_arabic_and_english(
    transactional_db, people, directory, asgi_server, browser, tmp_path
):
    site = Site.objects.create(code="doha-1", name_en="Doha site 1", name_ar="موقع الدوحة 1")
    people["agent"].site = site
    people["agent"].save()
    base = datetime.combine(_last_month().replace(day=10), datetime.min.time(), tzinfo=UTC)
    for i in range(4):
        make_contact(offered_at=base + timedelta(hours=6, minutes=i), wait=6, outcome="resolved",
                     talk=90, entity=directory["phcc"], hotline=directory["h107"],
                     agent=people["agent"], language="ar")  # fmt: skip
    session = verified_client(people["supervisor"]).cookies["sessionid"].value

    def page_in(locale: str):
        context = browser.new_context(locale=locale, accept_downloads=True)
        context.add_cookies([{"name": "sessionid", "value": session, "url": asgi_server}])
        page = context.new_page()
        page.goto(asgi_server + "/insights/bulletins/")
        return context, page

    def download(page, click) -> tuple[str, str]:
        with page.expect_download() as info:
            click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return info.value.suggested_filename, _pdf_text(path.read_bytes(), tmp_path)

    context, page = page_in("ar-QA")
    expect(page.locator("h1")).to_have_text("النشرات الإحصائية")
    assert page.locator("html").get_attribute("dir") == "rtl"
    name, text = download(page, lambda: page.get_by_text("النشرة الإحصائية (PDF)").click())
    assert name.endswith("-center-ar.pdf")
    assert "النشرة الإحصائية" in text and "الاتصالات المجاب عليها حسب الموقع" in text
    assert "موقع الدوحة 1" in text and "مؤسسة الرعاية الصحية الأولية" in text
    name, text = download(page, lambda: page.get_by_text("Statistical bulletin (PDF)").click())
    assert name.endswith("-center-en.pdf")
    assert "Statistical bulletin" in text and "Contacts answered by site" in text
    assert "Doha site 1" in text
    context.close()

    # The form: an entity's bulletin in English (no site table: staff figures are the
    # center's), the month picked from the list.
    context, page = page_in("en-US")
    page.select_option("select[name=month]", _last_month().strftime("%Y-%m"))
    page.select_option("select[name=entity]", "phcc")
    page.select_option("select[name=lang]", "en")
    name, text = download(page, lambda: page.get_by_role("button", name="Download").click())
    assert name == f"bulletin-{_last_month():%Y-%m}-phcc-en.pdf"
    assert "Primary Health Care Corporation" in text and "Contacts answered by site" not in text
    context.close()
