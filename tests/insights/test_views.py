"""Pages, downloads and e-mailed bulletins, with named people; the wallboard socket."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from tawasul.insights.bulletins import bulletins_send_due, last_complete_period
from tawasul.insights.models import BulletinSubscription
from tests.insights.conftest import make_contact

pytestmark = pytest.mark.django_db
MARCH = "?start=2026-03-01&end=2026-03-31"


@pytest.fixture
def traffic(directory, people):
    """A few March contacts for PHCC (107) and Commerce (109)."""
    base = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    for i in range(3):
        make_contact(offered_at=base + timedelta(minutes=i), wait=5 + i, outcome="resolved",
                     talk=100, entity=directory["phcc"], hotline=directory["h107"],
                     agent=people["agent"], language="ar")  # fmt: skip
    make_contact(offered_at=base, wait=40, outcome="abandoned", entity=directory["moci"],
                 hotline=directory["h109"], language="en")  # fmt: skip


PAGES = ["/insights/reports/", "/insights/bulletins/",
         "/insights/bulletins/download/?month=2026-03&lang=en&format=csv"]  # fmt: skip


@pytest.mark.parametrize("who", ["supervisor", "planner", "admin", "phcc_staff"])
def test_report_people_open_every_report_page(staff_client, traffic, who):
    for page in PAGES:
        assert staff_client(who).get(page).status_code == 200, (who, page)


def test_agents_get_no_reports_and_back_office_gets_no_wallboard(staff_client):
    for page in PAGES:
        assert staff_client("agent").get(page).status_code == 403
    assert staff_client("agent").get("/insights/wallboard/").status_code == 200
    assert staff_client("outsider").get("/insights/wallboard/").status_code == 403
    assert staff_client("planner").get("/insights/wallboard/").status_code == 200


def test_anonymous_and_password_only_sessions_go_to_sign_in(people):
    assert Client().get("/insights/reports/").status_code == 302
    half = Client()
    half.force_login(people["supervisor"])  # no second factor
    response = half.get("/insights/wallboard/")
    assert response.status_code == 302 and "next=" in response["Location"]


def test_back_office_sees_only_its_entity(staff_client, traffic):
    url = "/insights/reports/" + MARCH + "&by=entity&format=csv"
    mine = staff_client("phcc_staff").get(url).content.decode("utf-8-sig")
    assert "Primary Health Care Corporation" in mine and "Commerce" not in mine
    other = staff_client("outsider").get(url).content.decode("utf-8-sig")
    assert "Commerce" in other and "Primary Health" not in other
    refused = staff_client("outsider").get("/insights/reports/" + MARCH + "&entity=phcc")
    assert refused.status_code == 400 and b'data-field="entity"' in refused.content
    by_agent = staff_client("phcc_colleague").get("/insights/reports/" + MARCH + "&by=agent")
    assert by_agent.status_code == 400 and b'data-field="by"' in by_agent.content
    # The center bulletin is the whole center's; back office gets its entity's bulletin.
    body = (
        staff_client("outsider")
        .get("/insights/bulletins/download/?month=2026-03&lang=en&format=csv")
        .content.decode("utf-8-sig")
    )
    assert "Ministry of Commerce and Industry" in body and "Calls by entity" not in body


def test_supervisor_report_by_hotline_and_exports(staff_client, traffic):
    client = staff_client("supervisor")
    page = client.get("/insights/reports/" + MARCH + "&by=hotline")
    assert page.status_code == 200
    text = page.content.decode()
    assert "107 Primary health care" in text and "109 Government contact center" in text
    book = load_workbook(io.BytesIO(client.get(
        "/insights/reports/" + MARCH + "&by=entity&format=xlsx").content))  # fmt: skip
    rows = list(book.worksheets[0].iter_rows(min_row=5, values_only=True))
    by_name = {row[0]: row[1] for row in rows}
    assert by_name["Primary Health Care Corporation"] == 3
    assert by_name["Ministry of Commerce and Industry"] == 1
    pdf = client.get("/insights/reports/" + MARCH + "&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(("query", "field"), [
    ("?start=2026-03-31&end=2026-03-01", "end"),
    ("?start=yesterday", "start"),
    ("?start=2026-01-01&end=2026-03-31&granularity=15min", "end"),
    ("?granularity=week", "granularity"),
    ("?hotline=999", "hotline"),
    ("?entity=nobody", "entity"),
    ("?format=docx", "format"),
])  # fmt: skip
def test_bad_filters_get_400_naming_the_field(staff_client, query, field):
    response = staff_client("supervisor").get("/insights/reports/" + query)
    assert response.status_code == 400
    assert f'data-field="{field}"'.encode() in response.content


def test_bad_bulletin_requests_name_the_field(staff_client):
    response = staff_client("planner").get("/insights/bulletins/download/?month=2026-13&lang=fr")
    assert response.status_code == 400
    assert b'data-field="month"' in response.content and b'data-field="lang"' in response.content


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "1999-12", "2101-01"])
def test_bulletin_month_outside_the_years_is_a_400(staff_client, month):
    # 0000-01 is no date and 9999-12 has no next month: both were a 500.
    response = staff_client("planner").get(
        f"/insights/bulletins/download/?month={month}&lang=en&format=csv",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert b'data-field="month"' in response.content
    assert b"Choose a month between 2000-01 and 2100-12." in response.content


def test_bulletin_page_offers_arabic_and_english_pdfs(staff_client, traffic):
    client = staff_client("supervisor")
    page = client.get("/insights/bulletins/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "النشرات الإحصائية" in page
    for lang in ("ar", "en"):
        response = client.get(f"/insights/bulletins/download/?month=2026-03&lang={lang}&format=pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert f"-{lang}.pdf" in response["Content-Disposition"]


def test_definitions_page_in_arabic(staff_client):
    page = staff_client("agent").get("/insights/definitions/", HTTP_ACCEPT_LANGUAGE="ar")
    assert "مستوى الخدمة" in page.content.decode()


def test_due_bulletins_are_mailed_once_with_the_pdf(directory, traffic, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    BulletinSubscription.objects.create(email="director@example.qa", language="ar")
    BulletinSubscription.objects.create(email="phcc@example.qa", language="en",
                                        entity=directory["phcc"])  # fmt: skip
    assert last_complete_period("monthly", date(2026, 4, 2)) == (date(2026, 3, 1), date(2026, 4, 1))
    assert bulletins_send_due(today=date(2026, 4, 2)) == 2
    assert bulletins_send_due(today=date(2026, 4, 20)) == 0  # March already sent
    assert len(mail.outbox) == 2
    arabic = next(m for m in mail.outbox if m.to == ["director@example.qa"])
    assert "النشرة الإحصائية" in arabic.subject
    name, content, mimetype = arabic.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and "center" in name


async def _connect(client: Client):
    from tawasul.asgi import application

    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application,
        "/ws/wallboard/",
        headers=[(b"cookie", cookie), (b"origin", b"http://127.0.0.1")],
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


def _in_own_loop(coro):
    """Run a coroutine on a fresh event loop in its own thread: a session-wide Playwright
    browser may already own this thread's loop when the whole suite runs."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.django_db(transaction=True)
