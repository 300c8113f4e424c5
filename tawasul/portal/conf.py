"""Settings of the portal room: getattr(settings, NAME, default), overridable by env vars.

Read at call time (not import time) so a deployment or a test can change them in settings.
"""

from __future__ import annotations

import os
from decimal import Decimal

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def otp_ttl_seconds() -> int:
    """How long a one-time tracking code stays valid."""
    return _int("PORTAL_OTP_TTL_SECONDS", 600)


def otp_max_attempts() -> int:
    """Wrong guesses allowed on one code before it is burnt."""
    return _int("PORTAL_OTP_MAX_ATTEMPTS", 5)


def tracking_minutes() -> int:
    """How long a verified code lets the resident read and answer their case."""
    return _int("PORTAL_TRACKING_MINUTES", 30)


def attachments_per_submission() -> int:
    """Files a resident may attach to one submission (the case-wide cap still applies)."""
    return _int("PORTAL_ATTACHMENTS_PER_SUBMISSION", 5)


def description_max_chars() -> int:
    return _int("PORTAL_DESCRIPTION_MAX_CHARS", 5000)


def open311_coordinate_grid() -> Decimal:
    """Degrees the public Open311 list snaps coordinates to (0.002° ≈ 220 m × 200 m here)."""
    return Decimal(str(getattr(settings, "OPEN311_COORDINATE_GRID", None)
                       or os.environ.get("OPEN311_COORDINATE_GRID", "0.002")))  # fmt: skip


def rate_window_minutes() -> int:
    """Length of the window every rate limit below counts in."""
    return _int("PORTAL_RATE_WINDOW_MINUTES", 60)


# Limits per window. Per IP is higher than per contact point: many residents share one
# mobile carrier's NAT address, and one person's repeated tries must not lock a whole town out.
def rate_limits() -> dict[str, int]:
    return {
        "submit_ip": _int("PORTAL_RATE_SUBMIT_PER_IP", 20),
        "submit_contact": _int("PORTAL_RATE_SUBMIT_PER_CONTACT", 5),
        "otp_ip": _int("PORTAL_RATE_OTP_PER_IP", 20),
        "otp_case": _int("PORTAL_RATE_OTP_PER_CASE", 5),
        "verify_ip": _int("PORTAL_RATE_VERIFY_PER_IP", 30),
        "register_ip": _int("PORTAL_RATE_REGISTER_PER_IP", 20),
        "open311_ip": _int("PORTAL_RATE_OPEN311_PER_IP", 60),
    }
