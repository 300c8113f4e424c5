"""Issue #10 finding 1 on every resident-facing surface: a stranger submits a request naming a
victim's phone with the stranger's own e-mail. The e-mail must not join the victim's record,
and a one-time code for the victim's next case must never reach it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tawasul.cases.models import Case
from tawasul.omnichannel.inbound import sms_receive
from tawasul.omnichannel.models import OutboxMessage
from tawasul.portal.models import Open311Client
from tawasul.portal.services import otp_request
from tawasul.residents.models import ContactPoint
from tests.portal.conftest import complaint_form, reference_of
from tests.portal.test_app_api import App

VICTIM_PHONE = "+96891234567"
ATTACKER = "attacker@example.com"


def codes_sent() -> list[tuple[str, str]]:
    sent = OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:")
    return list(sent.order_by("id").values_list("channel", "to_address"))


def victim_contacts(case: Case) -> list[tuple[str, str, bool]]:
    return list(case.resident.contacts.order_by("kind").values_list("kind", "value", "verified"))


def open311_post(client, key: str, **fields) -> None:
    body = {
        "api_key": key, "service_code": "muscat-road-damage", "lat": "23.5880",
        "long": "58.3829", "attribute[WHEEL]": "right", "description": "Pothole",
    }  # fmt: skip
    body.update(fields)
    response = client.post(
        "/portal/open311/v2/requests.json",
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content


@pytest.fixture
def victim_case(road_service):
    """The victim's first request, by SMS: the operator proves the number is theirs."""
    received = sms_receive(
        sender=VICTIM_PHONE, receiver="1111", text="حفرة في الطريق", message_id="mo-1"
    )
    return received.case


@pytest.mark.parametrize("surface", ["portal", "app", "open311"])
def test_a_stranger_cannot_take_over_the_victims_next_case(client, victim_case, surface):
    if surface == "portal":
        form = complaint_form(
            entity="muscat", service="muscat-road-damage", kind="inquiry", attr_WHEEL="left",
            phone=VICTIM_PHONE, email=ATTACKER, preferred_channel="email",
        )  # fmt: skip
        reference_of(client.post("/portal/new/", form))
    elif surface == "app":
        App().submit(phone=VICTIM_PHONE, email=ATTACKER, preferred_channel="email")
    else:
        _row, key = Open311Client.issue(name="Third-party app")
        open311_post(client, key, phone=VICTIM_PHONE, email=ATTACKER)
    # The stranger's e-mail is on a record of its own, unverified; the victim's is untouched.
    assert victim_contacts(victim_case) == [("phone", VICTIM_PHONE, True)]
    claim = ContactPoint.objects.get(value=ATTACKER)
    assert claim.resident_id != victim_case.resident_id and not claim.verified
    # The victim's next case (another SMS) and a code asked for it by e-mail and by SMS.
    later = sms_receive(sender=VICTIM_PHONE, receiver="1111", text="ما زالت", message_id="mo-2")
    assert later.case.resident_id == victim_case.resident_id and later.case_created
    assert otp_request(reference=later.reference, channel="email", ip="198.51.100.7") is None
    assert otp_request(reference=later.reference, channel="sms", ip="198.51.100.7") is not None
    assert codes_sent() == [("sms", VICTIM_PHONE)]


def test_the_strangers_own_case_gets_codes_only_where_the_stranger_said(client, victim_case):
    App().submit(phone=VICTIM_PHONE, email=ATTACKER, preferred_channel="email")
    case = Case.objects.exclude(pk=victim_case.pk).get()
    assert case.resident_id != victim_case.resident_id
    otp_request(reference=case.reference, channel="email", ip="198.51.100.7")
    otp_request(reference=case.reference, channel="sms", ip="198.51.100.8")
    # Both contacts were given on that very submission: the stranger reads only their own.
    assert codes_sent() == [("email", ATTACKER), ("sms", VICTIM_PHONE)]


def test_a_case_an_agent_opens_gets_codes_only_where_the_caller_said(api_as, road_service):
    """A stranger planted the victim's phone with the stranger's e-mail; the victim then calls
    and the agent opens a case typing the victim's phone."""
    from tests.support import case_payload

    App().submit(phone=VICTIM_PHONE, email=ATTACKER, preferred_channel="email")
    body = api_as("agent").post("/cases", case_payload(resident={"phone": VICTIM_PHONE})).json()
    assert otp_request(reference=body["reference"], channel="email", ip="198.51.100.7") is None
    assert otp_request(reference=body["reference"], channel="sms", ip="198.51.100.8") is not None
    assert codes_sent() == [("sms", VICTIM_PHONE)]
