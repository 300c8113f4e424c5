"""Writes of the staff desk: agent states, contacts offered to agents, and the desk's case actions.

Every function here writes, checks and publishes in one transaction (events leave after
commit). The voice gateway and the channel adapters call the same functions the desk does:

* ``contact_offer(agent=, interaction=, path=, language=)`` — a call rings / a message is
  assigned: the agent's screen pops.
* ``contact_accept(offer=, agent=)`` — answered; ``contact_decline(offer=, agent=)`` — refused.
* ``contact_end(offer=, agent=)`` — hung up / closed: wrap-up starts.
* ``wrapup_end(agent=)`` — wrap-up finished: the agent is available again.
* ``agent_set_state(agent=, state=, reason=, actor=)`` — state changes (one click, or forced).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.accounts.models import Role, User
from tawasul.cases import services as case_services
from tawasul.cases.models import Case, CaseNote
from tawasul.core.realtime import group_supervisors, group_user, publish
from tawasul.desk.choices import AgentStatus, OfferStatus
from tawasul.desk.models import AgentState, AgentStateChange, ContactOffer
from tawasul.directory.models import Department, Entity, Hotline, Service
from tawasul.errors import Conflict, DomainError, Forbidden
from tawasul.interactions.models import Interaction, Outcome
from tawasul.interactions.services import interaction_update_timings

# States a person picks themselves (or a supervisor forces); the others follow the contact.
MANUAL_STATES = (AgentStatus.AVAILABLE, AgentStatus.ON_BREAK, AgentStatus.LOGGED_OUT)
AGENT_ROLES = (Role.AGENT, Role.SUPERVISOR)
REASON_MAX = 80


# --- agent state --------------------------------------------------------------------------


def _check_agent(agent: User) -> None:
    if not agent.is_active or agent.role not in AGENT_ROLES:
        raise DomainError(_("this person does not take contacts"), field="agent")


def _state_payload(state: AgentState, agent: User) -> dict:
    return {
        "agent_id": agent.pk,
        "username": agent.get_username(),
        "state": state.state,
        "reason": state.reason,
        "since": state.since.isoformat(),
    }


def _apply_state(
    *,
    agent: User,
    state: str,
    reason: str,
    actor: User | None,
    now: datetime,
    offer: ContactOffer | None = None,
    keep_offer: bool = False,
) -> AgentState:
    """Record the new state, close the previous history period and tell the agent and the
    supervisors. Must run inside the caller's transaction."""
    current = AgentState.objects.select_for_update().filter(agent=agent).first()
    if current is None:
        current = AgentState(agent=agent, state=AgentStatus.LOGGED_OUT, since=now)
    elif current.state == state and current.reason == reason:
        return current
    AgentStateChange.objects.filter(agent=agent, ended_at__isnull=True).update(ended_at=now)
    AgentStateChange.objects.create(
        agent=agent,
        state=state,
        reason=reason,
        started_at=now,
        changed_by=actor,
        forced=actor is not None and actor.pk != agent.pk,
    )
    current.state, current.reason, current.since = state, reason, now
    if not keep_offer:
        current.offer = offer
    current.save()
    publish(
        "agent.state",
        _state_payload(current, agent),
        groups=[group_user(agent.pk), group_supervisors()],
    )
    return current


