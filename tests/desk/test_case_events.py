"""Every way a case is opened or moved (API, e-mail, SMS, portal, desk) announces it live to the
desk once, after commit, to the case's entity and the supervisors, and never to another
entity's back office."""

from __future__ import annotations

import pytest
from django.test import Client

from tawasul.cases.models import Case
from tawasul.cases.services import case_resident_replied, case_transition
from tawasul.core.realtime import group_entity, group_supervisors, group_user
from tawasul.desk import services as desk
from tawasul.errors import Conflict
from tawasul.omnichannel.inbound import email_receive, sms_receive
from tests.omnichannel.test_email import message
from tests.portal.conftest import complaint_form, reference_of
from tests.support import case_payload

pytestmark = pytest.mark.django_db


def payload(case: Case) -> dict:
    return {
        "reference": case.reference,
        "status": case.status,
        "entity_id": case.entity_id,
        "department_id": case.department_id,
    }


@pytest.fixture
def desk_listeners(listen, directory):
    """The PHCC back office, the MOCI back office and the supervisors, listening."""
    return (
        listen(group_entity(directory["phcc"].pk)),
        listen(group_entity(directory["moci"].pk)),
        listen(group_supervisors()),
    )


def test_a_case_opened_and_moved_through_the_api_is_announced_once(
    api_as, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("agent").post("/cases", case_payload())
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    for listener in (phcc, bosses):
        assert listener.events() == [("case.opened", payload(case))]
    assert moci.events() == []

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("agent").post(
            f"/cases/{case.reference}/transitions",
            {"action": "route", "department": "patient-relations"},
        )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == "assigned"
    for listener in (phcc, bosses):
        assert listener.events() == [("case.changed", payload(case))]
    assert moci.events() == []


def test_another_entitys_case_never_reaches_the_phcc_back_office(
    api_as, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("agent").post(
            "/cases",
            case_payload(entity="moci", hotline="109", service="moci-consumer-complaint"),
        )
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert moci.events() == bosses.events() == [("case.opened", payload(case))]
    assert phcc.events() == []


def test_an_inbound_email_opening_a_case_is_announced_once(
    desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True):
        received = email_receive(
            raw=message().as_bytes(), envelope_from="maryam@example.qa", recipients=["phcc@x.qa"]
        )
    assert received.case_created
    for listener in (phcc, bosses):
        assert listener.events() == [("case.opened", payload(received.case))]
    assert moci.events() == []


def test_a_reply_by_email_to_a_waiting_case_is_one_event_with_the_resumed_state(
    people, desk_listeners, django_capture_on_commit_callbacks
):
    # The reply adds a note and resumes the case: two writes, one event with the last state.
    phcc, _moci, bosses = desk_listeners
    first = email_receive(raw=message().as_bytes(), recipients=["phcc@x.qa"])
    case = case_transition(case=first.case, action="start", actor=people["agent"])
    case = case_transition(
        case=case, action="request_info", actor=people["agent"], reason="رقم الملف؟"
    )
    phcc.events(), bosses.events()  # forget what came before (not sent: never committed)
    with django_capture_on_commit_callbacks(execute=True):
        reply = email_receive(
            raw=message(subject=f"Re: [{case.reference}]", text="رقم الملف 123").as_bytes(),
            recipients=["phcc@x.qa"],
        )
    assert reply.case.pk == case.pk and not reply.case_created
    case.refresh_from_db()
    assert case.status == "in_progress"
    for listener in (phcc, bosses):
        assert listener.events() == [("case.changed", payload(case))]


def test_an_sms_opening_a_case_is_announced_once(
    directory, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True):
        received = sms_receive(
            sender="+97455123456", receiver="107", text="تأجيل الموعد", message_id="sms-1"
        )
    assert received.case_created and received.case.entity == directory["phcc"]
    for listener in (phcc, bosses):
        assert listener.events() == [("case.opened", payload(received.case))]
    assert moci.events() == []


def test_a_portal_submission_is_announced_once(
    directory, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/portal/new/", complaint_form())
    case = Case.objects.get(reference=reference_of(response))
    assert case.entity == directory["phcc"]
    for listener in (phcc, bosses):
        assert listener.events() == [("case.opened", payload(case))]
    assert moci.events() == []


def test_a_resident_reply_resuming_a_case_is_one_event(
    people, maryam_case, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, _moci, bosses = desk_listeners
    staff = people["phcc_staff"]
    case = case_transition(case=maryam_case, action="start", actor=staff)
    case = case_transition(case=case, action="request_info", actor=staff, reason="أي مركز؟")
    with django_capture_on_commit_callbacks(execute=True):
        case_resident_replied(case=case, body="مركز الوكرة", channel="portal")
    case.refresh_from_db()
    assert case.status == "in_progress"
    for listener in (phcc, bosses):
        assert listener.events() == [("case.changed", payload(case))]


def test_the_desk_path_still_publishes_exactly_once(
    people, directory, maryam_case, listen, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    staff, colleague = people["phcc_staff"], people["phcc_colleague"]
    with django_capture_on_commit_callbacks(execute=True):
        case = desk.desk_case_transition(case=maryam_case, actor=staff, action="start")
    for listener in (phcc, bosses):
        assert listener.events() == [("case.changed", payload(case))]

    mine = listen(group_user(colleague.pk))
    with django_capture_on_commit_callbacks(execute=True):
        case = desk.desk_case_assign(case=case, actor=staff, assignee=colleague)
    for listener in (phcc, bosses, mine):
        assert listener.events() == [("case.changed", payload(case))]

    with django_capture_on_commit_callbacks(execute=True):
        desk.desk_case_note(case=case, actor=staff, body="اتصلت بالمركز", visibility="internal")
    for listener in (phcc, bosses, mine):
        assert listener.events() == [("case.changed", payload(case))]
    assert moci.events() == []


def test_opening_a_case_from_a_desk_contact_publishes_exactly_once(
    people, directory, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, moci, bosses = desk_listeners
    agent = people["agent"]
    desk.agent_set_state(agent=agent, state="available")
    offer = desk.contact_offer_inbound(
        agent=agent, channel="call", phone="+97455123456", hotline="107", language="ar"
    )
    desk.contact_accept(offer=offer, agent=agent)
    with django_capture_on_commit_callbacks(execute=True):
        case = desk.contact_open_case(
            offer=offer,
            agent=agent,
            kind="complaint",
            entity=directory["phcc"],
            department=directory["appointments"],
            subject="موعد",
            description="تأجيل الموعد",
        )
    assert phcc.events() == [("case.opened", payload(case))]
    # The supervisors also hear that the contact was logged; of the case, one event.
    assert [e for e in bosses.events() if e[0].startswith("case.")] == [
        ("case.opened", payload(case))
    ]
    assert moci.events() == []


def test_a_rolled_back_write_announces_nothing(
    people, maryam_case, desk_listeners, django_capture_on_commit_callbacks
):
    phcc, _moci, bosses = desk_listeners
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Conflict):
        case_transition(case=maryam_case, action="close", actor=people["phcc_staff"])
    assert callbacks == []
    assert phcc.events() == bosses.events() == []
