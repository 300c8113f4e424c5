"""Bad input gets a 4xx naming the field, never a 500; Unicode text survives intact."""

from __future__ import annotations

import json

import pytest

from tawasul.cases.models import Case
from tests.support import case_payload, field_errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("missing", ["kind", "entity", "subject", "description"])
def test_missing_required_fields_are_named(api_as, missing):
    payload = case_payload()
    del payload[missing]
    response = api_as("agent").post("/cases", payload)
    assert response.status_code == 422
    assert missing in field_errors(response)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "rant"),
        ("kind", 3),
        ("entity", 7),
        ("subject", ["a"]),
        ("priority", "whenever"),
        ("resident_id", "abc"),
        ("resident_id", -1),
        ("interaction_id", "not-a-uuid"),
        ("location", "Muscat"),
        ("channel", "carrier-pigeon"),
    ],
)
def test_wrong_types_and_values_are_named(api_as, field, value):
    response = api_as("agent").post("/cases", case_payload(**{field: value}))
    assert response.status_code == 422, response.content
    assert field in field_errors(response) or any(
        name.startswith(f"{field}.") for name in field_errors(response)
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("entity", "atlantis"), ("service", "no-such-service"), ("hotline", "999")],
)
def test_unknown_references_are_named(api_as, field, value):
    response = api_as("agent").post("/cases", case_payload(**{field: value}))
    assert response.status_code == 400
    assert field_errors(response) == {field: f"unknown {field}: {value}"}


def test_service_of_another_entity(api_as):
    response = api_as("agent").post("/cases", case_payload(service="moci-consumer-complaint"))
    assert field_errors(response) == {"service": "the service belongs to another entity"}


@pytest.mark.parametrize(
    "phone", ["12", "+974 1234", "call me maybe", "+999 5512 3456", "٠٥٥١٢٣٤٥٦٧٨٩٠١٢٣"]
)
def test_invalid_phone_numbers(api_as, phone):
    response = api_as("agent").post("/cases", case_payload(resident={"phone": phone}))
    assert response.status_code == 400
    assert list(field_errors(response)) == ["phone"]


def test_invalid_email(api_as):
    response = api_as("agent").post("/residents", {"email": "not-an-address@"})
    assert response.status_code == 400
    assert field_errors(response) == {"email": "not a valid e-mail address"}


def test_resident_without_any_contact(api_as):
    response = api_as("agent").post("/cases", case_payload(resident={"full_name": "سالم"}))
    assert response.status_code == 400
    assert "resident" in field_errors(response)


def test_very_long_strings_are_refused_not_truncated(api_as):
    long_subject = api_as("agent").post("/cases", case_payload(subject="ش" * 301))
    assert long_subject.status_code == 422
    assert "subject" in field_errors(long_subject)
    long_description = api_as("agent").post("/cases", case_payload(description="x" * 20001))
    assert "description" in field_errors(long_description)
    edge = api_as("agent").post("/cases", case_payload(subject="ش" * 300))
    assert edge.status_code == 201
    assert edge.json()["subject"] == "ش" * 300


def test_blank_text_is_refused(api_as):
    response = api_as("agent").post("/cases", case_payload(subject="   \n "))
    assert response.status_code == 422
    assert "subject" in field_errors(response)


def test_control_characters_are_refused(api_as):
    response = api_as("agent").post("/cases", case_payload(description="ok\x00then NUL"))
    assert response.status_code == 422
    assert "description" in field_errors(response)


@pytest.mark.parametrize(
    "text",
    [
        "شكوى بخصوص الموعد رقم 4521 في مركز الوكرة الصحي",
        "Complaint about مركز الوكرة — appointment #4521",
        "\u200fرقم الطلب\u200e ABC-123\u200f",  # RTL/LTR marks around a Latin code
        "\u202bنص مضمن\u202c and English",
        "مَرْحَبًا بِكُمْ — with diacritics",
        "ملاحظة 👍🏽 with emoji and 日本語",
    ],
)
def test_arabic_mixed_script_and_bidi_text_round_trips(api_as, text):
    agent = api_as("agent")
    created = agent.post("/cases", case_payload(subject=text[:300], description=text))
    assert created.status_code == 201, created.content
    read = agent.get(f"/cases/{created.json()['reference']}").json()
    assert read["subject"] == text.strip()
    assert read["description"] == text.strip()
    found = agent.get("/cases", query_params={"q": text.split()[0]}).json()
    assert created.json()["reference"] in [c["reference"] for c in found["results"]]


