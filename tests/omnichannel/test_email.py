"""E-mail end to end: smtplib → the real ``tawasul smtpd`` → cases; outbox → the real sink.

Maryam writes to PHCC in Arabic from a webmail that sends HTML only, with a PDF and a photo
(and an executable that must be refused). She gets the reference by e-mail, replies from
her mail client, and the reply lands on the same case.
"""

from __future__ import annotations

import base64
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.omnichannel.models import MailSinkMessage, OutboxMessage, OutboxStatus
from tawasul.omnichannel.services import outbox_deliver_due

pytestmark = [pytest.mark.timeout(90)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TIFF = b"II*\x00" + b"\x00" * 64


def message(
    *,
    subject: str = "تأخر موعد المراجعة",
    sender: str = "maryam@example.qa",
    name: str = "مريم الكواري",
    to: str = "phcc@tawasul.example",
    html: str | None = None,
    text: str | None = "تم تأجيل موعدي ثلاث مرات",
    message_id: str | None = None,
    in_reply_to: str | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    local, _, domain = sender.partition("@")
    msg["From"] = Address(display_name=name, username=local, domain=domain)
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or make_msgid(domain="example.qa")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(text)
    return msg


def send(port: int, msg: EmailMessage | bytes, *, to: str = "phcc@tawasul.example") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        if isinstance(msg, bytes):
            client.sendmail("maryam@example.qa", [to], msg)
        else:
            client.send_message(msg)


def test_arabic_html_mail_with_attachments_opens_a_case_and_is_acknowledged(
    transactional_db, directory, smtpd, mailsink
):
    msg = message(
        html="<html><head><style>p{color:red}</style></head><body>"
        "<p>السلام عليكم،</p><p>تم تأجيل <b>موعدي</b> ثلاث مرات.</p></body></html>"
    )
    assert "=?utf-8?" in msg.as_string().lower(), "the subject travels RFC 2047-encoded"
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="إحالة.pdf")
    msg.add_attachment(PNG, maintype="image", subtype="png", filename="photo.png")
    msg.add_attachment(b"MZ\x90\x00evil", maintype="application", subtype="octet-stream",
                       filename="setup.exe")  # fmt: skip
    send(smtpd, msg)

    case = Case.objects.get()
    assert case.entity.code == "phcc", "routed by the recipient address phcc@"
    assert case.channel == "email"
    assert case.subject == "تأخر موعد المراجعة"
    assert case.description == "السلام عليكم،\n\nتم تأجيل موعدي ثلاث مرات."
    assert case.resident.full_name == "مريم الكواري"
    assert case.resident.contacts.get().value == "maryam@example.qa"
    assert sorted(a.content_type for a in case.attachments.all()) == [
        "application/pdf",
        "image/png",
    ]
    refused = case.notes.get(body__contains="setup.exe").body
    assert "application/octet-stream" in refused
    interaction = case.interactions.get()
    assert interaction.external_id == msg["Message-ID"]

    ack = OutboxMessage.objects.get(case=case)
    assert ack.channel == "email" and ack.to_address == "maryam@example.qa"
    assert case.reference in ack.subject and case.reference in ack.body

    [sent] = outbox_deliver_due()
    assert sent.status == OutboxStatus.SENT
    caught = MailSinkMessage.objects.get()
    assert caught.recipients == ["maryam@example.qa"]
    assert f"[{case.reference}]" in caught.subject
    assert "رقم" in caught.body or case.reference in caught.body
    assert caught.in_reply_to == msg["Message-ID"], "the acknowledgement threads under her mail"
    assert caught.reply_to == f"care+{case.reference.lower()}@tawasul.example"
    assert caught.message_id == sent.provider_message_id
    assert b"=?utf-8?" in bytes(caught.raw).lower(), "Arabic subject RFC 2047-encoded"


def test_replies_thread_by_message_id_and_by_reference(
    transactional_db, directory, smtpd, mailsink
):
    send(smtpd, message())
    case = Case.objects.get()
    outbox_deliver_due()
    ack = MailSinkMessage.objects.get()

    # Her mail client answers the acknowledgement: In-Reply-To carries our Message-ID.
    send(smtpd, message(subject="Re: شكرا", text="أرفقت التقرير", in_reply_to=ack.message_id))
    # Later she writes fresh, quoting the reference in the subject.
    send(smtpd, message(subject=f"متابعة [{case.reference}]", text="هل من جديد؟"))
    assert Case.objects.count() == 1
    assert case.interactions.count() == 3
    assert case.notes.filter(body__contains="هل من جديد؟").exists()

    # Someone else quoting her reference does not reach her case.
    send(smtpd, message(subject=f"[{case.reference}]", sender="stranger@example.com"))
    assert Case.objects.count() == 2
    assert case.interactions.count() == 3


def test_duplicate_message_id_makes_no_second_contact(transactional_db, directory, smtpd):
    msg = message()
    send(smtpd, msg)
    send(smtpd, msg)  # the sending server retries after a lost 250
    assert Interaction.objects.count() == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_unrouted_mail_goes_to_triage_and_routes_map_is_used(transactional_db, directory, smtpd):
    send(smtpd, message(to="enquiries@moci.example"), to="enquiries@moci.example")
    send(smtpd, message(to="hello@tawasul.example", sender="b@example.qa"), to="hello@x.example")
    entities = sorted(Case.objects.values_list("entity__code", "reference"))
    assert entities[0][0] == "moci"
    # Triage: the center hotline 109's entity (moci in the test directory), reference 109-.
    assert entities[1][0] == "moci" and entities[1][1].startswith("109-")


def test_broken_mime_is_refused_permanently_and_nothing_is_stored(
    transactional_db, directory, smtpd
):
    broken = (
        b"From: maryam@example.qa\r\nTo: phcc@tawasul.example\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all\r\n"
    )
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtpd, broken)
    assert refused.value.smtp_code == 554
    assert b"boundary" in refused.value.smtp_error
    no_sender = b"To: phcc@tawasul.example\r\nSubject: x\r\n\r\nhello\r\n"
    with (
        smtplib.SMTP("127.0.0.1", smtpd, timeout=30) as client,
        pytest.raises(smtplib.SMTPResponseException) as refused,
    ):
        client.sendmail("<>", ["phcc@tawasul.example"], no_sender)
    assert refused.value.smtp_code == 554
    assert Interaction.objects.count() == 0


