"""The demo's case texts (``directory.demo_data.DEMO_CASE_TEMPLATES``) opened as real cases on
simulated contacts, for the history back-fill and the live stream alike."""

from __future__ import annotations

import random
from datetime import datetime
from functools import cache

from tawasul.accounts.models import User
from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction


@cache
def _by_entity() -> dict[str, tuple[dict, ...]]:
    from tawasul.directory import demo_data

    found: dict[str, list[dict]] = {}
    for tpl in demo_data.DEMO_CASE_TEMPLATES:
        found.setdefault(tpl["entity"], []).append(tpl)
    return {code: tuple(tpls) for code, tpls in found.items()}


def templates_for(entity: str) -> tuple[dict, ...]:
    """The demo's case texts for the entity ``entity`` (a code), in the module's order."""
    return _by_entity().get(entity, ())


def template_pick(entity: str, rng: random.Random) -> dict | None:
    """One of the entity's case texts, drawn with ``rng`` (None if it has none)."""
    found = templates_for(entity)
    return rng.choice(found) if found else None


def demo_case_open(
    *, interaction: Interaction, template: dict, actor: User | None, when: datetime
) -> Case:
    """Open the case ``template`` describes for the contact, in the contact's language (Arabic
    or English text), linked to it, as the agent who handled it."""
    from tawasul.cases.services import case_create

    arabic = interaction.language == "ar"
    return case_create(
        actor=actor,
        kind=template["kind"],
        entity=interaction.entity,
        subject=template["subject_ar"] if arabic else template["subject_en"],
        description=template["description_ar"] if arabic else template["description_en"],
        priority=template["priority"],
        hotline=interaction.hotline,
        resident=interaction.resident,
        channel=interaction.channel,
        language=interaction.language,
        interaction=interaction,
        now=when,
    )
