"""A real SIP call pops the agent's desk in Chromium, across processes.

The call rings through the real gateway (Kamailio + media workers); its controller runs in
this test process and publishes the offer, and the agent's page is served by another process
(uvicorn). Both are on the private Redis layer that `tawasul run` starts, so the pop can only
reach the browser across processes, as in `make demo`. Before that layer every process had its
own in-memory layer and the page stayed silent until a reload.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.support import verified_client
from tests.voice.sip import Caller, agent_phone, free_udp_port, tone, wait_registered

pytestmark = pytest.mark.timeout(120)
WAIT = 20_000  # ms


@pytest.fixture
def agent_page(browser, asgi_server, people):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    client = verified_client(people["agent"])
    context.add_cookies([{
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": asgi_server,
    }])  # fmt: skip
    context.set_default_timeout(WAIT)
    page = context.new_page()
    yield page
    context.close()


def test_a_sip_call_pops_the_agents_desk_without_a_reload(
    shared_layer, gateway, line, people, agent_page, asgi_server, tmp_path
):
    from tawasul.voice import services

    agent = people["agent"]
    agent.languages = ["en"]
    agent.save()
    services.voice_endpoint_set(user=agent, sip_username="fatima", password="phone-secret")
    port = free_udp_port()
    phone = agent_phone(tmp_path, port, talk_ms=8000)
    assert wait_registered(tmp_path, gateway.sip_port, "fatima", "phone-secret", port), (
        "the agent's phone could not register"
    )
    # The agent makes themselves available on the page (the browser's own loop runs on this
    # thread, so the test itself publishes nothing).
    agent_page.goto(asgi_server + "/desk/")
    agent_page.wait_for_selector("body[data-ws='open']")
    agent_page.get_by_role("button", name="Available").click()
    agent_page.wait_for_selector("[data-testid=my-state][data-state=available]")
    agent_page.evaluate("window.__sameDocument = true")

    caller = (
        Caller(tmp_path)
        .audio(tone(tmp_path / "voice.wav", 440))
        .pause(300)
        .dtmf("2")
        .dtmf("0")
        .wait_bye(40000)
    )
    sipp = caller.start(gateway.sip_port, "109", caller_id="+97455123456")
    pop = agent_page.get_by_test_id("screen-pop")
    pop.wait_for()
    assert agent_page.evaluate("window.__sameDocument") is True, "popped without a reload"
    path = agent_page.get_by_test_id("contact-path").inner_text()
    assert "Hotline 109" in path
    assert "IVR choices welcome › language:en › main:0 › queue:general" in path, path
    assert "sip:+97455123456@" in path
    assert sipp.wait() == 0, sipp.errors_text()
    assert phone.wait(20) == 0, phone.errors_text()
