"""Demo content of the desk: a TOTP device for every demo login, with one known secret, so a
newcomer can sign in to the desk (`tawasul totp <username>` prints the current code)."""

from __future__ import annotations

from base64 import b32decode

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts.models import Role, User
from tawasul.desk.choices import AgentStatus
from tawasul.desk.models import AgentState

# Public on purpose: it is printed by `tawasul seed demo` and in the README. Only devices
# named DEMO_DEVICE_NAME are demo devices; `tawasul totp` refuses any other.
DEMO_TOTP_SECRET = "TAWASULDEMOTOTPSECRETKEY"
DEMO_DEVICE_NAME = "demo"


def demo_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


@transaction.atomic
def seed_demo() -> str:
    users = list(User.objects.exclude(username="integration").filter(is_active=True))
    key = demo_key_hex()
    enrolled = 0
    for user in users:
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
        if device is None:
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                continue  # the person enrolled a real device: leave it alone
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
            enrolled += 1
    now = timezone.now()
    for agent in User.objects.filter(role=Role.AGENT).exclude(username="integration"):
        AgentState.objects.get_or_create(
            agent=agent, defaults={"state": AgentStatus.LOGGED_OUT, "since": now}
        )
    return (
        f"{enrolled} demo TOTP devices (secret {DEMO_TOTP_SECRET}); "
        "`tawasul totp <username>` prints a login code"
    )
