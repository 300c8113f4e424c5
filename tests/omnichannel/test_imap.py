"""IMAP polling against a real Dovecot: mail APPENDed to the mailbox → ``tawasul imap_poll``.

Maryam's e-mail reaches the center's mailbox instead of its SMTP listener (the center's
mail is hosted elsewhere). The poller must make of it exactly what SMTP makes, take each
message once, mark it only after it is committed, refuse what can never be read without
stopping for it, and survive a mailbox it cannot use.
"""

from __future__ import annotations

import logging
import signal
import smtplib
import threading
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import CommandError, call_command

from tawasul.accounts.models import AuditEntry
from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.omnichannel import imap, inbound
from tawasul.omnichannel.models import ImapFailedMessage, ImapMailbox, OutboxMessage
from tests.omnichannel.conftest import Child, free_port, wait_until
from tests.omnichannel.dovecot import PASSWORD, USER, Dovecot
from tests.support import verified_client

pytestmark = [pytest.mark.timeout(120)]

SUBJECT = "طلب تجديد رخصة — licence 2026 \u200f✅"
TEXT = "السلام عليكم،\nأرجو تجديد الرخصة رقم QA-1234 قبل 15/12.\nThanks, مريم"


@pytest.fixture(scope="session")
def dovecot_server():
    server = Dovecot()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(dovecot_server, settings):
    """An empty INBOX on the private Dovecot, and the poller's settings pointing at it."""
    dovecot_server.empty()
    settings.TAWASUL_IMAP_HOST = "127.0.0.1"
    settings.TAWASUL_IMAP_PORT = dovecot_server.port
    settings.TAWASUL_IMAP_SSL = False
    settings.TAWASUL_IMAP_USER = USER
    settings.TAWASUL_IMAP_PASSWORD = PASSWORD
    settings.TAWASUL_IMAP_FOLDER = "INBOX"
    settings.TAWASUL_IMAP_TIMEOUT = 10.0
    settings.TAWASUL_IMAP_CA_FILE = ""
    return dovecot_server