def test_oversized_message_is_refused_with_552(transactional_db, directory, smtpd):
    msg = message()
    msg.add_attachment(PDF + b"0" * (3 * 1024 * 1024), maintype="application",
                       subtype="pdf", filename="big.pdf")  # fmt: skip
    with pytest.raises(smtplib.SMTPResponseException) as refused:
        send(smtpd, msg)
    assert refused.value.smtp_code == 552
    assert Interaction.objects.count() == 0


def test_invalid_utf8_and_unknown_charset_are_read_not_crashed(transactional_db, directory, smtpd):
    raw = (
        b"From: =?utf-8?b?2YXYsdmK2YU=?= <maryam@example.qa>\r\nTo: phcc@tawasul.example\r\n"
        b"Subject: =?x-unknown?q?hello?=\r\nMessage-ID: <bad-utf8@example.qa>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nabc \xff\xfe def\r\n"
    )
    send(smtpd, raw)
    case = Case.objects.get()
    assert case.description.startswith("abc ") and case.description.endswith(" def")


ARABIC = "أرجو تجديد الرخصة"  # in UTF-8 below unless said otherwise
ODD_MAIL = {
    # The stdlib raises UnicodeError for idna (it refuses errors="replace")...
    "idna": (b"Content-Type: text/plain; charset=idna\r\n", ARABIC.encode()),
    # ... and ValueError for a charset name with a NUL in it.
    "nul": (b'Content-Type: text/plain; charset="utf\x00-8"\r\n', ARABIC.encode()),
    "bogus": (b"Content-Type: text/plain; charset=x-no-such-charset\r\n", ARABIC.encode()),
    "no charset": (b"Content-Transfer-Encoding: 8bit\r\n", ARABIC.encode("windows-1256")),
    "ascii, wrongly": (b"Content-Type: text/plain; charset=us-ascii\r\n", ARABIC.encode()),
    # UTF-7 decodes these to lone surrogates, which no database stores.
    "utf-7": (
        b"Content-Type: text/plain; charset=utf-7\r\n",
        b"+2YXYsQ- " + ARABIC.encode("utf-7"),
    ),
}


