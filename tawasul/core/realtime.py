"""Real-time events: the one place that names groups and sends to them.

A service decides *who* receives an event by choosing groups from the helpers below, and calls
:func:`publish` inside its transaction; the event leaves only after commit, so nobody is told
about a change that was rolled back. Consumers join the groups their user may see (checked in
``connect()``), so a user never receives another entity's events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_user(user_id: int) -> str:
    return f"user.{user_id}"


def group_entity(entity_id: int) -> str:
    return f"entity.{entity_id}"


def group_supervisors() -> str:
    return "supervisors"


def group_wallboard() -> str:
    return "wallboard"


def publish(event_type: str, payload: dict, *, groups: Iterable[str]) -> None:
    """Send ``{"type": "tawasul.event", "event": event_type, "payload": …}`` after commit."""
    targets = sorted(set(groups))
    message = {"type": "tawasul.event", "event": event_type, "payload": payload}

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        for group in targets:
            try:
                async_to_sync(layer.group_send)(group, message)
            except Exception:  # a dead real-time layer must not fail the business write
                logger.exception("could not publish %s to %s", event_type, group)

    transaction.on_commit(send)
