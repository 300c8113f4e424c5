"""``tawasul imap_poll``: fetch residents' e-mail from an IMAP mailbox (optional channel).

Each unseen message is stored through the same service as SMTP; it is marked seen only
after it is committed. A message that can never be accepted is flagged and logged; a
temporary failure leaves it unseen for the next round.
"""

import contextlib
import imaplib
import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from tawasul.errors import DomainError
from tawasul.omnichannel import conf, mail
from tawasul.omnichannel.inbound import email_receive

logger = logging.getLogger(__name__)


def poll_once() -> tuple[int, int]:
    """(stored, refused) for one pass over the unseen messages."""
    host = conf.get("TAWASUL_IMAP_HOST")
    port = int(conf.get("TAWASUL_IMAP_PORT"))
    client = (
        imaplib.IMAP4_SSL(host, port) if conf.get("TAWASUL_IMAP_SSL") else imaplib.IMAP4(host, port)
    )
    stored = refused = 0
    try:
        client.login(conf.get("TAWASUL_IMAP_USER"), conf.get("TAWASUL_IMAP_PASSWORD"))
        client.select(conf.get("TAWASUL_IMAP_FOLDER"))
        _typ, data = client.uid("search", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _typ, fetched = client.uid("fetch", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in fetched if isinstance(part, tuple)), b"")
            close_old_connections()
            try:
                email_receive(raw=raw)
            except (mail.BadMessage, DomainError) as exc:
                logger.warning("imap: message %s refused: %s", uid.decode(), exc)
                client.uid("store", uid, "+FLAGS", "(\\Seen \\Flagged)")
                refused += 1
                continue
            except Exception:
                logger.exception("imap: message %s left for the next round", uid.decode())
                continue
            client.uid("store", uid, "+FLAGS", "(\\Seen)")
            stored += 1
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return stored, refused


class Command(BaseCommand):
    help = "Poll an IMAP mailbox for residents' e-mail (settings TAWASUL_IMAP_*)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, once: bool, **options) -> None:
        if not conf.get("TAWASUL_IMAP_HOST"):
            raise CommandError("set TAWASUL_IMAP_HOST (and _USER, _PASSWORD) first")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            try:
                stored, refused = poll_once()
                if stored or refused:
                    logger.info("imap: %s stored, %s refused", stored, refused)
            except (OSError, imaplib.IMAP4.error):
                logger.exception("imap: mailbox unreachable; trying again later")
            if once:
                return
            stop.wait(float(conf.get("TAWASUL_IMAP_INTERVAL")))
