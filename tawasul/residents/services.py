"""Writes for residents: matching contacts to people, and merging duplicates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tawasul.accounts.models import AuditAction, User
from tawasul.accounts.services import audit_record
from tawasul.errors import Conflict, DomainError
from tawasul.residents.models import ContactKind, ContactPoint, Resident


class InvalidContact(DomainError):
    """A contact value that cannot be normalised; ``field`` names the input it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


def normalize_phone(raw: str, *, region: str | None = None, field: str = "phone") -> str:
    """E.164 form of a phone number written any common way (spaces, 00 prefix, local)."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.TAWASUL["DEFAULT_COUNTRY"])
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact(field, f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(field, "not a valid phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_email_validator = EmailValidator()


def normalize_email(raw: str, *, field: str = "email") -> str:
    value = (raw or "").strip()
    try:
        _email_validator(value)
    except ValidationError:
        raise InvalidContact(field, "not a valid e-mail address") from None
    local, _, domain = value.rpartition("@")
    # Domains are case-insensitive everywhere; mailbox names are in practice too.
    return f"{local.lower()}@{domain.lower()}"


@dataclass(frozen=True)
class ContactInput:
    kind: str
    value: str


def normalize_contacts(
    *,
    phone: str | None = None,
    email: str | None = None,
    app_account: str | None = None,
    social_handle: str | None = None,
) -> list[ContactInput]:
    contacts: list[ContactInput] = []
    if phone:
        contacts.append(ContactInput(ContactKind.PHONE, normalize_phone(phone)))
    if email:
        contacts.append(ContactInput(ContactKind.EMAIL, normalize_email(email)))
    if app_account:
        contacts.append(ContactInput(ContactKind.APP, app_account.strip()[:254]))
    if social_handle:
        contacts.append(ContactInput(ContactKind.SOCIAL, social_handle.strip().lower()[:254]))
    return contacts


def _survivor(resident: Resident) -> Resident:
    seen = set()
    while resident.merged_into_id and resident.pk not in seen:
        seen.add(resident.pk)
        resident = resident.merged_into
    return resident


def _points(contacts: list[ContactInput]) -> list[ContactPoint]:
    query = Q()
    for contact in contacts:
        query |= Q(kind=contact.kind, value=contact.value)
    return list(ContactPoint.objects.filter(query).select_related("resident").order_by())


def _oldest_owner(points: list[ContactPoint]) -> Resident | None:
    owners = sorted((p.resident for p in points), key=lambda r: r.pk)
    return _survivor(owners[0]) if owners else None


def resident_find(contacts: Iterable[ContactInput]) -> Resident | None:
    """The (surviving) resident who owns any of these contact points, oldest first."""
    contacts = list(contacts)
    return _oldest_owner(_points(contacts)) if contacts else None


def resident_find_or_create(
    *,
    contacts: list[ContactInput],
    full_name: str = "",
    preferred_language: str | None = None,
    preferred_channel: str | None = None,
) -> tuple[Resident, bool]:
    """The resident behind these contact points, created if none is known.

    The same phone or e-mail arriving by call, SMS, e-mail or app finds the same resident;
    contact points not yet on file are added to them. Two concurrent first contacts from one
    number race on the contact point's unique constraint; the loser re-reads the winner.
    The usual case — a known resident, nothing new — costs one query.
    """
    for _attempt in range(3):
        points = _points(contacts)
        resident = _oldest_owner(points)
        on_file = {(p.kind, p.value) for p in points}
        missing = [c for c in contacts if (c.kind, c.value) not in on_file]
        if resident is not None and not missing:
            if full_name and not resident.full_name:
                resident.full_name = full_name.strip()
                resident.save(update_fields=["full_name", "updated_at"])
            return resident, False
        try:
            with transaction.atomic():
                created = resident is None
                if created:
                    resident = Resident.objects.create(
                        full_name=full_name.strip(),
                        preferred_language=preferred_language or "ar",
                        preferred_channel=preferred_channel or _default_channel(contacts) or "sms",
                    )
                elif full_name and not resident.full_name:
                    resident.full_name = full_name.strip()
                    resident.save(update_fields=["full_name", "updated_at"])
                # If another request has just claimed one of these contact points, the unique
                # constraint fails and the next attempt finds it on file.
                ContactPoint.objects.bulk_create(
                    ContactPoint(resident=resident, kind=c.kind, value=c.value) for c in missing
                )
            return resident, created
        except IntegrityError:
            continue
    raise RuntimeError("could not match the resident after concurrent updates")


def _default_channel(contacts: list[ContactInput]) -> str | None:
    kinds = {c.kind for c in contacts}
    for kind, channel in (("phone", "sms"), ("email", "email"), ("app", "app")):
        if kind in kinds:
            return channel
    return None


def resident_merge(*, source: Resident, target: Resident, actor: User | None) -> Resident:
    """Fold ``source`` into ``target``: contact points, interactions and cases move; the source
    stays as a tombstone pointing at the target so old references still resolve."""
    if source.pk == target.pk:
        raise DomainError(_("a resident cannot be merged into itself"), field="source_id")
    if target.merged_into_id or source.merged_into_id:
        raise Conflict(_("one of the residents has already been merged"), field="source_id")
    from tawasul.cases.models import Case
    from tawasul.interactions.models import Interaction

    with transaction.atomic():
        ContactPoint.objects.filter(resident=source).update(resident=target)
        Interaction.objects.filter(resident=source).update(resident=target)
        Case.objects.filter(resident=source).update(resident=target)
        Resident.objects.filter(merged_into=source).update(merged_into=target)
        for field in ("full_name", "national_id"):
            if not getattr(target, field) and getattr(source, field):
                setattr(target, field, getattr(source, field))
        target.save()
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.MERGE,
            object_type="resident",
            object_id=target.pk,
            resident_id=target.pk,
            fields=[f"merged_from:{source.pk}"],
        )
    return target
