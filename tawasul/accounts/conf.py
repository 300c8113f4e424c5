"""Settings of the accounts room: getattr(settings, NAME, default), overridable by env vars."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def backoff_after() -> int:
    """Failed tries for one username (per stage) that are free before the back-off starts."""
    return _int("LOGIN_BACKOFF_AFTER", 5)


def backoff_ip_after() -> int:
    """Failed tries from one client address that are free before the back-off starts.

    Higher than the per-user number: a contact center's agents usually share one outbound
    address, and one person's typos must not slow down a whole site.
    """
    return _int("LOGIN_BACKOFF_IP_AFTER", 20)


def backoff_base_seconds() -> int:
    """The first wait; it doubles with each further failure."""
    return _int("LOGIN_BACKOFF_BASE_SECONDS", 30)


def backoff_max_seconds() -> int:
    """The longest wait: the rightful user is delayed, never locked out for long."""
    return _int("LOGIN_BACKOFF_MAX_SECONDS", 15 * 60)


def backoff_forget_minutes() -> int:
    """After this long without a failure the count starts again from zero."""
    return _int("LOGIN_BACKOFF_FORGET_MINUTES", 60)


def enrolment_hours() -> int:
    """How long an administrator's enrolment link stays valid."""
    return _int("ENROLMENT_LINK_HOURS", 72)
