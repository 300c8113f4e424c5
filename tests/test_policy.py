"""The one authorization policy, by named people: the same answer from the desk, the API and
the case services (which every channel calls).

The quality analyst reads cases but changes none; nobody gives a case to a planner, a quality
analyst or another entity's back office; the password is never enough for a staff page.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tawasul.accounts.policy import Action, may
from tawasul.cases import services
from tawasul.cases.models import Case
from tawasul.errors import DomainError, Forbidden
from tests.support import case_payload, field_errors, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(api_as) -> Case:
    reference = api_as("agent").post("/cases", case_payload()).json()["reference"]
    return Case.objects.get(reference=reference)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/transitions", {"action": "route", "department": "appointments"}),
        ("post", "/transitions", {"action": "start"}),
        ("post", "/assignee", {"assignee": "qa.layla"}),
        ("post", "/notes", {"body": "رد على المراجع", "visibility": "resident"}),
        ("post", "/notes", {"body": "ملاحظة", "visibility": "internal"}),
        ("post", "/follow-ups", {"due_at": "2030-01-01T08:00:00Z", "note": "x"}),
    ],
)
def test_quality_analyst_changes_nothing_through_the_api(api_as, case, method, path, body):
    response = getattr(api_as("qa"), method)(f"/cases/{case.reference}{path}", body)
    assert response.status_code == 403, response.content
    case.refresh_from_db()
    assert (case.status, case.assignee_id, case.version) == ("new", None, 1)
    assert case.notes.count() == 0


def test_quality_analyst_still_reads_the_case(api_as, case):
    response = api_as("qa").get(f"/cases/{case.reference}")
    assert (response.status_code, response.json()["reference"]) == (200, case.reference)


@pytest.mark.parametrize("op", ["assign_me", "reply", "note", "start", "route"])
def test_quality_analyst_changes_nothing_on_the_desk(people, case, op):
    client = verified_client(people["qa"])
    assert client.get(f"/desk/cases/{case.reference}/").status_code == 200
    response = client.post(
        f"/desk/cases/{case.reference}/action/",
        {"op": op, "text": "x", "department": "appointments"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.status, case.assignee_id, case.version) == ("new", None, 1)


@pytest.mark.parametrize("assignee", ["planner.aisha", "qa.layla", "moci.salem"])
def test_the_api_never_gives_a_case_to_someone_who_may_not_work_it(api_as, case, assignee):
    response = api_as("supervisor").post(
        f"/cases/{case.reference}/assignee", {"assignee": assignee}
    )
    assert response.status_code == 400
    assert set(field_errors(response)) == {"assignee"}
    case.refresh_from_db()
    assert case.assignee_id is None


def test_the_api_gives_a_case_to_someone_who_may_work_it(api_as, case):
    response = api_as("supervisor").post(
        f"/cases/{case.reference}/assignee", {"assignee": "phcc.noura"}
    )
    assert (response.status_code, response.json()["assignee"]) == (200, "phcc.noura")


@pytest.mark.parametrize("who", ["planner", "qa", "outsider"])
def test_the_case_service_refuses_such_an_assignee_whoever_calls(people, case, who):
    """A channel or a script calling the service directly gets the same answer."""
    with pytest.raises(DomainError) as refused:
        services.case_assign(case=case, assignee=people[who], actor=None)
    assert refused.value.field == "assignee"
    case.refresh_from_db()
    assert case.assignee_id is None


@pytest.mark.parametrize("who", ["qa", "planner", "outsider"])
def test_the_case_service_refuses_an_actor_who_may_not_work_the_case(people, case, who):
    actor = people[who]
    with pytest.raises(Forbidden):
        services.case_transition(case=case, action="start", actor=actor)
    with pytest.raises(Forbidden):
        services.case_add_note(case=case, actor=actor, body="x", visibility="internal")
    with pytest.raises(Forbidden):
        services.case_assign(case=case, assignee=None, actor=actor)
    case.refresh_from_db()
    assert (case.status, case.version, case.notes.count()) == ("new", 1, 0)


def test_the_supervisor_board_refuses_a_planner_as_assignee(people, case):
    client = verified_client(people["supervisor"])
    response = client.post(
        f"/desk/supervisor/cases/{case.reference}/assign/", {"assignee": "planner.aisha"}
    )
    assert response.status_code == 400
    assert "this person may not work on cases" in response.content.decode()
    case.refresh_from_db()
    assert case.assignee_id is None


def test_quality_analyst_cannot_open_cases_or_change_residents(api_as, people):
    qa = api_as("qa")
    assert qa.post("/cases", case_payload()).status_code == 403
    assert qa.post("/residents", {"phone": "+97455999999"}).status_code == 403
    assert not may(people["qa"], Action.CASE_WORK)
    assert may(people["qa"], Action.CASE_READ)


@pytest.mark.parametrize(
    "url",
    [
        "/knowledge/",
        "/knowledge/panel/",
        "/channels/outbox/",
        "/channels/mailbox/",
        "/desk/",
        "/desk/cases/",
        "/insights/",
    ],
)
def test_a_password_only_session_opens_no_staff_page(people, url):
    client = Client()
    client.force_login(people["admin"])
    response = client.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/desk/login/")
