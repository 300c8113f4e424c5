"""E-mail on the wire: parsing inbound MIME and shaping outbound headers. No database here.

Parsing is lenient where real mail is messy (unknown charsets, invalid UTF-8, odd headers) and
strict only where nothing sensible can be made of a message: no usable sender, or a multipart
body whose parts cannot be found. Those raise :class:`BadMessage` (a permanent 5xx).
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email import errors as mail_errors
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

# A case reference like 107-2026-000123 (prefix: a hotline number or "TW").
REFERENCE_RE = re.compile(r"\b((?:\d{2,6}|TW)-\d{4}-\d{6})\b", re.IGNORECASE)
_MSGID_RE = re.compile(r"<[^<>\s]+>")

# Without their parts a multipart message has no body to read: refuse it rather than guess.
_FATAL_DEFECTS = (
    mail_errors.NoBoundaryInMultipartDefect,
    mail_errors.StartBoundaryNotFoundDefect,
    mail_errors.MultipartInvariantViolationDefect,
)


class BadMessage(Exception):
    """The message cannot be understood; the sender should not retry it unchanged."""


@dataclass
class MailFile:
    filename: str
    declared_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedEmail:
    message_id: str
    from_address: str
    from_name: str
    to_addresses: list[str]
    subject: str
    text: str
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    files: list[MailFile] = field(default_factory=list)
    auto_submitted: bool = False

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first."""
        ids = [*self.in_reply_to, *reversed(self.references)]
        return list(dict.fromkeys(ids))


class _TextExtractor(HTMLParser):
    """HTML to readable text: block elements become line breaks, scripts and styles vanish."""

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "table",
            "ul",
            "ol",
            "section",
            "article",
        ]
    )
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(self._skip - 1, 0)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _decode_part(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: UTF-8 is the best guess today
        text = payload.decode("utf-8", errors="replace")
    # Mail travels with CRLF (SMTP DATA, IMAP FETCH); stored text uses "\n" like every other
    # channel, so a case reads the same whichever way the message arrived.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot fold
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _msgids(value: str) -> list[str]:
    return _MSGID_RE.findall(value or "")


def parse_email(raw: bytes, *, envelope_from: str = "") -> ParsedEmail:
    """Read one RFC 5322 message (headers decoded from RFC 2047, body as plain text)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the stdlib parser is lenient; anything raised here is fatal
        raise BadMessage(f"unreadable message: {exc}") from None
    defects = [d for part in message.walk() for d in part.defects]
    if any(isinstance(d, _FATAL_DEFECTS) for d in defects):
        raise BadMessage("broken MIME structure: the multipart boundary is missing")

    name, address = parseaddr(_header(message, "From"))
    address = address or envelope_from
    if not address or "@" not in address:
        raise BadMessage("no sender address (From)")

    texts: list[str] = []
    htmls: list[str] = []
    files: list[MailFile] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if (
            disposition == "attachment"
            or filename
            or content_type.split("/")[0]
            in (
                "image",
                "application",
                "audio",
                "video",
            )
        ):
            try:
                data = part.get_payload(decode=True) or b""
            except Exception:
                data = b""
            files.append(
                MailFile(
                    filename=filename or f"part-{len(files) + 1}",
                    declared_type=content_type,
                    data=data,
                    inline=disposition == "inline",
                )
            )
        elif content_type == "text/plain":
            texts.append(_decode_part(part))
        elif content_type == "text/html":
            htmls.append(_decode_part(part))
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not text and htmls:
        text = "\n\n".join(html_to_text(h) for h in htmls)

    message_id = (_msgids(_header(message, "Message-ID")) or [""])[0]
    if not message_id:
        # Without a Message-ID the bytes are the identity: a redelivery is still recognised.
        message_id = f"<sha256.{hashlib.sha256(raw).hexdigest()[:40]}@tawasul.invalid>"
    recipients = [
        addr
        for _n, addr in getaddresses([_header(message, "To"), _header(message, "Cc")])
        if "@" in addr
    ]
    auto = _header(message, "Auto-Submitted").lower()
    return ParsedEmail(
        message_id=message_id[:255],
        from_address=address.strip(),
        from_name=name.strip()[:200],
        to_addresses=recipients,
        subject=_header(message, "Subject")[:300],
        text=text.replace("\x00", ""),
        in_reply_to=_msgids(_header(message, "In-Reply-To")),
        references=_msgids(_header(message, "References")),
        files=files,
        auto_submitted=bool(auto) and auto != "no",
    )


def header_summary(raw: bytes) -> dict[str, str]:
    """From, Subject, Date and Message-ID of a message that may not parse as a whole, so an
    administrator can tell which mail could not be taken (and who is waiting for an answer)."""
    try:
        message = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    except Exception:  # headers too broken to read: the list still shows the error and size
        return {"from": "", "subject": "", "date": "", "message_id": ""}

    def safe(name: str) -> str:
        try:
            return _header(message, name)
        except Exception:  # a header the stdlib cannot decode must not hide the others
            return ""

    return {
        "from": safe("From")[:500],
        "subject": safe("Subject")[:500],
        "date": safe("Date")[:100],
        "message_id": safe("Message-ID")[:255],
    }


def find_reference(*texts: str) -> str | None:
    for text in texts:
        match = REFERENCE_RE.search(text or "")
        if match:
            return match.group(1).upper()
    return None


def plus_reference(address: str) -> str | None:
    """The reference in a plus address like ``care+107-2026-000123@…``."""
    local = address.partition("@")[0]
    _base, plus, tag = local.partition("+")
    return find_reference(tag) if plus else None


def reply_to_address(base: str, reference: str) -> str:
    local, _, domain = base.partition("@")
    return f"{local}+{reference.lower()}@{domain}"


def outbound_message_id(outbox_id: int, created_stamp: str, domain: str) -> str:
    """A stable Message-ID per outbox row: a retried send carries the same id."""
    return f"<outbox.{outbox_id}.{created_stamp}@{domain}>"


def summary_of(message: EmailMessage | Message) -> dict:
    """Headers and text of a caught message, for the demo mailbox."""
    body = ""
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            body = part.get_content()
            if part.get_content_type() == "text/html":
                body = html_to_text(body)
    return {
        "subject": _header(message, "Subject")[:500],
        "message_id": _header(message, "Message-ID")[:255],
        "in_reply_to": _header(message, "In-Reply-To")[:255],
        "reply_to": _header(message, "Reply-To")[:254],
        "body": body,
    }


def display_address(name: str, address: str) -> str:
    """``"Name <addr>"`` with the name RFC 2047-encoded when needed (Arabic names)."""
    local, _, domain = address.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
