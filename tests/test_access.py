"""Who may see and do what, endpoint by endpoint, with named people.

A PHCC case is opened for Maryam. The PHCC back office and its colleague may work it; the
Commerce back office (the outsider) must not learn it exists, nor anything about Maryam; the
planner sees no case or resident; nobody without credentials gets in.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tawasul.accounts.models import ApiToken
from tawasul.accounts.services import api_token_revoke
from tests.support import case_payload, field_errors, verified_client

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def phcc_case(api_as):
    body = api_as("agent").post("/cases", case_payload()).json()
    return body["reference"], body["resident_id"]


def case_endpoints(ref: str) -> list[tuple[str, str, object]]:
    return [
        ("get", f"/cases/{ref}", None),
        ("get", f"/cases/{ref}/history", None),
        ("get", f"/cases/{ref}/notes", None),
        ("get", f"/cases/{ref}/attachments", None),
        ("get", f"/cases/{ref}/resident", None),
        ("post", f"/cases/{ref}/transitions", {"action": "start"}),
        ("post", f"/cases/{ref}/notes", {"body": "hello"}),
        ("post", f"/cases/{ref}/assignee", {"assignee": "moci.salem"}),
    ]


@pytest.mark.parametrize("who", ["outsider", "planner"])
def test_people_outside_the_entity_get_404_on_every_case_endpoint(api_as, phcc_case, who):
    ref, _resident = phcc_case
    client = api_as(who)
    for method, path, body in case_endpoints(ref):
        response = getattr(client, method)(path, body) if body else getattr(client, method)(path)
        assert response.status_code == 404, (who, method, path, response.content)
    upload = client.post(
        f"/cases/{ref}/attachments", {"file": SimpleUploadedFile("a.pdf", PDF)}, content_type=None
    )
    assert upload.status_code == 404
    listing = client.get("/cases")
    if who == "planner":  # planners read aggregates, never the case list
        assert listing.status_code == 403
    else:
        assert listing.json()["count"] == 0
    assert api_as("agent").get(f"/cases/{ref}").json()["status"] == "new", "nothing changed"


def test_same_entity_staff_and_colleague_work_the_case(api_as, phcc_case):
    ref, resident_id = phcc_case
    staff, colleague = api_as("phcc_staff"), api_as("phcc_colleague")
    assert staff.get(f"/cases/{ref}").status_code == 200
    assert staff.post(f"/cases/{ref}/transitions", {"action": "start"}).status_code == 200
    assert colleague.post(f"/cases/{ref}/notes", {"body": "متابعة"}).status_code == 201
    assert colleague.get(f"/cases/{ref}/resident").json()["id"] == resident_id
    assert staff.get("/cases").json()["count"] == 1


def test_back_office_cannot_assign_to_another_entitys_staff(api_as, phcc_case):
    ref, _ = phcc_case
    response = api_as("phcc_staff").post(f"/cases/{ref}/assignee", {"assignee": "moci.salem"})
    assert response.status_code == 400
    assert field_errors(response) == {"assignee": "this person may not work on this case"}
    ok = api_as("phcc_staff").post(f"/cases/{ref}/assignee", {"assignee": "phcc.khalid"})
    assert ok.json()["assignee"] == "phcc.khalid"


def test_department_scoped_staff_see_only_their_departments(api_as, people, directory):
    agent = api_as("agent")
    routed = agent.post("/cases", case_payload(service="phcc-appointment")).json()
    unrouted = agent.post("/cases", case_payload()).json()
    staff = people["phcc_staff"]
    staff.departments.set([directory["appointments"]])
    client = api_as("phcc_staff")
    assert client.get(f"/cases/{routed['reference']}").status_code == 200
    assert client.get(f"/cases/{unrouted['reference']}").status_code == 404


def test_outsider_cannot_see_the_resident(api_as, phcc_case):
    _ref, resident_id = phcc_case
    outsider = api_as("outsider")
    assert outsider.get(f"/residents/{resident_id}").status_code == 404
    assert outsider.get("/residents", query_params={"phone": "+97455123456"}).status_code == 403
    assert outsider.get("/interactions").json()["count"] == 0
    assert outsider.post("/residents", {"phone": "+97455123456"}).status_code == 403
    assert outsider.patch(f"/residents/{resident_id}", {"full_name": "x"}).status_code == 403


def test_back_office_may_read_its_case_residents_but_not_search_all(api_as, phcc_case):
    _ref, resident_id = phcc_case
    staff = api_as("phcc_staff")
    assert staff.get(f"/residents/{resident_id}").status_code == 200
    assert staff.get("/residents", query_params={"phone": "+97455123456"}).status_code == 403


def test_back_office_opens_cases_only_for_its_entity(api_as):
    staff = api_as("phcc_staff")
    assert staff.post("/cases", case_payload()).status_code == 201
    other = staff.post("/cases", case_payload(entity="moci", hotline="109"))
    assert other.status_code == 400
    assert field_errors(other) == {"entity": "you may only open cases for your own entity"}


def test_planner_cannot_open_cases(api_as):
    assert api_as("planner").post("/cases", case_payload()).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/cases"),
        ("post", "/cases"),
        ("get", "/residents?phone=+97455123456"),
        ("get", "/interactions"),
        ("get", "/directory/entities"),
        ("post", "/cases/escalations"),
    ],
)
def test_anonymous_requests_are_401(api_as, method, path):
    response = getattr(api_as(None), method)(path)
    assert response.status_code == 401
    assert field_errors(response) == {"Authorization": "sign in or send a valid API token"}


def test_revoked_and_bogus_tokens_are_refused(api_as, people):
    client = api_as("agent")
    assert client.get("/cases").status_code == 200
    for token in ApiToken.objects.filter(user=people["agent"]):
        api_token_revoke(token=token)
    assert client.get("/cases").status_code == 401
    client.headers["Authorization"] = "Bearer " + "x" * 5000
    assert client.get("/cases").status_code == 401


def test_session_auth_needs_the_second_factor(people, client):
    client.force_login(people["agent"])  # password only: never enough for the API
    assert client.get("/api/cases").status_code == 401
    verified_client(people["agent"], client)
    assert client.get("/api/cases").status_code == 200


def test_session_auth_needs_csrf_for_writes(people, client):
    verified_client(people["agent"], client)
    assert client.get("/api/cases").status_code == 200
    strict = verified_client(people["agent"], type(client)(enforce_csrf_checks=True))
    response = strict.post("/api/cases", case_payload(), content_type="application/json")
    assert response.status_code == 403
