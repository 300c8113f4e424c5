"""E-mail on the wire: parsing inbound MIME and shaping outbound headers. No database here.

Parsing is lenient where real mail is messy (unknown, bogus or undecodable charsets, invalid
UTF-8, 8-bit bytes with no charset, odd or huge headers) and strict only where nothing sensible
can be made of a message: no usable sender, or a multipart body whose parts cannot be found.
Those raise :class:`BadMessage` (a permanent 5xx), and so does anything else the parser still
cannot take: parsing reads only the bytes, so it would fail the same way on every retry.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.parser
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email import errors as mail_errors
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from functools import lru_cache
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

# A case reference like 107-2026-000123 (prefix: a hotline number or "TW").
REFERENCE_RE = re.compile(r"\b((?:\d{2,6}|TW)-\d{4}-\d{6})\b", re.IGNORECASE)
_MSGID_RE = re.compile(r"<[^<>\s]+>")

# Without their parts a multipart message has no body to read: refuse it rather than guess.
_FATAL_DEFECTS = (
    mail_errors.NoBoundaryInMultipartDefect,
    mail_errors.StartBoundaryNotFoundDefect,
    mail_errors.MultipartInvariantViolationDefect,
)


# Text with no (or no usable) charset: UTF-8 if it is valid UTF-8, else windows-1256, what
# Arabic mail clients without MIME labels write in the Gulf. windows-1256 maps every byte, so
# it is the last guess; it keeps Latin-1's accented letters (é, à, ç) where Latin-1 has them.
# ISO-8859-6 mail declares its charset in practice, and a declared charset is honoured.
FALLBACK_CHARSETS = ("utf-8", "windows-1256")
# A header longer than this is cut before it is parsed: the stdlib parser is quadratic in the
# number of encoded words (a 1 MB Subject took 90 s), and no field we keep needs more.
HEADER_MAX_CHARS = 16 * 1024
# The nearest Message-IDs of a thread are at the end of References: keep its tail.
_TAIL_HEADERS = frozenset({"references"})
_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?([^?\s]*)\?=")
# RFC 2231 parameter values: name*=charset'language'value.
_RFC2231_CHARSET = re.compile(r"(\*\s*=\s*\"?)([^'\"\s;]*)'")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")  # raw 8-bit bytes the parser surrogate-escaped
_SURROGATES = re.compile("[\ud800-\udfff]")  # never valid in stored text (UTF-8, PostgreSQL)


class BadMessage(Exception):
    """The message cannot be understood; the sender should not retry it unchanged."""


def _decodes_leniently(charset: str) -> bool:
    """Whether Python can decode with ``charset`` and a lenient error handler.

    Not every name Python knows can: ``idna`` and ``punycode`` refuse ``errors="replace"``,
    ``rot13`` and ``base64`` are not text codecs, a name with a NUL is a ValueError.
    """
    return bool(charset) and len(charset) <= 64 and _probe_codec(charset.lower())


@lru_cache(maxsize=64)
def _probe_codec(charset: str) -> bool:
    try:
        b"\x80\xff abc".decode(charset, "replace")
        b"\x80\xff abc".decode(charset, "surrogateescape")
    except Exception:
        return False
    return True


def _is_ascii_label(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "ascii"
    except Exception:
        return False


def _guess(data: bytes) -> str:
    for charset in FALLBACK_CHARSETS:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def clean_text(text: str) -> str:
    """Text safe to store: raw 8-bit bytes left in it decoded by guess, lone surrogates
    replaced, NULs dropped (PostgreSQL refuses them in text)."""
    if _SURROGATES.search(text):
        text = _ESCAPED_BYTES.sub(
            lambda m: _guess(m.group().encode("ascii", "surrogateescape")), text
        )
        text = _SURROGATES.sub("\ufffd", text)
    return text.replace("\x00", "")


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared charset when Python can decode with it (bad bytes become
    U+FFFD), else the first of :data:`FALLBACK_CHARSETS` that fits. Never raises."""
    declared = (charset or "").strip().lower()
    # "us-ascii" over 8-bit bytes is a label nobody meant (and the RFC default): guess instead.
    if declared and not data.isascii() and _is_ascii_label(declared):
        declared = ""
    if declared and _decodes_leniently(declared):
        try:
            return clean_text(data.decode(declared, errors="replace"))
        except Exception:  # a codec that passed the probe but fails on these bytes
            pass
    return clean_text(_guess(data))