def odd(label: str, headers: bytes, body: bytes, *, sender: bytes = b"maryam@example.qa") -> bytes:
    return (
        b"From: " + sender + b"\r\nTo: phcc@tawasul.example\r\n"
        b"Message-ID: <odd-" + label.replace(" ", "-").replace(",", "").encode()
        + b"@example.qa>\r\nSubject: " + label.encode() + b"\r\nMIME-Version: 1.0\r\n"
        + headers + b"\r\n" + body + b"\r\n"
    )  # fmt: skip


def test_mail_in_bogus_or_missing_charsets_opens_cases_with_readable_text(
    transactional_db, directory, smtpd
):
    for label, (headers, body) in ODD_MAIL.items():
        send(smtpd, odd(label, headers, body))  # before: 451 for days, or a stored crash
    cases = dict(Case.objects.values_list("subject", "description"))
    for label in ODD_MAIL:
        expected = "\ufffd\ufffd " + ARABIC if label == "utf-7" else ARABIC  # marked, not lost
        assert cases[label] == expected, f"{label}: {cases[label]!r}"


def test_odd_headers_attachments_and_an_empty_body_are_read(transactional_db, directory, smtpd):
    name, subject = "مريم الكواري".encode(), "شكوى عاجلة".encode()
    # RFC 2047 words whose charsets Python refuses (idna) or cannot name (NUL), raw 8-bit
    # windows-1256 in a header, an attachment name in a charset nobody knows, and no body.
    send(
        smtpd,
        b"From: =?idna?b?" + base64.b64encode(name) + b"?= <maryam@example.qa>\r\n"
        b"To: phcc@tawasul.example\r\nMessage-ID: <odd-headers@example.qa>\r\n"
        b"Subject: =?utf\x00-8?b?" + base64.b64encode(subject) + b"?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + ARABIC.encode() + b"\r\n--BB\r\n"
        b"Content-Type: application/pdf; name*=idna''%FF.pdf\r\n"
        b"Content-Disposition: attachment;\r\n"
        b" filename*=x-unknown''%D8%A5%D8%AD%D8%A7%D9%84%D8%A9.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(PDF) + b"\r\n--BB--\r\n",
    )  # fmt: skip
    send(smtpd, b"From: \xe3\xd1\xed\xe3 <b@example.qa>\r\nTo: phcc@tawasul.example\r\n"
                b"Subject: \xd4\xc3\xe4 \xe3\xe6\xda\xcf\r\n\r\n")  # fmt: skip
    # 40,000 encoded words in one Subject (folded, 1.5 MB): the stdlib parser took 90 s.
    huge = b"\r\n ".join([b"=?utf-8?b?" + base64.b64encode(subject) + b"?="] * 40_000)
    send(smtpd, b"From: c@example.qa\r\nTo: phcc@tawasul.example\r\nSubject: " + huge
                + b"\r\n\r\n" + ARABIC.encode() + b"\r\n")  # fmt: skip

    first = Case.objects.get(resident__contacts__value="maryam@example.qa")
    assert (first.subject, first.resident.full_name) == ("شكوى عاجلة", "مريم الكواري")
    assert first.description == ARABIC
    assert first.attachments.get().filename == "إحالة.pdf"
    empty = Case.objects.get(resident__contacts__value="b@example.qa")
    assert (empty.subject, empty.resident.full_name) == ("شأن موعد", "مريم")
    assert empty.description == "شأن موعد", "no body: the subject stands for the text"
    assert empty.interactions.get().subject == "شأن موعد"
    long = Case.objects.get(resident__contacts__value="c@example.qa")
    assert long.subject == ("شكوى عاجلة" * 40)[:200] and long.description == ARABIC


