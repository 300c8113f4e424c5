"""``tawasul outbox_worker``: deliver due outbox messages in a loop."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from tawasul.omnichannel.services import outbox_deliver_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send due outbox messages (e-mail, SMS, social, call-backs) with retries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            close_old_connections()
            try:
                tried = outbox_deliver_due()
                if tried:
                    logger.info("outbox: %s message(s) tried", len(tried))
            except Exception:  # the loop must survive a database hiccup
                logger.exception("outbox: delivery pass failed")
            if once:
                return
            stop.wait(interval)
