"""Test support: a small directory, named people and a JSON API client.

The people: ``agent`` (center agent), ``phcc_staff`` (PHCC back office), ``phcc_colleague``
(same entity, may see the same cases), ``outsider`` (Commerce back office, must see nothing
of PHCC), ``planner`` (aggregates only), ``qa`` (quality analyst: reads, never changes),
``supervisor`` and ``admin``.
"""

from __future__ import annotations

import json
from datetime import time

from django.test import Client

from tawasul.accounts.models import ApiToken, Role, User
from tawasul.cases.models import SlaPolicy
from tawasul.directory.models import (
    BusinessCalendar,
    Department,
    Entity,
    Holiday,
    Hotline,
    Language,
    Service,
    WeeklyHours,
)

QATAR_WORKWEEK = [6, 0, 1, 2, 3]  # Sunday … Thursday


def make_directory() -> dict:
    """Two Qatari entities, Muscat Municipality, calendars and hotlines 107 and 109."""
    ar = Language.objects.create(
        code="ar", name_en="Arabic", name_ar="العربية", native_name="العربية", rtl=True
    )
    en = Language.objects.create(
        code="en", name_en="English", name_ar="الإنجليزية", native_name="English"
    )
    qatar = BusinessCalendar.objects.create(
        code="qatar-gov",
        name_en="Qatar government",
        name_ar="الدوام الحكومي",
        timezone="Asia/Qatar",
    )
    for day in QATAR_WORKWEEK:
        WeeklyHours.objects.create(calendar=qatar, weekday=day, opens=time(7), closes=time(14))
    Holiday.objects.create(
        calendar=qatar, date="2026-12-18", name_en="National Day", name_ar="اليوم الوطني"
    )
    oman = BusinessCalendar.objects.create(
        code="oman-moh", name_en="Oman MoH", name_ar="وزارة الصحة", timezone="Asia/Muscat"
    )
    for day in range(7):
        WeeklyHours.objects.create(
            calendar=oman, weekday=day, opens=time(7, 30), closes=time(21, 30)
        )
    Holiday.objects.create(
        calendar=oman,
        date="2026-11-20",
        name_en="National Day",
        name_ar="العيد الوطني",
        opens=time(9, 30),
        closes=time(16, 30),
    )
    always = BusinessCalendar.objects.create(
        code="24x7", name_en="24/7", name_ar="على مدار الساعة", is_24x7=True
    )

    phcc = Entity.objects.create(
        code="phcc",
        name_en="Primary Health Care Corporation",
        name_ar="مؤسسة الرعاية الصحية الأولية",
        calendar=qatar,
    )
    moci = Entity.objects.create(
        code="moci",
        name_en="Ministry of Commerce and Industry",
        name_ar="وزارة التجارة والصناعة",
        calendar=qatar,
    )
    muscat = Entity.objects.create(
        code="muscat",
        name_en="Muscat Municipality",
        name_ar="بلدية مسقط",
        country="OM",
        calendar=oman,
    )
    appointments = Department.objects.create(
        entity=phcc, code="appointments", name_en="Appointments", name_ar="المواعيد"
    )
    patient_relations = Department.objects.create(
        entity=phcc, code="patient-relations", name_en="Patient relations", name_ar="علاقات المرضى"
    )
    consumer = Department.objects.create(
        entity=moci, code="consumer", name_en="Consumer protection", name_ar="حماية المستهلك"
    )
    roads = Department.objects.create(
        entity=muscat, code="roads", name_en="Roads", name_ar="الطرق", calendar=oman
    )
    Service.objects.create(
        entity=phcc,
        department=appointments,
        code="phcc-appointment",
        name_en="Book an appointment",
        name_ar="حجز موعد",
    )
    Service.objects.create(
        entity=moci,
        department=consumer,
        code="moci-consumer-complaint",
        name_en="Consumer complaint",
        name_ar="شكوى مستهلك",
    )
    Service.objects.create(
        entity=muscat,
        department=roads,
        code="muscat-road-damage",
        name_en="Road damage report",
        name_ar="بلاغ تلف طريق",
    )
    h107 = Hotline.objects.create(
        number="107",
        name_en="Primary health care",
        name_ar="الرعاية الأولية",
        is_24x7=True,
        calendar=always,
    )
    h107.entities.set([phcc])
    h107.languages.set([ar, en])
    h109 = Hotline.objects.create(
        number="109",
        name_en="Government contact center",
        name_ar="مركز الاتصال الحكومي",
        is_24x7=True,
        calendar=always,
    )
    h109.entities.set([moci])
    h109.languages.set([ar, en])
    h1111 = Hotline.objects.create(
        number="1111", name_en="Muscat Municipality", name_ar="بلدية مسقط", calendar=oman
    )
    h1111.entities.set([muscat])
    for kind in ("inquiry", "complaint", "report", "suggestion"):
        for priority, hours in (("low", 35), ("normal", 21), ("high", 7), ("urgent", 2)):
            SlaPolicy.objects.create(
                kind=kind, priority=priority, first_response_hours=2, resolution_hours=hours
            )
    SlaPolicy.objects.create(
        entity=muscat, kind="report", priority="urgent", first_response_hours=1, resolution_hours=4
    )
    return {
        "phcc": phcc, "moci": moci, "muscat": muscat, "appointments": appointments,
        "patient_relations": patient_relations, "consumer": consumer, "roads": roads,
        "qatar": qatar, "oman": oman, "h107": h107, "h109": h109, "h1111": h1111,
    }  # fmt: skip


