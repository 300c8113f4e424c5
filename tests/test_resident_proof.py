"""Which channels prove a contact point, and what an unproved one may do (issue #10, finding 1).

Proof: an SMS the operator delivered from a number, a social message the network signed, the
app's own account, a one-time code entered back. Claims: anything typed into a form, an e-mail
From address, a caller ID, a contact entered by staff.
"""

from __future__ import annotations

import pytest

from tawasul.omnichannel.inbound import email_receive, sms_receive
from tawasul.residents.models import ContactPoint, Resident
from tawasul.residents.services import (
    normalize_contacts,
    resident_find_or_create,
    resident_merge,
)

pytestmark = pytest.mark.django_db
PHONE = "+97455123456"


def claim(**contacts) -> Resident:
    return resident_find_or_create(contacts=normalize_contacts(**contacts))[0]


def points(resident: Resident) -> list[tuple[str, str, bool]]:
    return list(resident.contacts.order_by("kind").values_list("kind", "value", "verified"))


def test_a_claim_finds_the_resident_who_holds_all_it_names_and_adds_nothing(directory):
    maryam = claim(phone=PHONE, email="maryam@example.qa")
    assert claim(phone=PHONE) == maryam
    assert claim(phone=PHONE, email="maryam@example.qa") == maryam
    stranger = claim(phone=PHONE, email="attacker@example.com")
    assert stranger != maryam
    assert points(maryam) == [("email", "maryam@example.qa", False), ("phone", PHONE, False)]
    assert points(stranger) == [("email", "attacker@example.com", False), ("phone", PHONE, False)]


def test_an_sms_proves_the_number_of_a_resident_who_gave_only_it(directory):
    portal = claim(phone=PHONE)
    received = sms_receive(sender=PHONE, receiver="107", text="مرحبا", message_id="mo-1")
    assert received.resident == portal
    assert points(portal) == [("phone", PHONE, True)]


def test_a_proof_never_joins_a_record_that_holds_someone_elses_claim(directory):
    """A stranger registers a victim's phone first, with the stranger's e-mail."""
    planted = claim(phone=PHONE, email="attacker@example.com")
    received = sms_receive(sender=PHONE, receiver="107", text="مرحبا", message_id="mo-1")
    assert received.resident != planted
    assert points(received.resident) == [("phone", PHONE, True)]
    # Later SMS find the proved record, not the planted one.
    again = sms_receive(sender=PHONE, receiver="107", text="مرة أخرى", message_id="mo-2")
    assert again.resident == received.resident


def test_an_email_from_address_is_a_claim(directory):
    raw = (
        b"From: Maryam <Maryam@Example.QA>\r\nTo: phcc@center.example\r\n"
        b"Subject: hello\r\nMessage-ID: <m1@example.qa>\r\n\r\nHi\r\n"
    )
    first = email_receive(raw=raw)
    assert points(first.resident) == [("email", "maryam@example.qa", False)]
    second = email_receive(raw=raw.replace(b"<m1@", b"<m2@"))
    assert second.resident == first.resident  # the same correspondent keeps one record


def test_a_merge_keeps_one_row_per_value_and_its_proof(directory):
    proved = sms_receive(sender=PHONE, receiver="107", text="x", message_id="mo-1").resident
    typed = claim(phone=PHONE, email="maryam@example.qa")
    resident_merge(source=proved, target=typed, actor=None)
    assert points(typed) == [("email", "maryam@example.qa", False), ("phone", PHONE, True)]
    assert ContactPoint.objects.filter(value=PHONE).count() == 1


def test_the_migration_marks_proved_what_the_database_already_shows(directory):
    """Rows written before contacts carried proof: an SMS received from a number proves it; a
    number typed on the portal and an e-mail From do not."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("tawasul.residents.migrations.0002_contactpoint_verified_claims")
    texted = sms_receive(sender=PHONE, receiver="107", text="x", message_id="mo-1").resident
    typed = claim(phone="+97455000111", email="maryam@example.qa")
    ContactPoint.objects.update(verified=False)
    migration.mark_proven(apps, None)
    assert points(texted) == [("phone", PHONE, True)]
    assert points(typed) == [
        ("email", "maryam@example.qa", False),
        ("phone", "+97455000111", False),
    ]