def agent_set_state(
    *,
    agent: User,
    state: str,
    reason: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> AgentState:
    """Change an agent's state in one step: available, on break (with a reason), logged out.

    ``actor`` is who clicked: the agent, or a supervisor forcing the state (recorded as
    forced). On-contact and wrap-up follow the contact (see ``contact_accept``/``contact_end``)
    and cannot be picked by hand. Setting the same state and reason again changes nothing.
    """
    _check_agent(agent)
    actor = actor or agent
    if actor.pk != agent.pk and not (actor.role == Role.SUPERVISOR or actor.is_admin):
        raise Forbidden("only a supervisor may change another agent's state")
    try:
        state = AgentStatus(state)
    except ValueError:
        raise DomainError(_("unknown state: %(state)s") % {"state": state}, field="state") from None
    if state not in MANUAL_STATES:
        raise DomainError(_("this state follows the contact and cannot be chosen"), field="state")
    reason = (reason or "").strip()[:REASON_MAX]
    if state == AgentStatus.ON_BREAK and not reason:
        raise DomainError(_("give the reason for the break"), field="reason")
    if state != AgentStatus.ON_BREAK:
        reason = ""
    now = now or timezone.now()
    with transaction.atomic():
        current = AgentState.objects.select_for_update().filter(agent=agent).first()
        forced = actor.pk != agent.pk
        if current is not None and current.state == AgentStatus.ON_CONTACT and not forced:
            raise Conflict(_("end the current contact first"), field="state")
        return _apply_state(agent=agent, state=state, reason=reason, actor=actor, now=now)


# --- contacts offered to agents ------------------------------------------------------------


def _offer_payload(offer: ContactOffer) -> dict:
    return {
        "offer_id": offer.pk,
        "agent_id": offer.agent_id,
        "interaction_id": str(offer.interaction_id),
        "status": offer.status,
        "channel": offer.path.get("channel", ""),
        "hotline": offer.path.get("hotline", ""),
    }


def _publish_offer(event: str, offer: ContactOffer) -> None:
    publish(event, _offer_payload(offer), groups=[group_user(offer.agent_id), group_supervisors()])


def contact_path(*, interaction: Interaction, path: dict | None) -> dict:
    """The path as shown to the agent: channel, hotline and IVR choices (digits as given)."""
    path = dict(path or {})
    ivr = path.get("ivr", interaction.ivr_path or [])
    if not isinstance(ivr, list) or len(ivr) > 50:
        raise DomainError(_("the IVR path is a list of at most 50 choices"), field="path.ivr")
    return {
        "channel": str(path.get("channel") or interaction.channel),
        "hotline": str(
            path.get("hotline") or (interaction.hotline.number if interaction.hotline_id else "")
        ),
        "ivr": [str(choice)[:60] for choice in ivr],
        "queue": str(path.get("queue") or interaction.queue or ""),
    }


def contact_offer(
    *,
    agent: User,
    interaction: Interaction,
    path: dict | None = None,
    language: str = "",
    now: datetime | None = None,
) -> ContactOffer:
    """Offer a contact to an available agent; their desk pops the resident's 360 view.

    ``path`` is ``{"hotline": "107", "ivr": ["1", "3"], "channel": "call", "queue": "…"}``
    (missing parts are taken from the interaction). The agent must be available and not
    already ringing or on a contact: one contact at a time.
    """
    _check_agent(agent)
    now = now or timezone.now()
    with transaction.atomic():
        state = AgentState.objects.select_for_update().filter(agent=agent).first()
        if state is None or state.state != AgentStatus.AVAILABLE:
            raise Conflict(_("the agent is not available"), field="agent")
        if ContactOffer.objects.filter(agent=agent, status=OfferStatus.RINGING).exists():
            raise Conflict(_("the agent already has a contact ringing"), field="agent")
        if interaction.answered_at or interaction.ended_at:
            raise Conflict(_("this contact was already answered or ended"), field="interaction")
        offer = ContactOffer.objects.create(
            agent=agent,
            interaction=interaction,
            offered_at=now,
            path=contact_path(interaction=interaction, path=path),
            language=(language or interaction.language or "")[:8],
        )
        _publish_offer("contact.offered", offer)
    return offer


def _hotline(number: str | None) -> Hotline | None:
    if not number:
        return None
    hotline = Hotline.objects.filter(number=number, active=True).first()
    if hotline is None:
        raise DomainError(_("unknown hotline: %(number)s") % {"number": number}, field="hotline")
    return hotline


def contact_offer_inbound(
    *,
    agent: User,
    channel: str,
    phone: str | None = None,
    email: str | None = None,
    full_name: str = "",
    hotline: str | None = None,
    ivr: list[str] | None = None,
    language: str = "",
    external_id: str = "",
    subject: str = "",
    body: str = "",
) -> ContactOffer:
    """Record an inbound contact from a phone or e-mail (finding or creating the resident)
    and offer it to the agent: what a channel adapter or the voice gateway does on arrival.
    The same ``external_id`` on the same channel reuses the contact already recorded."""
    from tawasul.interactions.services import interaction_record
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    contacts = normalize_contacts(phone=phone, email=email)
    if not contacts:
        raise DomainError(_("give the resident's phone or e-mail"), field="phone")
    line = _hotline(hotline)
    with transaction.atomic():
        resident, _created = resident_find_or_create(
            contacts=contacts, full_name=full_name, preferred_language=language or None
        )
        interaction, _new = interaction_record(
            channel=channel,
            external_id=external_id,
            hotline=line,
            entity=line.entities.order_by("pk").first() if line else None,
            resident=resident,
            language=language or resident.preferred_language,
            address=contacts[0].value,
            subject=subject[:300],
            body=body,
            ivr_path=[str(choice)[:60] for choice in (ivr or [])][:50],
        )
        return contact_offer(
            agent=agent,
            interaction=interaction,
            path={"channel": channel, "hotline": hotline or "", "ivr": ivr or []},
            language=language or resident.preferred_language,
        )


def _own_offer(offer: ContactOffer, agent: User, *statuses: str) -> ContactOffer:
    locked = (
        ContactOffer.objects.select_for_update()
        .select_related("interaction")
        .filter(pk=offer.pk)
        .first()
    )
    if locked is None or locked.agent_id != agent.pk:
        raise DomainError(_("this contact was not offered to you"), field="offer")
    if locked.status not in statuses:
        raise Conflict(
            _("this contact is %(status)s")
            % {"status": str(OfferStatus(locked.status).label).lower()},
            field="offer",
        )
    return locked


def contact_accept(
    *, offer: ContactOffer, agent: User, now: datetime | None = None
) -> ContactOffer:
    """The agent answers: the contact is answered now and the agent is on contact."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = _own_offer(offer, agent, OfferStatus.RINGING)
        interaction = offer.interaction
        if interaction.answered_at or interaction.ended_at:
            raise Conflict(_("this contact was already answered or ended"), field="offer")
        offer.status, offer.accepted_at = OfferStatus.ACCEPTED, now
        offer.save(update_fields=["status", "accepted_at"])
        interaction.agent = agent
        interaction_update_timings(interaction=interaction, answered_at=now, also=("agent",))
        _apply_state(
            agent=agent, state=AgentStatus.ON_CONTACT, reason="", actor=agent, now=now, offer=offer
        )
        _publish_offer("contact.accepted", offer)
    return offer


def contact_decline(
    *, offer: ContactOffer, agent: User, now: datetime | None = None
) -> ContactOffer:
    """The agent refuses a ringing contact; it stays waiting for another agent."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = _own_offer(offer, agent, OfferStatus.RINGING)
        offer.status, offer.declined_at = OfferStatus.DECLINED, now
        offer.save(update_fields=["status", "declined_at"])
        _publish_offer("contact.declined", offer)
    return offer


def contact_end(*, offer: ContactOffer, agent: User, now: datetime | None = None) -> ContactOffer:
    """Hang up / close the contact: it ends now and the agent's wrap-up starts."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = _own_offer(offer, agent, OfferStatus.ACCEPTED)
        offer.status, offer.ended_at = OfferStatus.ENDED, now
        offer.save(update_fields=["status", "ended_at"])
        interaction_update_timings(interaction=offer.interaction, ended_at=now)
        _apply_state(
            agent=agent, state=AgentStatus.WRAP_UP, reason="", actor=agent, now=now, keep_offer=True
        )
        _publish_offer("contact.ended", offer)
    return offer


def contact_hold(
    *, offer: ContactOffer, agent: User, hold: bool = True, now: datetime | None = None
) -> ContactOffer:
    """Put the answered call on hold (the caller hears hold audio) or take it off hold; only
    this agent's hold counts in the interaction's ``hold_seconds``."""
    from tawasul.voice.services import call_hold_end, call_hold_start

    now = now or timezone.now()
    with transaction.atomic():
        offer = _own_offer(offer, agent, OfferStatus.ACCEPTED)
        if hold:
            call_hold_start(interaction=offer.interaction, agent=agent, now=now)
        else:
            call_hold_end(interaction=offer.interaction, now=now)
        _publish_offer("contact.held" if hold else "contact.resumed", offer)
    return offer


def wrapup_end(*, agent: User, now: datetime | None = None) -> AgentState:
    """Wrap-up is over: the contact's wrap-up time is recorded and the agent is available."""
    now = now or timezone.now()
    with transaction.atomic():
        state = (
            AgentState.objects.select_for_update(of=("self",))
            .select_related("offer__interaction")
            .filter(agent=agent)
            .first()
        )
        if state is None or state.state != AgentStatus.WRAP_UP:
            raise Conflict(_("you are not in wrap-up"), field="state")
        if state.offer_id and state.offer.interaction.wrapup_ended_at is None:
            interaction_update_timings(interaction=state.offer.interaction, wrapup_ended_at=now)
        return _apply_state(
            agent=agent, state=AgentStatus.AVAILABLE, reason="", actor=agent, now=now
        )


def _working_offer(offer: ContactOffer, agent: User) -> ContactOffer:
    # Outcome and case can be logged while talking and during wrap-up, not before answering.
    return _own_offer(offer, agent, OfferStatus.ACCEPTED, OfferStatus.ENDED)


def contact_resolve(*, offer: ContactOffer, agent: User, summary: str) -> Interaction:
    """Log the contact as resolved on first contact, with what was done."""
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("say how it was resolved"), field="summary")
    with transaction.atomic():
        offer = _working_offer(offer, agent)
        interaction = offer.interaction
        interaction.subject = summary[:300]
        interaction_update_timings(
            interaction=interaction, outcome=Outcome.RESOLVED_FIRST_CONTACT, also=("subject",)
        )
        _publish_offer("contact.logged", offer)
    return interaction


