"""Writes of the workforce room: a planner's forecast override (a new version each time)."""

from __future__ import annotations

import math
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, require
from tawasul.errors import DomainError
from tawasul.workforce.models import ForecastOverride

MAX_CONTACTS = 100_000


def override_create(
    *,
    user: User,
    channel: str,
    queue: str,
    day: date,
    interval: int,
    contacts: float,
    reason: str,
) -> ForecastOverride:
    """Record ``contacts`` for one interval as the next version of its override."""
    require(user, Action.WORKFORCE_PLAN)
    if not 0 <= interval <= 47:
        raise DomainError("must be between 0 and 47", field="interval")
    if not (math.isfinite(contacts) and 0 <= contacts <= MAX_CONTACTS):
        raise DomainError(f"must be between 0 and {MAX_CONTACTS}", field="contacts")
    reason = reason.strip()
    if not reason or len(reason) > 300:
        raise DomainError("give a reason (at most 300 characters)", field="reason")
    key = {"channel": channel, "queue": queue, "day": day, "interval": interval}
    for _attempt in range(5):  # two planners at once: the unique version decides, retry
        try:
            with transaction.atomic():
                last = ForecastOverride.objects.filter(**key).aggregate(v=Max("version"))["v"]
                return ForecastOverride.objects.create(
                    **key, contacts=contacts, version=(last or 0) + 1, reason=reason,
                    created_by=user,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise DomainError("changed by someone else meanwhile, try again", field="interval")