def test_mail_the_parser_cannot_take_is_refused_permanently_with_the_reason(
    transactional_db, directory, smtpd
):
    """A 451 would have the sender retry the same bytes for days; the author must know now."""
    depth = 2000  # multiparts nested deeper than the parser recurses
    nested = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                      for i in range(depth))  # fmt: skip
    raw = (
        b"From: maryam@example.qa\r\nTo: phcc@tawasul.example\r\nSubject: x\r\n"
        b"MIME-Version: 1.0\r\n" + nested + b"Content-Type: text/plain\r\n\r\nhello\r\n"
    )
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(smtpd, raw)
    assert refused.value.smtp_code == 554
    assert refused.value.smtp_error == b"5.6.0 MIME parts nested too deeply"
    assert Interaction.objects.count() == 0


def test_temporary_failure_answers_451_so_the_sender_retries(transactional_db, directory, settings):
    """A listener in this process, with the triage entity misconfigured."""
    from aiosmtpd.controller import Controller

    from tawasul.omnichannel.smtp import InboundHandler
    from tests.omnichannel.conftest import free_port

    settings.TAWASUL_TRIAGE_ENTITY = "no-such-entity"
    port = free_port()
    controller = Controller(InboundHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            send(port, message(to="nobody@tawasul.example"), to="nobody@tawasul.example")
    finally:
        controller.stop()
    assert deferred.value.smtp_code == 451
    assert Interaction.objects.count() == 0


def test_a_parser_bug_answers_554_not_451_and_logs_its_traceback(
    transactional_db, directory, monkeypatch, caplog
):
    """No real message is known to reach it, so the bug is injected: the same bytes would
    fail the same way on every retry, so the sender is told at once, not in five days."""
    from aiosmtpd.controller import Controller

    from tawasul.omnichannel import mail
    from tawasul.omnichannel.smtp import InboundHandler
    from tests.omnichannel.conftest import free_port

    def buggy(part):
        raise ZeroDivisionError("a bug nobody foresaw")

    monkeypatch.setattr(mail, "_decode_part", buggy)
    port = free_port()
    controller = Controller(InboundHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(port, message())
    finally:
        controller.stop()
    assert refused.value.smtp_code == 554
    assert refused.value.smtp_error == b"5.6.0 unreadable message (ZeroDivisionError)"
    [logged] = [r for r in caplog.records if r.name == "tawasul.omnichannel.mail"]
    assert logged.exc_info and "could not be parsed" in logged.getMessage()
    assert Interaction.objects.count() == 0


def test_fax_by_email_becomes_a_fax_case_with_the_document(transactional_db, directory, smtpd):
    msg = message(
        sender="fax@gateway.example",
        name="Fax gateway",
        subject="Fax from +974 4412 3456 (2 pages)",
        text="Fax received.",
        to="phcc@tawasul.example",
    )
    msg.add_attachment(TIFF, maintype="image", subtype="tiff", filename="fax.tif")
    send(smtpd, msg)
    case = Case.objects.get()
    assert case.channel == "fax"
    assert case.interactions.get().channel == "fax"
    assert case.attachments.get().content_type == "image/tiff"
    assert case.resident.contacts.get().value == "+97444123456"
    assert case.resident.preferred_channel == "phone"
    assert not OutboxMessage.objects.exists(), "no acknowledgement to a fax gateway"
