"""The one place where voice meets the staff desk (``tawasul.desk.services``).

The desk owns agents' states and the screen pop; the gateway calls the same services the desk's
buttons call: the phone rings → ``contact_offer`` (the desk pops the caller with the IVR path
and language), answered → ``contact_accept``, hung up → ``contact_end`` (wrap-up starts), ring
no answer → ``contact_decline`` and the agent goes on break (``agent_set_state``). Errors from
the desk (agent no longer available, offer already handled) are reported, never raised into a
call: the caller simply stays in line.
"""

from __future__ import annotations

import logging
from datetime import datetime

from tawasul.accounts.models import User
from tawasul.errors import DomainError
from tawasul.interactions.models import Interaction
from tawasul.voice.models import VoiceEndpoint

log = logging.getLogger("tawasul.voice")

NO_ANSWER_REASON = "no_answer"


def offer(*, agent_id: int, interaction: Interaction, language: str):
    """Pop the call on the agent's desk; (endpoint, offer) or (None, None) if it cannot."""
    from tawasul.desk.services import contact_offer

    endpoint = (
        VoiceEndpoint.objects.filter(user_id=agent_id, active=True).select_related("user").first()
    )
    if endpoint is None:
        return None, None
    interaction.refresh_from_db()
    try:
        desk_offer = contact_offer(
            agent=endpoint.user,
            interaction=interaction,
            path={"channel": "call", "ivr": interaction.ivr_path, "queue": interaction.queue},
            language=language,
        )
    except DomainError as exc:
        log.info("desk refused the offer to %s: %s", endpoint.sip_username, exc)
        return None, None
    return endpoint, desk_offer


def accept(*, offer) -> None:
    from tawasul.desk.services import contact_accept

    try:
        contact_accept(offer=offer, agent=offer.agent)
    except DomainError as exc:
        log.warning("desk accept failed: %s", exc)


def end(*, offer, now: datetime | None = None) -> None:
    from tawasul.desk.services import contact_end
    from tawasul.voice.services import call_hold_end

    # A call that ends on hold: the hold ends with it (hold time never runs past the call).
    call_hold_end(interaction=offer.interaction, now=now)
    try:
        contact_end(offer=offer, agent=offer.agent, now=now)
    except DomainError as exc:
        log.warning("desk end failed: %s", exc)


def decline(*, offer) -> None:
    from tawasul.desk.services import contact_decline

    try:
        contact_decline(offer=offer, agent=offer.agent)
    except DomainError as exc:
        log.info("desk decline failed: %s", exc)


def no_answer(*, offer) -> None:
    """Ring-no-answer: the offer is declined and the agent put on break until they are back."""
    from tawasul.desk.services import agent_set_state

    decline(offer=offer)
    agent: User = offer.agent
    try:
        agent_set_state(agent=agent, state="on_break", reason=NO_ANSWER_REASON, actor=agent)
    except DomainError as exc:
        log.info("could not put %s on break: %s", agent.username, exc)
