"""Read-only directory: entities, departments, services, hotlines, languages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router

from tawasul.api import schemas
from tawasul.directory.models import Department, Entity, Hotline, Language, Service
from tawasul.directory.selectors import calendar_hours

router = Router(tags=["directory"])


@router.get("/languages", response=list[schemas.LanguageOut])
def list_languages(request: HttpRequest):
    return list(Language.objects.filter(active=True))


@router.get("/entities", response=list[schemas.EntityOut])
def list_entities(request: HttpRequest):
    return list(Entity.objects.filter(active=True))


@router.get("/entities/{code}", response=schemas.EntityDetailOut)
def get_entity(request: HttpRequest, code: schemas.text(40)):
    entity = get_object_or_404(
        Entity.objects.prefetch_related(
            Prefetch("departments", Department.objects.filter(active=True)),
            Prefetch(
                "services",
                Service.objects.filter(active=True).select_related("entity", "department"),
            ),
        ),
        code=code,
        active=True,
    )
    return {
        **schemas.EntityOut.from_orm(entity).model_dump(),
        "departments": list(entity.departments.all()),
        "services": list(entity.services.all()),
    }


@router.get("/services", response=list[schemas.ServiceOut])
def list_services(request: HttpRequest, entity: schemas.text(40) | None = None):
    services = Service.objects.filter(active=True).select_related("entity", "department")
    if entity:
        services = services.filter(entity__code=entity)
    return list(services)


@router.get("/hotlines", response=list[schemas.HotlineOut])
def list_hotlines(request: HttpRequest):
    now = timezone.now()
    hotlines = Hotline.objects.filter(active=True).prefetch_related("entities", "languages")
    return [
        {
            "number": h.number,
            "name_en": h.name_en,
            "name_ar": h.name_ar,
            "is_24x7": h.is_24x7,
            "priority": h.priority,
            "entities": [e.code for e in h.entities.all()],
            "languages": [lang.code for lang in h.languages.all()],
            "open_now": h.is_24x7 or calendar_hours(h.calendar_id).is_open(now),
        }
        for h in hotlines
    ]
