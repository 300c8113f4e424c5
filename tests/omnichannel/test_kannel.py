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


def dlr(web: str, message: OutboxMessage, status: int, **changes) -> httpx.Response:
    """The delivery report Kannel makes from the dlr-url of ``message``'s send."""
    params = kannel_conf.sendsms_params(to=message.to_address, text="x", outbox_id=message.pk)
    url = params["dlr-url"].replace("%d", str(status)).replace("%F", "op-1")
    query = dict(httpx.URL(url).params) | {k: str(v) for k, v in changes.items()}
    return httpx.get(f"{web}/channels/sms/dlr", params=query)


def refusal(response: httpx.Response) -> tuple[int, str, str]:
    [detail] = response.json()["detail"]
    return response.status_code, detail["field"], detail["message"]


def test_failed_delivery_report_falls_back_to_email(transactional_db, web, settings):
    settings.TAWASUL_PUBLIC_URL = web
    message = outbox_enqueue(
        channel="sms", to_address=PHONE, body="x", fallback=[("email", "maryam@example.qa")]
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT)
    report = dlr(web, message, 16)
    assert report.status_code == 200
    message.refresh_from_db()
    assert (message.channel, message.status) == ("email", OutboxStatus.PENDING)
    again = dlr(web, OutboxMessage(pk=message.pk, to_address=PHONE), 16)
    assert refusal(again) == (
        403,
        "sig",
        "the delivery report is not signed for this message and address",
    ), "the SMS leg is over: its report cannot touch the e-mail leg"
    message.refresh_from_db()
    assert (message.channel, message.status) == ("email", OutboxStatus.PENDING)


def test_the_dlr_url_carries_a_signature_not_the_shared_secret(settings):
    settings.TAWASUL_PUBLIC_URL = "http://tawasul.example"
    url = kannel_conf.sendsms_params(to=PHONE, text="x", outbox_id=7)["dlr-url"]
    assert kannel_conf.callback_secret() not in url
    signature = kannel_conf.dlr_signature(outbox_id=7, to=PHONE)
    assert url == (
        f"http://tawasul.example/channels/sms/dlr?outbox=7&mask=19&sig={signature}&status=%d&fid=%F"
    )
    assert signature != kannel_conf.dlr_signature(outbox_id=8, to=PHONE)
    assert signature != kannel_conf.dlr_signature(outbox_id=7, to="+97455000111")
    assert signature != kannel_conf.dlr_signature(outbox_id=7, to=PHONE, mask=31)


def test_replayed_and_forged_delivery_reports_change_nothing(transactional_db, web, settings):
    settings.TAWASUL_PUBLIC_URL = web
    message = outbox_enqueue(channel="sms", to_address=PHONE, body="x")
    other = outbox_enqueue(channel="sms", to_address="+97455000111", body="y")
    OutboxMessage.objects.filter(pk__in=[message.pk, other.pk]).update(status=OutboxStatus.SENT)

    # Forged: the old shared-secret URL, a guessed signature, another message's signature,
    # a mask changed to ask for other report types.
    secret = kannel_conf.callback_secret()
    old_style = httpx.get(
        f"{web}/channels/sms/dlr", params={"secret": secret, "outbox": message.pk, "status": 2}
    )
    assert old_style.status_code == 400 and old_style.json()["detail"][0]["field"] == "mask"
    guessed = dlr(web, message, 2, sig="0" * 64)
    borrowed = dlr(web, message, 2, sig=kannel_conf.dlr_signature(outbox_id=other.pk, to=PHONE))
    remasked = dlr(web, message, 2, mask=31)
    for forged in (guessed, borrowed, remasked):
        assert refusal(forged) == (
            403,
            "sig",
            "the delivery report is not signed for this message and address",
        )
    unasked = dlr(web, message, 8)  # SMSC ack: not in the mask
    assert refusal(unasked) == (400, "status", "DLR type 8 was not asked for (mask 19)")
    assert status_of(message) == OutboxStatus.SENT

    assert dlr(web, message, 1).status_code == 200
    assert status_of(message) == OutboxStatus.DELIVERED
    # Replayed: the same report again, then a failure for the delivered message.
    assert refusal(dlr(web, message, 1)) == (403, "status", "the message is already delivered")
    assert refusal(dlr(web, message, 2)) == (
        403,
        "status",
        "the message is delivered; a failure report cannot change that",
    )
    delivered = OutboxMessage.objects.get(pk=message.pk)
    assert delivered.status == OutboxStatus.DELIVERED
    assert [step["outcome"] for step in delivered.history] == ["delivered"]

    # A failure is taken once too: the dead letter is not reported on again.
    assert dlr(web, other, 16).status_code == 200
    assert status_of(other) == OutboxStatus.FAILED
    assert refusal(dlr(web, other, 1)) == (
        403,
        "status",
        "the message is failed: no delivery report is expected",
    )
    assert status_of(other) == OutboxStatus.FAILED


def test_a_one_time_code_is_never_shown_and_is_removed_once_sent(
    transactional_db, directory, people, kannel
):
    from tawasul.omnichannel.services import CODE_REMOVED
    from tawasul.portal.services import otp_request
    from tests.portal.conftest import last_code
    from tests.support import verified_client

    kannel.send_mo(sender=PHONE, receiver="107", text="أين وصل طلبي؟")
    case = wait_until(lambda: Case.objects.first(), what="the MO message")
    OutboxMessage.objects.update(status=OutboxStatus.CANCELLED)  # the acknowledgement
    assert otp_request(reference=case.reference, channel="sms", ip="127.0.0.1") is not None
    code = last_code(PHONE)
    message = OutboxMessage.objects.get(idempotency_key__startswith="portal-otp:")
    assert message.holds_code and code in message.body

    admin = verified_client(people["admin"])
    pages = [
        "/admin/omnichannel/outboxmessage/",
        f"/admin/omnichannel/outboxmessage/{message.pk}/change/",
        "/channels/outbox/?status=",
    ]
    for url in pages:  # not even while it waits to be sent
        page = admin.get(url)
        assert page.status_code == 200 and code not in page.content.decode(), url
    assert "[one-time code: not shown]" in admin.get(pages[1]).content.decode()

    outbox_deliver_due()
    wait_until(
        lambda: any(to == PHONE and code in text for to, text in kannel.sent()),
        what="the code on the resident's phone",
    )
    wait_until(lambda: status_of(message) == OutboxStatus.DELIVERED, what="DLR")
    message.refresh_from_db()
    assert message.body == CODE_REMOVED
    for url in pages:
        assert code not in admin.get(url).content.decode(), url
    # Nor in Kannel's access log, as text or as UCS-2 hex.
    log = (kannel_conf.kannel_dir() / "access.log").read_text(errors="replace")
    assert f"[to:{PHONE}]" in log, "the log has the send, without its text"
    assert code not in log and code.encode("utf-16-be").hex().upper() not in log
