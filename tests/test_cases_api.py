"""Case creation, lifecycle, notes, attachments and history through the REST API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tawasul.cases.models import Case, CaseEvent
from tawasul.residents.models import ContactPoint
from tests.support import case_payload, field_errors

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_agent_opens_a_case_and_gets_a_reference_with_sla(api_as):
    response = api_as("agent").post("/cases", case_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    year = Case.objects.get().created_at.year
    assert re.fullmatch(rf"107-{year}-\d{{6}}", body["reference"])
    assert body["status"] == "new"
    assert body["entity"] == "phcc"
    assert body["subject"] == "تأخر موعد المراجعة"
    assert body["sla"]["resolution_due"] is not None
    assert set(body["allowed_actions"]) == {"route", "start", "resolve"}
    assert ContactPoint.objects.get(kind="phone").value == "+97455123456"


def test_references_count_up_per_hotline(api_as):
    agent = api_as("agent")
    first = agent.post("/cases", case_payload()).json()["reference"]
    second = agent.post("/cases", case_payload()).json()["reference"]
    other_line = agent.post(
        "/cases", case_payload(entity="moci", hotline="109", service="moci-consumer-complaint")
    ).json()["reference"]
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    assert other_line.startswith("109-") and other_line.endswith("-000001")


def test_full_lifecycle_records_every_transition(api_as, directory):
    agent, staff = api_as("agent"), api_as("phcc_staff")
    ref = agent.post("/cases", case_payload()).json()["reference"]

    routed = agent.post(
        f"/cases/{ref}/transitions", {"action": "route", "department": "patient-relations"}
    )
    assert routed.status_code == 200, routed.content
    assert routed.json()["status"] == "assigned"
    assert routed.json()["department"] == "patient-relations"

    steps = [
        ("start", {}, "in_progress"),
        ("request_info", {"reason": "ما هو رقم الملف الطبي؟"}, "awaiting_resident"),
        ("resume", {}, "in_progress"),
        ("resolve", {"reason": "تم تحديد موعد جديد"}, "resolved"),
        ("close", {}, "closed"),
        ("reopen", {"reason": "المراجع أفاد بأن الموعد أُلغي مرة أخرى"}, "in_progress"),
    ]
    for action, extra, expected in steps:
        response = staff.post(f"/cases/{ref}/transitions", {"action": action, **extra})
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == expected

    history = staff.get(f"/cases/{ref}/history").json()
    transitions = [(e["from_status"], e["to_status"]) for e in history if e["kind"] == "transition"]
    assert transitions == [
        ("new", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "awaiting_resident"),
        ("awaiting_resident", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
        ("closed", "in_progress"),
    ]
    assert history[0]["kind"] == "created"
    actors = {e["actor"] for e in history if e["kind"] == "transition"}
    assert actors == {"agent.fatima", "phcc.noura"}
    reasons = [e["reason"] for e in history if e["to_status"] == "awaiting_resident"]
    assert reasons == ["ما هو رقم الملف الطبي؟"]


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "close"),
        ([], "resume"),
        ([], "reopen"),
        ([("resolve", "done")], "start"),
        ([("resolve", "done"), ("close", "")], "resolve"),
        ([("start", ""), ("request_info", "why")], "request_info"),
    ],
)
def test_illegal_transitions_are_refused_with_409(api_as, setup, action):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    for step, reason in setup:
        assert (
            agent.post(f"/cases/{ref}/transitions", {"action": step, "reason": reason}).status_code
            == 200
        )
    before = agent.get(f"/cases/{ref}").json()
    response = agent.post(f"/cases/{ref}/transitions", {"action": action, "reason": "x"})
    assert response.status_code == 409
    status = before["status"].replace("assigned", "assigned to department").replace("_", " ")
    assert field_errors(response) == {"action": f"cannot {action} a case that is {status}"}
    assert agent.get(f"/cases/{ref}").json()["version"] == before["version"]


def test_unknown_action_and_missing_reason_are_named(api_as):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    unknown = agent.post(f"/cases/{ref}/transitions", {"action": "teleport"})
    assert unknown.status_code == 422
    assert "action" in field_errors(unknown)
    no_reason = agent.post(f"/cases/{ref}/transitions", {"action": "resolve"})
    assert no_reason.status_code == 400
    assert field_errors(no_reason) == {"reason": "a reason is required to resolve"}

    no_department = agent.post(f"/cases/{ref}/transitions", {"action": "route"})
    assert field_errors(no_department) == {"department": "choose the department to route to"}
    foreign = agent.post(f"/cases/{ref}/transitions", {"action": "route", "department": "consumer"})
    assert foreign.status_code == 400
    assert "department" in field_errors(foreign)


def test_stale_version_is_refused(api_as):
    agent, staff = api_as("agent"), api_as("phcc_staff")
    case = agent.post("/cases", case_payload()).json()
    staff.post(f"/cases/{case['reference']}/transitions", {"action": "start"})
    stale = agent.post(
        f"/cases/{case['reference']}/transitions",
        {"action": "resolve", "reason": "done", "version": case["version"]},
    )
    assert stale.status_code == 409
    assert "version" in field_errors(stale)


def test_create_with_service_routes_to_its_department(api_as):
    body = api_as("agent").post("/cases", case_payload(service="phcc-appointment")).json()
    assert body["status"] == "assigned"
    assert body["department"] == "appointments"


def test_municipal_report_keeps_its_location(api_as):
    payload = case_payload(
        kind="report",
        entity="muscat",
        hotline="1111",
        service="muscat-road-damage",
        subject="حفرة في الطريق",
        location={"latitude": "23.588", "longitude": "58.3829", "address": "Ruwi, Muscat"},
    )
    body = api_as("agent").post("/cases", payload).json()
    assert body["location"] == {
        "latitude": "23.588000",
        "longitude": "58.382900",
        "address": "Ruwi, Muscat",
    }
    only_lat = api_as("agent").post("/cases", {**payload, "location": {"latitude": "23.5"}})
    assert only_lat.status_code == 400
    assert "longitude" in field_errors(only_lat)
    off_globe = api_as("agent").post(
        "/cases", {**payload, "location": {"latitude": 123, "longitude": 5}}
    )
    assert off_globe.status_code == 422
    assert "location.latitude" in field_errors(off_globe)


def test_notes_internal_and_to_resident(api_as):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    internal = agent.post(f"/cases/{ref}/notes", {"body": "اتصلت بالمركز الصحي"})
    assert internal.status_code == 201
    assert internal.json()["visibility"] == "internal"
    assert internal.json()["delivery_channel"] == ""
    message = agent.post(
        f"/cases/{ref}/notes", {"body": "Your appointment is on Sunday.", "visibility": "resident"}
    )
    assert message.status_code == 201
    assert message.json()["delivery_channel"] == "sms"
    case = agent.get(f"/cases/{ref}").json()
    assert case["sla"]["first_response_at"] is not None
    kinds = [e["kind"] for e in agent.get(f"/cases/{ref}/history").json()]
    assert kinds == ["created", "note", "message"]
    assert [n["body"] for n in agent.get(f"/cases/{ref}/notes").json()] == [
        "اتصلت بالمركز الصحي",
        "Your appointment is on Sunday.",
    ]


def test_attachments_are_type_and_size_checked(api_as, settings):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    pdf = agent.post(
        f"/cases/{ref}/attachments",
        {"file": SimpleUploadedFile("تقرير.pdf", PDF, content_type="application/pdf")},
        content_type=None,
    )
    assert pdf.status_code == 201, pdf.content
    assert pdf.json()["content_type"] == "application/pdf"
    assert pdf.json()["filename"] == "تقرير.pdf"

    again = agent.post(
        f"/cases/{ref}/attachments",
        {"file": SimpleUploadedFile("copy.pdf", PDF)},
        content_type=None,
    )
    assert again.json()["id"] == pdf.json()["id"], "the same bytes are stored once"

    disguised = agent.post(
        f"/cases/{ref}/attachments",
        {
            "file": SimpleUploadedFile(
                "photo.png", b"MZ\x90\x00 this is an exe", content_type="image/png"
            )
        },
        content_type=None,
    )
    assert disguised.status_code == 400
    assert field_errors(disguised) == {
        "file": "only PDF, PNG, JPEG, GIF, WEBP and TIFF files are accepted"
    }

    settings.TAWASUL = {**settings.TAWASUL, "ATTACHMENT_MAX_BYTES": 1000}
    big = agent.post(
        f"/cases/{ref}/attachments",
        {"file": SimpleUploadedFile("big.png", PNG + b"\x00" * 2000)},
        content_type=None,
    )
    assert big.status_code == 400
    assert "file" in field_errors(big)
    empty = agent.post(
        f"/cases/{ref}/attachments", {"file": SimpleUploadedFile("e.pdf", b"")}, content_type=None
    )
    assert empty.status_code == 400
    missing = agent.post(f"/cases/{ref}/attachments", {}, content_type=None)
    assert missing.status_code == 422
    assert "file" in field_errors(missing)
    listed = agent.get(f"/cases/{ref}/attachments").json()
    assert [a["filename"] for a in listed] == ["تقرير.pdf"]
    assert CaseEvent.objects.filter(kind="attachment").count() == 1


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
MARKUP = "the file contains web-page markup (HTML, SVG or XML) and is not accepted"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n" + PDF


def _attach(api, ref: str, name: str, data: bytes):
    return api.post(
        f"/cases/{ref}/attachments", {"file": SimpleUploadedFile(name, data)}, content_type=None
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type", "stored_as"),
    [
        ("photo.jpg", JPEG, "image/jpeg", "photo.jpg"),
        ("PHOTO.JPEG", JPEG, "image/jpeg", "PHOTO.JPEG"),
        ("خريطة.png", PNG, "image/png", "خريطة.png"),
        ("anim.gif", GIF, "image/gif", "anim.gif"),
        ("photo.webp", WEBP, "image/webp", "photo.webp"),
        ("letter.pdf", PDF, "application/pdf", "letter.pdf"),
        ("scan", PDF, "application/pdf", "scan.pdf"),  # no extension: the real one is added
        ("part-1", JPEG, "image/jpeg", "part-1.jpg"),
    ],
)
def test_good_attachments_are_sniffed_by_their_bytes(api_as, name, data, content_type, stored_as):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    response = _attach(agent, ref, name, data)
    assert response.status_code == 201, response.content
    assert (response.json()["content_type"], response.json()["filename"]) == (
        content_type,
        stored_as,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # PDF bytes named as a photo: used to be stored as photo.jpg.
        ("photo.jpg", PDF, "the file name ends in .jpg but the file is a PDF file"),
        ("photo.png", JPEG, "the file name ends in .png but the file is a JPG file"),
        ("report.html", PDF, "the file name ends in .html but the file is a PDF file"),
        ("image.svg", PNG, "the file name ends in .svg but the file is a PNG file"),
        # A PDF that is also a web page, whatever its name.
        ("page.html", POLYGLOT, MARKUP),
        ("report.pdf", POLYGLOT, MARKUP),
        ("x.gif", GIF + b"<svg onload=alert(1)>", MARKUP),
        ("x.jpg", JPEG[:20] + b"<!-- --><SCRIPT>x</SCRIPT>", MARKUP),
        ("x.png", PNG + b'<?xml version="1.0"?>', MARKUP),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', MARKUP),
        ("index.html", b"<!DOCTYPE html><html></html>", MARKUP),
    ],
)  # fmt: skip
def test_bad_attachments_are_refused(api_as, name, data, message):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    response = _attach(agent, ref, name, data)
    assert response.status_code == 400
    assert field_errors(response) == {"file": message}
    assert Case.objects.get(reference=ref).attachments.count() == 0


def test_attachment_markup_past_the_sniffed_start_is_not_held_against_a_file(api_as):
    # Only the start is examined: compressed data matches short tags by chance further on.
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    response = _attach(agent, ref, "photo.jpg", JPEG + b"\x00" * 2000 + b"<html>")
    assert response.status_code == 201, response.content


def test_attachment_count_is_limited(api_as, settings):
    settings.TAWASUL = {**settings.TAWASUL, "ATTACHMENTS_PER_CASE": 2}
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    for n in range(2):
        ok = agent.post(
            f"/cases/{ref}/attachments",
            {"file": SimpleUploadedFile(f"{n}.png", PNG + bytes([n]))},
            content_type=None,
        )
        assert ok.status_code == 201
    third = agent.post(
        f"/cases/{ref}/attachments",
        {"file": SimpleUploadedFile("3.png", PNG + b"3")},
        content_type=None,
    )
    assert third.status_code == 400
    assert field_errors(third) == {"file": "this case has the maximum number of attachments"}


def test_search_filters_and_paginates(api_as):
    agent = api_as("agent")
    for n in range(5):
        agent.post(
            "/cases", case_payload(subject=f"موضوع {n}", priority="high" if n % 2 else "low")
        )
    agent.post("/cases", case_payload(entity="moci", hotline="109", kind="inquiry"))
    page = agent.get("/cases", query_params={"entity": "phcc", "page_size": 2}).json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    high = agent.get("/cases", query_params={"priority": "high"}).json()
    assert high["count"] == 2
    text = agent.get("/cases", query_params={"q": "موضوع 3"}).json()
    assert [c["subject"] for c in text["results"]] == ["موضوع 3"]
    inquiries = agent.get("/cases", query_params={"kind": "inquiry"}).json()
    assert [c["entity"] for c in inquiries["results"]] == ["moci"]
    bad_page = agent.get("/cases", query_params={"page": 0})
    assert bad_page.status_code == 422
    assert "page" in field_errors(bad_page)
    bad_status = agent.get("/cases", query_params={"status": "lost"})
    assert bad_status.status_code == 422
    assert "status.0" in field_errors(bad_status) or "status" in field_errors(bad_status)


def test_unknown_case_is_404_naming_the_reference(api_as):
    response = api_as("agent").get("/cases/107-2026-999999")
    assert response.status_code == 404
    assert field_errors(response) == {"reference": "no such case"}


def test_follow_ups_are_scheduled_listed_and_done(api_as):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    due = (timezone.now() + timedelta(days=1)).isoformat()
    created = agent.post(f"/cases/{ref}/follow-ups", {"due_at": due, "note": "اتصل بالمراجع"})
    assert created.status_code == 201, created.content
    follow_up = created.json()
    assert follow_up["done_at"] is None
    done = agent.post(f"/cases/{ref}/follow-ups/{follow_up['id']}/done")
    assert done.json()["done_at"] is not None
    assert [f["note"] for f in agent.get(f"/cases/{ref}/follow-ups").json()] == ["اتصل بالمراجع"]
    kinds = [e["kind"] for e in agent.get(f"/cases/{ref}/history").json()]
    assert kinds.count("follow_up") == 2
    past = agent.post(f"/cases/{ref}/follow-ups", {"due_at": "2020-01-01T00:00:00Z", "note": "x"})
    assert field_errors(past) == {"due_at": "a follow-up must be due in the future"}
    assert agent.post(f"/cases/{ref}/follow-ups/999/done").status_code == 404
    assert api_as("outsider").get(f"/cases/{ref}/follow-ups").status_code == 404


def test_message_to_resident_is_queued_on_the_preferred_channel_with_fallback(api_as):
    from tawasul.omnichannel.models import OutboxMessage

    agent = api_as("agent")
    created = agent.post(
        "/cases", case_payload(resident={"phone": "+97455123456", "email": "m@example.qa"})
    ).json()
    agent.patch(
        f"/residents/{created['resident_id']}",
        {"preferred_channel": "email", "fallback_channels": ["sms"]},
    )
    ref = created["reference"]
    agent.post(f"/cases/{ref}/notes", {"body": "موعدك يوم الأحد", "visibility": "resident"})
    agent.post(f"/cases/{ref}/notes", {"body": "internal only"})
    queued = OutboxMessage.objects.get()
    assert (queued.channel, queued.to_address) == ("email", "m@example.qa")
    assert queued.fallback_channels == [["sms", "+97455123456"]]
    assert queued.body == "موعدك يوم الأحد"
    assert queued.subject.startswith(f"[{ref}]")
    assert queued.status == "pending"


def test_department_returns_a_case_to_the_center(api_as):
    agent, staff = api_as("agent"), api_as("phcc_staff")
    ref = agent.post("/cases", case_payload(service="phcc-appointment")).json()["reference"]
    back = staff.post(
        f"/cases/{ref}/transitions",
        {"action": "return_to_center", "reason": "ليس من اختصاص المواعيد"},
    )
    assert back.status_code == 200, back.content
    assert (back.json()["status"], back.json()["department"]) == ("new", None)
    again = staff.post(f"/cases/{ref}/transitions", {"action": "return_to_center", "reason": "x"})
    assert again.status_code == 409


def test_case_creation_hot_path_query_count(api_as, django_assert_max_num_queries):
    """The busiest write in the center: a known resident, a routed service, a retry key."""
    agent = api_as("agent")
    agent.post("/cases", case_payload(service="phcc-appointment"))  # warm per-process caches
    with django_assert_max_num_queries(8) as captured:
        response = agent.post(
            "/cases",
            case_payload(service="phcc-appointment"),
            headers={"Idempotency-Key": "hot-path"},
        )
    assert response.status_code == 201
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements.count("INSERT") == 3, statements  # case, its two events, the key


def test_errors_speak_the_callers_language(api_as):
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    arabic = agent.post(
        f"/cases/{ref}/transitions", {"action": "resolve"}, headers={"Accept-Language": "ar"}
    )
    assert arabic.status_code == 400
    assert field_errors(arabic) == {"reason": "يلزم ذكر السبب لتنفيذ resolve"}
    agent.post(f"/cases/{ref}/transitions", {"action": "resolve", "reason": "تم"})
    agent.post(f"/cases/{ref}/transitions", {"action": "close"})
    closed = agent.post(
        f"/cases/{ref}/transitions", {"action": "start"}, headers={"Accept-Language": "ar"}
    )
    assert closed.status_code == 409
    assert field_errors(closed) == {"action": "لا يمكن تنفيذ start على بلاغ حالته مغلق"}


def test_attachments_are_encrypted_at_rest_and_served_decrypted_to_staff(
    api_as, settings, tmp_path
):
    import stat

    from tawasul.accounts.models import AuditEntry
    from tawasul.cases.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path / "media")
    agent = api_as("agent")
    ref = agent.post("/cases", case_payload()).json()["reference"]
    body = PDF + "بطاقة الهوية 28463400000".encode() * 50
    made = agent.post(
        f"/cases/{ref}/attachments",
        {"file": SimpleUploadedFile("هوية.pdf", body)},
        content_type=None,
    ).json()
    attachment = Attachment.objects.get(pk=made["id"])
    assert made["size"] == len(body)
    on_disk = tmp_path / "media" / attachment.file.name
    raw = on_disk.read_bytes()
    assert raw[:4] == b"TWAR" and b"%PDF" not in raw and "بطاقة".encode() not in raw
    assert attachment.sha256 not in attachment.file.name, "the name does not give the hash away"
    assert stat.S_IMODE(on_disk.stat().st_mode) == 0o600
    assert stat.S_IMODE(on_disk.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(on_disk.parent.parent.stat().st_mode) == 0o700

    url = f"/cases/{ref}/attachments/{attachment.pk}/file"
    served = agent.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == body
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Length"] == str(len(body))
    assert (
        AuditEntry.objects.filter(object_type="attachment", object_id=str(attachment.pk)).count()
        == 1
    )

    outsider = api_as("outsider").get(url)  # another entity's back office
    assert outsider.status_code == 404
    missing = agent.get(f"/cases/{ref}/attachments/{attachment.pk + 999}/file")
    assert missing.status_code == 404


# --- audit of personal data read through the API ---------------------------------------


@pytest.mark.parametrize(
    ("suffix", "purpose", "fields"),
    [
        ("", "case detail", ["description", "location", "resident_id", "resolution", "subject"]),
        ("/notes", "case notes", ["notes"]),
        ("/history", "case history", ["history"]),
    ],
)
def test_each_read_of_a_case_writes_one_audit_entry(api_as, people, suffix, purpose, fields):
    from tawasul.accounts.models import AuditEntry

    agent = api_as("agent")
    case = agent.post("/cases", case_payload()).json()
    staff = api_as("phcc_staff")
    before = set(AuditEntry.objects.values_list("id", flat=True))
    response = staff.get(f"/cases/{case['reference']}{suffix}")
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.exclude(id__in=before)
    assert (entry.actor, entry.actor_label, entry.action) == (
        people["phcc_staff"],
        "phcc.noura",
        "read",
    )
    assert (entry.object_type, entry.object_id, entry.resident_id) == (
        "case",
        case["reference"],
        case["resident_id"],
    )
    assert (entry.purpose, entry.fields) == (purpose, fields)
    assert entry.path == f"/api/cases/{case['reference']}{suffix}"


@pytest.mark.parametrize(
    ("path", "purpose"),
    [("/cases", "cases of a resident"), ("/interactions", "interactions of a resident")],
)
def test_filtering_by_resident_writes_one_audit_entry(api_as, people, path, purpose):
    from tawasul.accounts.models import AuditEntry

    agent = api_as("agent")
    resident_id = agent.post("/cases", case_payload()).json()["resident_id"]
    before = set(AuditEntry.objects.values_list("id", flat=True))
    response = agent.get(f"{path}?resident_id={resident_id}")
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.exclude(id__in=before)
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        people["agent"],
        "search",
        "resident",
        str(resident_id),
    )
    assert (entry.resident_id, entry.purpose) == (resident_id, purpose)
    # Without the filter the list names no one resident: no entry.
    assert agent.get(path).status_code == 200
    assert AuditEntry.objects.exclude(id__in=before).count() == 1


def test_a_refused_case_read_writes_no_audit_entry(api_as):
    from tawasul.accounts.models import AuditEntry

    reference = api_as("agent").post("/cases", case_payload()).json()["reference"]
    before = AuditEntry.objects.count()
    for suffix in ("", "/notes", "/history"):
        assert api_as("outsider").get(f"/cases/{reference}{suffix}").status_code == 404
    assert AuditEntry.objects.count() == before
