"""Residents: matching across channels, merging; the audit log of personal-data access."""

from __future__ import annotations

import pytest

from tawasul.accounts.models import AuditEntry
from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.residents.models import ContactPoint, Resident
from tawasul.residents.services import normalize_email, normalize_phone
from tests.support import case_payload, field_errors, verified_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ["+974 5512 3456", "0097455123456", "55123456", "+974-5512-3456", " +97455123456 "],
)
def test_qatari_numbers_written_any_way_normalise_to_e164(raw, settings):
    settings.TAWASUL = {**settings.TAWASUL, "DEFAULT_COUNTRY": "QA"}
    assert normalize_phone(raw) == "+97455123456"


def test_emails_normalise_case():
    assert normalize_email(" Maryam.K@Example.QA ") == "maryam.k@example.qa"


def test_same_phone_on_call_sms_and_web_is_one_resident(api_as):
    agent = api_as("agent")
    by_call = agent.post("/residents", {"phone": "55123456", "full_name": "مريم"})
    assert by_call.status_code == 201
    by_sms = agent.post("/residents", {"phone": "+974 5512 3456"})
    assert by_sms.status_code == 200
    by_web = agent.post("/residents", {"phone": "0097455123456", "email": "Maryam@Example.qa"})
    assert by_web.status_code == 200
    assert by_call.json()["id"] == by_sms.json()["id"] == by_web.json()["id"]
    assert Resident.objects.count() == 1
    kinds = {(c["kind"], c["value"]) for c in by_web.json()["contacts"]}
    assert kinds == {("phone", "+97455123456"), ("email", "maryam@example.qa")}
    by_email = agent.post("/residents", {"email": "maryam@example.QA"})
    assert by_email.json()["id"] == by_call.json()["id"]


def test_cases_from_different_channels_share_the_resident(api_as):
    agent = api_as("agent")
    first = agent.post("/cases", case_payload(channel="call")).json()
    second = agent.post(
        "/cases", case_payload(channel="sms", resident={"phone": "+974 5512 3456"})
    ).json()
    assert first["resident_id"] == second["resident_id"]


def test_merge_keeps_all_history(api_as):
    agent = api_as("agent")
    a = agent.post("/cases", case_payload(resident={"phone": "+97455123456"})).json()
    b = agent.post("/cases", case_payload(resident={"email": "m@example.qa"})).json()
    agent.post(
        "/interactions", {"channel": "email", "resident_id": b["resident_id"], "external_id": "m1"}
    )
    merged = agent.post(f"/residents/{a['resident_id']}/merge", {"source_id": b["resident_id"]})
    assert merged.status_code == 200, merged.content
    survivor = a["resident_id"]
    assert {c["value"] for c in merged.json()["contacts"]} == {"+97455123456", "m@example.qa"}
    assert set(Case.objects.values_list("resident_id", flat=True)) == {survivor}
    assert set(Interaction.objects.values_list("resident_id", flat=True)) == {survivor}
    assert Resident.objects.get(pk=b["resident_id"]).merged_into_id == survivor
    # The merged contact points now find the survivor.
    assert agent.post("/residents", {"email": "m@example.qa"}).json()["id"] == survivor
    again = agent.post(f"/residents/{survivor}/merge", {"source_id": b["resident_id"]})
    assert again.status_code == 409
    itself = agent.post(f"/residents/{survivor}/merge", {"source_id": survivor})
    assert itself.status_code == 400
    assert "source_id" in field_errors(itself)


def test_national_id_is_masked_and_searchable(api_as):
    agent = api_as("agent")
    created = agent.post("/residents", {"phone": "+97455123456", "national_id": "28763401234"})
    assert created.json()["national_id_masked"] == "•••••••1234"
    assert "28763401234" not in created.content.decode()
    found = agent.get("/residents", query_params={"national_id": "28763401234"}).json()
    assert [r["id"] for r in found["results"]] == [created.json()["id"]]


