"""A case create goes through the caller's access scope and leaves nothing behind when it is
refused (issue #10, findings 2-4).

A MoCI case is open for Fatima. The PHCC back office must not reach her through a create:
not by naming her phone, not by linking her interaction, and a refused create must not
change her record.
"""

from __future__ import annotations

import pytest

from tawasul.interactions.models import Channel, Direction
from tawasul.interactions.services import interaction_record
from tawasul.residents.models import ContactPoint, Resident
from tests.support import case_payload, field_errors, verified_client

pytestmark = pytest.mark.django_db
FATIMA = {"phone": "+97455777888", "email": "fatima@example.qa", "full_name": "فاطمة"}


@pytest.fixture
def moci_case(api_as):
    body = api_as("agent").post(
        "/cases", case_payload(entity="moci", hotline="109", resident=FATIMA)
    )
    assert body.status_code == 201, body.content
    return body.json()


def test_back_office_naming_a_phone_does_not_learn_who_owns_it(api_as, people, moci_case):
    staff = api_as("phcc_staff")
    # Back office may not search residents at all (the policy): refused, whoever owns the phone.
    assert staff.get("/residents", query_params={"phone": FATIMA["phone"]}).status_code == 403
    unknown = staff.get("/residents", query_params={"phone": "+97455999111"})
    assert unknown.status_code == 403
    created = staff.post("/cases", case_payload(resident={"phone": FATIMA["phone"]}))
    assert created.status_code == 201
    assert created.json()["resident_id"] != moci_case["resident_id"]
    seen = staff.get(f"/cases/{created.json()['reference']}/resident").json()
    # A new record of what the back office typed, nothing of Fatima's.
    assert (seen["full_name"], seen["contacts"]) == (
        "",
        [{"kind": "phone", "value": FATIMA["phone"], "verified": False}],
    )
    desk = verified_client(people["phcc_staff"])
    assert desk.get(f"/desk/residents/{moci_case['resident_id']}/").status_code == 404
    # Fatima's record is as it was.
    fatima = Resident.objects.get(pk=moci_case["resident_id"])
    assert sorted(fatima.contacts.values_list("value", flat=True)) == sorted(
        [FATIMA["email"], FATIMA["phone"]]
    )


def test_agents_still_find_residents_by_phone(api_as, people, moci_case):
    agent = api_as("agent")
    created = agent.post("/cases", case_payload(resident={"phone": FATIMA["phone"]}))
    assert created.json()["resident_id"] == moci_case["resident_id"]
    # The desk tells the agent that these contacts are the caller's word, not proved.
    page = verified_client(people["agent"]).get(
        f"/desk/residents/{moci_case['resident_id']}/", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert page.content.decode().count("(غير مُتحقَّق منه)") == 2


def test_back_office_cannot_link_another_entitys_interaction(api_as, moci_case, directory):
    interaction, _new = interaction_record(
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        entity=directory["moci"],
        address=FATIMA["email"],
        body="شكوى على متجر",
    )
    api_as("agent").post(
        "/cases",
        case_payload(entity="moci", hotline="109", interaction_id=str(interaction.pk)),
    )
    staff = api_as("phcc_staff")
    response = staff.post("/cases", case_payload(interaction_id=str(interaction.pk)))
    assert response.status_code == 400
    assert field_errors(response) == {"interaction_id": f"unknown interaction_id: {interaction.pk}"}
    assert staff.get(f"/interactions/{interaction.pk}").status_code == 404
    assert interaction.cases.count() == 1


def test_a_refused_create_writes_nothing(api_as, moci_case):
    before = (Resident.objects.count(), ContactPoint.objects.count())
    foreign = api_as("phcc_staff").post(
        "/cases",
        case_payload(
            entity="moci", hotline="109", resident={**FATIMA, "email": "attacker@example.com"}
        ),
    )
    assert foreign.status_code == 400 and "entity" in field_errors(foreign)
    # The agent's create is refused after the resident is named (a department of another
    # entity): the new e-mail must not stay on Fatima's record either.
    wrong_department = api_as("agent").post(
        "/cases",
        case_payload(department="consumer", resident={**FATIMA, "email": "new@example.qa"}),
    )
    assert wrong_department.status_code == 400 and "department" in field_errors(wrong_department)
    assert (Resident.objects.count(), ContactPoint.objects.count()) == before
    assert not ContactPoint.objects.filter(
        value__in=["attacker@example.com", "new@example.qa"]
    ).exists()
