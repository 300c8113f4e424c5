"""``tawasul smtpd``: the SMTP listener for residents' e-mail and fax-to-mail."""

from django.core.management.base import BaseCommand

from tawasul.omnichannel import conf
from tawasul.omnichannel.smtp import InboundHandler, serve


class Command(BaseCommand):
    help = "Receive e-mail (and fax-by-e-mail) over SMTP into interactions and cases."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--max-bytes", type=int, default=None)

    def handle(self, *args, host: str, port: int | None, max_bytes: int | None, **options):
        port = port or int(conf.get("TAWASUL_SMTPD_PORT"))
        self.stdout.write(f"smtpd listening on {host}:{port}")
        self.stdout.flush()
        serve(InboundHandler(), host=host, port=port, data_size_limit=max_bytes)
