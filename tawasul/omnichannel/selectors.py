"""Reads for the channel pages, checked against the caller's role."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, may
from tawasul.errors import Forbidden
from tawasul.omnichannel.models import MailSinkMessage, OutboxMessage
from tawasul.omnichannel.services import can_retry_outbox


def outbox_search(
    *, user: User, status: str = "", channel: str = "", q: str = ""
) -> QuerySet[OutboxMessage]:
    """The outbox for supervisors and administrators (it holds every resident's address)."""
    if not can_retry_outbox(user):
        raise Forbidden("supervisors and administrators only")
    messages = OutboxMessage.objects.select_related("case", "resident")
    if status:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    if q:
        q = q.strip()
        messages = messages.filter(
            Q(case__reference__iexact=q) | Q(to_address__icontains=q) | Q(subject__icontains=q)
        )
    return messages.order_by("-created_at", "-id")


def mailbox_list(*, user: User, q: str = "") -> QuerySet[MailSinkMessage]:
    """Mail caught by the demo sink: center staff only."""
    if not may(user, Action.MAILBOX_READ):
        raise Forbidden("center staff only")
    messages = MailSinkMessage.objects.defer("raw")
    if q:
        q = q.strip()
        messages = messages.filter(Q(recipients__icontains=q) | Q(subject__icontains=q))
    return messages.order_by("-received_at", "-id")
