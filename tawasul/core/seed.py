"""Load the demo directory, staff, residents and cases (idempotent: safe to run again)."""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tawasul.accounts.models import ApiToken, Role, Site, User
from tawasul.cases.models import Case, SlaPolicy
from tawasul.cases.services import case_add_note, case_create, case_transition
from tawasul.directory import demo_data
from tawasul.directory.hours import parse_hhmm
from tawasul.directory.models import (
    BusinessCalendar,
    Department,
    Entity,
    Holiday,
    Hotline,
    Language,
    Service,
    WeeklyHours,
)
from tawasul.residents.services import normalize_contacts, resident_find_or_create

DEMO_PASSWORD = "tawasul-demo"
# Rooms whose tawasul/<room>/demo.py adds demo content, in this order.
DEMO_ROOMS = ("knowledge", "desk", "omnichannel", "portal", "voice", "insights", "sim")
# "109" answers from 6 sites (seed 000: "300 agents in 6 sites"); Muscat's agents answer web
# calls from the office or from home. (code, English, Arabic, remote)
DEMO_SITES = (
    *(
        (f"109-site-{n}", f"Contact center 109 — site {n}", f"مركز الاتصال 109 — الموقع {n}", False)
        for n in range(1, 7)
    ),
    ("muscat-office", "Muscat Municipality — office", "بلدية مسقط — المكتب", False),
    ("muscat-home", "Muscat Municipality — from home", "بلدية مسقط — من المنزل", True),
)
# Where each demo agent answers from (the other staff work at no particular site).
DEMO_AGENT_SITES = {
    "agent.sara": "109-site-1", "agent.rahul": "109-site-2", "agent.ayesha": "109-site-3",
    "agent.maria": "109-site-4", "agent.prakash": "109-site-5", "agent.tanvir": "109-site-6",
    "agent.yasmine": "109-site-1", "agent.khalfan": "muscat-office", "agent.muna": "muscat-home",
}  # fmt: skip
# Demo data speaks of how residents reached the center; interactions use channel codes.
_CHANNELS = {"phone": "call", "whatsapp": "social"}


def _time(hhmm: str) -> time:
    minute = parse_hhmm(hhmm) % 1440
    return time(minute // 60, minute % 60)


@transaction.atomic
def seed_directory() -> None:
    for lang in demo_data.LANGUAGES:
        Language.objects.update_or_create(
            code=lang["code"],
            defaults={
                "name_en": lang["name_en"],
                "name_ar": lang["name_ar"],
                "native_name": lang["native_name"],
                "rtl": lang["rtl"],
            },
        )
    calendars = {}
    for cal in demo_data.CALENDARS:
        calendar, _ = BusinessCalendar.objects.update_or_create(
            code=cal["code"],
            defaults={
                "name_en": cal["name_en"],
                "name_ar": cal["name_ar"],
                "timezone": cal["timezone"],
                "is_24x7": cal["is_24x7"],
            },
        )
        calendar.weekly_hours.all().delete()
        WeeklyHours.objects.bulk_create(
            WeeklyHours(calendar=calendar, weekday=day, opens=_time(a), closes=_time(b))
            for day, spans in cal["weekly"].items()
            for a, b in spans
        )
        calendar.holidays.all().delete()
        Holiday.objects.bulk_create(
            Holiday(
                calendar=calendar,
                date=holiday["date"],
                name_en=holiday["name_en"],
                name_ar=holiday["name_ar"],
                opens=_time(holiday["hours"][0][0]) if holiday["hours"] else None,
                closes=_time(holiday["hours"][0][1]) if holiday["hours"] else None,
            )
            for holiday in {h["date"]: h for h in cal["holidays"]}.values()
        )
        calendars[cal["code"]] = calendar

    for ent in demo_data.ENTITIES:
        entity, _ = Entity.objects.update_or_create(
            code=ent["code"],
            defaults={
                "name_en": ent["name_en"],
                "name_ar": ent["name_ar"],
                "description_en": ent.get("description_en", ""),
                "description_ar": ent.get("description_ar", ""),
                "country": ent.get("country", "QA"),
                "calendar": calendars.get(ent.get("calendar")),
            },
        )
        departments = {}
        for dep in ent["departments"]:
            departments[dep["code"]], _ = Department.objects.update_or_create(
                entity=entity,
                code=dep["code"],
                defaults={"name_en": dep["name_en"], "name_ar": dep["name_ar"]},
            )
        for svc in ent["services"]:
            fee = svc.get("fee_qar_or_omr")
            Service.objects.update_or_create(
                code=svc["code"],
                defaults={
                    "entity": entity,
                    "department": departments.get(svc.get("department")),
                    "name_en": svc["name_en"],
                    "name_ar": svc["name_ar"],
                    "description_en": svc.get("description_en", ""),
                    "description_ar": svc.get("description_ar", ""),
                    "procedure_en": demo_data.procedure_text(svc["procedure_en"]),
                    "procedure_ar": demo_data.procedure_text(svc["procedure_ar"]),
                    "documents_en": "\n".join(svc["documents_en"]),
                    "documents_ar": "\n".join(svc["documents_ar"]),
                    "fee": Decimal(str(fee)) if fee is not None else None,
                    "open311_public": svc["code"] in demo_data.OPEN311_PUBLIC,
                    "open311_publish_text": demo_data.OPEN311_PUBLIC.get(svc["code"], False),
                },
            )

    for line in demo_data.HOTLINES:
        hotline, _ = Hotline.objects.update_or_create(
            number=line["number"],
            defaults={
                "name_en": line["name_en"],
                "name_ar": line["name_ar"],
                "is_24x7": line["is_24x7"],
                "calendar": calendars.get(line.get("calendar")),
                "priority": line.get("priority", 0),
                "greeting_en": line.get("greeting_en", ""),
                "greeting_ar": line.get("greeting_ar", ""),
            },
        )
        hotline.entities.set(Entity.objects.filter(code__in=line["entities"]))
        hotline.languages.set(Language.objects.filter(code__in=line["languages"]))

    for policy in demo_data.SLA_POLICIES:
        entity = Entity.objects.get(code=policy["entity"]) if policy.get("entity") else None
        SlaPolicy.objects.update_or_create(
            entity=entity,
            kind=policy["kind"],
            priority=policy["priority"],
            defaults={
                "first_response_hours": Decimal(str(policy["first_response_hours"])),
                "resolution_hours": Decimal(str(policy["resolution_hours"])),
            },
        )


def seed_sites() -> dict[str, Site]:
    """The demo center's sites, by code."""
    sites = {}
    for code, name_en, name_ar, remote in DEMO_SITES:
        sites[code], _ = Site.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_ar": name_ar, "is_remote": remote}
        )
    return sites