def message(
    *,
    subject: str = SUBJECT,
    text: str = TEXT,
    sender: str = "maryam@example.qa",
    to: str = "phcc@tawasul.example",
    message_id: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    local, _, domain = sender.partition("@")
    msg["From"] = Address(display_name="مريم الكواري", username=local, domain=domain)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or make_msgid(domain="example.qa")
    msg.set_content(text)
    return msg


def poll() -> str:
    """``tawasul imap_poll --once`` as an operator runs it; returns what it printed."""
    from io import StringIO

    out = StringIO()
    call_command("imap_poll", "--once", stdout=out)
    return out.getvalue()


def case_view(case: Case) -> dict:
    """What staff see of a case opened by e-mail, and what the resident is sent back."""
    ack = OutboxMessage.objects.get(case=case)
    return {
        "entity": case.entity.code,
        "channel": case.channel,
        "kind": case.kind,
        "language": case.language,
        "subject": case.subject,
        "description": case.description,
        "resident": case.resident.full_name,
        "contacts": [c.value for c in case.resident.contacts.all()],
        "interactions": [(i.channel, i.direction, i.address) for i in case.interactions.all()],
        "ack": (ack.channel, ack.to_address, ack.language, ack.body.replace(case.reference, "R")),
    }


def test_arabic_mail_in_the_mailbox_becomes_the_same_case_as_over_smtp(
    transactional_db, directory, mailbox, smtpd
):
    over_smtp = message(sender="maryam@example.qa")
    with smtplib.SMTP("127.0.0.1", smtpd, timeout=30) as client:
        client.send_message(over_smtp)
    over_imap = message(sender="maryam.k@example.qa")
    uid = mailbox.deliver(bytes(over_imap))

    assert "stored=1" in poll()

    smtp_case = Case.objects.get(interactions__external_id=over_smtp["Message-ID"])
    imap_case = Case.objects.get(interactions__external_id=over_imap["Message-ID"])
    assert imap_case.subject == SUBJECT
    assert imap_case.description == TEXT
    assert imap_case.resident.full_name == "مريم الكواري"
    assert imap_case.entity.code == "phcc", "routed by the To address, as over SMTP"
    smtp_view, imap_view = case_view(smtp_case), case_view(imap_case)
    assert imap_view["contacts"] == ["maryam.k@example.qa"]
    assert imap_view["ack"][1] == "maryam.k@example.qa"
    for view in (smtp_view, imap_view):
        view["contacts"] = view["ack"] = view["interactions"] = None
    assert imap_view == smtp_view
    assert imap_case.interactions.get().address == "maryam.k@example.qa"
    assert mailbox.flags()[uid] == {"\\Seen"}


def test_mail_already_read_is_taken_and_a_restart_takes_nothing_twice(
    transactional_db, directory, mailbox
):
    # A colleague opened one in their mail client before the poller came round: it counts.
    read = mailbox.deliver(bytes(message(subject="قرأها زميل")), flags="(\\Seen)")
    unread = mailbox.deliver(bytes(message(subject="لم تُقرأ")))
    assert "stored=2" in poll()
    assert set(Case.objects.values_list("subject", flat=True)) == {"قرأها زميل", "لم تُقرأ"}
    assert mailbox.flags()[read] == mailbox.flags()[unread] == {"\\Seen"}

    # The poller restarts; meanwhile somebody marked a message unread again. Flags do not
    # matter: nothing is taken (or even fetched) twice.
    mailbox.unmark(unread)
    assert imap.poll_once() == imap.PollResult()
    assert Interaction.objects.count() == 2
    assert OutboxMessage.objects.count() == 2, "one acknowledgement each"

    later = mailbox.deliver(bytes(message(subject="رسالة لاحقة")), flags="(\\Seen)")
    assert imap.poll_once() == imap.PollResult(stored=1)
    assert Case.objects.count() == 3
    assert mailbox.flags()[later] == {"\\Seen"}
    state = ImapMailbox.objects.get()
    assert state.last_uid == later and state.key.endswith("/INBOX")


def test_a_renumbered_folder_is_read_again_without_taking_anything_twice(
    transactional_db, directory, mailbox, settings
):
    """The mail server restored the folder from a backup: new UIDVALIDITY, UIDs from 1."""
    settings.TAWASUL_IMAP_FOLDER = "Residents"
    mailbox.recreate("Residents")
    first = bytes(message(subject="الأولى"))
    no_id = b"From: salem@example.qa\r\nTo: phcc@tawasul.example\r\nSubject: =?utf-8?b?2KjZhNinINmF2LnYsdmR2YE=?=\r\n\r\nhello\r\n"  # noqa: E501
    for raw in (first, no_id):
        mailbox.deliver(raw, folder="Residents")
    assert imap.poll_once() == imap.PollResult(stored=2)
    before = ImapMailbox.objects.get().uidvalidity

    mailbox.recreate("Residents")
    for raw in (first, no_id, bytes(message(subject="الجديدة"))):
        mailbox.deliver(raw, folder="Residents")
    assert imap.poll_once() == imap.PollResult(stored=1, duplicates=2)
    assert ImapMailbox.objects.get().uidvalidity != before
    assert set(Case.objects.values_list("subject", flat=True)) == {
        "الأولى",
        "بلا معرّف",
        "الجديدة",
    }, "the message without a Message-ID is recognised by its bytes"
    assert OutboxMessage.objects.count() == 3
    assert imap.poll_once() == imap.PollResult()


def test_the_same_mail_delivered_twice_makes_one_contact(transactional_db, directory, mailbox):
    raw = bytes(message())
    first, second = mailbox.deliver(raw), mailbox.deliver(raw)
    out = poll()
    assert "stored=1" in out and "duplicates=1" in out
    assert Interaction.objects.count() == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1, "one acknowledgement"
    flags = mailbox.flags()
    assert flags[first] == flags[second] == {"\\Seen"}


def test_malformed_messages_are_refused_flagged_and_do_not_block_the_others(
    transactional_db, directory, mailbox, settings, caplog
):
    settings.TAWASUL_MAIL_MAX_BYTES = 64 * 1024
    good_before = mailbox.deliver(bytes(message(subject="قبل")))
    no_boundary = mailbox.deliver(
        b"From: maryam@example.qa\r\nTo: phcc@tawasul.example\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all\r\n"
    )
    no_sender = mailbox.deliver(b"To: phcc@tawasul.example\r\nSubject: x\r\n\r\nhello\r\n")
    bad_sender = mailbox.deliver(
        b"From: =?utf-8?b?2YXYsdmK2YU=?= <maryam@exa_mple>\r\nTo: phcc@tawasul.example\r\n"
        b"Subject: x\r\n\r\nhello\r\n"
    )
    too_big = mailbox.deliver(bytes(message(text="ا" * 70_000)))
    good_after = mailbox.deliver(bytes(message(subject="بعد")))

    with caplog.at_level(logging.WARNING, logger="tawasul.omnichannel.imap"):
        out = poll()

    assert "stored=2" in out and "refused=4" in out
    assert sorted(Case.objects.values_list("subject", flat=True)) == ["بعد", "قبل"]
    flags = mailbox.flags()
    for uid in (good_before, good_after):
        assert flags[uid] == {"\\Seen"}
    for uid in (no_boundary, no_sender, bad_sender, too_big):
        assert flags[uid] == {"\\Seen", "\\Flagged"}, "refused mail stands out in the mailbox"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"message {no_boundary} refused: broken MIME structure" in logged
    assert f"message {no_sender} refused: no sender address" in logged
    assert f"message {bad_sender} refused: not a valid e-mail address" in logged
    assert f"message {too_big} refused: the message is larger than" in logged
    assert "stored=0" in poll(), "refused mail is not read again on every pass"


def test_a_message_that_fails_once_is_taken_on_the_next_pass_in_order(
    transactional_db, directory, mailbox, settings
):
    """Storing fails for a reason of ours (triage entity misconfigured): nothing is stored,
    the message stays unseen, the mail after it goes on being taken, and the pass after the
    fix takes it like any other."""
    settings.TAWASUL_TRIAGE_ENTITY = "no-such-entity"
    uid = mailbox.deliver(bytes(message(to="hello@tawasul.example", subject="إلى الفرز")))
    after = mailbox.deliver(bytes(message(subject="بعدها")))
    assert imap.poll_once() == imap.PollResult(stored=1, deferred=1)
    assert Case.objects.get().subject == "بعدها"
    assert mailbox.flags() == {uid: set(), after: {"\\Seen"}}, "not seen: waiting to be stored"

    settings.TAWASUL_TRIAGE_ENTITY = ""
    assert imap.poll_once() == imap.PollResult(stored=1)
    assert Case.objects.get(subject="إلى الفرز").entity.code == "moci", "the triage entity"
    assert mailbox.flags()[uid] == {"\\Seen"}
    assert not ImapFailedMessage.objects.exists(), "taken normally: nothing left to look at"
    assert imap.poll_once() == imap.PollResult()


POISON = (
    (
        b"From: =?utf-8?b?2YXYsdmK2YUg2KfZhNmD2YjYp9ix2Yo=?= <maryam@example.qa>\r\n"
        b"To: phcc@tawasul.example\r\n"
        b"Subject: =?utf-8?b?2LTZg9mI2Ykg2LnYp9is2YTYqQ==?=\r\n"
        b"Date: Tue, 01 Dec 2026 21:00:00 +0300\r\n"
        b"Message-ID: <poison-1@example.qa>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=idna\r\n\r\n"
    )
    + "أرجو الرد على شكواي".encode()
    + b"\r\n"
)


class UnforeseenBug(Exception):
    pass


def test_a_charset_that_once_crashed_the_parser_is_taken(transactional_db, directory, mailbox):
    """charset=idna made the stdlib raise UnicodeError: the message was set aside, unread."""
    uid = mailbox.deliver(POISON)
    assert imap.poll_once() == imap.PollResult(stored=1)
    case = Case.objects.get()
    assert (case.subject, case.description) == ("شكوى عاجلة", "أرجو الرد على شكواي")
    assert case.resident.full_name == "مريم الكواري"
    assert mailbox.flags()[uid] == {"\\Seen"}


def test_a_message_that_always_fails_is_set_aside_and_the_rest_goes_on(
    transactional_db, people, mailbox, caplog, monkeypatch
):
    # No real message is known to fail after parsing any more, yet the set-aside path exists
    # for the bug nobody foresaw: storing this one Message-ID raises, on every attempt, as
    # such a bug would (the same bytes fail the same way); everything else is the real path.
    receive = inbound._receive

    def buggy_receive(**kwargs):
        if kwargs["external_id"] == "<poison-1@example.qa>":
            raise UnforeseenBug("storing <poison-1@example.qa> hit a bug")
        return receive(**kwargs)

    monkeypatch.setattr(inbound, "_receive", buggy_receive)
    good = [mailbox.deliver(bytes(message(subject=f"سليمة {n}"))) for n in (1, 2)]
    poison = mailbox.deliver(POISON)
    later = mailbox.deliver(bytes(message(subject="سليمة 3")))
    with caplog.at_level(logging.WARNING, logger="tawasul.omnichannel.imap"):
        assert imap.poll_once() == imap.PollResult(stored=3, deferred=1)
        assert imap.poll_once() == imap.PollResult(deferred=1)
        assert imap.poll_once() == imap.PollResult(set_aside=1), "third attempt: set aside"
        assert imap.poll_once() == imap.PollResult(), "not tried again"

    assert set(Case.objects.values_list("subject", flat=True)) == {"سليمة 1", "سليمة 2", "سليمة 3"}
    flags = mailbox.flags()
    assert [flags[uid] for uid in (*good, later)] == [{"\\Seen"}] * 3
    assert flags[poison] == {"\\Seen", "\\Flagged"}
    [copy] = mailbox.flags("Tawasul-Failed").values()  # the folder was created for it
    assert "\\Seen" not in copy, "new to whoever looks after that folder"
    failure = ImapFailedMessage.objects.get()
    assert (failure.uid, failure.status, failure.attempts) == (poison, "set_aside", 3)
    assert failure.from_header == "مريم الكواري <maryam@example.qa>"
    assert failure.subject == "شكوى عاجلة"
    assert failure.date_header == "Tue, 01 Dec 2026 21:00:00 +0300"
    assert failure.error.startswith("UnforeseenBug: ") and "Traceback" in failure.error
    assert failure.copied_to == "Tawasul-Failed"
    records = [r for r in caplog.records if f"message {poison} " in r.getMessage()]
    assert [(r.levelname, bool(r.exc_info)) for r in records] == [
        ("WARNING", False),
        ("WARNING", False),
        ("ERROR", True),
    ], "one line per attempt, the traceback once"

    # The administrator finds it, and that look at a resident's mail is audited.
    admin = verified_client(people["admin"])
    page = admin.get("/admin/omnichannel/imapfailedmessage/").content.decode()
    assert "شكوى عاجلة" in page and "maryam@example.qa" in page
    assert "UnforeseenBug: storing &lt;poison-1@example.qa&gt; hit a bug" in page
    detail = admin.get(f"/admin/omnichannel/imapfailedmessage/{failure.pk}/change/")
    assert detail.status_code == 200 and "Traceback" in detail.content.decode()
    audited = AuditEntry.objects.filter(object_type="imap_failure", object_id=str(failure.pk))
    assert list(audited.order_by("id").values_list("actor_label", "action")) == [
        ("admin.huda", "search"),
        ("admin.huda", "read"),
    ]
    agent = verified_client(people["agent"])
    assert agent.get("/admin/omnichannel/imapfailedmessage/").status_code == 302, "no admin"


def test_an_administrator_has_a_set_aside_message_taken_again_after_the_fix(
    transactional_db, people, mailbox, settings
):
    settings.TAWASUL_IMAP_MAX_ATTEMPTS = 1
    settings.TAWASUL_TRIAGE_ENTITY = "no-such-entity"
    uid = mailbox.deliver(bytes(message(to="hello@tawasul.example")))
    assert imap.poll_once() == imap.PollResult(set_aside=1)
    failure = ImapFailedMessage.objects.get()
    assert "no-such-entity" in failure.error

    settings.TAWASUL_TRIAGE_ENTITY = ""
    assert imap.poll_once() == imap.PollResult(), "set aside: not tried by itself"
    response = verified_client(people["admin"]).post(
        "/admin/omnichannel/imapfailedmessage/",
        {"action": "take_again", "_selected_action": [failure.pk]},
    )
    assert response.status_code == 302
    assert imap.poll_once() == imap.PollResult(stored=1)
    assert Case.objects.get().subject == SUBJECT
    assert not ImapFailedMessage.objects.exists()
    assert mailbox.flags()[uid] == {"\\Seen", "\\Flagged"}, "still marked as set aside once"


def test_imaps_sends_the_password_only_to_a_server_whose_certificate_it_trusts(
    transactional_db, directory, mailbox, settings
):
    settings.TAWASUL_IMAP_SSL = True
    settings.TAWASUL_IMAP_PORT = mailbox.tls_port
    mailbox.deliver(bytes(message()))
    logins = mailbox.log_text().count("Login: user=<tawasul>")

    # The server's self-signed certificate is in no trusted store: refuse before logging in.
    settings.TAWASUL_IMAP_CA_FILE = ""
    with pytest.raises(CommandError) as failed:
        poll()
    assert "CERTIFICATE_VERIFY_FAILED" in str(failed.value)
    assert mailbox.log_text().count("Login: user=<tawasul>") == logins, "no password sent"
    assert Interaction.objects.count() == 0

    settings.TAWASUL_IMAP_CA_FILE = str(mailbox.ca_file)  # the operator trusts its CA
    assert "stored=1" in poll()
    assert Case.objects.get().subject == SUBJECT


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"TAWASUL_IMAP_PASSWORD": "wrong"}, "AUTHENTICATIONFAILED"),
        ({"TAWASUL_IMAP_USER": "مستخدم"}, "AUTHENTICATIONFAILED"),
        ({"TAWASUL_IMAP_FOLDER": "No-Such-Folder"}, "cannot open folder 'No-Such-Folder'"),
        ({"TAWASUL_IMAP_PORT": "closed"}, "Connection refused"),
    ],
    ids=["wrong-password", "unknown-arabic-user", "missing-folder", "unreachable"],
)
def test_once_reports_a_mailbox_it_cannot_use_without_a_traceback(
    db, mailbox, settings, change, expected
):
    for name, value in change.items():
        setattr(settings, name, free_port() if value == "closed" else value)
    with pytest.raises(CommandError) as failed:
        poll()
    assert expected in str(failed.value)
    assert "mailbox unavailable" in str(failed.value)
    assert "wrong" not in str(failed.value) and PASSWORD not in str(failed.value)


