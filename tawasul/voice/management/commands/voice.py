"""``tawasul voice``: the voice gateway (SIP front + media workers + IVR + routing)."""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand

from tawasul.voice.gateway import Gateway


class Command(BaseCommand):
    help = "Run the voice gateway: Kamailio front, pjsua2 media workers, IVR flows, routing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sip-port", type=int, default=None, help="SIP front port")
        parser.add_argument("--workers", type=int, default=None, help="media workers")
        parser.add_argument("--slots", type=int, default=None, help="callers per worker")

    def handle(self, *args, **options) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        gateway = Gateway(
            sip_port=options["sip_port"], workers=options["workers"], slots=options["slots"]
        )
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        signal.signal(signal.SIGINT, lambda *_: done.set())
        gateway.start()  # it logs its SIP port and workers
        try:
            done.wait()
        finally:
            gateway.stop()