@transaction.atomic
def seed_staff() -> list[User]:
    sites = seed_sites()
    # Hashing is slow on purpose (~0.2 s a password): the demo accounts share one public
    # password, so it is hashed once and the result given to every new demo account.
    demo_hash = make_password(DEMO_PASSWORD)
    users = []
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"role": Role.ADMIN, "first_name": "Admin"}
    )
    admin.is_staff = admin.is_superuser = True
    admin.role = Role.ADMIN
    if created:  # a re-seed keeps whatever password was set since
        admin.password = demo_hash
    admin.save()
    users.append(admin)
    for person in demo_data.DEMO_STAFF:
        role = person["role"]
        if person["username"] == "admin":
            continue
        entity = Entity.objects.filter(code=person.get("entity")).first()
        user, created = User.objects.get_or_create(username=person["username"])
        user.first_name = person.get("first_name", "")
        user.last_name = person.get("last_name", "")
        user.display_name_ar = person.get("display_name_ar", "")
        user.role = role
        user.entity = entity
        user.languages = person.get("languages", [])
        user.site = sites.get(DEMO_AGENT_SITES.get(person["username"], ""))
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        # The demo has one back-office account per entity: it is also the entity's manager,
        # so second-level escalations have somebody to reach.
        user.is_entity_manager = role == Role.BACKOFFICE
        if created:
            user.password = demo_hash
        user.save()
        if entity is not None and person.get("departments"):
            user.departments.set(
                Department.objects.filter(entity=entity, code__in=person["departments"])
            )
        users.append(user)
    return users


def issue_demo_token() -> str:
    """A fresh token for the demo integration account (older demo tokens are revoked)."""
    system, _ = User.objects.get_or_create(
        username="integration", defaults={"role": Role.AGENT, "first_name": "Integration"}
    )
    system.set_unusable_password()
    system.save()
    ApiToken.objects.filter(user=system, name="demo").update(revoked=True)
    _token, raw = ApiToken.issue(user=system, name="demo")
    return raw


def seed_cases(*, count: int | None = None, rng: random.Random | None = None) -> int:
    """Demo residents and cases in every state, so screens and reports have content."""
    if Case.objects.exists():
        return 0
    rng = rng or random.Random(109)
    agent = User.objects.filter(role=Role.AGENT).first()
    residents = []
    for person in demo_data.DEMO_RESIDENTS:
        resident, _ = resident_find_or_create(
            contacts=normalize_contacts(phone=person["phone"], email=person["email"]),
            full_name=person["name_ar"] or person["name_latin"] or "",
            preferred_language=person["language"],
            preferred_channel=person["reply_channel"],
        )
        residents.append(resident)
    created = 0
    now = timezone.now()
    templates = demo_data.DEMO_CASE_TEMPLATES[: count or None]
    for index, template in enumerate(templates):
        entity = Entity.objects.get(code=template["entity"])
        service = Service.objects.filter(code=template.get("service")).first()
        language = template["language"] if template["language"] in ("ar", "en") else "en"
        case = case_create(
            actor=agent,
            kind=template["kind"],
            entity=entity,
            service=service,
            priority=template.get("priority", "normal"),
            subject=template[f"subject_{language}"],
            description=template[f"description_{language}"],
            resident=residents[index % len(residents)] if residents else None,
            channel=_CHANNELS.get(template["channel"], template["channel"]),
            language=template["language"],
            latitude=Decimal(str(template["lat"])) if template["lat"] is not None else None,
            longitude=Decimal(str(template["lon"])) if template["lon"] is not None else None,
            address=template[f"address_{language}"] or "",
            now=now - timedelta(hours=rng.randint(1, 24 * 20)),
        )
        created += 1
        _advance(case, index, agent)
    return created


def _advance(case: Case, index: int, actor: User | None) -> None:
    """Spread demo cases over the lifecycle."""
    step = index % 6
    if step == 0:
        return
    if case.status in ("new", "assigned"):
        case = case_transition(case=case, action="start", actor=actor)
    if step >= 2:
        case_add_note(
            case=case,
            actor=actor,
            body="Checked the file; contacting the resident.",
            visibility="internal",
        )
    if step == 3:
        case_transition(
            case=case,
            action="request_info",
            actor=actor,
            reason="Please send a photo of the location.",
        )
    if step >= 4:
        case = case_transition(
            case=case, action="resolve", actor=actor, reason="Resolved by the competent department."
        )
    if step == 5:
        case_transition(case=case, action="close", actor=actor)
