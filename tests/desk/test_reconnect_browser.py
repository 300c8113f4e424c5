"""A desk whose WebSocket dropped catches up when it reconnects.

Events are live or nothing: an offer published while the agent's socket is down (the web
server restarting, a network blip) is never delivered. The page must re-read its panels when
the socket comes back, so the contact that rang meanwhile pops without a reload.
"""

from __future__ import annotations

import sys

import pytest
from django.conf import settings as django_settings

from tests.conftest import serve_web
from tests.support import verified_client

pytestmark = pytest.mark.timeout(120)
WAIT = 30_000  # ms: the page retries after 1 s, 2 s, 4 s …


def _web(tmp_path, realtime_url, port=None):
    argv = [sys.executable, "-m", "uvicorn", "tawasul.asgi:application",
            "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]  # fmt: skip
    log = tmp_path / f"web-{port or 'first'}.log"
    return serve_web(argv, log, env={"REDIS_URL": realtime_url}, port=port)


def test_an_offer_made_while_the_socket_was_down_pops_on_reconnect(
    transactional_db, browser, people, realtime_url, tmp_path
):
    from tawasul.desk.services import agent_set_state, contact_offer_inbound

    agent = people["agent"]
    agent_set_state(agent=agent, state="available")
    server, base = _web(tmp_path, realtime_url)
    port = int(base.rsplit(":", 1)[1])
    context = browser.new_context(locale="en-US")
    client = verified_client(agent)
    context.add_cookies([{
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }])  # fmt: skip
    context.set_default_timeout(WAIT)
    page = context.new_page()
    try:
        page.goto(base + "/desk/")
        page.wait_for_selector("body[data-ws='open']")
        page.evaluate("window.__sameDocument = true")
        assert page.get_by_test_id("screen-pop").count() == 0

        server.terminate()
        server.wait(timeout=10)
        page.wait_for_selector("body[data-ws='closed']")
        # Rings while nobody can hear it: the event is published to a socket that is gone.
        contact_offer_inbound(
            agent=agent, channel="call", phone="+97455123456", full_name="مريم الكواري",
            hotline="107", ivr=["1", "3"], language="ar", external_id="reconnect-1",
        )  # fmt: skip
        server, _base = _web(tmp_path, realtime_url, port=port)

        page.wait_for_selector("body[data-ws='open']")
        page.get_by_test_id("screen-pop").wait_for()
        assert page.evaluate("window.__sameDocument") is True, "caught up without a reload"
        assert page.get_by_test_id("resident-name").inner_text() == "مريم الكواري"
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