def _user(username: str, role: str, entity=None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, role=role, entity=entity, **extra
    )
    return user


def make_people(directory: dict) -> dict:
    return {
        "agent": _user("agent.fatima", Role.AGENT),
        "agent2": _user("agent.ravi", Role.AGENT),
        "phcc_staff": _user("phcc.noura", Role.BACKOFFICE, directory["phcc"]),
        "phcc_colleague": _user("phcc.khalid", Role.BACKOFFICE, directory["phcc"]),
        "phcc_manager": _user(
            "phcc.manager", Role.BACKOFFICE, directory["phcc"], is_entity_manager=True
        ),
        "outsider": _user("moci.salem", Role.BACKOFFICE, directory["moci"]),
        "planner": _user("planner.aisha", Role.PLANNER),
        "qa": _user("qa.layla", Role.QUALITY_ANALYST),
        "supervisor": _user("supervisor.omar", Role.SUPERVISOR),
        "admin": _user("admin.huda", Role.ADMIN, is_staff=True, is_superuser=True),
    }  # fmt: skip


class Api:
    """A JSON client for one person, authenticated with a bearer token."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, raw = ApiToken.issue(user=user, name="test")
            self.headers["Authorization"] = f"Bearer {raw}"

    def _call(self, method: str, path: str, body=None, headers=None, **kwargs):
        merged = {**self.headers, **(headers or {})}
        if "content_type" in kwargs and kwargs["content_type"] is None:
            # Multipart form (file uploads): let the test client encode it.
            del kwargs["content_type"]
            kwargs["data"] = body
        elif body is not None and "content_type" not in kwargs:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif body is not None:
            kwargs["data"] = body
        return getattr(self.client, method)(f"/api{path}", headers=merged, **kwargs)

    def get(self, path, **kwargs):
        return self._call("get", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self._call("post", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self._call("patch", path, body, **kwargs)


def verified_client(user: User, client: Client | None = None) -> Client:
    """A browser-like client signed in with password and TOTP: the session the desk, the admin
    and the staff-session API accept (``force_login`` alone is a password-only session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = client or Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def case_payload(**overrides) -> dict:
    payload = {
        "kind": "complaint",
        "entity": "phcc",
        "subject": "تأخر موعد المراجعة",
        "description": "تم تأجيل موعدي في المركز الصحي ثلاث مرات دون إشعار.",
        "hotline": "107",
        "resident": {"phone": "+97455123456", "full_name": "مريم الكواري"},
    }
    payload.update(overrides)
    return payload


def field_errors(response) -> dict[str, str]:
    """Map of field name to message from the API's error body."""
    return {item["field"]: item["message"] for item in response.json()["detail"]}