def contact_open_case(
    *,
    offer: ContactOffer,
    agent: User,
    kind: str,
    entity: Entity,
    subject: str,
    description: str,
    priority: str = "normal",
    service: Service | None = None,
    department: Department | None = None,
) -> Case:
    """Open a case for the contact's resident, linked to the contact, routed at once when a
    department (or a service with a department) is given."""
    with transaction.atomic():
        offer = _working_offer(offer, agent)
        interaction = offer.interaction
        case = case_services.case_create(
            actor=agent,
            kind=kind,
            entity=entity,
            subject=subject,
            description=description,
            priority=priority,
            service=service,
            department=department,
            hotline=interaction.hotline,
            resident=interaction.resident,
            channel=interaction.channel,
            language=offer.language or interaction.language or "ar",
            interaction=interaction,
        )
        interaction_update_timings(interaction=interaction, outcome=Outcome.CASE_OPENED)
        _publish_offer("contact.logged", offer)
    return case


# --- the desk's case actions (the back office and supervisors) ------------------------------
# The case service checks, records and announces every case write (to the entity's staff,
# the supervisors and the assignee), so these only name what the desk may ask for.


def desk_case_transition(
    *,
    case: Case,
    actor: User,
    action: str,
    reason: str = "",
    department: Department | None = None,
    expected_version: int | None = None,
) -> Case:
    """A lifecycle action from the desk (route, start, request_info, resume, resolve,
    return_to_center…)."""
    return case_services.case_transition(
        case=case,
        action=action,
        actor=actor,
        reason=reason,
        department=department,
        expected_version=expected_version,
    )


def desk_case_note(*, case: Case, actor: User, body: str, visibility: str) -> CaseNote:
    """An internal note, or a reply queued for the resident's preferred channel."""
    return case_services.case_add_note(case=case, actor=actor, body=body, visibility=visibility)


def desk_case_assign(*, case: Case, actor: User, assignee: User | None) -> Case:
    """Give the case to someone who may work it (or back to the pool); the case service
    checks both people against the policy."""
    return case_services.case_assign(case=case, assignee=assignee, actor=actor)