def test_patch_updates_preferences(api_as):
    agent = api_as("agent")
    rid = agent.post("/residents", {"phone": "+97455123456"}).json()["id"]
    response = agent.patch(
        f"/residents/{rid}",
        {"preferred_channel": "email", "fallback_channels": ["sms"], "preferred_language": "en"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["preferred_channel"], body["fallback_channels"]) == ("email", ["sms"])
    bad = agent.patch(f"/residents/{rid}", {"preferred_channel": "pigeon"})
    assert bad.status_code == 422
    assert "preferred_channel" in field_errors(bad)


@pytest.mark.parametrize("proven", [(), ("phone",)], ids=["claimed", "proved"])
def test_concurrent_first_contacts_from_one_number_make_one_resident(transactional_db, proven):
    """Two channels deliver the same new number at the same moment (a call's caller ID is a
    claim, an SMS proves the number)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    def first_contact(_):
        try:
            resident, _created = resident_find_or_create(
                contacts=normalize_contacts(phone="+97455999888", proven=proven)
            )
            return resident.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(first_contact, range(12)))
    assert len(set(ids)) == 1
    assert ContactPoint.objects.filter(value="+97455999888").count() == 1


# --- audit ------------------------------------------------------------------------------


def test_reads_of_personal_data_are_audited(api_as, people):
    agent = api_as("agent")
    case = agent.post("/cases", case_payload()).json()
    rid = case["resident_id"]
    before = AuditEntry.objects.count()

    agent.get(f"/residents/{rid}", headers={"User-Agent": "desk/1.0"})
    api_as("phcc_staff").get(f"/cases/{case['reference']}/resident")
    agent.get("/residents", query_params={"phone": "+97455123456"})

    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.actor_label, e.action, e.resident_id) for e in entries] == [
        ("agent.fatima", "read", rid),
        ("phcc.noura", "read", rid),
        ("agent.fatima", "search", rid),
    ]
    assert entries[0].user_agent == "desk/1.0"
    assert entries[0].ip_address == "127.0.0.1"
    assert entries[0].path == f"/api/residents/{rid}"
    assert "contacts" in entries[0].fields


def test_refused_reads_write_no_audit_of_data_shown(api_as):
    case = api_as("agent").post("/cases", case_payload()).json()
    before = AuditEntry.objects.count()
    assert api_as("outsider").get(f"/residents/{case['resident_id']}").status_code == 404
    assert AuditEntry.objects.count() == before


def test_changes_are_audited_with_the_fields(api_as):
    agent = api_as("agent")
    rid = agent.post("/residents", {"phone": "+97455123456"}).json()["id"]
    agent.patch(f"/residents/{rid}", {"full_name": "مريم الكواري", "consent_surveys": True})
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.fields == ["consent_surveys", "full_name"]


def test_audit_entries_cannot_be_edited_or_deleted(api_as, people):
    api_as("agent").post("/residents", {"phone": "+97455123456"})
    entry = AuditEntry.objects.first()
    entry.action = "read"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_admin_shows_the_audit_log_read_only(people, api_as):
    api_as("agent").post("/residents", {"phone": "+97455123456"})
    client = verified_client(people["admin"])
    listing = client.get("/admin/accounts/auditentry/")
    assert listing.status_code == 200
    assert "agent.fatima" in listing.content.decode()
    entry = AuditEntry.objects.first()
    page = client.get(f"/admin/accounts/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(f"/admin/accounts/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403


def test_admin_views_of_residents_are_audited(people, api_as):
    rid = api_as("agent").post("/residents", {"phone": "+97455123456", "full_name": "مريم"})
    rid = rid.json()["id"]
    client = verified_client(people["admin"])
    before = AuditEntry.objects.count()
    assert client.get("/admin/residents/resident/").status_code == 200
    assert client.get(f"/admin/residents/resident/{rid}/change/").status_code == 200
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.actor_label, e.action, e.resident_id) for e in entries] == [
        ("admin.huda", "search", rid),
        ("admin.huda", "read", rid),
    ]
