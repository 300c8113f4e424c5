"""The knowledge page and panel in a real browser (Chromium), in Arabic."""

from __future__ import annotations

from django.conf import settings

from tests.support import verified_client


def test_agent_searches_in_arabic_and_expands_a_panel_result(
    transactional_db, asgi_server, browser, people, articles
):
    client = verified_client(people["agent"])
    context = browser.new_context(locale="ar-QA")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": asgi_server}]
    )
    page = context.new_page()
    page.goto(asgi_server + "/knowledge/")
    assert page.locator("html").get_attribute("dir") == "rtl", page.content()[:1500]
    page.get_by_label("بحث", exact=True).fill("الاستماره")
    page.get_by_role("button", name="بحث").click()
    page.get_by_role("link", name="حجز موعد في المركز الصحي").click()
    assert page.locator("h1").inner_text() == "حجز موعد في المركز الصحي"

    page.goto(asgi_server + "/knowledge/panel/?entity=phcc&q=مستشفيات")
    result = page.locator(".kb-result").first
    assert result.locator(".kb-title").inner_text() == "متى أراجع المستشفى؟"
    assert result.locator(".kb-body").is_visible()  # the best match opens by itself
    context.close()
