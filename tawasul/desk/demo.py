"""Demo content of the desk: a TOTP device for every demo login, so a newcomer can sign in to
the desk (`tawasul totp <username>` prints the current code of that person's device).

Each demo device has a key of its own, random: with one shared key, the code of any demo
account would be the code of all of them (and of an administrator).
"""

from __future__ import annotations

from base64 import b32decode

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from tawasul.accounts.models import Role, User
from tawasul.desk.choices import AgentStatus
from tawasul.desk.models import AgentState

# Only devices named DEMO_DEVICE_NAME are demo devices; `tawasul totp` refuses any other.
DEMO_DEVICE_NAME = "demo"
# The key every demo device once shared (and the README published): a device still holding
# it gets a key of its own the next time the demo is seeded.
FORMER_SHARED_KEY = b32decode("TAWASULDEMOTOTPSECRETKEY").hex()


@transaction.atomic
def seed_demo() -> str:
    users = list(User.objects.exclude(username="integration").filter(is_active=True))
    enrolled = rekeyed = 0
    for user in users:
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
        if device is None:
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                continue  # the person enrolled a real device: leave it alone
            TOTPDevice.objects.create(
                user=user, name=DEMO_DEVICE_NAME, key=default_key(), confirmed=True
            )
            enrolled += 1
        elif device.key == FORMER_SHARED_KEY:
            device.key = default_key()
            device.save(update_fields=["key"])
            rekeyed += 1
    now = timezone.now()
    for agent in User.objects.filter(role=Role.AGENT).exclude(username="integration"):
        AgentState.objects.get_or_create(
            agent=agent, defaults={"state": AgentStatus.LOGGED_OUT, "since": now}
        )
    return (
        f"{enrolled} demo TOTP devices, each with its own key ({rekeyed} re-keyed); "
        "`tawasul totp <username>` prints a login code"
    )
