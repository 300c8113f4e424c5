"""The desk in Chromium against the real ASGI server (HTTP + WebSockets).

The server is another process with the in-memory channel layer, so every real-time event here
is caused over HTTP (the offers API, a click in another browser context), never by calling a
service inside the test process.
"""

from __future__ import annotations

import re

import httpx
import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP

from tawasul.accounts import services as account_services
from tawasul.accounts.models import ApiToken
from tawasul.cases.models import Case
from tawasul.omnichannel.models import OutboxMessage
from tests.desk.conftest import verified_client

pytestmark = pytest.mark.timeout(60)
WAIT = 10_000  # ms: how long a page may take to show a pushed update
OVERFLOW = """Array.from(document.querySelectorAll('body *')).filter(e => {
  const r = e.getBoundingClientRect(); return r.width && (r.right > innerWidth + 1 || r.left < -1)
    && !e.classList.contains('skip-link') }).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def open_desk(transactional_db, asgi_server, browser, people):
    contexts = []

    def make(name: str, path: str = "/desk/", locale: str = "en-US"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
        contexts.append(context)
        client = verified_client(people[name])
        context.add_cookies([{
            "name": django_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            "url": asgi_server,
        }])  # fmt: skip
        context.set_default_timeout(WAIT)
        page = context.new_page()
        page.goto(asgi_server + path)
        return page

    yield make
    for context in contexts:
        context.close()


def offer_over_http(base: str, user, **body) -> dict:
    """What the voice gateway does when a call rings: POST /api/desk/offers."""
    _token, raw = ApiToken.issue(user=user, name="browser-test")
    response = httpx.post(
        f"{base}/api/desk/offers", json=body, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def wait_live(page) -> None:
    page.wait_for_selector("body[data-ws='open']", timeout=WAIT)


def test_agent_takes_an_offered_contact_and_routes_a_case(
    open_desk, asgi_server, people, directory
):
    page = open_desk("agent")
    wait_live(page)
    page.get_by_role("button", name="Available").click()
    page.wait_for_selector("[data-testid=my-state][data-state=available]")
    page.evaluate("window.__sameDocument = true")

    offer_over_http(
        asgi_server, people["supervisor"], agent="agent.fatima", phone="+974 5512 3456",
        full_name="مريم الكواري", hotline="107", ivr=["1", "3"], language="ar",
    )  # fmt: skip
    pop = page.locator("[data-testid=screen-pop]")
    pop.wait_for(timeout=WAIT)
    assert page.evaluate("window.__sameDocument") is True, "the screen popped without a reload"
    assert page.get_by_test_id("resident-name").inner_text() == "مريم الكواري"
    assert "107" in page.get_by_test_id("contact-path").inner_text()
    assert "1 › 3" in page.get_by_test_id("contact-path").inner_text()

    page.get_by_role("button", name="Accept").click()
    page.wait_for_selector("[data-offer-status=accepted]")
    page.wait_for_selector("[data-testid=my-state][data-state=on_contact]")
    page.get_by_label("Subject").fill("تأجيل الموعد")
    page.get_by_label("Description").fill("أريد حجز موعد جديد في المركز الصحي")
    page.get_by_test_id("suggestions").wait_for(timeout=WAIT)
    assert page.get_by_label("Service").input_value() == "phcc-appointment"
    assert page.get_by_label("Entity").input_value() == "phcc"
    page.get_by_role("button", name="Open and route the case").click()
    opened = page.get_by_test_id("opened-case")
    opened.wait_for(timeout=WAIT)
    case = Case.objects.get()
    assert case.reference in opened.inner_text() and "Appointments" in opened.inner_text()
    assert case.status == "assigned" and case.department == directory["appointments"]
    assert case.interactions.get().resident.full_name == "مريم الكواري"


def test_back_office_replies_and_resolves_from_a_phone(open_desk, browser, maryam_case):
    page = open_desk("phcc_staff", "/desk/cases/")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name=maryam_case.reference).click()
    page.get_by_label("Reply to the resident").fill("تم تحديد موعد جديد يوم الأحد")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply queued for the resident.").wait_for()
    assert "تم تحديد موعد جديد يوم الأحد" in page.get_by_test_id("timeline").inner_text()
    message = OutboxMessage.objects.get(case=maryam_case)
    assert message.to_address == "+97455123456" and message.channel == "sms"

    page.get_by_label("Resolution note").fill("تم تحديد الموعد")
    page.get_by_role("button", name="Resolve").click()
    page.get_by_text("Done.").wait_for()
    assert page.get_by_test_id("case-status").inner_text() == "Resolved"
    # Nothing on the phone layout runs off the side of the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(OVERFLOW)


def test_another_entitys_staff_cannot_open_the_case_or_the_resident(
    open_desk, asgi_server, maryam_case
):
    page = open_desk("outsider", "/desk/cases/")
    assert maryam_case.reference not in page.get_by_test_id("queue").inner_text()
    for path in (
        f"/desk/cases/{maryam_case.reference}/",
        f"/desk/residents/{maryam_case.resident_id}/",
    ):
        response = page.goto(asgi_server + path)
        assert response.status == 404
        assert "مريم" not in page.content()
    page.goto(asgi_server + "/desk/")
    assert page.url.endswith("/desk/cases/"), "the back office has no agent desktop"


def test_supervisor_view_follows_an_agents_state_without_reload(open_desk):
    boss = open_desk("supervisor", "/desk/supervisor/")
    wait_live(boss)
    boss.evaluate("window.__sameDocument = true")
    row = boss.locator("tr[data-agent='agent.fatima'] [data-testid=agent-state]")
    assert row.get_attribute("data-state") == "logged_out"

    agent = open_desk("agent")
    agent.get_by_role("button", name="Available").click()
    boss.wait_for_selector("tr[data-agent='agent.fatima'] [data-state=available]", timeout=WAIT)
    agent.get_by_label("Break reason").select_option("lunch")
    agent.get_by_role("button", name="Break").click()
    boss.wait_for_selector("tr[data-agent='agent.fatima'] [data-state=on_break]", timeout=WAIT)
    assert "Lunch" in boss.locator("tr[data-agent='agent.fatima']").inner_text()
    assert boss.evaluate("window.__sameDocument") is True


def _totp_now(secret: str) -> str:
    from base64 import b32decode

    return str(TOTP(b32decode(secret)).token()).zfill(6)


def _server_password(user, raw: str) -> None:
    # The test process hashes with MD5 for speed; the server only knows the real hashers.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(raw, "testsalt", iterations=1000)
    user.save(update_fields=["password"])


def test_mfa_sign_in_enrol_wrong_code_and_lock_out(transactional_db, asgi_server, browser, people):
    _server_password(people["agent"], "pw-agent.fatima")
    _server_password(people["agent2"], "pw-agent.ravi")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(asgi_server + "/desk/")
    assert "/desk/login/" in page.url

    def password(username: str, secret: str) -> None:
        page.goto(asgi_server + "/desk/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(secret)
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()

    # A password alone cannot add an authenticator: an administrator's link comes first.
    password("agent.fatima", "pw-agent.fatima")
    assert page.url.endswith("/desk/login/enrol/")
    assert "Ask an administrator for an enrolment link" in page.get_by_role("main").inner_text()
    _invite, raw = account_services.enrolment_issue(user=people["agent"], actor=people["admin"])
    page.goto(f"{asgi_server}/desk/login/enrol/{raw}/")
    assert "set up your authenticator app" in page.locator("ul.messages").inner_text()
    password("agent.fatima", "pw-agent.fatima")
    assert page.url.endswith("/desk/login/enrol/")
    page.get_by_text("Cannot scan? Type this key instead").click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert page.get_by_test_id("totp-uri").inner_text().startswith("otpauth://totp/")
    page.get_by_label("6-digit code").fill(_totp_now(secret))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(re.compile(r".*/desk/$"))
    # Sign-out redirects; the desk's live socket closing can abort the first navigation, so
    # wait for where the user lands rather than for one navigation event.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/desk/login/(\?.*)?$"))
    page.goto(asgi_server + "/desk/")
    assert "/desk/login/" in page.url, "signed out"

    password("agent.fatima", "pw-agent.fatima")
    assert page.url.endswith("/desk/login/verify/")
    right = _totp_now(secret)
    page.get_by_label("6-digit code").fill("000000" if right != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "That code is not right" in page.get_by_role("alert").inner_text()
    page.goto(asgi_server + "/desk/")
    assert "/desk/login/" in page.url, "a wrong code signs nobody in"

    for _ in range(5):
        password("agent.ravi", "wrong password")
        assert "Wrong username or password" in page.get_by_role("alert").inner_text()
    password("agent.ravi", "pw-agent.ravi")
    assert "Too many failed sign-in attempts" in page.get_by_role("alert").inner_text()
    context.close()


def test_a_full_contact_in_arabic(open_desk, asgi_server, people):
    page = open_desk("agent", locale="ar-QA")
    assert page.locator("html").get_attribute("dir") == "rtl"
    wait_live(page)
    page.get_by_role("button", name="متاح").click()
    page.wait_for_selector("[data-testid=my-state][data-state=available]")
    assert page.get_by_test_id("my-state").inner_text() == "متاح"
    offer_over_http(
        asgi_server, people["supervisor"], agent="agent.fatima", phone="+97455123456",
        full_name="مريم الكواري", hotline="107",
    )  # fmt: skip
    page.get_by_test_id("screen-pop").wait_for(timeout=WAIT)
    assert "اتصال وارد" in page.get_by_test_id("screen-pop").inner_text()
    page.get_by_role("button", name="قبول").click()
    page.wait_for_selector("[data-offer-status=accepted]")
    page.get_by_label("كيف تم الحل").fill("تم تزويده بمواعيد العمل")
    page.get_by_role("button", name="تسجيل كمحلول").click()
    assert page.get_by_test_id("outcome").inner_text() == "تم الحل من الاتصال الأول"
    page.get_by_role("button", name="إنهاء الاتصال").click()
    page.wait_for_selector("[data-testid=my-state][data-state=wrap_up]")
    page.get_by_role("button", name="إنهاء فترة ما بعد الاتصال").click()
    page.wait_for_selector("[data-testid=my-state][data-state=available]")
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_the_sla_countdown_reads_in_arabic(open_desk, maryam_case):
    """The countdown's units came from desk.js as `d h m` whatever the language (issue #12)."""
    assert maryam_case.resolution_due is not None
    page = open_desk("phcc_staff", "/desk/cases/", locale="ar-QA")
    countdown = page.locator(".sla bdi").first
    countdown.wait_for()
    text = countdown.inner_text()
    assert re.fullmatch(r"(\d+ي )?(\d+س )?\d+د متبقٍ", text), text
