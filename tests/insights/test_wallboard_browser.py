"""The wallboard in Chromium updates without a reload when a contact arrives and is answered
through the API (the server is a separate process, so the change goes through the app)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import expect

from tawasul.accounts.models import ApiToken
from tests.insights.conftest import verified_client


def test_wallboard_updates_live(transactional_db, people, directory, asgi_server, browser):
    session = verified_client(people["supervisor"]).cookies["sessionid"].value
    _token, raw = ApiToken.issue(user=people["agent"], name="desk phone")
    api = httpx.Client(base_url=asgi_server + "/api", headers={"Authorization": f"Bearer {raw}"})

    context = browser.new_context(locale="en-US")
    context.add_cookies([{"name": "sessionid", "value": session, "url": asgi_server}])
    page = context.new_page()
    page.goto(asgi_server + "/insights/wallboard/?tv=1")
    expect(page.locator("#wb-status")).to_have_text("Live")
    expect(page.locator("#wb-waiting")).to_have_text("0")
    assert "tv" in page.locator("body").get_attribute("class")
    page.evaluate("window.__same_page = true")

    offered = datetime.now(UTC) - timedelta(seconds=30)
    created = api.post("/interactions", json={
        "channel": "call", "hotline": "107", "entity": "phcc", "queue": "phcc-ar",
        "language": "ar", "offered_at": offered.isoformat(),
    })  # fmt: skip
    assert created.status_code == 201, created.text
    expect(page.locator("#wb-waiting")).to_have_text("1", timeout=20_000)
    expect(page.locator("#wb-hotlines tr[data-key]")).to_contain_text(
        "107 · Primary health care", timeout=20_000
    )
    expect(page.locator("#wb-queues tr[data-key='phcc-ar']")).to_contain_text("phcc-ar")

    answered = offered + timedelta(seconds=8)
    done = api.patch(f"/interactions/{created.json()['id']}", json={
        "answered_at": answered.isoformat(),
        "ended_at": (answered + timedelta(seconds=5)).isoformat(),
        "outcome": "resolved",
    })  # fmt: skip
    assert done.status_code == 200, done.text
    expect(page.locator("#wb-answered")).to_have_text("1", timeout=20_000)
    expect(page.locator("#wb-waiting")).to_have_text("0")
    expect(page.locator("#wb-sl")).to_have_text("100.0%")
    assert page.evaluate("window.__same_page") is True, "updated without a reload"
    context.close()

    # The same snapshot on an Arabic screen names the hotline in Arabic, right to left.
    arabic = browser.new_context(locale="ar")
    arabic.add_cookies([{"name": "sessionid", "value": session, "url": asgi_server}])
    page = arabic.new_page()
    page.goto(asgi_server + "/insights/wallboard/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#wb-hotlines tr[data-key]")).to_contain_text("107 · الرعاية الأولية")
    arabic.close()
