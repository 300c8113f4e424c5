"""One outbox for every channel: retries with backoff, fallback, dead letters, Retry button.

The provider is a real HTTP server on a free port answering as each test tells it; e-mail
goes to the real mail sink process.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tawasul.accounts.models import AuditEntry
from tawasul.cases.services import case_add_note, case_create
from tawasul.errors import Conflict
from tawasul.omnichannel import services
from tawasul.omnichannel.models import (
    CallbackTask,
    MailSinkMessage,
    OutboxMessage,
    OutboxStatus,
)
from tawasul.omnichannel.services import (
    outbox_backoff,
    outbox_claim,
    outbox_deliver_due,
    outbox_enqueue,
    outbox_to_resident,
)
from tests.support import verified_client

pytestmark = [pytest.mark.timeout(60)]


@pytest.fixture
def fast_retries(settings):
    settings.TAWASUL_OUTBOX_MAX_ATTEMPTS = 3
    settings.TAWASUL_OUTBOX_BACKOFF_SECONDS = 30.0
    settings.TAWASUL_OUTBOX_BACKOFF_MAX_SECONDS = 600.0


def whatsapp_message(resident=None, **extra) -> OutboxMessage:
    return outbox_enqueue(
        channel="social",
        to_address="whatsapp:97455123456",
        body="تم تحديد موعد جديد",
        resident=resident,
        **extra,
    )


def later(message: OutboxMessage):
    return OutboxMessage.objects.get(pk=message.pk).next_attempt_at + timedelta(seconds=1)


def test_backoff_doubles_with_jitter_and_a_cap(settings, fast_retries):
    rng = random.Random(7)
    for attempt, step in ((1, 30), (2, 60), (3, 120), (6, 600), (12, 600)):
        wait = outbox_backoff(attempt, rng=rng).total_seconds()
        assert step / 2 <= wait <= step, (attempt, wait)


def test_temporary_failure_is_retried_later_then_sent_once(db, provider, fast_retries):
    provider.replies = [(503, {"error": {"message": "try later"}})]
    message = whatsapp_message()
    now = timezone.now()
    [tried] = outbox_deliver_due(now=now)
    assert tried.status == OutboxStatus.PENDING and tried.attempts == 1
    assert "503" in tried.last_error
    assert now + timedelta(seconds=15) <= tried.next_attempt_at <= now + timedelta(seconds=30)
    assert outbox_deliver_due(now=now) == [], "not due yet"

    [sent] = outbox_deliver_due(now=later(message))
    assert sent.status == OutboxStatus.SENT
    assert sent.provider_message_id == "wamid.2"
    assert len(provider.requests) == 2
    assert outbox_deliver_due(now=later(message) + timedelta(hours=1)) == []
    assert len(provider.requests) == 2, "a sent message is never sent again"
    body = provider.requests[1]["json"]
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "97455123456",
        "type": "text",
        "text": {"preview_url": False, "body": "تم تحديد موعد جديد"},
    }
    assert provider.requests[1]["path"] == "/v21.0/1090001/messages"
    assert provider.requests[1]["headers"]["Authorization"] == "Bearer test-token"


def test_a_claim_is_won_by_one_worker_only(db, provider):
    message = whatsapp_message()
    now = timezone.now()
    assert outbox_claim(message_id=message.pk, now=now) is True
    assert outbox_claim(message_id=message.pk, now=now) is False
    assert outbox_deliver_due(now=now) == [], "the claimed message is not picked up twice"
    assert provider.requests == []


def _report_while_sending(message: OutboxMessage, *, delivered: bool):
    """The provider's delivery report, handled (on the provider's thread, with its own
    database connection) before the provider answers the send."""

    def report() -> None:
        from django.db import connection

        try:
            row = OutboxMessage.objects.get(pk=message.pk)
            assert row.status == OutboxStatus.SENDING
            services.outbox_report(
                message=row, delivered=delivered, detail="DLR 1" if delivered else "DLR 2"
            )
        finally:
            connection.close()

    return report


def test_a_delivery_report_that_overtakes_the_send_is_kept(transactional_db, provider):
    message = whatsapp_message()
    provider.before_answer = _report_while_sending(message, delivered=True)
    [sent] = outbox_deliver_due()
    assert sent.status == OutboxStatus.DELIVERED, sent.history  # not put back to "sent"
    assert sent.delivered_at and sent.sent_at and sent.attempts == 1
    assert sent.provider_message_id == "wamid.1"
    assert [step["outcome"] for step in sent.history][-2:] == ["delivered", "sent"]
    assert outbox_deliver_due() == [] and len(provider.requests) == 1


def test_a_failure_report_that_overtakes_the_send_moves_it_to_its_fallback(
    transactional_db, provider
):
    message = whatsapp_message(fallback=[("email", "maryam@example.qa")])
    provider.before_answer = _report_while_sending(message, delivered=False)
    [tried] = outbox_deliver_due()
    assert (tried.status, tried.channel) == (OutboxStatus.PENDING, "email"), tried.history
    assert tried.to_address == "maryam@example.qa" and tried.attempts == 0
    assert tried.provider_message_id == ""  # the WhatsApp id is not the e-mail's
    last = tried.history[-1]  # the send is noted on the leg that was sent, not the fallback
    assert (last["outcome"], last["channel"], last["to"]) == (
        "sent",
        "social",
        "whatsapp:97455123456",
    )


def test_exhausted_retries_fall_back_to_the_next_channel(
    transactional_db, provider, fast_retries, mailsink, resident_factory
):
    resident = resident_factory(
        preferred="social", fallback=["email"], social_handle="whatsapp:97455123456",
        email="maryam@example.qa",
    )  # fmt: skip
    provider.replies = [(500, {})] * 3
    message = outbox_to_resident(resident=resident, body="ردنا على طلبكم", subject="رد")
    assert message.channel == "social"
    assert message.fallback_channels == [["email", "maryam@example.qa"]]
    outbox_deliver_due()
    outbox_deliver_due(now=later(message))
    moved = outbox_deliver_due(now=later(message))[0]
    assert (moved.channel, moved.status, moved.attempts) == ("email", OutboxStatus.PENDING, 0)
    [sent] = outbox_deliver_due(now=later(moved))
    assert sent.status == OutboxStatus.SENT
    assert MailSinkMessage.objects.get().recipients == ["maryam@example.qa"]
    outcomes = [line["outcome"] for line in sent.history]
    assert outcomes == ["temporary failure"] * 2 + ["temporary failure", "sent"]
    assert [line["channel"] for line in sent.history] == ["social"] * 3 + ["email"]


def test_permanent_failure_skips_retries_and_becomes_a_dead_letter(db, provider):
    provider.replies = [(400, {"error": {"message": "(#131026) Message undeliverable"}})]
    message = whatsapp_message()
    [failed] = outbox_deliver_due()
    assert failed.status == OutboxStatus.FAILED
    assert failed.attempts == 1
    assert "131026" in failed.last_error
    assert OutboxMessage.objects.get(pk=message.pk).next_attempt_at is None


def test_unreachable_smtp_server_is_a_temporary_failure(db, settings):
    from tests.omnichannel.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    outbox_enqueue(channel="email", to_address="maryam@example.qa", body="hello")
    [tried] = outbox_deliver_due()
    assert tried.status == OutboxStatus.PENDING
    assert "unreachable" in tried.last_error


def test_phone_channel_records_a_call_back_task(db, directory, resident_factory):
    resident = resident_factory(preferred="phone", phone="+97455123456")
    case = case_create(
        actor=None, kind="inquiry", entity=directory["phcc"], subject="s", description="d",
        resident=resident,
    )  # fmt: skip
    message = outbox_to_resident(resident=resident, body="نرجو الاتصال بكم", case=case)
    [sent] = outbox_deliver_due()
    assert sent.status == OutboxStatus.SENT
    task = CallbackTask.objects.get()
    assert (task.phone, task.case, task.outbox) == ("+97455123456", case, message)


def test_a_worker_that_died_mid_send_leaves_a_dead_letter_not_a_resend(db, provider, settings):
    message = whatsapp_message()
    assert outbox_claim(message_id=message.pk, now=timezone.now())
    # The worker never came back: its claim is an hour old.
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert "interrupted" in message.last_error
    assert provider.requests == []


def test_staff_reply_goes_out_threaded_under_the_residents_mail(
    transactional_db, directory, people, mailsink, resident_factory, smtpd
):
    """A back-office note to the resident arrives in her mailbox in the same thread."""
    from tests.omnichannel.test_email import message, send

    send(smtpd, message())
    outbox_deliver_due()
    case = directory["phcc"].cases.get()
    case_add_note(case=case, actor=people["phcc_staff"], body="تم تحديد موعدكم يوم الأحد",
                  visibility="resident")  # fmt: skip
    [reply] = outbox_deliver_due()
    assert reply.channel == "email" and reply.status == OutboxStatus.SENT
    caught = MailSinkMessage.objects.get(message_id=reply.provider_message_id)
    original = case.interactions.get().external_id
    assert caught.in_reply_to == original
    raw = bytes(caught.raw).decode()
    assert "References:" in raw and original in raw
    assert f"[{case.reference}]" in caught.subject
    assert "تم تحديد موعدكم يوم الأحد" in caught.body


# --- the dead-letter page -----------------------------------------------------------------


@pytest.fixture
def dead_letter(db, provider, resident_factory):
    resident = resident_factory(social_handle="whatsapp:97455123456", preferred="social")
    provider.replies = [(400, {"error": {"message": "undeliverable"}})]
    message = whatsapp_message(resident=resident)
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    return message


def as_user(user) -> Client:
    """A verified (second-factor) staff session: the only kind the staff pages accept."""
    return verified_client(user)


@pytest.mark.parametrize(
    "url", ["/channels/outbox/", "/channels/mailbox/"], ids=["outbox", "mailbox"]
)
def test_a_password_only_session_is_sent_to_sign_in(people, dead_letter, url):
    password_only = Client()
    password_only.force_login(people["admin"])
    response = password_only.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/desk/login/")
    retry = password_only.post(f"/channels/outbox/{dead_letter.pk}/retry")
    assert (retry.status_code, retry["Location"].split("?")[0]) == (302, "/desk/login/")
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.FAILED


@pytest.mark.parametrize("who", ["agent", "phcc_staff", "outsider", "planner"])
def test_only_supervisors_and_admins_see_the_outbox_or_retry(people, dead_letter, who):
    client = as_user(people[who])
    assert client.get("/channels/outbox/").status_code == 403
    assert client.post(f"/channels/outbox/{dead_letter.pk}/retry").status_code == 403
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.FAILED


def test_anonymous_is_sent_to_login(db, dead_letter):
    response = Client().get("/channels/outbox/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisor_sees_dead_letters_and_retries_one(people, dead_letter, provider, who):
    client = as_user(people[who])
    page = client.get("/channels/outbox/?status=failed&channel=social")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="outbox-{dead_letter.pk}"' in html and "undeliverable" in html
    assert AuditEntry.objects.filter(
        actor=people[who], object_type="outbox", resident_id=dead_letter.resident_id
    ).exists(), "reading residents' addresses is audited"
    assert (
        "whatsapp:97455123456" not in client.get("/channels/outbox/?status=sent").content.decode()
    )

    response = client.post(
        f"/channels/outbox/{dead_letter.pk}/retry", {"next": "/channels/outbox/"}
    )
    assert response.status_code == 302
    dead_letter.refresh_from_db()
    assert (dead_letter.status, dead_letter.attempts) == (OutboxStatus.PENDING, 0)
    assert dead_letter.history[-1]["detail"] == f"retried by {people[who].username}"
    [sent] = outbox_deliver_due()
    assert sent.status == OutboxStatus.SENT
    again = client.post(f"/channels/outbox/{dead_letter.pk}/retry")
    assert again.status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.status == OutboxStatus.SENT, "a sent message cannot be retried"


def test_outbox_page_in_arabic(people, dead_letter):
    client = as_user(people["supervisor"])
    html = client.get("/channels/outbox/", headers={"accept-language": "ar"}).content.decode()
    assert 'dir="rtl"' in html
    assert "صندوق الصادر" in html and "إعادة الإرسال" in html


def test_mailbox_page_for_center_staff_only(people, db):
    MailSinkMessage.objects.create(
        mail_from="care@tawasul.example", recipients=["maryam@example.qa"],
        subject="[107-2026-000001] استلمنا رسالتكم", body="رقم بلاغكم", raw=b"x",
    )  # fmt: skip
    page = as_user(people["agent"]).get("/channels/mailbox/")
    assert page.status_code == 200
    assert "استلمنا رسالتكم" in page.content.decode()
    assert as_user(people["outsider"]).get("/channels/mailbox/").status_code == 403
    assert as_user(people["planner"]).get("/channels/mailbox/").status_code == 403


def test_retry_service_refuses_an_agent(people, dead_letter):
    from tawasul.errors import Forbidden

    with pytest.raises(Forbidden):
        services.outbox_retry(message=dead_letter, actor=people["agent"])


def test_a_code_that_never_arrived_is_removed_and_not_retried(db, provider, people):
    provider.replies = [(400, {"error": {"message": "undeliverable"}})]
    message = whatsapp_message(holds_code=True)
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.body == services.CODE_REMOVED
    with pytest.raises(Conflict, match="ask for a new one"):
        services.outbox_retry(message=message, actor=people["supervisor"])
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED


def test_a_message_with_a_fallback_keeps_its_text_until_the_last_channel(db, provider):
    whatsapp_message(holds_code=True, fallback=[("email", "maryam@example.qa")])
    [sent] = outbox_deliver_due()
    assert sent.status == OutboxStatus.SENT
    assert sent.body == "تم تحديد موعد جديد", "a failure report would send it by e-mail"
    plain = whatsapp_message()
    OutboxMessage.objects.filter(pk=plain.pk).update(status=OutboxStatus.SENT)
    services.outbox_report(message=plain, delivered=True)
    assert OutboxMessage.objects.get(pk=plain.pk).body == "تم تحديد موعد جديد", "no code: kept"
