"""IMAP polling: residents' e-mail fetched from a mailbox into the same path as SMTP.

The poller reads a folder by UID: the folder's UIDVALIDITY and the highest UID taken are kept
in the database (:class:`~tawasul.omnichannel.models.ImapMailbox`), and each pass asks only
for newer UIDs. So a message is taken whether or not somebody already read it in a mail
client, a restart takes nothing twice, and the poller can share a mailbox with people.

Each message is fetched without marking it (``BODY.PEEK[]``) and handed to
:func:`inbound.email_receive`; the new last UID commits in the same transaction as the
contact, and only then is the message marked ``\\Seen`` on the server (a courtesy to people
reading the mailbox: correctness does not depend on flags). A crash before that commit takes
the message again next pass; a folder renumbered (new UIDVALIDITY) is read again from the
start, and a message taken twice is recognised by its Message-ID and makes no second contact.

A message that can never be accepted is refused at once: marked ``\\Seen \\Flagged``. One
that fails for an unexpected reason is tried again on the next passes while the others go
on; after ``TAWASUL_IMAP_MAX_ATTEMPTS`` it is set aside (copied to
``TAWASUL_IMAP_FAILED_FOLDER`` and flagged). Both are listed for administrators
(:class:`~tawasul.omnichannel.models.ImapFailedMessage`). A database that cannot be reached
ends the pass without counting against the message.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import ssl
import threading
import traceback
from dataclasses import dataclass, field

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)

from tawasul.errors import DomainError
from tawasul.omnichannel import conf, imap_state, mail
from tawasul.omnichannel.inbound import email_receive
from tawasul.omnichannel.models import ImapFailedMessage, ImapFailureStatus, ImapMailbox

logger = logging.getLogger(__name__)

SEEN = "(\\Seen)"
REFUSED = "(\\Seen \\Flagged)"


class MailboxUnavailable(Exception):
    """The server cannot be reached, refused the login or the folder, or the database is
    down; try again later."""


@dataclass
class PollResult:
    """What one pass over the new messages did (``deferred``: failed, tried again later)."""

    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    deferred: int = 0
    set_aside: int = 0

    def __bool__(self) -> bool:
        return bool(
            self.stored or self.duplicates or self.refused or self.deferred or self.set_aside
        )


def _where() -> str:
    host, port, user = (conf.get(f"TAWASUL_IMAP_{name}") for name in ("HOST", "PORT", "USER"))
    return f"{host}:{port} as {user}"


def _key() -> str:
    """Which mailbox folder the stored state belongs to."""
    host, port, user, folder = (
        conf.get(f"TAWASUL_IMAP_{name}") for name in ("HOST", "PORT", "USER", "FOLDER")
    )
    return f"{user}@{host}:{port}/{folder}"[:500]


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


def _quoted(folder: str) -> str:
    # imaplib sends arguments as they are; a folder name with a space must be quoted.
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uidvalidity(client: imaplib.IMAP4) -> int:
    """The selected folder's UIDVALIDITY (0 from a server that sends none, against RFC 3501)."""
    _code, data = client.response("UIDVALIDITY")
    try:
        return int(data[-1])
    except (TypeError, ValueError, IndexError):
        return 0


def _new_uids(client: imaplib.IMAP4, last_uid: int) -> list[int]:
    typ, data = client.uid("search", None, f"UID {last_uid + 1}:*")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"SEARCH failed: {_text(data)}")
    # "n:*" also matches the highest UID when it is below n (RFC 3501 6.4.8): filter.
    return [uid for uid in map(int, (data[0] or b"").split()) if uid > last_uid]


