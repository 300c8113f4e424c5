"""A resident who asks the portal for answers in Nepali (or Urdu) gets the acknowledgement and
the one-time code in that language, though the portal's pages are in Arabic and English."""

from __future__ import annotations

from tawasul.cases.models import Case
from tawasul.omnichannel.models import OutboxMessage
from tests.portal.conftest import complaint_form, last_code, reference_of

FSI, PDI = "\u2068", "\u2069"


def test_the_answers_language_offers_every_hotline_language(client, directory):
    html = client.get("/portal/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ("اردو", "हिन्दी", "മലയാളം", "বাংলা", "नेपाली", "Tagalog", "Français"):
        assert name in html


def test_acknowledgement_and_code_in_the_language_asked_for(client, submit):
    response = submit(complaint_form(language="ne", full_name="Bishnu Thapa"))
    reference = reference_of(response)
    case = Case.objects.get(reference=reference)
    assert case.resident.preferred_language == "ne"
    ack = OutboxMessage.objects.get(case=case, idempotency_key__startswith="portal-ack:")
    assert ack.language == "ne" and ack.channel == "sms"
    assert ack.body == (
        f"तपाईंको अनुरोध प्राप्त भयो। तपाईंको सन्दर्भ नम्बर {reference} हो। पोर्टलमा आफ्नो "
        "अनुरोधको जानकारी लिन यसलाई सुरक्षित राख्नुहोस्।"
    )  # Devanagari is left-to-right: the Latin reference needs no isolates

    client.post("/portal/track/", {"reference": reference, "channel": "sms"})
    code = last_code("+97455123456")
    otp = OutboxMessage.objects.filter(idempotency_key__startswith="portal-otp:").get()
    assert otp.body.startswith(f"अनुरोध नम्बर {reference} हेर्नका लागि तपाईंको कोड {code} हो।")
    assert client.post("/portal/track/code/", {"code": code}).status_code == 302


def test_an_urdu_acknowledgement_isolates_the_reference(submit):
    reference = reference_of(submit(complaint_form(language="ur")))
    ack = OutboxMessage.objects.get(idempotency_key__startswith="portal-ack:")
    assert f"آپ کا حوالہ نمبر {FSI}{reference}{PDI} ہے۔" in ack.body
    assert ack.subject == f"درخواست موصول: {FSI}{reference}{PDI}"


def test_a_language_we_have_no_texts_for_is_refused_by_name(submit):
    response = submit(complaint_form(language="xx"))
    assert response.status_code == 400  # the form again, with the error on the field
    assert "language" in response.context["form"].errors
    assert not Case.objects.exists()
