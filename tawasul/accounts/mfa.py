"""Whether a staff session passed the second factor (TOTP), for every surface that takes one:
desk pages, the admin, the staff-session API and the WebSockets."""

from __future__ import annotations

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
