"""Desk pages and the offers endpoint with named people: who may open what, and what they see.

Maryam's PHCC case: the agent and PHCC back office (staff and colleague) may work it; the
Commerce back office (outsider) must not learn it exists nor see Maryam; the planner sees no
case or resident; anonymous visitors and password-only sessions are sent to sign in.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import services as account_services
from tawasul.accounts.models import AuditEntry, LoginAttempt
from tawasul.cases.models import Case
from tawasul.desk import services
from tawasul.omnichannel.models import OutboxMessage
from tests.support import field_errors

pytestmark = pytest.mark.django_db


def pages(case: Case) -> dict[str, str]:
    return {
        "agent": "/desk/",
        "state": "/desk/state/",
        "contact": "/desk/contact/",
        "search": "/desk/residents/?q=%2B97455123456",
        "resident": f"/desk/residents/{case.resident_id}/",
        "queue": "/desk/cases/",
        "case": f"/desk/cases/{case.reference}/",
        "supervisor": "/desk/supervisor/",
        "supervisor_live": "/desk/supervisor/live/",
        "suggest": "/desk/suggest/?description=موعد",
    }


# who → page → expected status
ALLOWED = {
    "agent": {"agent", "state", "contact", "search", "resident", "queue", "case", "suggest"},
    "supervisor": {
        "agent",
        "state",
        "contact",
        "search",
        "resident",
        "queue",
        "case",
        "supervisor",
        "supervisor_live",
        "suggest",
    },
    "phcc_staff": {"resident", "queue", "case"},
    "phcc_colleague": {"resident", "queue", "case"},
    "outsider": {"queue"},
    "planner": set(),
}


@pytest.mark.parametrize("who", list(ALLOWED))
def test_every_page_by_named_people(desk_as, maryam_case, who):
    client = desk_as(who)
    for name, url in pages(maryam_case).items():
        response = client.get(url)
        if name in ALLOWED[who]:
            assert response.status_code == 200, (who, name, response.status_code)
        elif name == "agent" and who.startswith(("phcc", "outsider")):
            assert response.status_code == 302 and response["Location"] == "/desk/cases/"
        else:
            # Another entity's case or resident is "not found", never "forbidden": no leak.
            expected = 404 if name in ("case", "resident") and who != "planner" else 403
            if who == "planner" and name in ("case", "resident"):
                expected = 403
            assert response.status_code == expected, (who, name, response.status_code)
            assert "مريم" not in response.content.decode()


def test_outsider_sees_nothing_of_maryam_in_the_queue_or_by_posting(desk_as, maryam_case):
    outsider = desk_as("outsider")
    queue = outsider.get("/desk/cases/").content.decode()
    assert maryam_case.reference not in queue
    for op in ("start", "reply", "assign_me", "resolve"):
        response = outsider.post(
            f"/desk/cases/{maryam_case.reference}/action/", {"op": op, "text": "x"}
        )
        assert response.status_code == 404
    maryam_case.refresh_from_db()
    assert maryam_case.status == "assigned" and maryam_case.assignee is None
    assert not AuditEntry.objects.filter(actor__username="moci.salem").exists()


def test_anonymous_and_password_only_sessions_are_sent_to_sign_in(people, maryam_case):
    password_only = Client()
    password_only.force_login(people["agent"])
    for client in (Client(), password_only):
        for url in pages(maryam_case).values():
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/desk/login/?next=")
        htmx = client.get("/desk/contact/", headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and htmx["HX-Redirect"].startswith("/desk/login/")
        assert client.post("/desk/state/", {"state": "available"}).status_code == 302


def test_back_office_replies_and_the_message_is_queued(desk_as, maryam_case):
    staff = desk_as("phcc_staff")
    url = f"/desk/cases/{maryam_case.reference}/action/"
    response = staff.post(url, {"op": "reply", "text": "تم تحديد موعد جديد يوم الأحد"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(case=maryam_case)
    assert (message.channel, message.to_address) == ("sms", "+97455123456")
    assert message.body == "تم تحديد موعد جديد يوم الأحد"
    page = staff.get(f"/desk/cases/{maryam_case.reference}/").content.decode()
    assert "تم تحديد موعد جديد يوم الأحد" in page


def test_request_info_pauses_the_sla_and_resolve_needs_a_note(desk_as, maryam_case):
    staff = desk_as("phcc_colleague")
    url = f"/desk/cases/{maryam_case.reference}/action/"
    assert staff.post(url, {"op": "request_info", "text": "صورة البطاقة"}).status_code == 302
    maryam_case.refresh_from_db()
    assert maryam_case.status == "awaiting_resident" and maryam_case.sla_paused_at is not None
    empty = staff.post(url, {"op": "resolve", "text": ""})
    assert empty.status_code == 400
    assert "reason: a reason is required to resolve" in empty.content.decode()
    assert staff.post(url, {"op": "resolve", "text": "تم الحل"}).status_code == 302
    maryam_case.refresh_from_db()
    assert maryam_case.status == "resolved" and maryam_case.resolution == "تم الحل"


def test_transfer_and_return_to_center(desk_as, directory, maryam_case):
    staff = desk_as("phcc_staff")
    url = f"/desk/cases/{maryam_case.reference}/action/"
    wrong = staff.post(url, {"op": "route", "department": "consumer"})
    assert wrong.status_code == 400 and "department: unknown department" in wrong.content.decode()
    assert staff.post(url, {"op": "route", "department": "patient-relations"}).status_code == 302
    maryam_case.refresh_from_db()
    assert maryam_case.department == directory["patient_relations"]
    assert staff.post(url, {"op": "return_to_center", "text": "ليس من اختصاصنا"}).status_code == 302
    maryam_case.refresh_from_db()
    assert maryam_case.status == "new" and maryam_case.department is None
    conflict = staff.post(url, {"op": "request_info", "text": "?"})
    assert conflict.status_code == 409


def test_queue_lists_overdue_first_and_assign_to_me(desk_as, people, directory, maryam_case):
    from datetime import timedelta

    from django.utils import timezone

    from tawasul.cases.services import case_create

    overdue = case_create(
        actor=people["agent"], kind="inquiry", entity=directory["phcc"],
        department=directory["appointments"], subject="متأخر", description="x",
    )  # fmt: skip
    Case.objects.filter(pk=overdue.pk).update(resolution_due=timezone.now() - timedelta(hours=3))
    staff = desk_as("phcc_staff")
    page = staff.get("/desk/cases/").content.decode()
    assert page.index(overdue.reference) < page.index(maryam_case.reference)
    only = staff.get("/desk/cases/?overdue=on").content.decode()
    assert overdue.reference in only and maryam_case.reference not in only
    staff.post(f"/desk/cases/{maryam_case.reference}/action/", {"op": "assign_me", "next": "queue"})
    mine = staff.get("/desk/cases/?mine=on").content.decode()
    assert maryam_case.reference in mine and overdue.reference not in mine


def test_resident_reads_are_audited(desk_as, people, maryam_case):
    agent = desk_as("agent")
    agent.get("/desk/residents/?q=%2B974%205512%203456")
    agent.get(f"/desk/residents/{maryam_case.resident_id}/")
    actions = list(
        AuditEntry.objects.filter(actor=people["agent"], resident_id=maryam_case.resident_id)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["search", "read"]
    by_reference = agent.get(f"/desk/residents/?q={maryam_case.reference}").content.decode()
    assert "مريم الكواري" in by_reference
    by_name = agent.get("/desk/residents/?q=الكواري").content.decode()
    assert "مريم الكواري" in by_name
    too_short = agent.get("/desk/residents/?q=a")
    assert (
        too_short.status_code == 400
        and "q: type at least two characters" in too_short.content.decode()
    )


def test_agent_desktop_flow_through_the_views(desk_as, people, directory):
    agent = desk_as("agent")
    assert agent.post("/desk/state/", {"state": "on_break"}).status_code == 400
    assert agent.post("/desk/state/", {"state": "available"}).status_code == 200
    offer = services.contact_offer_inbound(
        agent=people["agent"], channel="call", phone="+97455123456", full_name="مريم",
        hotline="107", ivr=["1", "3"],
    )  # fmt: skip
    panel = agent.get("/desk/contact/").content.decode()
    assert "مريم" in panel and "1 › 3" in panel and "/knowledge/panel/?entity=phcc" in panel
    assert agent.post(f"/desk/contact/{offer.pk}/accept/").status_code == 200
    bad = agent.post(
        f"/desk/contact/{offer.pk}/case/",
        {"kind": "complaint", "entity": "nope", "subject": "s", "description": "d"},
    )
    assert bad.status_code == 400 and "entity: unknown entity: nope" in bad.content.decode()
    opened = agent.post(
        f"/desk/contact/{offer.pk}/case/",
        {"kind": "complaint", "entity": "phcc", "service": "phcc-appointment", "department": "",
         "priority": "high", "subject": "موعد", "description": "تأجيل"},
    )  # fmt: skip
    assert opened.status_code == 200
    case = Case.objects.get()
    assert case.department == directory["appointments"] and case.priority == "high"
    assert case.reference in opened.content.decode()
    assert agent.post(f"/desk/contact/{offer.pk}/end/").status_code == 200
    assert agent.post("/desk/wrapup/end/").status_code == 200
    assert people["agent"].desk_state.state == "available"
    # Someone else's offer is not found.
    assert desk_as("supervisor").post(f"/desk/contact/{offer.pk}/accept/").status_code == 404


def test_supervisor_forces_state_and_reassigns(desk_as, people, maryam_case):
    boss = desk_as("supervisor")
    agent = people["agent"]
    response = boss.post(f"/desk/supervisor/agents/{agent.pk}/state/", {"state": "on_break"})
    assert response.status_code == 200
    agent.refresh_from_db()
    assert agent.desk_state.state == "on_break"
    refused = boss.post(
        f"/desk/supervisor/cases/{maryam_case.reference}/assign/", {"assignee": "moci.salem"}
    )
    assert refused.status_code == 400 and "assignee:" in refused.content.decode()
    ok = boss.post(
        f"/desk/supervisor/cases/{maryam_case.reference}/assign/", {"assignee": "phcc.khalid"}
    )
    assert ok.status_code == 200
    maryam_case.refresh_from_db()
    assert maryam_case.assignee == people["phcc_colleague"]
    for who in ("agent", "phcc_staff", "outsider", "planner"):
        client = desk_as(who)
        assert (
            client.post(
                f"/desk/supervisor/agents/{agent.pk}/state/", {"state": "available"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                f"/desk/supervisor/cases/{maryam_case.reference}/assign/", {"assignee": ""}
            ).status_code
            == 403
        )


# --- sign-in ------------------------------------------------------------------------------


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset * device.step
    return str(totp.token()).zfill(device.digits)


def test_first_sign_in_enrols_then_later_sign_ins_ask_for_the_code(people):
    client = Client()
    _invite, raw = account_services.enrolment_issue(user=people["agent"], actor=people["admin"])
    assert client.get(f"/desk/login/enrol/{raw}/")["Location"] == "/desk/login/"
    response = client.post(
        "/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"}
    )
    assert response["Location"] == "/desk/login/enrol/"
    assert client.get("/desk/").status_code == 302, "a password alone is not a session"
    enrol = client.get("/desk/login/enrol/").content.decode()
    assert "otpauth://totp/" in enrol and "<svg" in enrol
    device = TOTPDevice.objects.get(user=people["agent"])
    assert (
        client.post(
            "/desk/login/enrol/", {"code": "000000" if _code(device) != "000000" else "111111"}
        ).status_code
        == 400
    )
    throttled = client.post("/desk/login/enrol/", {"code": _code(device)})
    assert throttled.status_code == 429, "django-otp's throttle holds right after a wrong code"
    device.refresh_from_db()
    device.throttle_reset()  # as if the person waited the throttle delay out
    assert client.post("/desk/login/enrol/", {"code": _code(device)})["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    client.post("/desk/logout/")
    assert client.get("/desk/").status_code == 302
    again = Client()
    login = again.post(
        "/desk/login/",
        {"username": "agent.fatima", "password": "pw-agent.fatima", "next": "/desk/cases/"},
    )
    assert login["Location"] == "/desk/login/verify/"
    device.refresh_from_db()
    assert (
        again.post("/desk/login/verify/", {"code": _code(device, 1)})["Location"] == "/desk/cases/"
    )


def test_back_off_after_repeated_failures(people):
    client = Client()
    for _ in range(5):
        response = client.post("/desk/login/", {"username": "agent.fatima", "password": "wrong"})
        assert response.status_code == 400
    backed_off = client.post(
        "/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"}
    )
    assert backed_off.status_code == 429
    assert (
        "Too many failed sign-in attempts. Try again in 30 seconds" in backed_off.content.decode()
    )
    assert LoginAttempt.objects.filter(succeeded=False).count() == 5
    # Another person from the same address is not slowed down by one person's typos.
    other = client.post("/desk/login/", {"username": "agent.ravi", "password": "pw-agent.ravi"})
    assert other.status_code == 302


# --- API ----------------------------------------------------------------------------------


def test_offer_endpoint(api_as, people, directory):
    services.agent_set_state(agent=people["agent"], state="available")
    body = {"agent": "agent.fatima", "phone": "+97455123456", "hotline": "107", "ivr": ["1", "3"],
            "language": "ar", "full_name": "مريم"}  # fmt: skip
    for who in ("phcc_staff", "outsider", "planner"):
        assert api_as(who).post("/desk/offers", body).status_code == 403
    assert api_as(None).post("/desk/offers", body).status_code == 401
    response = api_as("supervisor").post("/desk/offers", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["agent"] == "agent.fatima" and out["path"]["ivr"] == ["1", "3"]
    assert out["status"] == "ringing" and out["resident_id"]
    again = api_as("supervisor").post("/desk/offers", body)
    assert again.status_code == 409
    assert field_errors(again) == {"agent": "the agent already has a contact ringing"}
    arabic = api_as("supervisor").post("/desk/offers", body, headers={"Accept-Language": "ar"})
    assert arabic.status_code == 409
    assert field_errors(arabic) == {"agent": "لدى الموظف اتصال يرن بالفعل"}


def test_contact_panel_names_the_callers_language_in_the_ui_language(api_as, desk_as, people):
    """The panel showed the code ("ar", "en"), not the language's name (issue #12)."""
    services.agent_set_state(agent=people["agent"], state="available")
    body = {"agent": "agent.fatima", "phone": "+97455123456", "language": "en"}
    assert api_as("supervisor").post("/desk/offers", body).status_code == 201
    agent = desk_as("agent")
    arabic = agent.get("/desk/contact/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<span data-testid="contact-language">اللغة الإنجليزية</span>' in arabic
    english = agent.get("/desk/contact/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span data-testid="contact-language">Language English</span>' in english


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agent": "nobody", "phone": "+97455123456"}, "agent"),
        ({"agent": "agent.fatima"}, "phone"),
        ({"agent": "agent.fatima", "phone": "+97455123456", "channel": "pigeon"}, "channel"),
        ({"agent": "agent.fatima", "phone": "not a phone"}, "phone"),
        ({"agent": "agent.fatima", "phone": "+97455123456", "surprise": 1}, "surprise"),
        (
            {"agent": "agent.fatima", "interaction_id": "6b1f4e2a-0000-0000-0000-000000000000"},
            "interaction_id",
        ),
        ({"agent": "agent.fatima", "phone": "+97455123456", "ivr": ["1"] * 51}, "ivr"),
    ],
)
def test_offer_endpoint_bad_input_names_the_field(api_as, people, directory, body, field):
    services.agent_set_state(agent=people["agent"], state="available")
    response = api_as("agent").post("/desk/offers", body)
    assert 400 <= response.status_code < 500
    assert field in field_errors(response), response.content