def test_the_loop_keeps_retrying_a_wrong_password_and_stops_when_told(
    db, mailbox, settings, caplog
):
    settings.TAWASUL_IMAP_PASSWORD = "wrong"
    settings.TAWASUL_IMAP_INTERVAL = 0.1
    settings.TAWASUL_IMAP_BACKOFF_MAX_SECONDS = 0.3
    stop = threading.Event()
    loop = threading.Thread(target=imap.poll_forever, kwargs={"stop": stop})

    def failures() -> list[logging.LogRecord]:
        return [r for r in caplog.records if "mailbox unavailable" in r.getMessage()]

    with caplog.at_level(logging.INFO, logger="tawasul.omnichannel.imap"):
        loop.start()
        wait_until(lambda: len(failures()) >= 3, what="three failed logins")
        stop.set()
        loop.join(timeout=10)
    assert not loop.is_alive(), "the loop ended when told to"
    delays = [r.getMessage().rsplit("next try in ", 1)[1] for r in failures()[:4]]
    assert delays[:3] == ["0.1s", "0.2s", "0.3s"], "it waits longer after each failure, capped"
    assert all(r.levelno == logging.WARNING and not r.exc_info for r in failures())
    assert caplog.records[-1].getMessage() == "imap: stopped"


def test_stop_during_a_pass_ends_it_after_the_current_message(
    transactional_db, directory, mailbox, monkeypatch
):
    uids = [mailbox.deliver(bytes(message(subject=f"رسالة {n}"))) for n in range(3)]
    stop = threading.Event()
    real_receive = imap.email_receive

    def receive_then_stop(**kwargs):
        received = real_receive(**kwargs)
        stop.set()  # SIGTERM arrives while the first message is being stored
        return received

    monkeypatch.setattr(imap, "email_receive", receive_then_stop)
    assert imap.poll_once(stop=stop) == imap.PollResult(stored=1)
    flags = mailbox.flags()
    assert [flags[uid] for uid in uids] == [{"\\Seen"}, set(), set()]
    monkeypatch.undo()
    assert imap.poll_once() == imap.PollResult(stored=2)
    assert Case.objects.count() == 3


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_poller_process_outlasts_a_down_server_and_stops_cleanly(
    transactional_db, directory, child_env, signum
):
    """``tawasul imap_poll`` starts before its mail server is up, keeps trying, takes the
    mail once the server is there, and exits 0 on SIGTERM or Ctrl-C."""
    port = free_port()
    env = {
        **child_env,
        "TAWASUL_IMAP_HOST": "127.0.0.1",
        "TAWASUL_IMAP_PORT": str(port),
        "TAWASUL_IMAP_SSL": "0",
        "TAWASUL_IMAP_USER": USER,
        "TAWASUL_IMAP_PASSWORD": PASSWORD,
        "TAWASUL_IMAP_INTERVAL": "0.2",
        "TAWASUL_IMAP_BACKOFF_MAX_SECONDS": "0.5",
    }
    poller = Child(["imap_poll"], env)
    server = None
    try:
        wait_until(
            lambda: sum("mailbox unavailable" in line for line in poller.lines) >= 2,
            what="two failed connections",
        )
        assert poller.process.poll() is None, "still running after the failures"
        server = Dovecot(port=port)
        msg = message()
        uid = server.deliver(bytes(msg))
        wait_until(
            lambda: Interaction.objects.filter(external_id=msg["Message-ID"]).exists(),
            what="the mail stored",
        )
        wait_until(lambda: server.flags()[uid] == {"\\Seen"}, what="the mail marked seen")
        poller.process.send_signal(signum)
        assert poller.process.wait(timeout=15) == 0
        wait_until(lambda: any("imap: stopped" in line for line in poller.lines), what="log")
        assert not any("Traceback" in line for line in poller.lines), "\n".join(poller.lines)
    finally:
        poller.stop()
        if server is not None:
            server.stop()
    assert Case.objects.get().subject == SUBJECT
