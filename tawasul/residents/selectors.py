"""Reads for residents, scoped and audited."""

from __future__ import annotations

from django.db.models import QuerySet

from tawasul.accounts.access import scope_residents
from tawasul.accounts.models import User
from tawasul.errors import NotFound
from tawasul.residents.models import Resident
from tawasul.residents.services import normalize_email, normalize_phone


def resident_visible_to(user: User) -> QuerySet[Resident]:
    return scope_residents(user, Resident.objects.all()).prefetch_related("contacts")


def resident_get(*, user: User, resident_id: int) -> Resident:
    resident = resident_visible_to(user).filter(pk=resident_id).first()
    if resident is None:
        raise NotFound("no such resident", field="resident_id")
    return resident


def resident_search(
    *,
    user: User,
    phone: str | None = None,
    email: str | None = None,
    name: str | None = None,
    national_id: str | None = None,
) -> QuerySet[Resident]:
    residents = resident_visible_to(user).filter(merged_into__isnull=True)
    if phone:
        residents = residents.filter(contacts__kind="phone", contacts__value=normalize_phone(phone))
    if email:
        residents = residents.filter(contacts__kind="email", contacts__value=normalize_email(email))
    if name:
        residents = residents.filter(full_name__icontains=name)
    if national_id:
        residents = residents.filter(national_id=national_id)
    return residents.distinct().order_by("-id")


def case_text_fallbacks(case: object) -> list[str]:
    """The languages a text to the resident of ``case`` falls back to when it is not written
    in theirs: the case's hotline's languages, Arabic and English first (as its language
    menu), then :data:`tawasul.residents.texts.FINAL_FALLBACKS`."""
    hotline = getattr(case, "hotline", None)
    if hotline is None:
        return []
    codes = list(hotline.languages.values_list("code", flat=True))
    return sorted(codes, key=lambda code: (code not in ("ar", "en"), code != "ar", code))
