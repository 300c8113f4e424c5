"""Open311 GeoReport v2, posted and read the way existing clients do: plain form-encoded
bodies, ``attribute[CODE]`` keys, ``.json`` and ``.xml`` on every endpoint."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from tawasul.cases.models import Case
from tawasul.cases.services import case_add_note, case_transition
from tawasul.directory.models import Service
from tawasul.omnichannel.models import OutboxMessage
from tawasul.portal.models import Open311Client

BASE = "/portal/open311/v2"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def api_key(road_service):
    _client, raw = Open311Client.issue(name="Baladiyati app")
    return raw


def post(client, fmt: str, fields: list[tuple[str, str]]):
    """A form-encoded POST exactly as clients send it (repeated keys allowed)."""
    return client.post(f"{BASE}/requests.{fmt}", urlencode(fields), content_type=FORM)


def good(key: str | None, **extra) -> list[tuple[str, str]]:
    fields = {
        "api_key": key,
        "service_code": "muscat-road-damage",
        "lat": "23.5880",
        "long": "58.3829",
        "attribute[WHEEL]": "right",
        "email": "Salim@Example.OM",
        "first_name": "سالم",
        "last_name": "البلوشي",
        "description": "Pothole near the roundabout",
        "device_id": "dev-42",
        "account_id": "acct-7",
        "media_url": "https://media.example.om/p/1.jpg",
    }
    fields.update(extra)
    return [(k, v) for k, v in fields.items() if v is not None]


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    return ET.fromstring(response.content)


def test_discovery_in_json_and_xml(client, directory):
    data = client.get(f"{BASE}/discovery.json").json()
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/portal/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text in ("application/json", "text/xml")


def test_services_and_definitions_in_json_and_xml(client, road_service):
    services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    road = next(s for s in services if s["service_code"] == "muscat-road-damage")
    assert road == {
        "service_code": "muscat-road-damage", "service_name": "Road damage report",
        "description": "", "metadata": True, "type": "realtime", "keywords": "muscat",
        "group": "Muscat Municipality",
    }  # fmt: skip
    assert next(s for s in services if s["service_code"] == "phcc-appointment")["metadata"] is False
    root = xml(client.get(f"{BASE}/services.xml"))
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "muscat-road-damage" in codes
    assert root.find("service/metadata").text in ("true", "false")

    definition = client.get(
        f"{BASE}/services/muscat-road-damage.json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert definition["service_code"] == "muscat-road-damage"
    wheel = definition["attributes"][0]
    assert wheel["code"] == "WHEEL" and wheel["datatype"] == "singlevaluelist"
    assert wheel["required"] is True and wheel["variable"] is True and wheel["order"] == 1
    assert wheel["values"] == [{"key": "left", "name": "Left lane"},
                               {"key": "right", "name": "Right lane"}]  # fmt: skip
    root = xml(client.get(f"{BASE}/services/muscat-road-damage.xml", HTTP_ACCEPT_LANGUAGE="ar"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "WHEEL" and attribute.findtext("required") == "true"
    assert attribute.findtext("description") == "أي مسار متضرر؟"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["left", "right"]


def test_unknown_service_is_404_in_both_shapes(client, api_key):
    response = client.get(f"{BASE}/services/no-such.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code no-such not found"}]
    response = client.get(f"{BASE}/services/no-such.xml")
    assert response.status_code == 404
    assert xml(response).findtext("error/code") == "404"
    response = post(client, "json", good(api_key, service_code="no-such"))
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_create_request_json(client, api_key):
    response = post(client, "json", good(api_key, **{"attribute[DEPTH]": "12.5"}))
    assert response.status_code == 200, response.content
    body = response.json()
    # Created at once, so the spec's answer is the id and no token (never both).
    assert len(body) == 1 and set(body[0]) == {
        "service_request_id", "service_notice", "account_id"}  # fmt: skip
    case = Case.objects.get(reference=body[0]["service_request_id"])
    assert case.kind == "report" and case.entity.code == "muscat" and case.status == "assigned"
    assert str(case.latitude) == "23.588000" and case.channel == "app"
    assert case.submission.attributes == {"WHEEL": "right", "DEPTH": "12.5"}
    assert case.submission.device_id == "dev-42" and body[0]["account_id"] == "acct-7"
    assert case.resident.full_name == "سالم البلوشي"
    assert case.resident.contacts.get().value == "salim@example.om"
    # The resident is told the reference on their channel, through the outbox.
    assert OutboxMessage.objects.get(case=case).to_address == "salim@example.om"


def test_create_request_xml_with_address_and_multivalue(client, api_key):
    fields = good(api_key, lat=None, long=None, address_string="Way 3021, Al Khuwair")
    fields += [("attribute[HAZARDS][]", "water"), ("attribute[HAZARDS][]", "traffic")]
    response = post(client, "xml", fields)
    assert response.status_code == 200, response.content
    root = xml(response)
    assert root.tag == "service_requests"
    reference = root.findtext("request/service_request_id")
    case = Case.objects.get(reference=reference)
    assert case.address == "Way 3021, Al Khuwair" and case.latitude is None
    assert case.submission.attributes["HAZARDS"] == ["water", "traffic"]
    # address_id alone is a location too.
    fields = good(api_key, lat=None, long=None, address_id="BLD-7781")
    assert post(client, "json", fields).status_code == 200


def test_anonymous_report_without_contacts(client, api_key):
    response = post(client, "json", good(api_key, email=None, first_name=None, last_name=None))
    assert response.status_code == 200
    case = Case.objects.get(reference=response.json()[0]["service_request_id"])
    assert case.resident is None and not OutboxMessage.objects.filter(case=case).exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_create_errors_have_the_spec_shape_and_codes(client, api_key, fmt):
    def error(response):
        if fmt == "json":
            (item,) = response.json()
            return item["code"], item["description"]
        root = xml(response)
        assert root.tag == "errors"
        return int(root.findtext("error/code")), root.findtext("error/description")

    response = post(client, fmt, good("o311_wrong"))
    assert response.status_code == 403 and error(response)[0] == 403
    response = post(client, fmt, good(None))
    assert response.status_code == 403
    response = post(client, fmt, good(api_key, lat=None, long=None))
    assert response.status_code == 400 and "location" in error(response)[1]
    response = post(client, fmt, good(api_key, long=None))
    assert response.status_code == 400 and "long" in error(response)[1]
    response = post(client, fmt, good(api_key, lat="north"))
    assert response.status_code == 400 and "lat" in error(response)[1]
    response = post(client, fmt, good(api_key, service_code=""))
    assert response.status_code == 400 and "service_code" in error(response)[1]
    response = post(client, fmt, good(api_key, **{"attribute[WHEEL]": None}))
    assert response.status_code == 400 and "attribute[WHEEL]" in error(response)[1]
    response = post(client, fmt, good(api_key, **{"attribute[WHEEL]": "middle"}))
    assert response.status_code == 400 and "attribute[WHEEL]" in error(response)[1]
    response = post(client, fmt, good(api_key, **{"attribute[DEPTH]": "deep"}))
    assert response.status_code == 400 and "attribute[DEPTH]" in error(response)[1]
    response = post(client, fmt, good(api_key, **{"attribute[COLOUR]": "red"}))
    assert response.status_code == 400 and "attribute[COLOUR]" in error(response)[1]
    response = post(client, fmt, good(api_key, phone="12"))
    assert response.status_code == 400 and "phone" in error(response)[1]
    response = post(client, fmt, good(api_key, media_url="file:///etc/passwd"))
    assert response.status_code == 400 and "media_url" in error(response)[1]
    assert Case.objects.count() == 0


def test_deactivated_key_is_refused(client, api_key):
    Open311Client.objects.update(active=False)
    assert post(client, "json", good(api_key)).status_code == 403


def test_single_request_in_json_and_xml(client, api_key):
    reference = post(client, "json", good(api_key)).json()[0]["service_request_id"]

    (one,) = client.get(f"{BASE}/requests/{reference}.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert one["service_request_id"] == reference and one["status"] == "open"
    assert one["service_code"] == "muscat-road-damage" and one["lat"] == 23.588
    assert one["agency_responsible"] == "Muscat Municipality"
    assert one["media_url"] == "https://media.example.om/p/1.jpg"
    assert "salim" not in json.dumps(one).lower()  # never the resident's contacts
    root = xml(client.get(f"{BASE}/requests/{reference}.xml"))
    assert root.findtext("request/status") == "open" and root.find("request/long").text
    response = client.get(f"{BASE}/requests/1111-2026-999999.xml")
    assert response.status_code == 404 and xml(response).findtext("error/code") == "404"


def test_search_filters(client, api_key, people):
    first = post(client, "json", good(api_key)).json()[0]["service_request_id"]
    second = post(client, "json", good(api_key, email="x@example.om")).json()[0][
        "service_request_id"
    ]
    case = Case.objects.get(reference=second)
    case_transition(case=case, action="resolve", actor=people["agent"], reason="Repaired")
    # A complaint is not a public request: never listed.
    client.post("/portal/new/", {
        "kind": "complaint", "entity": "phcc", "description": "private", "phone": "+97455123456",
        "language": "en", "preferred_channel": "sms"})  # fmt: skip

    def ids(**params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert ids() == {first, second}
    assert ids(status="open") == {first}
    assert ids(status="closed") == {second}
    assert ids(service_request_id=f"{first},{second}") == {first, second}
    assert ids(service_request_id=second, status="open") == {second}  # ids override filters
    assert ids(service_code="muscat-road-damage") == {first, second}
    assert ids(service_code="phcc-appointment") == set()
    now = timezone.now()
    assert ids(start_date=(now - timedelta(days=1)).isoformat()) == {first, second}
    assert ids(end_date=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == set()
    closed = client.get(f"{BASE}/requests.json", {"service_request_id": second}).json()[0]
    # The staff's resolution reason is their text, not a message to the resident: not published.
    assert closed["status"] == "closed" and closed["status_notes"] is None
    root = xml(client.get(f"{BASE}/requests.xml", {"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [first]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_search_errors(client, directory, fmt):
    now = timezone.now()
    params = {"start_date": (now - timedelta(days=91)).isoformat(), "end_date": now.isoformat()}
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    assert b"90 days" in response.content
    assert client.get(f"{BASE}/requests.{fmt}", {"start_date": "yesterday"}).status_code == 400
    assert client.get(f"{BASE}/requests.{fmt}", {"status": "pending"}).status_code == 400
    reversed_range = {"start_date": now.isoformat(), "end_date": (now - timedelta(1)).isoformat()}
    assert client.get(f"{BASE}/requests.{fmt}", reversed_range).status_code == 400


# --- what the keyless listing publishes (security issue #10, finding 5) -----------------------


def listed(client, fmt: str, path: str = "requests", **params) -> list[dict]:
    """Every request of a GET, as dicts of the spec's element names, in either format."""
    response = client.get(f"{BASE}/{path}.{fmt}", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 404), response.content
    if response.status_code == 404:
        return []
    if fmt == "json":
        return response.json()
    return [{child.tag: child.text for child in item} for item in xml(response).findall("request")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_health_report_is_never_published(client, api_key, fmt):
    fields = good(
        api_key, service_code="phcc-appointment", **{"attribute[WHEEL]": None},
        description="Medical report: fever 39, cough, my QID 28763400001",
    )  # fmt: skip
    response = post(client, "json", fields)
    assert response.status_code == 200, response.content
    reference = response.json()[0]["service_request_id"]
    assert Case.objects.get(reference=reference).kind == "report"
    assert listed(client, fmt) == []
    assert listed(client, fmt, service_request_id=reference) == []
    assert listed(client, fmt, service_code="phcc-appointment") == []
    response = client.get(f"{BASE}/requests/{reference}.{fmt}")
    assert response.status_code == 404
    assert b"fever" not in response.content and b"28763400001" not in response.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_public_report_is_coarsened_and_scrubbed(client, api_key, people, fmt):
    description = (
        "حفرة أمام بيت سالم البلوشي، اتصلوا على \u200e+968 9123 4567\u200e أو ٩١٢٣٤٥٦٧ "
        "or Salim@Example.OM, civil id 12345678. Deep pothole"
    )
    fields = good(api_key, lat="23.58872", long="58.38291", description=description,
                  address_string="Building 12, Way 3021, Al Khuwair, Muscat")  # fmt: skip
    reference = post(client, "json", fields).json()[0]["service_request_id"]
    case = Case.objects.get(reference=reference)
    case_add_note(case=case, actor=people["agent"], visibility="internal",
                  body="Resident is a nurse at HMC, lives in villa 7")  # fmt: skip
    case_add_note(case=case, actor=people["agent"], visibility="resident",
                  body="Dear سالم, the crew repaired it; call 91234567 if not")  # fmt: skip
    case_transition(case=case, action="resolve", actor=people["agent"],
                    reason="Asked the resident's neighbour Khalid")  # fmt: skip

    for found in (listed(client, fmt), listed(client, fmt, f"requests/{reference}")):
        (one,) = found
        assert one["service_request_id"] == reference and one["status"] == "closed"
        assert one["description"] == (
            "حفرة أمام بيت […] […]، اتصلوا على \u200e[…]\u200e أو […] or […], civil id […]. "
            "Deep pothole"
            "\n\nWhich lane is damaged?: right"
        )
        assert one["status_notes"] == "Dear […], the crew repaired it; call […] if not"
        assert one["address"] == "Al Khuwair, Muscat"
        # 0.002° grid: the block, not the door.
        assert str(one["lat"]) == "23.588" and str(one["long"]) == "58.382"
        text = json.dumps(one, ensure_ascii=False)
        for secret in ("nurse", "villa", "Khalid", "Building 12", "Way 3021", "9123", "salim",
                       "Salim", "البلوشي", "12345678", "58.38291"):  # fmt: skip
            assert secret not in text, secret


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_public_service_without_text_policy_shows_no_text(client, api_key, people, fmt):
    Service.objects.filter(code="muscat-road-damage").update(open311_publish_text=False)
    reference = post(client, "json", good(api_key)).json()[0]["service_request_id"]
    case_add_note(case=Case.objects.get(reference=reference), actor=people["agent"],
                  visibility="resident", body="The crew is on its way")  # fmt: skip
    (one,) = listed(client, fmt, service_request_id=reference)
    assert one["service_code"] == "muscat-road-damage" and one["lat"] in (23.588, "23.588")
    assert one["description"] is None and one["status_notes"] is None
    assert one["media_url"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_answers_with_the_id_and_no_token(client, api_key, fmt):
    response = post(client, fmt, good(api_key))
    assert response.status_code == 200
    if fmt == "json":
        (answer,) = response.json()
        assert set(answer) == {"service_request_id", "service_notice", "account_id"}
        reference = answer["service_request_id"]
    else:
        (request,) = xml(response).findall("request")
        assert [child.tag for child in request] == [
            "service_request_id", "service_notice", "account_id"]  # fmt: skip
        reference = request.findtext("service_request_id")
    case = Case.objects.get(reference=reference)
    # No token was handed out, so none is looked up: not the stored one, not a guess.
    for token in (case.submission.token, "nope"):
        response = client.get(f"{BASE}/tokens/{token}.{fmt}")
        assert response.status_code == 404
        assert reference.encode() not in response.content


def test_publication_helpers():
    from decimal import Decimal

    from tawasul.portal.publication import coarse_address, coarse_coordinate, scrub

    grid = Decimal("0.002")
    assert coarse_coordinate(Decimal("25.286106"), grid=grid) == 25.286
    assert coarse_coordinate(Decimal("-0.0011"), grid=grid) == -0.002
    assert coarse_coordinate(None, grid=grid) is None
    assert coarse_address("Way 3021") is None  # one part: nothing coarse to keep
    assert coarse_address("BLD-7781, Al Khuwair") == "Al Khuwair"
    assert coarse_address("فيلا 7، شارع 12، الخوير، مسقط") == "الخوير, مسقط"
    assert scrub("ولمريم وسالم: ٠٥٥١٢ ٣٤٥٦", names=["مريم سالم"]) == "[…] […]: […]"
    assert scrub("Way 3021 at 10:30") == "Way 3021 at 10:30"  # short numbers stay
    assert scrub("ping @salim.b", values=["@salim.b"]) == "ping […]"
    assert scrub("mail a.b+c@x.om now") == "mail […] now"
