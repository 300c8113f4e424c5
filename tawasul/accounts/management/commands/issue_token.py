from django.core.management.base import BaseCommand, CommandError

from tawasul.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user; the secret is printed once and never stored."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        _token, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
