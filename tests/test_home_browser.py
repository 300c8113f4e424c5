"""The front door in a real browser, both directions."""

import pytest


@pytest.mark.parametrize(("locale", "direction", "heading"), [
    ("ar-QA", "rtl", "مركز اتصال تواصل"),
    ("en-US", "ltr", "Tawasul contact center"),
])  # fmt: skip
def test_home_page_in_both_languages(
    transactional_db, asgi_server, browser, locale, direction, heading
):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(asgi_server + "/")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("h1").inner_text() == heading
    page.get_by_role("button", name="English" if direction == "rtl" else "العربية").click()
    page.wait_for_load_state()
    flipped = "ltr" if direction == "rtl" else "rtl"
    assert page.locator("html").get_attribute("dir") == flipped
    context.close()
