"""`tawasul enrolment_link <username>`: an authenticator enrolment link from the server's console.

The way in for the first administrator of a new installation (nobody can sign in to the admin
yet to issue one) and for an operator with shell access; audited as issued by "system".
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from tawasul.accounts.models import User
from tawasul.accounts.services import enrolment_issue
from tawasul.errors import DomainError


class Command(BaseCommand):
    help = "Print a one-time link with which a person registers their authenticator app."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="where staff reach the desk"
        )

    def handle(self, *args, username: str, base_url: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        try:
            invite, raw = enrolment_issue(user=user, actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        link = base_url.rstrip("/") + reverse("desk:enrol-link", args=[raw])
        self.stdout.write(f"{link}  (valid until {invite.expires_at:%Y-%m-%d %H:%M} UTC, once)")
