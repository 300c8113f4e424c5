"""Fixtures of the portal room: Muscat's road-damage service with its questions, a resident's
submission, and the one-time code read from the outbox (that is what the resident receives)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def road_service(directory):
    from tawasul.directory.models import Service
    from tawasul.portal.models import ServiceAttribute

    service = Service.objects.get(code="muscat-road-damage")
    # Potholes are public space: listed in Open311, with scrubbed texts.
    service.open311_public = service.open311_publish_text = True
    service.save(update_fields=["open311_public", "open311_publish_text"])
    ServiceAttribute.objects.create(
        service=service, code="WHEEL", datatype="singlevaluelist", required=True, order=1,
        description_en="Which lane is damaged?", description_ar="أي مسار متضرر؟",
        values=[{"key": "left", "name_en": "Left lane", "name_ar": "المسار الأيسر"},
                {"key": "right", "name_en": "Right lane", "name_ar": "المسار الأيمن"}],
    )  # fmt: skip
    ServiceAttribute.objects.create(
        service=service, code="DEPTH", datatype="number", required=False, order=2,
        description_en="Depth of the hole (cm)", description_ar="عمق الحفرة (سم)",
    )  # fmt: skip
    ServiceAttribute.objects.create(
        service=service, code="HAZARDS", datatype="multivaluelist", required=False, order=3,
        description_en="Hazards", description_ar="المخاطر",
        values=[{"key": "water", "name_en": "Water", "name_ar": "مياه"},
                {"key": "traffic", "name_en": "Heavy traffic", "name_ar": "ازدحام"}],
    )  # fmt: skip
    return service


def complaint_form(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "entity": "phcc",
        "service": "phcc-appointment",
        "description": "تم تأجيل موعدي ثلاث مرات دون إشعار.",
        "full_name": "مريم الكواري",
        "phone": "+974 5512 3456",
        "email": "",
        "preferred_channel": "sms",
        "language": "ar",
        "website": "",
        "address": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(overrides)
    return data


def report_form(**overrides) -> dict:
    data = complaint_form(
        kind="report", entity="muscat", service="muscat-road-damage",
        description="حفرة كبيرة في الطريق قرب الدوار", phone="", email="salim@example.om",
        preferred_channel="email", language="en", latitude="23.588000", longitude="58.382900",
        attr_WHEEL="left",
    )  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def submit(client, directory):
    """Post the portal form; returns the response (follow the redirect to see the reference)."""

    def post(data: dict, **kwargs):
        return client.post("/portal/new/", data, **kwargs)

    return post


def reference_of(response) -> str:
    match = re.search(r"/portal/new/([^/]+)/done/", response["Location"])
    assert match, response.content.decode()[:2000]
    return match.group(1)


def last_code(to_address: str | None = None) -> str:
    """The 6-digit code in the newest one-time-code message in the outbox."""
    from tawasul.omnichannel.models import OutboxMessage

    messages = OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:")
    if to_address:
        messages = messages.filter(to_address=to_address)
    message = messages.order_by("-id").first()
    assert message is not None, "no one-time code was queued"
    # The reference also ends in six digits; the code is the six not joined by a hyphen.
    return re.search(r"(?<![-\d])(\d{6})(?![-\d])", message.body).group(1)


@pytest.fixture
def tracked_case(client, submit, directory):
    """A complaint submitted on the portal and opened on it with a code, in this client."""
    from tawasul.cases.models import Case

    response = submit(complaint_form())
    reference = reference_of(response)
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    response = client.post("/portal/track/code/", {"code": last_code("+97455123456")})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(reference=reference)
