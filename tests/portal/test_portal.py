"""The resident portal with Django's test client: submit, track with a one-time code, read
replies, answer, rate; and the abuse protections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tawasul.cases.models import Case
from tawasul.cases.services import case_add_note, case_transition
from tawasul.omnichannel.models import OutboxMessage
from tawasul.portal.models import OneTimeCode, Rating
from tawasul.residents.models import ContactPoint
from tests.portal.conftest import complaint_form, last_code, reference_of, report_form

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_home_and_form_render_in_both_languages(client, directory):
    page = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and "متابعة طلب" in page
    page = client.get("/portal/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'dir="ltr"' in page and "Government entity" in page
    # Only entities with an active service are offered.
    assert "Primary Health Care Corporation" in page


def test_entity_search_and_services_follow_the_choice(client, directory, road_service):
    from tawasul.directory.models import Service

    Service.objects.create(
        entity=directory["muscat"], code="muscat-old", name_en="Retired service",
        name_ar="خدمة ملغاة", active=False,
    )  # fmt: skip
    page = client.get("/portal/new/fields/", {"q": "Muscat"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Muscat Municipality" in html and "Primary Health" not in html
    html = client.get(
        "/portal/new/fields/", {"entity": "muscat", "service": "muscat-road-damage"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()  # fmt: skip
    assert "Road damage report" in html and "Retired service" not in html
    assert "Which lane is damaged?" in html  # the service's own questions


def test_submit_gives_reference_and_queues_it_to_the_resident(client, submit):
    response = submit(complaint_form())
    assert response.status_code == 302
    reference = reference_of(response)
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reference in page and "Request received" in page
    case = Case.objects.get(reference=reference)
    assert case.kind == "complaint" and case.status == "assigned"  # routed by the service
    assert case.channel == "web" and case.resident.contacts.get().value == "+97455123456"
    ack = OutboxMessage.objects.get(case=case, idempotency_key__startswith="portal-ack:")
    assert ack.channel == "sms" and ack.to_address == "+97455123456"
    assert reference in ack.body and "الرقم المرجعي" in ack.body  # in the resident's Arabic


def test_double_submission_makes_one_case(submit):
    first = submit(complaint_form(submission_id="abc123"))
    second = submit(complaint_form(submission_id="abc123"))
    assert reference_of(first) == reference_of(second)
    assert Case.objects.count() == 1


def test_submitted_page_is_only_for_the_submitting_browser(client, submit):
    reference = reference_of(submit(complaint_form()))
    client.cookies.clear()
    response = client.get(f"/portal/new/{reference}/done/")
    assert response.status_code == 302 and "/portal/track/" in response["Location"]


def test_report_needs_a_location_and_keeps_coordinates(submit, road_service, client):
    response = submit(report_form(latitude="", longitude="", address=""))
    assert response.status_code == 400
    assert "A report needs a location" in response.content.decode()
    response = submit(report_form())
    case = Case.objects.get(reference=reference_of(response))
    assert str(case.latitude) == "23.588000" and str(case.longitude) == "58.382900"
    assert "Which lane is damaged?: left" in case.description
    assert case.submission.attributes == {"WHEEL": "left"}
    ack = OutboxMessage.objects.get(case=case)
    assert ack.channel == "email" and "reference number is" in ack.body


def test_required_service_question_and_bad_choice_are_named(submit, road_service):
    response = submit(report_form(attr_WHEEL=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = submit(report_form(attr_WHEEL="middle"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "middle" in response.content.decode()
    assert Case.objects.count() == 0


def test_attachments_are_sniffed_and_counted(submit, settings):
    photo = SimpleUploadedFile("hole.png", PNG, content_type="image/png")
    scan = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = submit(complaint_form(attachments=[photo, scan]))
    case = Case.objects.get(reference=reference_of(response))
    assert sorted(a.content_type for a in case.attachments.all()) == [
        "application/pdf", "image/png"]  # fmt: skip

    # A script renamed .png is refused by its bytes, and nothing is created.
    fake = SimpleUploadedFile("photo.png", b"#!/bin/sh\nrm -rf /\n", content_type="image/png")
    response = submit(complaint_form(attachments=[fake]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "not an image or a PDF" in response.content.decode()
    settings.PORTAL_ATTACHMENTS_PER_SUBMISSION = 1
    two = [SimpleUploadedFile(f"p{i}.png", PNG + bytes([i])) for i in range(2)]
    response = submit(complaint_form(attachments=two), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "at most 1 files" in response.content.decode()
    settings.TAWASUL = {**settings.TAWASUL, "ATTACHMENT_MAX_BYTES": 1000}
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    response = submit(complaint_form(attachments=[big]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert Case.objects.count() == 1


def test_contact_is_required_and_must_match_the_reply_channel(submit):
    response = submit(complaint_form(phone="", email=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Give a phone number or an e-mail address" in response.content.decode()
    response = submit(complaint_form(preferred_channel="email"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Give an e-mail address to be answered by e-mail" in response.content.decode()
    response = submit(complaint_form(phone="12"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "phone" in response.content.decode()
    assert Case.objects.count() == 0


def test_honeypot_refuses_bots(submit):
    response = submit(complaint_form(website="http://spam.example"), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    assert "تعذر قبول طلبك" in response.content.decode()
    assert Case.objects.count() == 0


def test_rate_limits_per_ip_and_per_contact(submit, settings):
    settings.PORTAL_RATE_SUBMIT_PER_CONTACT = 2
    assert submit(complaint_form()).status_code == 302
    assert submit(complaint_form()).status_code == 302
    response = submit(complaint_form(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()
    # Another person on the same network is still served …
    assert submit(complaint_form(phone="+97455999888")).status_code == 302
    # … until the address's own limit.
    settings.PORTAL_RATE_SUBMIT_PER_IP = 4
    response = submit(complaint_form(phone="+97455777666"), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 429 and "محاولات كثيرة" in response.content.decode()
    assert Case.objects.count() == 3


# --- tracking ---------------------------------------------------------------------------------


def test_code_goes_only_to_the_contact_on_file(client, submit):
    reference = reference_of(submit(complaint_form()))
    response = client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(idempotency_key__startswith="portal-otp:")
    assert message.to_address == "+97455123456" and message.channel == "sms"
    # No e-mail on file: nothing is sent, and the page says the same as for a real send.
    client.post("/portal/track/", {"reference": reference, "channel": "email"})
    assert OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:").count() == 1
    # An unknown reference looks the same to the visitor and sends nothing.
    response = client.post("/portal/track/", {"reference": "107-2026-999999", "channel": "sms"})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:").count() == 1


def test_a_stranger_naming_someones_phone_never_gets_codes_for_their_cases(client, submit):
    """Issue #10 finding 1: a stranger types Maryam's phone with their own e-mail."""
    first = reference_of(submit(complaint_form()))
    maryam = Case.objects.get(reference=first).resident
    submit(complaint_form(email="attacker@example.com", preferred_channel="email"))
    # The stranger's e-mail did not join Maryam's record; the stranger has one of their own.
    assert list(maryam.contacts.values_list("value", flat=True)) == ["+97455123456"]
    stranger = ContactPoint.objects.get(value="attacker@example.com")
    assert stranger.resident_id != maryam.pk and not stranger.verified
    # Maryam's next request joins her record (she gives only what it holds) …
    second = reference_of(client.post("/portal/new/", complaint_form()))
    assert Case.objects.get(reference=second).resident_id == maryam.pk
    # … and a code for it never goes to the stranger's e-mail, only to her phone.
    for channel in ("email", "sms"):
        client.post("/portal/track/", {"reference": second, "channel": channel})
    sent = OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:")
    assert list(sent.values_list("channel", "to_address")) == [("sms", "+97455123456")]


