"""``tawasul imap_poll``: fetch residents' e-mail from an IMAP mailbox (optional channel).

Thin: the work is in :mod:`tawasul.omnichannel.imap`. SIGTERM or Ctrl-C ends the loop after
the message being stored, so a stop never leaves a stored message unmarked for long.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from tawasul.omnichannel import conf, imap


class Command(BaseCommand):
    help = "Poll an IMAP mailbox for residents' e-mail (settings TAWASUL_IMAP_*)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="one pass, then exit (non-zero if it failed)"
        )

    def handle(self, *args, once: bool, **options) -> None:
        if not conf.get("TAWASUL_IMAP_HOST"):
            raise CommandError("set TAWASUL_IMAP_HOST (and _USER, _PASSWORD) first")
        if once:
            try:
                result = imap.poll_once()
            except imap.MailboxUnavailable as exc:
                raise CommandError(f"mailbox unavailable: {exc}") from None
            self.stdout.write(f"imap: {result}")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        imap.poll_forever(stop=stop)
