"""Writes for residents: matching contacts to people, and merging duplicates."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tawasul.accounts.access import is_center_staff
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
    # Proved by the channel it arrived on (an SMS from the number, a signed social webhook,
    # the app's own account), not merely typed by whoever sent it.
    verified: bool = False


def normalize_contacts(
    *,
    phone: str | None = None,
    email: str | None = None,
    app_account: str | None = None,
    social_handle: str | None = None,
    proven: Collection[str] = (),
) -> list[ContactInput]:
    """Normalised contact points; ``proven`` names the kinds the channel itself proves."""
    contacts: list[ContactInput] = []
    if phone:
        contacts.append(ContactInput(ContactKind.PHONE, normalize_phone(phone)))
    if email:
        contacts.append(ContactInput(ContactKind.EMAIL, normalize_email(email)))
    if app_account:
        contacts.append(ContactInput(ContactKind.APP, app_account.strip()[:254]))
    if social_handle:
        contacts.append(ContactInput(ContactKind.SOCIAL, social_handle.strip().lower()[:254]))
    return [ContactInput(c.kind, c.value, c.kind in proven) for c in contacts]


def given_for_codes(contacts: Iterable[ContactInput]) -> list[tuple[str, str]]:
    """The phone and e-mail among ``contacts``: what a case keeps as given with it."""
    return [(c.kind, c.value) for c in contacts if c.kind in (ContactKind.PHONE, ContactKind.EMAIL)]


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
    # A verified holder first: an unverified value may be claimed by several residents.
    owners = sorted((p.resident for p in points), key=lambda r: r.pk)
    verified = sorted((p.resident for p in points if p.verified), key=lambda r: r.pk)
    return _survivor((verified or owners)[0]) if owners else None


def resident_find(contacts: Iterable[ContactInput]) -> Resident | None:
    """The (surviving) resident who owns any of these contact points, oldest first."""
    contacts = list(contacts)
    return _oldest_owner(_points(contacts)) if contacts else None


def _key(item: ContactInput | ContactPoint) -> tuple[str, str]:
    return (item.kind, item.value)


def _new_resident(
    contacts: list[ContactInput],
    *,
    full_name: str,
    preferred_language: str | None,
    preferred_channel: str | None,
    verified_elsewhere: set[tuple[str, str]],
) -> Resident:
    resident = Resident.objects.create(
        full_name=full_name.strip(),
        preferred_language=preferred_language or "ar",
        preferred_channel=preferred_channel or _default_channel(contacts) or "sms",
    )
    ContactPoint.objects.bulk_create(
        ContactPoint(
            resident=resident,
            kind=c.kind,
            value=c.value,
            verified=c.verified and _key(c) not in verified_elsewhere,
        )
        for c in contacts
    )
    return resident


def _mark_proven(points: list[ContactPoint], proven: set[tuple[str, str]]) -> None:
    ids = [p.pk for p in points if not p.verified and _key(p) in proven]
    if ids:
        ContactPoint.objects.filter(pk__in=ids).update(verified=True)


def resident_find_or_create(
    *,
    contacts: list[ContactInput],
    full_name: str = "",
    preferred_language: str | None = None,
    preferred_channel: str | None = None,
) -> tuple[Resident, bool]:
    """The resident behind a contact that reached a channel, created if none is known.

    Only proof attaches anything to an existing resident:

    1. A contact the channel proves (an SMS from a number, a signed social message, the
       app's account) that matches a verified contact point finds its resident; contacts the
       channel proves too are added to them, verified; contacts merely given are not added.
    2. Otherwise the resident who already holds every contact given finds them, so a
       portal resident or an e-mail correspondent who writes again keeps one record; nothing
       is added to them. A proof (an SMS from a portal resident's only number) verifies it,
       but only on a resident whose every contact it proves, so it never hands someone
       else's claimed e-mail the replies of the number's owner.
    3. Otherwise a new resident holds exactly the contacts given: a stranger who types a
       victim's phone with their own e-mail gets a record of their own, and a one-time code
       for the victim's cases never reaches the stranger's e-mail.

    The usual case — a known resident, nothing new — costs one query. Two concurrent first
    contacts from one number are serialised before the create (SQLite's write lock is taken
    at BEGIN; PostgreSQL takes an advisory lock per value), so they make one resident.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                points = _points(contacts)
                found = _resolve(contacts, points, full_name=full_name)
                if found is not None:
                    return found, False
                _lock_values(contacts)
                points = _points(contacts)
                found = _resolve(contacts, points, full_name=full_name)
                if found is not None:
                    return found, False
                resident = _new_resident(
                    contacts,
                    full_name=full_name,
                    preferred_language=preferred_language,
                    preferred_channel=preferred_channel,
                    verified_elsewhere={_key(p) for p in points if p.verified},
                )
            return resident, True
        except IntegrityError:
            # Another request has just proved one of these values; the next attempt finds it.
            continue
    raise RuntimeError("could not match the resident after concurrent updates")


def _lock_values(contacts: list[ContactInput]) -> None:
    """Serialise creators of the same values until the end of the transaction."""
    if connection.vendor != "postgresql":
        return  # SQLite runs every transaction under its one write lock (BEGIN IMMEDIATE)
    keys = sorted(
        int.from_bytes(
            hashlib.blake2b(f"{c.kind}:{c.value}".encode(), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for c in contacts
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _resolve(
    contacts: list[ContactInput], points: list[ContactPoint], *, full_name: str
) -> Resident | None:
    """Steps 1 and 2 of :func:`resident_find_or_create`: the known resident, or None."""
    proven = {_key(c) for c in contacts if c.verified}
    verified_elsewhere = {_key(p) for p in points if p.verified}
    by_proof = sorted(
        (p.resident for p in points if p.verified and _key(p) in proven), key=lambda r: r.pk
    )
    if by_proof:
        resident = _survivor(by_proof[0])
        held = {_key(p) for p in points if p.resident_id == resident.pk}
        ContactPoint.objects.bulk_create(
            ContactPoint(resident=resident, kind=c.kind, value=c.value, verified=True)
            for c in contacts
            if c.verified and _key(c) not in held and _key(c) not in verified_elsewhere
        )
        _fill_name(resident, full_name)
        return resident
    holder = _holder_of_all(points, {_key(c) for c in contacts}, proven)
    if holder is None:
        return None
    resident, held_points = holder
    _mark_proven(held_points, proven - verified_elsewhere)
    return resident


def _holder_of_all(
    points: list[ContactPoint], given: set[tuple[str, str]], proven: set[tuple[str, str]]
) -> tuple[Resident, list[ContactPoint]] | None:
    """The oldest resident who holds every given contact (and, when the channel proves any,
    holds nothing else), with those contact points."""
    by_resident: dict[int, list[ContactPoint]] = {}
    for point in points:
        by_resident.setdefault(point.resident_id, []).append(point)
    for resident_id in sorted(by_resident):
        held = by_resident[resident_id]
        resident = held[0].resident
        if resident.merged_into_id or {_key(p) for p in held} != given:
            continue
        if proven and resident.contacts.exclude(pk__in=[p.pk for p in held]).exists():
            continue
        return resident, held
    return None


def _fill_name(resident: Resident, full_name: str) -> None:
    if full_name and not resident.full_name:
        resident.full_name = full_name.strip()
        resident.save(update_fields=["full_name", "updated_at"])


def resident_for_staff(
    *,
    user: User,
    contacts: list[ContactInput],
    full_name: str = "",
    preferred_language: str | None = None,
    preferred_channel: str | None = None,
) -> tuple[Resident, bool]:
    """The resident a member of staff names by phone, e-mail, app or social id.

    Center staff serve every entity and may see every resident: they find the resident who
    holds these contacts (a verified holder first), and contacts not yet on file are added,
    unverified — staff typing a number the caller gives is not proof, so no one-time code
    goes there until the resident proves it. Back-office staff see only their entity's
    residents, so they never find anyone by a contact: a create that names a phone must not
    tell them who owns it. They get a new record of what they typed, seen through the case
    it is opened for (a center agent merges it when it is the same person).
    """
    with transaction.atomic(savepoint=False):
        if not is_center_staff(user):
            resident = _new_resident(
                [ContactInput(c.kind, c.value) for c in contacts],
                full_name=full_name,
                preferred_language=preferred_language,
                preferred_channel=preferred_channel,
                verified_elsewhere=set(),
            )
            return resident, True
        points = _points(contacts)
        resident = _oldest_owner(points)
        if resident is None:
            resident = _new_resident(
                [ContactInput(c.kind, c.value) for c in contacts],
                full_name=full_name,
                preferred_language=preferred_language,
                preferred_channel=preferred_channel,
                verified_elsewhere=set(),
            )
            return resident, True
        held = {_key(p) for p in points if p.resident_id == resident.pk}
        missing = [c for c in contacts if _key(c) not in held]
        if missing:
            ContactPoint.objects.bulk_create(
                ContactPoint(resident=resident, kind=c.kind, value=c.value) for c in missing
            )
        _fill_name(resident, full_name)
    return resident, False


def contact_prove(*, contact: ContactPoint) -> bool:
    """The resident entered a code sent to ``contact``: it is theirs. Returns whether it is
    now verified (not when another resident already holds the value verified: that is a
    merge for staff to decide, not something a code does by itself)."""
    if contact.verified:
        return True
    taken = (
        ContactPoint.objects.filter(kind=contact.kind, value=contact.value, verified=True)
        .exclude(pk=contact.pk)
        .exists()
    )
    if taken:
        return False
    try:
        with transaction.atomic():
            ContactPoint.objects.filter(pk=contact.pk).update(verified=True)
    except IntegrityError:
        return False
    contact.verified = True
    return True


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
        # A value both hold stays once, on the target, verified if either had proved it
        # (a verified value has one holder, so at most one of the two rows is verified).
        on_target = {_key(p): p for p in target.contacts.all()}
        for point in list(ContactPoint.objects.filter(resident=source)):
            twin = on_target.get(_key(point))
            if twin is None:
                continue
            point.delete()
            if point.verified and not twin.verified:
                ContactPoint.objects.filter(pk=twin.pk).update(verified=True)
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
