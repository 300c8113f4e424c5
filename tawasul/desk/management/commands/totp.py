"""`tawasul totp <username>`: the current sign-in code of a demo user's demo TOTP device."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.desk.demo import DEMO_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current 6-digit code of a demo login (demo devices only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{username} has no demo device; codes of real devices are never printed"
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = str(totp.token()).zfill(device.digits)
        self.stdout.write(
            f"{code}  (valid for about {device.step - int(totp.time) % device.step} s)"
        )