def test_wallboard_socket_admits_center_staff_only(people):
    from tests.insights.conftest import verified_client

    async def supervisor_view(client):
        communicator, connected, _ = await _connect(client)
        assert connected
        hello = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return hello

    async def refused(client):
        _communicator, connected, code = await _connect(client)
        return connected, code

    hello = _in_own_loop(supervisor_view(verified_client(people["supervisor"])))
    assert hello["event"] == "wallboard.snapshot" and hello["payload"]["waiting"] == 0
    assert _in_own_loop(refused(verified_client(people["outsider"]))) == (False, 4403)
    half = Client()
    half.force_login(people["agent"])  # password only, no second factor
    assert _in_own_loop(refused(half)) == (False, 4401)


@pytest.mark.django_db
def test_wallboard_rows_are_named_in_each_language(directory):
    from django.utils import timezone

    from tawasul.directory.models import Entity, Hotline
    from tawasul.insights.wallboard import wallboard_snapshot
    from tawasul.interactions.models import Interaction

    now = timezone.now()
    line = Hotline.objects.get(number="109")
    phcc = Entity.objects.get(code="phcc")
    Interaction.objects.create(channel="call", hotline=line, queue="general:109", offered_at=now)
    Interaction.objects.create(channel="web", entity=phcc, queue="phcc", offered_at=now)
    snapshot = wallboard_snapshot(now=now + timedelta(seconds=5))
    hotlines = {row["key"]: row["names"] for row in snapshot["hotlines"]}
    queues = {row["key"]: row["names"] for row in snapshot["queues"]}
    assert hotlines[str(line.pk)] == {
        "ar": "109 · مركز الاتصال الحكومي",
        "en": "109 · Government contact center",
    }
    assert hotlines[""] == {"ar": "بلا خط ساخن", "en": "No hotline"}
    assert queues["phcc"]["ar"] == "مؤسسة الرعاية الصحية الأولية"
    assert queues["general:109"]["en"] == "109 · general"
    assert snapshot["waiting"] == 2