def test_a_contact_typed_later_by_a_stranger_gets_no_code_for_an_earlier_case(client, submit):
    reference = reference_of(submit(complaint_form(email="maryam@example.qa")))
    # Someone else types Maryam's e-mail with their own phone: a record of their own.
    submit(complaint_form(phone="+97455000111", email="maryam@example.qa"))
    case = Case.objects.get(reference=reference)
    assert not case.resident.contacts.filter(value="+97455000111").exists()
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    message = OutboxMessage.objects.get(idempotency_key__startswith="portal-otp:")
    assert message.to_address == "+97455123456"


def test_entering_a_code_proves_the_contact(client, submit):
    reference = reference_of(submit(complaint_form()))
    point = ContactPoint.objects.get(value="+97455123456")
    assert not point.verified
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    response = client.post("/portal/track/code/", {"code": last_code()})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.verified


def test_wrong_code_expired_code_and_too_many_attempts(client, submit, settings):
    reference = reference_of(submit(complaint_form()))
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/portal/track/code/", {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "wrong or has expired" in response.content.decode()
    assert client.get(f"/portal/track/{reference}/").status_code == 302  # still locked out

    # Too many wrong attempts burn the code, even for the right one afterwards.
    settings.PORTAL_OTP_MAX_ATTEMPTS = 2
    client.post("/portal/track/code/", {"code": wrong})
    response = client.post("/portal/track/code/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Too many wrong attempts" in response.content.decode()

    # A fresh code works until it expires.
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    code = last_code()
    OneTimeCode.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post("/portal/track/code/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "expired" in response.content.decode()

    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    response = client.post("/portal/track/code/", {"code": last_code()})
    assert response.status_code == 302 and response["Location"] == f"/portal/track/{reference}/"
    stored = OneTimeCode.objects.order_by("-id").first()
    assert last_code() not in stored.code_hash  # only a keyed hash is stored


def test_asking_again_burns_the_earlier_code(client, submit):
    reference = reference_of(submit(complaint_form()))
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    first = last_code()
    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    second = last_code()
    if first != second:
        assert client.post("/portal/track/code/", {"code": first}).status_code == 400
    assert client.post("/portal/track/code/", {"code": second}).status_code == 302


def test_code_requests_are_rate_limited_per_case(client, submit, settings):
    settings.PORTAL_RATE_OTP_PER_CASE = 2
    reference = reference_of(submit(complaint_form()))
    for _ in range(2):
        assert (
            client.post("/portal/track/", {"reference": reference, "channel": "sms"}).status_code
            == 302
        )
    response = client.post(
        "/portal/track/", {"reference": reference, "channel": "sms"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()


def test_tracking_shows_replies_but_never_internal_notes(client, tracked_case, people):
    staff = people["phcc_staff"]
    case_add_note(case=tracked_case, actor=staff, visibility="internal",
                  body="Resident is a frequent complainer; check the old file")  # fmt: skip
    case_add_note(case=tracked_case, actor=staff, visibility="resident",
                  body="Your new appointment is on Sunday at 9:00")  # fmt: skip
    page = client.get(f"/portal/track/{tracked_case.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your new appointment is on Sunday at 9:00" in html
    assert "frequent complainer" not in html
    assert "phcc.noura" not in html  # staff names stay internal
    # Another browser without the code sees nothing.
    from django.test import Client

    other = Client().get(f"/portal/track/{tracked_case.reference}/")
    assert other.status_code == 302


def test_answering_a_request_for_information_resumes_the_case(client, tracked_case, people):
    staff = people["phcc_staff"]
    case = case_transition(case=tracked_case, action="start", actor=staff)
    case = case_transition(case=case, action="request_info", actor=staff,
                           reason="Which health centre was the appointment at?")  # fmt: skip
    assert case.sla_paused_at is not None
    html = client.get(
        f"/portal/track/{case.reference}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Which health centre was the appointment at?" in html
    assert "We need more information from you" in html

    response = client.post(f"/portal/track/{case.reference}/reply/", {"body": "مركز الوكرة"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress" and case.sla_paused_at is None
    assert case.notes.filter(visibility="from_resident", body="مركز الوكرة").exists()
    reply = case.interactions.get(outcome="case_updated")
    assert reply.channel == "web" and reply.direction == "in" and reply.body == "مركز الوكرة"
    html = client.get(
        f"/portal/track/{case.reference}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Your reply" in html and "مركز الوكرة" in html
    assert client.post(f"/portal/track/{case.reference}/reply/", {"body": "  "}).status_code == 400


def test_rating_once_per_resolution(client, tracked_case, people):
    staff = people["phcc_staff"]
    url = f"/portal/track/{tracked_case.reference}/rate/"
    assert client.post(url, {"score": 5}).status_code == 400  # not answered yet
    case = case_transition(case=tracked_case, action="resolve", actor=staff,
                           reason="A new appointment was booked")  # fmt: skip
    html = client.get(
        f"/portal/track/{case.reference}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "A new appointment was booked" in html and "How satisfied are you" in html
    assert client.post(url, {"score": 9}).status_code == 400
    assert client.post(url, {"score": 4, "comment": "شكراً"}).status_code == 302
    response = client.post(url, {"score": 1}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "already rated" in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.source) == (4, "شكراً", "web")
    # Reopened and resolved again: the new answer can be rated.
    case = case_transition(case=case, action="reopen", actor=staff, reason="still waiting")
    case = case_transition(case=case, action="resolve", actor=staff, reason="done now")
    assert client.post(url, {"score": 2}).status_code == 302
    assert Rating.objects.count() == 2


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_portal_page_has_arabic_and_english(client, tracked_case, language):
    expected = {"ar": ("rtl", "الحالة"), "en": ("ltr", "Status")}[language]
    html = client.get(
        f"/portal/track/{tracked_case.reference}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f'dir="{expected[0]}"' in html and expected[1] in html
