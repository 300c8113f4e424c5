"""`tawasul offer_contact --agent agent.sara --phone +97455123456 --hotline 107 --ivr 1,3`

Offers an inbound contact to an agent through the same service the voice gateway will call.
The agent's desk pops the resident's 360 view; with the in-memory real-time layer the event
reaches only desks served by this same process, so against a running server use the API
(`POST /api/desk/offers`) or set REDIS_URL for both.
"""

from django.core.management.base import BaseCommand, CommandError

from tawasul.accounts.models import User
from tawasul.desk.services import contact_offer_inbound
from tawasul.errors import DomainError
from tawasul.interactions.models import Channel


class Command(BaseCommand):
    help = "Offer a contact (call, message) to an agent so their screen pops."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agent", required=True, help="the agent's username")
        parser.add_argument("--phone", help="the caller's phone number")
        parser.add_argument("--email", help="or the sender's e-mail")
        parser.add_argument("--name", default="", help="the resident's name if new")
        parser.add_argument("--channel", default=Channel.CALL, choices=Channel.values)
        parser.add_argument("--hotline", help="dialled hotline, e.g. 107")
        parser.add_argument("--ivr", default="", help="IVR choices, comma-separated: 1,3")
        parser.add_argument("--language", default="", help="language chosen in the IVR")
        parser.add_argument("--subject", default="", help="what the contact is about")

    def handle(self, *args, **o) -> None:
        agent = User.objects.filter(username=o["agent"], is_active=True).first()
        if agent is None:
            raise CommandError(f"no such agent: {o['agent']}")
        try:
            offer = contact_offer_inbound(
                agent=agent,
                channel=o["channel"],
                phone=o["phone"],
                email=o["email"],
                full_name=o["name"],
                hotline=o["hotline"],
                ivr=[c.strip() for c in o["ivr"].split(",") if c.strip()],
                language=o["language"],
                subject=o["subject"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(
            f"offered contact {offer.interaction_id} to {agent.username} (offer {offer.pk})"
        )