def test_invalid_json_is_a_4xx(api_as):
    response = api_as("agent").post("/cases", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_invalid_utf8_is_a_4xx(api_as):
    response = api_as("agent").post(
        "/cases", b'{"subject": "\xff\xfe"}', content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_json_array_instead_of_object(api_as):
    response = api_as("agent").post("/cases", json.dumps([case_payload()]))
    assert response.status_code == 422


def test_huge_payload_is_413(api_as):
    body = json.dumps(case_payload(description="x" * (2 * 1024 * 1024)))
    response = api_as("agent").post("/cases", body)
    assert response.status_code == 413
    assert field_errors(response) == {"body": "the request body is too large"}
    assert Case.objects.count() == 0


def test_bad_query_parameters(api_as):
    agent = api_as("agent")
    assert agent.get("/cases", query_params={"page_size": 1000}).status_code == 422
    assert agent.get("/cases", query_params={"created_after": "yesterday"}).status_code == 422
    assert agent.get("/cases", query_params={"overdue": "maybe"}).status_code == 422
    assert agent.get("/cases", query_params={"order": "password"}).status_code == 422


@pytest.mark.parametrize("path", ["/cases", "/interactions", "/residents?name=x"])
@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("9223372036854775807", "Input should be less than or equal to 10000"),
        ("99999999999999999999999", "Input should be less than or equal to 10000"),
        ("0", "Input should be greater than or equal to 1"),
        ("-1", "Input should be greater than or equal to 1"),
    ],
)
def test_page_out_of_bounds_names_the_field(api_as, path, page, message):
    # A 64-bit page number used to reach the database as an OFFSET and overflow: a 500.
    sep = "&" if "?" in path else "?"
    response = api_as("supervisor").get(f"{path}{sep}page={page}")
    assert response.status_code == 422
    assert field_errors(response) == {"page": message}


@pytest.mark.parametrize("path", ["/cases", "/interactions", "/residents?name=x"])
def test_page_size_out_of_bounds_names_the_field(api_as, path):
    sep = "&" if "?" in path else "?"
    response = api_as("supervisor").get(f"{path}{sep}page_size=201")
    assert response.status_code == 422
    assert field_errors(response) == {"page_size": "Input should be less than or equal to 200"}


def test_page_past_the_end_is_empty(api_as):
    supervisor = api_as("supervisor")
    assert supervisor.post("/cases", case_payload()).status_code == 201
    response = supervisor.get("/cases?page=10000&page_size=200")
    assert response.status_code == 200
    assert response.json() == {"count": 1, "page": 10000, "page_size": 200, "results": []}
    assert supervisor.get("/cases?page=1").json()["count"] == 1


@pytest.mark.parametrize("path", ["/cases", "/interactions"])
@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999"])
def test_resident_id_filter_past_64_bits_names_the_field(api_as, path, value):
    # Past 64 bits the number overflowed inside the database driver: a 500.
    response = api_as("supervisor").get(f"{path}?resident_id={value}")
    assert response.status_code == 422
    assert field_errors(response) == {
        "resident_id": "Input should be less than or equal to 9223372036854775807"
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2055-04-16T04:13:07-21:40", "the UTC offset must be between -14:00 and +14:00"),
        ("0001-01-01T00:00:00+05:00", "the year must be between 1900 and 9998"),
        ("9999-12-31T23:59:59-05:00", "the year must be between 1900 and 9998"),
    ],
)
def test_datetimes_the_database_cannot_store_name_the_field(api_as, value, message):
    # PostgreSQL refused the offset and Python overflowed converting to UTC: both were 500s.
    agent = api_as("agent")
    listed = agent.get("/cases", query_params={"created_after": value})
    assert listed.status_code == 422
    assert field_errors(listed) == {"created_after": f"Value error, {message}"}
    logged = agent.post("/interactions", {"channel": "call", "offered_at": value})
    assert logged.status_code == 422
    assert field_errors(logged) == {"offered_at": f"Value error, {message}"}


def test_nul_bytes_in_lookups_are_refused(api_as):
    # PostgreSQL cannot hold or compare a NUL: these were 500s there.
    agent = api_as("agent")
    services = agent.get("/directory/services?entity=ph%00cc")
    assert services.status_code == 422
    assert field_errors(services) == {"entity": "Value error, must not contain control characters"}
    assert agent.get("/directory/entities/ph%00cc").status_code == 422
    for path in ("/cases/TW%00", "/cases/TW%00/notes", "/cases/" + "X" * 41):
        response = agent.get(path)
        assert response.status_code == 404
        assert field_errors(response) == {"reference": "no such case"}


def test_paginate_refuses_what_the_schema_would(db):
    from tawasul.api.routers.common import paginate
    from tawasul.errors import DomainError

    with pytest.raises(DomainError) as caught:
        paginate(Case.objects.all(), page=2**63 - 1, page_size=50)
    assert (caught.value.field, caught.value.message) == ("page", "must be between 1 and 10000")
    with pytest.raises(DomainError) as caught:
        paginate(Case.objects.all(), page=1, page_size=0)
    assert caught.value.field == "page_size"


def test_interaction_timings_must_not_run_backwards(api_as):
    response = api_as("agent").post(
        "/interactions",
        {
            "channel": "call",
            "offered_at": "2026-11-23T10:00:00+03:00",
            "answered_at": "2026-11-23T09:59:00+03:00",
        },
    )
    assert response.status_code == 400
    assert field_errors(response) == {"answered_at": "answered_at is before offered_at"}
