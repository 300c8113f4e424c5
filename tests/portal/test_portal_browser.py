"""The resident's whole path in a real browser, in Arabic and in English: submit → reference →
one-time code (read from the outbox, which is what the resident receives) → a staff reply."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import last_code

LABELS = {
    "ar": {
        "locale": "ar-QA", "dir": "rtl", "entity_label": "الجهة الحكومية", "kind": "شكوى",
        "send": "إرسال", "track": "متابعة هذا الطلب", "send_code": "أرسل لي الرمز",
        "open": "افتح طلبي", "status": "الحالة", "message": "رسالة منا",
        "phone": "+974 5512 0001",
    },
    "en": {
        "locale": "en-US", "dir": "ltr", "entity_label": "Government entity", "kind": "Complaint",
        "send": "Send", "track": "Track this request", "send_code": "Send me a code",
        "open": "Open my request", "status": "Status", "message": "Message from us",
        "phone": "+974 5512 0002",
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["ar", "en"])
def test_submit_track_and_read_a_reply(transactional_db, directory, people, asgi_server, browser,
                                       language):  # fmt: skip
    from tawasul.cases.models import Case
    from tawasul.cases.services import case_add_note

    text = LABELS[language]
    context = browser.new_context(locale=text["locale"], viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(asgi_server + "/portal/new/")
    assert page.locator("html").get_attribute("dir") == text["dir"], page.content()[:3000]
    assert page.locator("label[for=id_entity]").inner_text().startswith(text["entity_label"])

    page.get_by_label(text["kind"], exact=True).check()
    page.select_option("#id_entity", "phcc")
    # htmx swaps in the entity's services once the entity is chosen.
    page.wait_for_selector("#id_service option[value=phcc-appointment]", state="attached")
    page.select_option("#id_service", "phcc-appointment")
    page.fill("#id_description", "تأخر موعدي في المركز الصحي / my appointment was postponed")
    page.fill("#id_phone", text["phone"])
    page.get_by_role("button", name=text["send"], exact=True).click()

    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"107-\d{4}-\d{6}", reference)
    page.get_by_role("link", name=text["track"]).click()
    assert page.locator("#id_reference").input_value() == reference
    page.get_by_role("button", name=text["send_code"]).click()

    page.fill("#id_code", last_code(text["phone"].replace(" ", "")))
    page.get_by_role("button", name=text["open"]).click()
    assert page.locator("h1").inner_text() == reference
    assert text["status"] in page.locator(".portal-case").inner_text()

    case = Case.objects.get(reference=reference)
    case_add_note(case=case, actor=people["phcc_staff"], visibility="resident",
                  body="تم تحديد موعد جديد يوم الأحد")  # fmt: skip
    case_add_note(case=case, actor=people["phcc_staff"], visibility="internal",
                  body="internal: check the old file")  # fmt: skip
    page.reload()
    timeline = page.locator(".portal-timeline").inner_text()
    assert "تم تحديد موعد جديد يوم الأحد" in timeline and text["message"] in timeline
    assert "internal" not in page.content()
    context.close()


def test_a_failed_submit_ties_errors_to_fields_and_focuses_a_summary(
    transactional_db, directory, asgi_server, browser
):
    """Issue #12: aria-describedby named an id no element had, and focus dropped to the top."""
    context = browser.new_context(locale="ar-QA")
    page = context.new_page()
    page.goto(asgi_server + "/portal/new/")
    page.get_by_label("شكوى", exact=True).check()
    page.select_option("#id_entity", "phcc")
    page.fill("#id_phone", "+974 5512 0003")
    page.get_by_role("button", name="إرسال", exact=True).click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    described_by = page.locator("#id_description").get_attribute("aria-describedby")
    assert described_by, "the description is not described by its error"
    error = page.locator(f"[id='{described_by}']")
    assert error.count() == 1
    assert error.inner_text() == "هذا الحقل مطلوب."
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"

    link = summary.get_by_role("link", name="صف طلبك: هذا الحقل مطلوب.")
    assert link.get_attribute("href") == "#id_description"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_description"
    context.close()
