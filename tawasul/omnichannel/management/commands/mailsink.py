"""``tawasul mailsink``: catch outbound mail locally (the demo's "outside world")."""

from django.conf import settings
from django.core.management.base import BaseCommand

from tawasul.omnichannel.smtp import SinkHandler, serve


class Command(BaseCommand):
    help = "Catch outgoing e-mail and show it on /channels/mailbox/ (demo and development)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, host: str, port: int | None, **options):
        port = port or settings.EMAIL_PORT
        self.stdout.write(f"mail sink listening on {host}:{port} (see /channels/mailbox/)")
        self.stdout.flush()
        serve(SinkHandler(), host=host, port=port)
