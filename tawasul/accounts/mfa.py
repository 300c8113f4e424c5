"""Whether a staff session passed the second factor (TOTP), for every surface that takes one:
desk pages, the admin, the staff-session API and the WebSockets."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "is_verified", lambda: False)()
        and request.session.get(DEVICE_ID_SESSION_KEY)
    )


def is_verified_session(user, session: SessionBase | None) -> bool:
    """The same for a WebSocket scope, where no OTP middleware ran: the session's device is
    this active user's confirmed device."""
    from django_otp.models import Device  # a model: this module is imported before apps load

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY) if session is not None else None
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return bool(device is not None and device.user_id == user.pk and device.confirmed)