def _decode_word(match: re.Match) -> str:
    charset = match.group(1).partition("*")[0]  # RFC 2231 adds *language
    encoded = match.group(3)
    try:
        if match.group(2) in "bB":
            encoded = re.sub(r"[^A-Za-z0-9+/]", "", encoded)
            data = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
        else:
            data = binascii.a2b_qp(encoded.encode("ascii", "surrogateescape"), header=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    return decode_text(data, charset)


def decode_header_text(value: str) -> str:
    """RFC 2047 encoded words decoded whatever their charset claims, raw 8-bit bytes guessed;
    for headers the stdlib leaves undecoded or decodes to replacement characters."""
    pieces: list[str] = []
    end = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[end : match.start()]
        # Blanks between two encoded words are folding, not text (RFC 2047 section 6.2).
        if not (end and not between.strip()):
            pieces.append(between)
        pieces.append(_decode_word(match))
        end = match.end()
    pieces.append(value[end:])
    return clean_text("".join(pieces))


def _bounded(name: str, value: str) -> str:
    if len(value) <= HEADER_MAX_CHARS:
        return value
    if name.lower() in _TAIL_HEADERS:
        tail = value[-HEADER_MAX_CHARS:]
        return tail[tail.find(" ") + 1 :]  # from the first whole Message-ID
    return value[:HEADER_MAX_CHARS]


def _defuse_charsets(value: str) -> str:
    """Charset names Python chokes on renamed ``unknown-8bit``, which the stdlib reads as raw
    bytes (:func:`clean_text` decodes them later)."""

    def rename(charset: str) -> str:
        return charset if _decodes_leniently(charset.partition("*")[0]) else "unknown-8bit"

    value = _ENCODED_WORD.sub(lambda m: f"=?{rename(m[1])}?{m[2]}?{m[3]}?=", value)
    return _RFC2231_CHARSET.sub(lambda m: f"{m[1]}{rename(m[2])}'", value)


class _LenientPolicy(email.policy.EmailPolicy):
    """``email.policy.default`` that never lets one header break a message: headers are cut
    to :data:`HEADER_MAX_CHARS`, and one whose charset the stdlib cannot handle (it raises
    UnicodeError for ``idna``, ValueError for a name with a NUL, even while it looks for the
    multipart boundary) is read again with that charset as unknown bytes."""

    def header_fetch_parse(self, name, value):
        if isinstance(value, str):
            value = _bounded(name, value)
            try:
                return super().header_fetch_parse(name, value)
            except Exception:
                value = _defuse_charsets(value)
        return super().header_fetch_parse(name, value)


POLICY = _LenientPolicy()


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
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:  # a transfer encoding the stdlib cannot undo: nothing to read
        payload = b""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_text(payload, charset)
    # Mail travels with CRLF (SMTP DATA, IMAP FETCH); stored text uses "\n" like every other
    # channel, so a case reads the same whichever way the message arrived.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header(message: Message, name: str) -> str:
    """The first ``name`` header as one line of text, decoded as well as it can be."""
    wanted = name.lower()
    raw = next((v for k, v in message.raw_items() if k.lower() == wanted), None)
    if raw is None:
        return ""
    if not isinstance(raw, str):  # a header object set in code, not parsed from bytes
        return clean_text(" ".join(str(raw).split()))
    try:
        value = str(POLICY.header_fetch_parse(name, raw))
    except Exception:  # a header the parser cannot read at all
        value = ""
    if not value.strip() or "\ufffd" in value or _ENCODED_WORD.search(value):
        # The stdlib gave up on a charset (undecoded word, or bytes as U+FFFD): our own
        # reading recovers what it can, e.g. an unlabelled windows-1256 Subject.
        value = decode_header_text(_bounded(name, raw))
    return clean_text(" ".join(value.split()))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a filename parameter the stdlib cannot decode
        name = ""
    if _ENCODED_WORD.search(name):  # RFC 2047 inside a parameter, as some clients send
        name = decode_header_text(name)
    return " ".join(clean_text(name).split())[:200]


def _msgids(value: str) -> list[str]:
    return _MSGID_RE.findall(value or "")


def parse_email(raw: bytes, *, envelope_from: str = "") -> ParsedEmail:
    """Read one RFC 5322 message (headers decoded from RFC 2047, body as plain text).

    Raises :class:`BadMessage` for whatever cannot be read; never anything else, except
    MemoryError (the machine, not the message)."""
    try:
        return _parse(raw, envelope_from)
    except (BadMessage, MemoryError):
        raise
    except RecursionError:
        raise BadMessage("MIME parts nested too deeply") from None
    except Exception as exc:
        # Parsing reads only these bytes, so a retry fails the same way: permanent. It is
        # also a case the lenient reading above missed, hence the traceback in the log.
        logger.exception("mail: a message of %s bytes could not be parsed", len(raw))
        raise BadMessage(f"unreadable message ({type(exc).__name__})") from exc


def _parse(raw: bytes, envelope_from: str) -> ParsedEmail:
    try:
        message = email.message_from_bytes(raw, policy=POLICY)
    except RecursionError:  # the stdlib parser recurses once per nested multipart
        raise BadMessage("MIME parts nested too deeply") from None
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
        filename = _filename(part)
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
        message = email.parser.BytesHeaderParser(policy=POLICY).parsebytes(raw)
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
