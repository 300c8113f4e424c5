"""SMS through a real Kannel: bearerbox + smsbox, with fakesmsc as the mobile operator.

Tawasul's outbox submits to smsbox's sendsms; fakesmsc receives the parts (UCS-2 for Arabic,
concatenated when long) and Kannel calls the live Tawasul back with delivery reports. A
resident's phone (fakesmsc again) sends MO messages that Kannel posts to /channels/sms/mo.
"""

from __future__ import annotations

import httpx
import pytest

from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.omnichannel import kannel as kannel_conf
from tawasul.omnichannel.models import OutboxMessage, OutboxStatus
from tawasul.omnichannel.services import outbox_deliver_due, outbox_enqueue
from tests.omnichannel.conftest import wait_until

pytestmark = [pytest.mark.timeout(120)]

PHONE = "+97455123456"
ARABIC = "تم تحديد موعدكم يوم الأحد الساعة التاسعة صباحا في مركز الوكرة الصحي"
LONG = ("رقم بلاغكم 107-2026-000001. " * 12)[:300]


def status_of(message: OutboxMessage) -> str:
    return OutboxMessage.objects.get(pk=message.pk).status


def test_outbound_arabic_and_long_sms_with_delivery_reports(transactional_db, kannel):
    assert len(ARABIC) <= 70
    short = outbox_enqueue(channel="sms", to_address=PHONE, body=ARABIC)
    long = outbox_enqueue(channel="sms", to_address="+97455000111", body=LONG)
    plain = outbox_enqueue(channel="sms", to_address="+97455000222", body="Your case is resolved")
    sent = outbox_deliver_due()
    # The fake operator's delivery report may overtake Kannel's answer to the send.
    assert {m.status for m in sent} <= {OutboxStatus.SENT, OutboxStatus.DELIVERED}
    assert len(sent) == 3

    wanted = {(PHONE, ARABIC), ("+97455000111", LONG), ("+97455000222", "Your case is resolved")}
    wait_until(lambda: wanted <= set(kannel.sent()), what="the operator to receive all three")
    assert len(LONG) == 300
    assert kannel.parts_to("+97455000111") >= 5, "300 UCS-2 characters need 5 concatenated parts"
    assert kannel.parts_to(PHONE) == 1, "70 UCS-2 characters fit in one SMS"
    assert kannel.parts_to("+97455000222") == 1

    for message in (short, long, plain):
        wait_until(lambda m=message: status_of(m) == OutboxStatus.DELIVERED, what="DLR")
    assert OutboxMessage.objects.get(pk=short.pk).delivered_at is not None


def test_inbound_sms_opens_a_case_and_a_reply_with_the_reference_threads(
    transactional_db, directory, kannel
):
    kannel.send_mo(sender=PHONE, receiver="107", text="أرغب في حجز موعد لطفلي")
    interaction = wait_until(
        lambda: Interaction.objects.filter(channel="sms").first(), what="the MO message"
    )
    case = interaction.cases.get()
    assert case.entity.code == "phcc", "sent to 107, the PHCC hotline"
    assert case.description == "أرغب في حجز موعد لطفلي"
    assert case.resident.contacts.get().value == PHONE

    ack = OutboxMessage.objects.get(case=case)
    assert ack.channel == "sms" and ack.to_address == PHONE
    outbox_deliver_due()
    wait_until(
        lambda: any(to == PHONE and case.reference in text for to, text in kannel.sent()),
        what="the acknowledgement on the phone",
    )

    kannel.send_mo(sender=PHONE, receiver="107", text=f"بخصوص {case.reference}: الموعد مناسب")
    wait_until(lambda: case.interactions.count() == 2, what="the reply")
    assert Case.objects.count() == 1


def test_duplicate_mo_delivery_and_bad_callbacks(transactional_db, directory, kannel, web):
    """Kannel retries a get-url whose answer it did not see: same id, one contact."""
    secret = kannel_conf.callback_secret()
    params = {"secret": secret, "from": PHONE, "to": "109", "text": "مرحبا", "id": "kannel-uuid-1"}
    first = httpx.get(f"{web}/channels/sms/mo", params=params)
    again = httpx.get(f"{web}/channels/sms/mo", params=params)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.text == "", "an empty body: Kannel sends no reply SMS of its own"
    assert Interaction.objects.count() == 1
    assert OutboxMessage.objects.count() == 1

    wrong = httpx.get(f"{web}/channels/sms/mo", params={**params, "secret": "guess", "id": "2"})
    assert wrong.status_code == 403
    bad = httpx.get(f"{web}/channels/sms/mo", params={**params, "from": "12", "id": "3"})
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == "from"
    assert Interaction.objects.count() == 1


def test_failed_delivery_report_falls_back_to_email(transactional_db, web, settings):
    settings.TAWASUL_PUBLIC_URL = web
    message = outbox_enqueue(
        channel="sms", to_address=PHONE, body="x", fallback=[("email", "maryam@example.qa")]
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    report = httpx.get(
        f"{web}/channels/sms/dlr",
        params={"secret": kannel_conf.callback_secret(), "outbox": message.pk, "status": 16},
    )
    assert report.status_code == 200
    message.refresh_from_db()
    assert (message.channel, message.status) == ("email", OutboxStatus.PENDING)
