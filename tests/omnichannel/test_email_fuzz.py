"""Fuzz of the e-mail intake (``email_receive``: the MIME parser and the store behind it): any
bytes shaped more or less like mail — encoded words in any charset, raw 8-bit headers, NULs,
broken multiparts, odd transfer encodings, attachments — are stored, or refused as
``BadMessage`` / a DomainError (a permanent 5xx to the sending server). Never another
exception, and never a database error (a temporary 4xx: the sender would retry for ever)."""

from __future__ import annotations

import base64
import binascii

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tawasul.errors import DomainError
from tawasul.interactions.models import Interaction
from tawasul.omnichannel import mail
from tawasul.omnichannel.inbound import email_receive

FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
charsets = st.sampled_from(
    ["utf-8", "windows-1256", "iso-8859-6", "latin-1", "utf-16", "us-ascii", "idna", "x-bogus",
     "utf-7", "gb2312", "", "utf-8\x00", "rot13", "base64"]
)  # fmt: skip
raw_bytes = st.binary(max_size=40)
words = st.text(max_size=30)


@st.composite
def header_values(draw) -> bytes:
    kind = draw(st.sampled_from(["plain", "encoded", "raw", "nul"]))
    if kind == "plain":
        return draw(words).encode("utf-8", "surrogatepass")
    if kind == "encoded":
        data = draw(st.one_of(raw_bytes, words.map(lambda w: w.encode("utf-8", "surrogatepass"))))
        if draw(st.booleans()):
            word = base64.b64encode(data).decode()
            encoding = "B"
        else:
            word = binascii.b2a_qp(data, header=True).decode("ascii", "replace").replace(" ", "_")
            encoding = "Q"
        return f"=?{draw(charsets)}?{encoding}?{word}?=".encode("utf-8", "surrogatepass")
    if kind == "nul":
        return b"a\x00b =?utf-8?q?x=00y?="
    return draw(raw_bytes).replace(b"\n", b" ").replace(b"\r", b" ")


@st.composite
def messages(draw) -> bytes:
    boundary = draw(st.sampled_from(["b1", "", "=_x", "b1\x00"]))
    headers = {
        b"From": draw(st.one_of(
            st.just(b"=?utf-8?b?2LPYp9mE2YU=?= <salim@example.om>"), header_values(),
            st.just(b"<a\x00b@example.om>"), st.just(b"salim@example.om"))),
        b"To": draw(st.one_of(st.just(b"109@tawasul.example"), header_values())),
        b"Subject": draw(header_values()),
        b"Message-ID": draw(st.one_of(st.just(b"<m1@example.om>"), header_values(),
                                      st.just(b"<a\x00b@x>"), st.just(b"<" + b"x" * 300 + b">"))),
        b"In-Reply-To": draw(header_values()),
        b"References": draw(header_values()),
        b"Content-Type": draw(st.sampled_from([
            b"text/plain; charset=%s" % draw(charsets).encode(),
            b"text/html; charset=%s" % draw(charsets).encode(),
            b'multipart/mixed; boundary="%s"' % boundary.encode(),
            b"application/pdf", b"", b"text/plain; charset*=utf-8''%e2%82",
        ])),
        b"Content-Transfer-Encoding": draw(st.sampled_from(
            [b"7bit", b"8bit", b"base64", b"quoted-printable", b"x-uuencode", b"bogus", b""])),
        b"Auto-Submitted": draw(st.sampled_from([b"", b"no", b"auto-replied"])),
    }  # fmt: skip
    omitted = draw(st.sets(st.sampled_from(sorted(headers)), max_size=3))
    head = b"".join(k + b": " + v + b"\r\n" for k, v in headers.items() if k not in omitted)
    body = draw(st.one_of(raw_bytes, words.map(lambda w: w.encode("utf-8", "surrogatepass"))))
    if b"multipart" in headers[b"Content-Type"]:
        part = (b"Content-Type: %s\r\nContent-Disposition: %s\r\n\r\n"
                % (draw(st.sampled_from([b"text/plain; charset=utf-8", b"image/png",
                                         b"text/html", b"message/rfc822"])),
                   draw(st.sampled_from([b"inline", b"attachment; filename=\"=?utf-8?q?a=00?=\"",
                                         b'attachment; filename*=x-bogus\'\'%ff'])))
                + body)  # fmt: skip
        body = b"--%s\r\n%s\r\n--%s--\r\n" % (boundary.encode(), part, boundary.encode())
    return head + b"\r\n" + body


@FUZZ
@given(raw=messages(), envelope=st.sampled_from(["", "bounce@example.om", "a\x00@b.om"]))
@example(raw=b"From: a@example.om\r\nSubject: =?utf-8?q?x=00y?=\r\n\r\nhi", envelope="")
@example(raw=b"From: =?utf-8?q?Sa=00lim?= <a@example.om>\r\n\r\nhi", envelope="")
@example(raw=b"From: a@example.om\r\nMessage-ID: <a\x00b@x>\r\n\r\nhi", envelope="")
@example(raw=b"Subject: x\r\n\r\nhi", envelope="a\x00@b.om")
def test_any_mail_is_stored_or_refused_permanently(directory, raw, envelope):
    try:
        received = email_receive(raw=raw, envelope_from=envelope)
    except mail.BadMessage as exc:
        event(f"BadMessage {str(exc)[:30]}")
        return
    except DomainError as exc:
        event(f"refused {exc.field}")
        return
    event("stored")
    assert Interaction.objects.filter(pk=received.interaction.pk).exists()
    assert email_receive(raw=raw, envelope_from=envelope).duplicate
