"""Writes for the IMAP poller's bookkeeping: how far each mailbox is read, what failed.

The poller (:mod:`tawasul.omnichannel.imap`) is the only writer. Every function commits
before the poller tells the server anything (flags, copies), so a crash between the two
leaves the database ahead of the mailbox, never behind: nothing is lost, and what is taken
again is recognised by its Message-ID.
"""

from __future__ import annotations

import logging

from django.db import transaction

from tawasul.accounts.models import User
from tawasul.errors import Conflict, Forbidden
from tawasul.omnichannel import mail
from tawasul.omnichannel.models import ImapFailedMessage, ImapFailureStatus, ImapMailbox
from tawasul.omnichannel.services import can_retry_outbox

logger = logging.getLogger(__name__)


def imap_mailbox_open(*, key: str, uidvalidity: int) -> tuple[ImapMailbox, set[int]]:
    """The mailbox's state and the UIDs of failed messages to try again this pass.

    A UIDVALIDITY other than the stored one means the server renumbered the folder (it was
    rebuilt or restored): the old UIDs say nothing any more, so the folder is read again from
    the start and what was stored before comes back as duplicates of its Message-ID.
    """
    with transaction.atomic():
        mailbox, created = ImapMailbox.objects.select_for_update().get_or_create(
            key=key, defaults={"uidvalidity": uidvalidity}
        )
        if not created and mailbox.uidvalidity != uidvalidity:
            logger.warning(
                "imap: %s UIDVALIDITY changed from %s to %s: reading the folder again "
                "(mail already stored is recognised by its Message-ID)",
                key,
                mailbox.uidvalidity,
                uidvalidity,
            )
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
            mailbox.save(update_fields=["uidvalidity", "last_uid", "updated_at"])
            # Their UIDs now name other messages; the re-read meets them again anyway.
            mailbox.failures.filter(status=ImapFailureStatus.RETRYING).exclude(
                uidvalidity=uidvalidity
            ).delete()
    pending = mailbox.failures.filter(
        uidvalidity=uidvalidity, status=ImapFailureStatus.RETRYING
    ).values_list("uid", flat=True)
    return mailbox, set(pending)


def _advance(mailbox: ImapMailbox, uid: int) -> None:
    if uid > mailbox.last_uid:
        ImapMailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
        mailbox.last_uid = uid


def imap_message_taken(*, mailbox: ImapMailbox, uid: int, was_failing: bool) -> None:
    """Message ``uid`` is stored (or is gone): never ask for it again.

    Call it inside the transaction that stored the message, so the two commit together.
    """
    _advance(mailbox, uid)
    if was_failing:
        mailbox.failures.filter(uidvalidity=mailbox.uidvalidity, uid=uid).delete()


def imap_message_failed(
    *, mailbox: ImapMailbox, uid: int, raw: bytes, error: str, permanent: bool, max_attempts: int
) -> ImapFailedMessage:
    """Count one failure of message ``uid``; it is refused at once when ``permanent``, set
    aside once it has failed ``max_attempts`` times, and otherwise tried again next pass."""
    with transaction.atomic():
        failure, created = ImapFailedMessage.objects.select_for_update().get_or_create(
            mailbox=mailbox,
            uidvalidity=mailbox.uidvalidity,
            uid=uid,
            defaults={"status": ImapFailureStatus.RETRYING, "size": len(raw)},
        )
        if created or not failure.from_header:
            headers = mail.header_summary(raw)
            failure.from_header, failure.subject = headers["from"], headers["subject"]
            failure.date_header, failure.message_id = headers["date"], headers["message_id"]
        failure.attempts += 1
        failure.error = error[:10_000]
        if permanent:
            failure.status = ImapFailureStatus.REFUSED
        elif failure.attempts >= max_attempts:
            failure.status = ImapFailureStatus.SET_ASIDE
        else:
            failure.status = ImapFailureStatus.RETRYING
        failure.save()
        _advance(mailbox, uid)
    return failure


def imap_failure_copied(*, failure: ImapFailedMessage, folder: str) -> None:
    failure.copied_to = folder
    failure.save(update_fields=["copied_to", "last_failed_at"])


def imap_failure_retry(*, failure: ImapFailedMessage, actor: User) -> ImapFailedMessage:
    """Let the poller try a set-aside message again (the cause was fixed, e.g. the
    configuration); it is counted afresh and set aside again if it still fails."""
    if not can_retry_outbox(actor):
        raise Forbidden("only supervisors and administrators may retry messages")
    with transaction.atomic():
        failure = ImapFailedMessage.objects.select_for_update().get(pk=failure.pk)
        if failure.status == ImapFailureStatus.RETRYING:
            raise Conflict("the message is already tried again on every pass", field="status")
        if failure.uidvalidity != failure.mailbox.uidvalidity:
            raise Conflict("the folder was renumbered since: its mail is read again", field="uid")
        failure.status, failure.attempts = ImapFailureStatus.RETRYING, 0
        failure.save(update_fields=["status", "attempts", "last_failed_at"])
    logger.info("imap: %s UID %s retried by %s", failure.mailbox, failure.uid, actor)
    return failure
