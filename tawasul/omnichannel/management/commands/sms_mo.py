"""``tawasul sms_mo``: (demo) a resident's phone sends an SMS through the fake operator."""

import json
import uuid

from django.core.management.base import BaseCommand

from tawasul.omnichannel import conf, kannel


class Command(BaseCommand):
    help = "Demo: send an SMS from a phone to Tawasul via Kannel's fakesmsc."

    def add_arguments(self, parser) -> None:
        parser.add_argument("text")
        parser.add_argument("--from", dest="sender", default="+97455123456")
        parser.add_argument("--to", dest="receiver", default=None)

    def handle(self, *args, text: str, sender: str, receiver: str | None, **options) -> None:
        receiver = receiver or conf.get("TAWASUL_SMS_SENDER")
        item = kannel.mo_spool() / f"{uuid.uuid4().hex}.json"
        item.write_text(json.dumps({"sender": sender, "receiver": receiver, "text": text}))
        self.stdout.write(f"queued for the fake operator: {sender} → {receiver}")
