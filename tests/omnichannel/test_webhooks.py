"""WhatsApp Business Cloud API webhooks (at Meta's wire format) and the generic JSON webhook.

Meta is played by this test: it signs bodies with the app secret exactly as Meta does; the
Graph API that replies go to is a local HTTP server.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from tawasul.cases.models import Case
from tawasul.interactions.models import Interaction
from tawasul.omnichannel.models import OutboxMessage, OutboxStatus
from tawasul.omnichannel.services import outbox_deliver_due
from tawasul.omnichannel.webhooks import sign

pytestmark = [pytest.mark.timeout(60)]

SECRET = "meta-app-secret"
URL = "/channels/whatsapp/webhook"


@pytest.fixture(autouse=True)
def whatsapp(settings, directory):
    settings.TAWASUL_WHATSAPP_APP_SECRET = SECRET
    settings.TAWASUL_WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.TAWASUL_WEBHOOK_SECRETS = {"x": "x-secret"}


def wa_payload(*, message_id="wamid.HBgM1", text="أريد الاستفسار عن موعد التطعيم",
               timestamp=None, statuses=None) -> bytes:  # fmt: skip
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "97444001090", "phone_number_id": "1090001"},
        "contacts": [{"profile": {"name": "مريم"}, "wa_id": "97455123456"}],
        "messages": [
            {
                "from": "97455123456",
                "id": message_id,
                "timestamp": str(int(timestamp or time.time())),
                "type": "text",
                "text": {"body": text},
            }
        ],
    }
    if statuses is not None:
        value = {"messaging_product": "whatsapp", "statuses": statuses}
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body, ensure_ascii=False).encode()


def post(
    body: bytes, signature: str | None = "auto", path: str = URL, header="X-Hub-Signature-256"
):
    headers = {}
    if signature == "auto":
        headers[header] = sign(SECRET if header.startswith("X-Hub") else "x-secret", body)
    elif signature is not None:
        headers[header] = signature
    return Client().post(path, body, content_type="application/json", headers=headers)


def test_verification_handshake():
    ok = Client().get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                            "hub.challenge": "1158201444"})  # fmt: skip
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = Client().get(URL, {"hub.mode": "subscribe", "hub.verify_token": "guess",
                               "hub.challenge": "1"})  # fmt: skip
    assert wrong.status_code == 403


def test_signed_message_opens_a_case_and_the_reply_reaches_the_graph_api(provider):
    response = post(wa_payload())
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 1
    case = Case.objects.get()
    assert case.channel == "social"
    assert case.description == "أريد الاستفسار عن موعد التطعيم"
    contacts = {(c.kind, c.value) for c in case.resident.contacts.all()}
    assert contacts == {("social", "whatsapp:97455123456"), ("phone", "+97455123456")}
    assert case.resident.full_name == "مريم"

    [ack] = outbox_deliver_due()
    assert ack.status == OutboxStatus.SENT
    sent = provider.requests[0]["json"]
    assert sent["to"] == "97455123456" and case.reference in sent["text"]["body"]
    assert ack.provider_message_id == "wamid.1"

    # Meta reports the delivery.
    report = post(wa_payload(statuses=[{"id": "wamid.1", "status": "delivered",
                                        "timestamp": str(int(time.time())),
                                        "recipient_id": "97455123456"}]))  # fmt: skip
    assert report.status_code == 200 and report.json()["statuses"] == 1
    ack.refresh_from_db()
    assert ack.status == OutboxStatus.DELIVERED


def test_bad_or_missing_signature_is_refused_and_nothing_stored():
    body = wa_payload()
    assert post(body, signature=None).status_code == 401
    forged = post(body, signature="sha256=" + "0" * 64)
    assert forged.status_code == 403
    assert forged.json()["detail"][0]["message"].startswith("the X-Hub-Signature-256")
    tampered = post(body, signature=sign(SECRET, body + b" "))
    assert tampered.status_code == 403
    assert not Interaction.objects.exists()


def test_replayed_message_id_makes_no_second_contact():
    body = wa_payload()
    assert post(body).json()["stored"] == 1
    replay = post(body)
    assert replay.status_code == 200 and replay.json()["duplicates"] == 1
    assert Interaction.objects.count() == 1
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_old_timestamp_is_outside_the_replay_window():
    stale = time.time() - 3 * 24 * 3600
    response = post(wa_payload(message_id="wamid.old", timestamp=stale))
    assert response.status_code == 200
    assert response.json()["rejected"] == [
        {"id": "wamid.old", "reason": "timestamp outside the replay window"}
    ]
    assert not Interaction.objects.exists()


def test_signed_but_malformed_body_names_the_field():
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1"}]}).encode()
    response = post(body)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "entry.0.changes"
    not_json = post(b"{not json")
    assert not_json.status_code == 400


def test_a_reply_quoting_the_reference_threads_to_the_case():
    post(wa_payload())
    case = Case.objects.get()
    post(wa_payload(message_id="wamid.2", text=f"بخصوص {case.reference} هل من جديد؟"))
    assert Case.objects.count() == 1
    assert case.interactions.count() == 2


# --- generic webhook ----------------------------------------------------------------------


def generic(**overrides) -> bytes:
    body = {
        "id": "x-1",
        "timestamp": datetime.now(UTC).isoformat(),
        "sender": {"id": "user42", "name": "Ali"},
        "text": "The streetlight on my road is broken",
    }
    body.update(overrides)
    return json.dumps(body).encode()


def gpost(body: bytes, signature="auto", network="x"):
    return post(body, signature, path=f"/channels/webhook/{network}", header="X-Tawasul-Signature")


def test_generic_webhook_stores_once_and_replies_through_the_network(provider):
    response = gpost(generic())
    assert response.status_code == 200 and response.json()["stored"] == 1
    assert gpost(generic()).json()["duplicates"] == 1
    case = Case.objects.get()
    assert case.language == "en"
    [ack] = outbox_deliver_due()
    assert ack.to_address == "x:user42" and ack.status == OutboxStatus.SENT
    request = provider.requests[0]
    assert request["path"] == "/x/send"
    assert request["json"]["recipient"] == {"id": "user42"}
    assert case.reference in request["json"]["message"]["text"]


def test_generic_webhook_refusals():
    assert gpost(generic(), signature="sha256=bad").status_code == 403
    assert gpost(generic(), signature=None).status_code == 401
    assert gpost(generic(), network="tiktok").status_code == 404
    missing = gpost(json.dumps({"id": "x-2", "timestamp": datetime.now(UTC).isoformat(),
                                "text": "hi"}).encode())  # fmt: skip
    assert missing.status_code == 400
    assert missing.json()["detail"][0]["field"] == "sender"
    old = gpost(generic(id="x-3", timestamp=(datetime.now(UTC) - timedelta(days=3)).isoformat()))
    assert old.status_code == 422
    assert not Interaction.objects.exists()