def _fetch(client: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message's bytes, without setting ``\\Seen``; None when it is gone."""
    typ, fetched = client.uid("fetch", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        # Not "gone": a refused FETCH ends the pass, or the message would be skipped for good.
        raise imaplib.IMAP4.error(f"FETCH {uid} failed: {_text(fetched)}")
    return next((part[1] for part in fetched or [] if isinstance(part, tuple)), None)


def _mark(client: imaplib.IMAP4, uid: int, flags: str) -> None:
    typ, data = client.uid("store", str(uid), "+FLAGS.SILENT", flags)
    if typ != "OK":
        # Only a courtesy to people reading the mailbox: the stored last UID is what counts.
        logger.warning("imap: could not mark message %s %s: %s", uid, flags, _text(data))


def _copy(client: imaplib.IMAP4, uid: int, folder: str) -> bool:
    """COPY the message to ``folder``, creating the folder when the server asks for it."""
    typ, data = client.uid("copy", str(uid), _quoted(folder))
    if typ != "OK" and "TRYCREATE" in _text(data):
        client.create(_quoted(folder))
        typ, data = client.uid("copy", str(uid), _quoted(folder))
    if typ != "OK":
        logger.warning("imap: could not copy message %s to %r: %s", uid, folder, _text(data))
    return typ == "OK"


def _error_text(exc: Exception) -> str:
    trace = "".join(traceback.format_exception(exc, limit=-12))
    return f"{type(exc).__name__}: {exc}\n\n{trace}"


@dataclass
class _Pass:
    client: imaplib.IMAP4
    mailbox: ImapMailbox
    failing: set[int]
    result: PollResult = field(default_factory=PollResult)

    def take(self, uid: int) -> None:
        """Store one message, then mark it; count what happened in ``result``."""
        raw = _fetch(self.client, uid)
        was_failing = uid in self.failing
        if raw is None:  # expunged by another client (or a person) since SEARCH
            logger.info("imap: message %s disappeared before it was fetched", uid)
            imap_state.imap_message_taken(mailbox=self.mailbox, uid=uid, was_failing=was_failing)
            return
        close_old_connections()
        try:
            with transaction.atomic():
                received = email_receive(raw=raw)
                imap_state.imap_message_taken(
                    mailbox=self.mailbox, uid=uid, was_failing=was_failing
                )
        except (mail.BadMessage, DomainError) as exc:
            # Permanent: the same bytes will never be accepted, so do not try them again.
            logger.warning("imap: message %s refused: %s", uid, exc)
            self._failed(uid, raw, str(exc), permanent=True)
            _mark(self.client, uid, REFUSED)
            self.result.refused += 1
            return
        except (OperationalError, InterfaceError):
            # The database, not the message: end the pass and count nothing against it.
            raise
        except Exception as exc:
            # A bug or configuration trouble: nothing was stored; try again, a few times.
            self._retry_or_set_aside(uid, raw, exc)
            return
        _mark(self.client, uid, SEEN)
        if received.duplicate:
            self.result.duplicates += 1
        else:
            self.result.stored += 1

    def _failed(self, uid: int, raw: bytes, error: str, *, permanent: bool) -> ImapFailedMessage:
        return imap_state.imap_message_failed(
            mailbox=self.mailbox,
            uid=uid,
            raw=raw,
            error=error,
            permanent=permanent,
            max_attempts=max(1, int(conf.get("TAWASUL_IMAP_MAX_ATTEMPTS"))),
        )

    def _retry_or_set_aside(self, uid: int, raw: bytes, exc: Exception) -> None:
        failure = self._failed(uid, raw, _error_text(exc), permanent=False)
        if failure.status == ImapFailureStatus.RETRYING:
            logger.warning(
                "imap: message %s failed (attempt %s), tried again next pass: %s: %s",
                uid,
                failure.attempts,
                type(exc).__name__,
                exc,
            )
            self.result.deferred += 1
            return
        folder = conf.get("TAWASUL_IMAP_FAILED_FOLDER")
        if folder and _copy(self.client, uid, folder):
            imap_state.imap_failure_copied(failure=failure, folder=folder)
        _mark(self.client, uid, REFUSED)
        # The one log entry with the traceback: the earlier attempts logged a line each.
        logger.error(
            "imap: message %s set aside after %s failed attempts%s",
            uid,
            failure.attempts,
            f" (copied to {failure.copied_to!r})" if failure.copied_to else "",
            exc_info=exc,
        )
        self.result.set_aside += 1


def _run_pass(client: imaplib.IMAP4, stop: threading.Event | None) -> PollResult:
    close_old_connections()
    mailbox, failing = imap_state.imap_mailbox_open(key=_key(), uidvalidity=_uidvalidity(client))
    # Failed messages first: they are older than every new one, and order is kept.
    todo = sorted(failing | set(_new_uids(client, mailbox.last_uid)))
    work = _Pass(client=client, mailbox=mailbox, failing=failing)
    for uid in todo:
        if stop is not None and stop.is_set():
            break
        work.take(uid)
    return work.result


def poll_once(*, stop: threading.Event | None = None) -> PollResult:
    """One pass over the folder's messages not yet taken, oldest first.

    Raises :class:`MailboxUnavailable` when the server or the database cannot be used; a
    pass cut short leaves the messages it did not take for the next one. ``stop`` ends the
    pass after the current message.
    """
    try:
        client = _connect()
        try:
            return _run_pass(client, stop)
        finally:
            with contextlib.suppress(Exception):
                client.logout()
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnavailable(
            f"{_where()}: {_text(list(exc.args)) or type(exc).__name__}"
        ) from exc
    except DatabaseError as exc:
        raise MailboxUnavailable(f"database: {type(exc).__name__}: {exc}") from exc


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
