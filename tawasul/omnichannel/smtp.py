"""SMTP listeners on aiosmtpd: the inbound channel (``tawasul smtpd``) and the demo mail sink
(``tawasul mailsink``). Thin: they hand the bytes to a service and map its outcome to a reply.

The inbound reply codes are the contract with the sending server: 250 only after the message
is committed; 5xx when the message itself can never be accepted (the sender bounces it to its
author at once); 4xx when the failure is ours (the sender queues and retries).

Which is which. Permanent: over the size limit (552); anything raised while the bytes are
*parsed* (554), because parsing reads nothing but those bytes and would fail the same way on
every retry for days; a sender the domain refuses, e.g. an invalid address (550). Temporary
(451): anything else raised while *storing* — the database down or locked, configuration
missing, a bug of ours — because nothing was stored and the same message may well be taken
once that is fixed, so the sender's queue is the right place to keep it meanwhile.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
import signal
import threading

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from tawasul.errors import DomainError
from tawasul.omnichannel import conf, mail
from tawasul.omnichannel.inbound import TooLarge, email_receive

logger = logging.getLogger(__name__)
_UNSAFE_IN_REPLY = re.compile(r"[^\x20-\x7e]+")


def _reason(text: object) -> str:
    """One printable ASCII line for an SMTP reply: a reason may quote the message's own bytes,
    and a CR or LF in a reply would let the sender's text pose as our answer."""
    return " ".join(_UNSAFE_IN_REPLY.sub(" ", str(text)).split())[:200]


def _store_inbound(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> str:
    close_old_connections()
    try:
        received = email_receive(raw=raw, envelope_from=mail_from, recipients=rcpt_tos)
    finally:
        close_old_connections()
    return received.reference


class InboundHandler:
    """Residents' e-mail (and fax-to-mail) into Interactions and cases."""

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        peer = session.peer[0] if session.peer else "?"
        try:
            reference = await sync_to_async(_store_inbound)(
                raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except TooLarge as exc:
            logger.warning("smtpd: refused from %s <%s>: %s", peer, envelope.mail_from, exc)
            return "552 5.3.4 Message too big"
        except mail.BadMessage as exc:
            logger.warning("smtpd: refused from %s <%s>: %s", peer, envelope.mail_from, exc)
            return f"554 5.6.0 {_reason(exc)}"
        except DomainError as exc:
            logger.warning("smtpd: refused from %s <%s>: %s", peer, envelope.mail_from, exc)
            return f"550 5.1.7 {_reason(exc.field or 'message')}: {_reason(exc.message)}"
        except Exception:
            # Database down or locked, configuration missing, a bug: nothing was stored, so
            # the sender must keep the message and try again.
            logger.exception("smtpd: temporary failure for mail from %s", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        return f"250 2.0.0 OK {reference}".strip()


def _store_caught(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
    from tawasul.omnichannel.models import MailSinkMessage

    close_old_connections()
    try:
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        MailSinkMessage.objects.create(
            mail_from=mail_from[:254], recipients=rcpt_tos, raw=raw, **mail.summary_of(parsed)
        )
    finally:
        close_old_connections()


class SinkHandler:
    """Catches outbound mail on one machine so the demo never e-mails the outside world."""

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        try:
            await sync_to_async(_store_caught)(
                raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except Exception:
            logger.exception("mailsink: could not store a message")
            return "451 4.3.0 Temporary failure"
        logger.info("mailsink: caught mail for %s", ", ".join(envelope.rcpt_tos))
        return "250 2.0.0 OK"


def serve(handler, *, host: str, port: int, data_size_limit: int | None = None) -> None:
    """Run an aiosmtpd listener until SIGTERM or Ctrl-C."""
    limit = data_size_limit or int(conf.get("TAWASUL_MAIL_MAX_BYTES"))
    # aiosmtpd logs every SMTP command at INFO; our own lines say what matters.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(
        handler, hostname=host, port=port, data_size_limit=limit, enable_SMTPUTF8=True
    )
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    logger.info("%s listening on %s:%s", type(handler).__name__, host, port)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
