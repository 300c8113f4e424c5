"""Writes for interactions: record a contact once, then its timings as it progresses."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tawasul.errors import DomainError
from tawasul.interactions.models import Interaction, Outcome


def interaction_record(
    *, channel: str, external_id: str = "", **fields
) -> tuple[Interaction, bool]:
    """Store an inbound or outbound contact; the same channel message id is stored only once.

    Returns the interaction and whether it was new, so a redelivered message is acknowledged
    again without a second contact.
    """
    fields.setdefault("offered_at", timezone.now())
    check_timings({name: fields.get(name) for name in TIMING_ORDER})
    agent = fields.get("agent")
    if fields.get("answered_at") and agent is not None and not ({"site", "site_id"} & set(fields)):
        fields["site_id"] = agent.site_id  # where the agent sat when answering
    if external_id:
        existing = Interaction.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return (
                Interaction.objects.create(channel=channel, external_id=external_id, **fields),
                True,
            )
    except IntegrityError:
        if not external_id:
            raise
        return Interaction.objects.get(channel=channel, external_id=external_id), False


TIMING_ORDER = ("offered_at", "answered_at", "ended_at", "wrapup_ended_at")


def check_timings(values: dict[str, datetime | None]) -> None:
    """Offered ≤ answered ≤ ended ≤ wrap-up ended, skipping the ones not reached yet."""
    previous: tuple[str, datetime] | None = None
    for name in TIMING_ORDER:
        value = values.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise DomainError(f"{name} is before {previous[0]}", field=name)
        previous = (name, value)


def interaction_update_timings(
    *,
    interaction: Interaction,
    answered_at: datetime | None = None,
    ended_at: datetime | None = None,
    wrapup_ended_at: datetime | None = None,
    hold_seconds: int | None = None,
    outcome: str | None = None,
    also: tuple[str, ...] = (),
) -> Interaction:
    """Set the timings the KPIs read; they must not run backwards.

    Only the fields given are written (and ``also``: other fields the caller set on the
    instance): the desk and the voice gateway write the same row during a call, and saving
    the whole row as one of them read it would undo the other's write (the gateway's
    recording path, the agent's outcome).
    """
    changed = set(also)
    updates = {
        "answered_at": answered_at,
        "ended_at": ended_at,
        "wrapup_ended_at": wrapup_ended_at,
    }
    for name, value in updates.items():
        if value is not None:
            setattr(interaction, name, value)
            changed.add(name)
    check_timings({name: getattr(interaction, name) for name in TIMING_ORDER})
    if hold_seconds is not None:
        interaction.hold_seconds = hold_seconds
        changed.add("hold_seconds")
    if outcome is not None:
        interaction.outcome = outcome
        changed.add("outcome")
    if interaction.outcome == Outcome.ABANDONED and interaction.answered_at:
        raise DomainError("an answered contact cannot be abandoned", field="outcome")
    if _copy_site(interaction):
        changed.add("site")
    if changed:
        interaction.save(update_fields=sorted(changed))
    return interaction


def _copy_site(interaction: Interaction) -> bool:
    # The site is where the agent sat when answering: copied once, so history keeps it when
    # the agent later moves to another site or works from home.
    if interaction.site_id is None and interaction.answered_at and interaction.agent_id:
        interaction.site_id = interaction.agent.site_id
        return interaction.site_id is not None
    return False
