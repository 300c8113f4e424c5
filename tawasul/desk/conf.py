"""Settings of the desk room: getattr(settings, NAME, default), overridable by env vars."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def wrapup_seconds() -> int:
    """Wrap-up time after a contact ends before the agent is made available again."""
    return _int("DESK_WRAPUP_SECONDS", 60)


def service_level_seconds() -> int:
    """Answer-time threshold T of the service level shown to supervisors."""
    return _int("DESK_SERVICE_LEVEL_SECONDS", 20)


def sla_warning_hours() -> int:
    """Open cases due within this many hours count as 'near SLA' on the supervisor view."""
    return _int("DESK_SLA_WARNING_HOURS", 4)


def pending_login_seconds() -> int:
    """How long a correct password waits for its second factor before starting over."""
    return _int("DESK_PENDING_LOGIN_SECONDS", 300)
