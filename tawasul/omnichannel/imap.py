"""IMAP polling: residents' e-mail fetched from a mailbox into the same path as SMTP.

The adapter is thin: it fetches each unseen message without marking it (``BODY.PEEK[]``),
hands the bytes to :func:`inbound.email_receive`, and marks the message ``\\Seen`` only after
that call returned, i.e. after the contact is committed. So a crash, a lost connection or a
database failure at any point leaves the message unseen and it is taken again; a message
taken twice is recognised by its Message-ID and makes no second contact (nothing lost,
nothing doubled). A message that can never be accepted is marked ``\\Seen \\Flagged`` and
logged, and the pass goes on with the others.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
import threading
from dataclasses import dataclass

from django.db import close_old_connections

from tawasul.errors import DomainError
from tawasul.omnichannel import conf, mail
from tawasul.omnichannel.inbound import email_receive

logger = logging.getLogger(__name__)

SEEN = "(\\Seen)"
REFUSED = "(\\Seen \\Flagged)"


class MailboxUnavailable(Exception):
    """The server cannot be reached, refused the login or the folder; try again later."""


@dataclass
class PollResult:
    """What one pass over the unseen messages did."""

    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    deferred: int = 0

    def __bool__(self) -> bool:
        return bool(self.stored or self.duplicates or self.refused or self.deferred)


def _where() -> str:
    host, port, user = (conf.get(f"TAWASUL_IMAP_{name}") for name in ("HOST", "PORT", "USER"))
    return f"{host}:{port} as {user}"


def _connect() -> imaplib.IMAP4:
    """A logged-in client with the folder selected (read-write, to set flags)."""
    host, port = conf.get("TAWASUL_IMAP_HOST"), int(conf.get("TAWASUL_IMAP_PORT"))
    # Without a timeout a server that accepts and then hangs would stall the poller forever.
    timeout = float(conf.get("TAWASUL_IMAP_TIMEOUT"))
    if conf.get("TAWASUL_IMAP_SSL"):
        # imaplib's own default context checks neither the certificate nor the host name,
        # which would hand the password to anyone in the middle.
        context = ssl.create_default_context(cafile=conf.get("TAWASUL_IMAP_CA_FILE") or None)
        client = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
    try:
        _login(client, conf.get("TAWASUL_IMAP_USER"), conf.get("TAWASUL_IMAP_PASSWORD"))
        folder = conf.get("TAWASUL_IMAP_FOLDER")
        typ, data = client.select(folder)
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {folder!r}: {_text(data)}")
    except BaseException:
        with contextlib.suppress(Exception):
            client.shutdown()
        raise
    return client


def _login(client: imaplib.IMAP4, user: str, password: str) -> None:
    """SASL PLAIN when offered: it carries the user and password as UTF-8, where imaplib's
    LOGIN can only send ASCII (an Arabic password would raise instead of logging in)."""
    if "AUTH=PLAIN" in client.capabilities:
        token = f"\0{user}\0{password}".encode()
        client.authenticate("PLAIN", lambda _challenge: token)
    else:
        client.login(user, password)


def _text(data: list) -> str:
    parts = [p.decode(errors="replace") if isinstance(p, bytes) else str(p) for p in data or []]
    return " ".join(parts).strip()


def _fetch(client: imaplib.IMAP4, uid: bytes) -> bytes | None:
    """The message's bytes, without setting ``\\Seen``; None when it is gone."""
    typ, fetched = client.uid("fetch", uid, "(BODY.PEEK[])")
    if typ != "OK":
        return None
    return next((part[1] for part in fetched or [] if isinstance(part, tuple)), None)


def _mark(client: imaplib.IMAP4, uid: bytes, flags: str) -> None:
    typ, data = client.uid("store", uid, "+FLAGS.SILENT", flags)
    if typ != "OK":
        # Stored but not marked: the next pass takes it again and finds the duplicate.
        logger.warning("imap: could not mark message %s %s: %s", uid.decode(), flags, _text(data))


def _take(client: imaplib.IMAP4, uid: bytes, result: PollResult) -> None:
    """Store one message, then mark it; count what happened in ``result``."""
    label = uid.decode()
    raw = _fetch(client, uid)
    if raw is None:  # expunged by another client between SEARCH and FETCH
        logger.info("imap: message %s disappeared before it was fetched", label)
        return
    close_old_connections()
    try:
        received = email_receive(raw=raw)
    except (mail.BadMessage, DomainError) as exc:
        # Permanent: the same bytes will never be accepted, so do not try them again.
        logger.warning("imap: message %s refused: %s", label, exc)
        _mark(client, uid, REFUSED)
        result.refused += 1
        return
    except Exception:
        # Database or configuration trouble (or a bug): nothing was stored; keep it unseen.
        logger.exception("imap: message %s left unseen for the next pass", label)
        result.deferred += 1
        return
    _mark(client, uid, SEEN)
    if received.duplicate:
        result.duplicates += 1
    else:
        result.stored += 1


def poll_once(*, stop: threading.Event | None = None) -> PollResult:
    """One pass over the folder's unseen messages, oldest first.

    Raises :class:`MailboxUnavailable` when the server cannot be used; a pass cut short by
    a lost connection leaves the messages it did not mark unseen. ``stop`` ends the pass
    after the current message.
    """
    result = PollResult()
    try:
        client = _connect()
        try:
            typ, data = client.uid("search", None, "UNSEEN")
            if typ != "OK":
                raise imaplib.IMAP4.error(f"SEARCH failed: {_text(data)}")
            for uid in (data[0] or b"").split():
                if stop is not None and stop.is_set():
                    break
                _take(client, uid, result)
        finally:
            with contextlib.suppress(Exception):
                client.logout()
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnavailable(
            f"{_where()}: {_text(list(exc.args)) or type(exc).__name__}"
        ) from exc
    return result


def poll_forever(*, stop: threading.Event) -> None:
    """Poll every ``TAWASUL_IMAP_INTERVAL`` seconds until ``stop`` is set.

    A mailbox that cannot be used is logged and tried again, waiting longer after each
    failure in a row (up to ``TAWASUL_IMAP_BACKOFF_MAX_SECONDS``), so a wrong password does
    not hammer the server and get the account locked.
    """
    interval = float(conf.get("TAWASUL_IMAP_INTERVAL"))
    ceiling = max(interval, float(conf.get("TAWASUL_IMAP_BACKOFF_MAX_SECONDS")))
    failures = 0
    logger.info("imap: polling %s every %ss", _where(), interval)
    while not stop.is_set():
        try:
            result = poll_once(stop=stop)
        except MailboxUnavailable as exc:
            failures += 1
            delay = min(interval * 2 ** (failures - 1), ceiling)
            logger.warning("imap: mailbox unavailable (%s); next try in %.1fs", exc, delay)
        else:
            failures, delay = 0, interval
            if result:
                logger.info("imap: %s", result)
        stop.wait(delay)
    logger.info("imap: stopped")
