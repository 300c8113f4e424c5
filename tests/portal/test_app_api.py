"""The mobile-app API at /api/app/: registration, submission, tracking with a one-time code,
and who may use which token."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tawasul.cases.models import Case
from tawasul.cases.services import case_add_note, case_transition
from tawasul.portal.models import AppInstallation
from tests.portal.conftest import last_code
from tests.support import field_errors

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class App:
    """One installed app: registers itself, then calls with its own bearer token."""

    def __init__(self) -> None:
        self.client = Client()
        response = self.client.post(
            "/api/app/installations",
            json.dumps({"platform": "android", "app_version": "3.2.0", "language": "ar"}),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        self.token = response.json()["token"]
        self.tracking: dict[str, str] = {}

    def headers(self, reference: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        if reference and reference in self.tracking:
            headers["X-Tracking-Token"] = self.tracking[reference]
        return headers

    def get(self, path: str, reference: str | None = None, **kwargs):
        return self.client.get(f"/api/app{path}", headers=self.headers(reference), **kwargs)

    def post(self, path: str, body=None, reference: str | None = None, **kwargs):
        if "data" not in kwargs:
            kwargs["data"] = json.dumps(body or {})
            kwargs["content_type"] = "application/json"
        return self.client.post(f"/api/app{path}", headers=self.headers(reference), **kwargs)

    def submit(self, **overrides) -> str:
        body = {
            "kind": "report", "entity": "muscat", "service": "muscat-road-damage",
            "description": "حفرة عميقة", "phone": "+968 9123 4567", "language": "ar",
            "latitude": "23.6", "longitude": "58.4", "attributes": {"WHEEL": "left"},
        }  # fmt: skip
        body.update(overrides)
        response = self.post("/cases", body)
        assert response.status_code in (200, 201), response.content
        data = response.json()
        self.tracking[data["reference"]] = data["tracking_token"]
        return data["reference"]


@pytest.fixture
def app(road_service):
    return App()


def test_nul_bytes_in_app_lookups_are_refused(app):
    # PostgreSQL cannot compare a NUL: these were 500s there.
    response = app.get("/services", data={"entity": "muscat\x00"})
    assert response.status_code == 422
    assert field_errors(response) == {"entity": "Value error, must not contain control characters"}
    assert app.get("/entities", data={"q": "\x00"}).status_code == 422


def test_register_stores_only_a_hash(app):
    installation = AppInstallation.objects.get()
    assert app.token.startswith("twapp_") and app.token not in installation.token_digest
    assert installation.platform == "android"


def test_entities_and_services(app):
    entities = app.get("/entities", data={"q": "Muscat"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["code"] for e in entities] == ["muscat"]
    (road,) = entities[0]["services"]
    assert road["code"] == "muscat-road-damage" and road["questions"][0]["code"] == "WHEEL"
    services = app.get("/services", data={"entity": "phcc"}).json()
    assert [s["code"] for s in services] == ["phcc-appointment"]
    response = app.get("/services", data={"entity": "nope"})
    assert response.status_code == 400 and field_errors(response) == {
        "entity": "unknown entity: nope"
    }


def test_submit_attach_and_read(app):
    reference = app.submit(client_request_id="r-1")
    case = Case.objects.get(reference=reference)
    assert case.channel == "app" and case.submission.installation is not None
    assert case.resident.contacts.filter(kind="app").exists()  # the installation's account
    # Sent again with the same client id: the same case, not a second one.
    assert app.submit(client_request_id="r-1") == reference
    assert Case.objects.count() == 1

    photo = SimpleUploadedFile("hole.png", PNG, content_type="image/png")
    response = app.post(f"/cases/{reference}/attachments", reference=reference,
                        data={"file": photo})  # fmt: skip
    assert response.status_code == 201 and response.json()["content_type"] == "image/png"
    fake = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image")
    response = app.post(f"/cases/{reference}/attachments", reference=reference,
                        data={"file": fake})  # fmt: skip
    assert response.status_code == 400 and "attachments" in field_errors(response)

    view = app.get(f"/cases/{reference}", reference=reference, HTTP_ACCEPT_LANGUAGE="en").json()
    assert view["status"] == "assigned" and view["attachments"] == ["hole.png"]
    assert view["timeline"][0]["title"] == "Request received"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.jpg", b"%PDF-1.4\n%%EOF\n",
         "the file name ends in .jpg but the file is a PDF file"),
        ("page.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
         "the file contains web-page markup (HTML, SVG or XML) and is not accepted"),
    ],
)  # fmt: skip
def test_app_attachment_must_be_what_its_name_says(app, name, data, reason):
    reference = app.submit()
    response = app.post(f"/cases/{reference}/attachments", reference=reference,
                        data={"file": SimpleUploadedFile(name, data)})  # fmt: skip
    assert response.status_code == 400
    assert field_errors(response) == {"attachments": f"The file {name}: {reason}"}
    assert Case.objects.get(reference=reference).attachments.count() == 0


def test_submit_errors_name_the_field(app):
    body = {
        "kind": "report", "entity": "muscat", "service": "muscat-road-damage",
        "description": "x", "phone": "+96891234567", "attributes": {"WHEEL": "left"},
    }  # fmt: skip
    response = app.post("/cases", body)
    assert response.status_code == 400 and "location" in field_errors(response)
    response = app.post("/cases", {"kind": "report", "entity": "muscat", "description": "x",
                                   "service": "muscat-road-damage", "address": "Ruwi",
                                   "phone": "+96891234567"})  # fmt: skip
    assert response.status_code == 400 and "attribute[WHEEL]" in field_errors(response)
    response = app.post("/cases", {"kind": "gossip", "entity": "muscat", "description": "x"})
    assert response.status_code == 422 and "kind" in field_errors(response)
    response = app.post("/cases", {"kind": "inquiry", "entity": "muscat", "description": "x",
                                   "colour": "red"})  # fmt: skip
    assert response.status_code == 422 and "colour" in field_errors(response)


def test_track_with_a_code_read_reply_and_rate(app, people, road_service):
    reference = app.submit()
    other = App()  # the resident's new phone: no access until a code
    assert other.get(f"/cases/{reference}").status_code == 404
    assert other.post("/tracking/code", {"reference": reference}).status_code == 202
    wrong = other.post("/tracking/verify", {"reference": reference, "code": "000000"})
    code = last_code("+96891234567")
    if code != "000000":
        assert wrong.status_code == 400 and "code" in field_errors(wrong)
    response = other.post("/tracking/verify", {"reference": reference, "code": code})
    assert response.status_code == 200, response.content
    other.tracking[reference] = response.json()["tracking_token"]

    case = Case.objects.get(reference=reference)
    staff = people["agent"]
    case_add_note(case=case, actor=staff, visibility="internal", body="internal only")
    case = case_transition(case=case, action="request_info", actor=staff,
                           reason="Is it on the main road?")  # fmt: skip
    messages = other.get(f"/cases/{reference}/messages", reference=reference).json()
    assert messages == []  # no messages yet; the question is on the timeline
    view = other.get(f"/cases/{reference}", reference=reference).json()
    assert view["awaiting_resident"] and "internal only" not in json.dumps(view)
    assert any(i["body"] == "Is it on the main road?" for i in view["timeline"])

    response = other.post(f"/cases/{reference}/replies", {"body": "نعم"}, reference=reference)
    assert response.status_code == 201 and response.json()["status"] == "in_progress"
    case_add_note(case=case, actor=staff, visibility="resident", body="سيتم الإصلاح غداً")
    messages = other.get(f"/cases/{reference}/messages", reference=reference).json()
    assert [m["body"] for m in messages] == ["نعم", "سيتم الإصلاح غداً"]

    case_transition(case=case, action="resolve", actor=staff, reason="Fixed")
    response = other.post(f"/cases/{reference}/rating", {"score": 5}, reference=reference)
    assert response.status_code == 201
    response = other.post(f"/cases/{reference}/rating", {"score": 4}, reference=reference)
    assert response.status_code == 409
    response = other.post(f"/cases/{reference}/rating", {"score": 0}, reference=reference)
    assert response.status_code == 422 and "score" in field_errors(response)


def test_an_app_cannot_read_another_residents_case(app):
    mine = app.submit()
    theirs = App().submit(phone="+96899887766")
    # My tracking token for my case does not open theirs, even sent with their reference.
    token = app.tracking[mine]
    response = app.client.get(f"/api/app/cases/{theirs}",
                              headers={**app.headers(), "X-Tracking-Token": token})  # fmt: skip
    assert response.status_code == 404
    # A tracking token is bound to the installation it was issued to.
    stranger = App()
    headers = {**stranger.headers(), "X-Tracking-Token": token}
    response = stranger.client.get(f"/api/app/cases/{mine}", headers=headers)
    assert response.status_code == 404
    assert stranger.post(f"/cases/{mine}/replies", {"body": "hi"}).status_code == 404


def test_staff_tokens_and_app_tokens_do_not_mix(app, api_as):
    staff = api_as("agent")
    # A staff token is not an app token …
    response = staff.get("/app/entities")
    assert response.status_code == 401
    # … and an app token opens nothing on the staff API.
    response = app.client.get("/api/cases", headers=app.headers())
    assert response.status_code == 401
    response = app.client.get("/api/residents", headers=app.headers())
    assert response.status_code == 401
    # No token at all.
    assert Client().get("/api/app/entities").status_code == 401
    # A revoked installation is refused.
    AppInstallation.objects.update(revoked=True)
    assert app.get("/entities").status_code == 401


def test_registration_is_rate_limited(road_service, settings):
    settings.PORTAL_RATE_REGISTER_PER_IP = 1
    App()
    response = Client().post("/api/app/installations", json.dumps({"platform": "ios"}),
                             content_type="application/json")  # fmt: skip
    assert response.status_code == 429 and response.json()["detail"][0]["code"] == "rate_limited"
