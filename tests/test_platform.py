"""Health check, OpenAPI document, directory endpoints, the demo seed and the admin."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tawasul.accounts.models import User
from tawasul.cases.models import Case, SlaPolicy
from tawasul.directory import demo_data
from tawasul.directory.models import Entity, Hotline, Service
from tests.support import verified_client

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["ok"] is True


def test_openapi_document_and_docs_are_served(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in ("/api/cases", "/api/cases/{reference}/transitions", "/api/residents"):
        assert path in paths
    assert client.get("/api/docs").status_code == 200


def test_directory_endpoints(api_as, directory):
    agent = api_as("agent")
    entities = agent.get("/directory/entities").json()
    assert {e["code"] for e in entities} == {"phcc", "moci", "muscat"}
    phcc = agent.get("/directory/entities/phcc").json()
    assert phcc["name_ar"] == "مؤسسة الرعاية الصحية الأولية"
    assert {d["code"] for d in phcc["departments"]} == {"appointments", "patient-relations"}
    assert [s["code"] for s in phcc["services"]] == ["phcc-appointment"]
    assert agent.get("/directory/entities/atlantis").status_code == 404
    services = agent.get("/directory/services", query_params={"entity": "muscat"}).json()
    assert [s["department"] for s in services] == ["roads"]
    hotlines = {h["number"]: h for h in agent.get("/directory/hotlines").json()}
    assert hotlines["107"]["open_now"] is True
    assert hotlines["107"]["languages"] == ["ar", "en"]


def test_demo_seed_loads_a_realistic_center_and_is_repeatable():
    assert demo_data.validate() == []
    call_command("seed", "demo")
    call_command("seed", "demo")
    assert Entity.objects.count() == 34
    assert Service.objects.count() >= 60
    assert set(Hotline.objects.values_list("number", flat=True)) >= {
        "109", "107", "184", "16000", "1111",
    }  # fmt: skip
    assert Hotline.objects.get(number="109").languages.count() == 9
    assert SlaPolicy.objects.filter(entity__isnull=True).count() == 16
    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= {"agent", "supervisor", "quality_analyst", "planner", "backoffice", "admin"}
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses >= {"assigned", "in_progress", "awaiting_resident", "resolved", "closed"}
    oman_moh_line = Hotline.objects.get(entities__code="om-moh").calendar
    holiday = oman_moh_line.holidays.get(date="2026-11-20")
    assert (holiday.opens.strftime("%H:%M"), holiday.closes.strftime("%H:%M")) == (
        "09:30",
        "16:30",
    )


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_admin_speaks_arabic_and_english(people, language, direction):
    client = verified_client(people["admin"])
    page = client.get("/admin/directory/entity/", headers={"Accept-Language": language})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'dir="{direction}"' in html
    if language == "ar":
        assert "الجهات" in html
        assert "مؤسسة الرعاية الصحية الأولية" in html


def test_admin_is_for_administrators_only(people):
    client = verified_client(people["agent"])
    assert client.get("/admin/directory/entity/").status_code == 302


def test_admin_needs_the_second_factor(client, people):
    """Django's password-only admin login is replaced by the desk's two-step sign-in."""
    login = client.get("/admin/login/?next=/admin/directory/entity/")
    assert login.status_code == 302
    assert login["Location"] == "/desk/login/?next=%2Fadmin%2Fdirectory%2Fentity%2F"
    posted = client.post("/admin/login/", {"username": "admin.huda", "password": "pw-admin.huda"})
    assert posted.status_code == 302 and posted["Location"].startswith("/desk/login/")
    assert "_auth_user_id" not in client.session, "the admin form signs nobody in"
    client.force_login(people["admin"])  # a password-only session
    assert client.get("/admin/directory/entity/").status_code == 302
    verified_client(people["admin"], client)
    assert client.get("/admin/directory/entity/").status_code == 200


def test_desk_sign_in_leads_back_to_the_admin(people):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=people["admin"], name="phone", confirmed=True)
    client = Client()
    first = client.post(
        "/desk/login/",
        {"username": "admin.huda", "password": "pw-admin.huda", "next": "/admin/"},
    )
    assert first["Location"] == "/desk/login/verify/"
    code = str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(6)
    assert client.post("/desk/login/verify/", {"code": code})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_language_switch_is_remembered(people):
    client = verified_client(people["admin"])
    page = client.get("/admin/").content.decode()
    assert 'name="language" value="ar"' in page
    client.post("/i18n/setlang/", {"language": "ar", "next": "/admin/"})
    assert 'dir="rtl"' in client.get("/admin/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert 'dir="ltr"' in client.get("/admin/").content.decode()
