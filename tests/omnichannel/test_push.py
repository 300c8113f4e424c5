"""Replies pushed to the "Baladiyati" app through Firebase Cloud Messaging (HTTP v1).

FCM cannot run here, so a local HTTP server speaks its API and Google's OAuth token
endpoint: it checks the RS256 signature of the service-account JWT with the public key,
gives out access tokens, demands one on every send, and answers as the test tells it.
The app registers its device token through the real mobile-app API.
"""

from __future__ import annotations

import base64
import json
import urllib.parse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.test import Client

from tawasul.cases.choices import NoteVisibility
from tawasul.cases.models import Case
from tawasul.cases.services import case_add_note
from tawasul.omnichannel import push
from tawasul.omnichannel.models import MailSinkMessage, OutboxMessage, OutboxStatus, PushDevice
from tawasul.omnichannel.services import outbox_deliver_due, outbox_enqueue
from tawasul.portal.models import AppInstallation
from tests.omnichannel.conftest import JsonServer
from tests.support import field_errors

PROJECT = "baladiyati-test"
DEVICE = "fGx1-Token_abc:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx" + "A" * 100


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeFcm(JsonServer):
    """Google's token endpoint and FCM's messages:send, at their wire formats."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.sent: list[dict] = []  # {"path", "authorization", "json"}
        self.assertions: list[dict] = []  # verified JWT claims, one per token exchange
        self.replies: list[tuple[int, dict]] = []  # answers to messages:send, then 200
        self.valid_tokens: set[str] = set()
        super().__init__(self._answer)

    def _answer(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        return self.exchange(body) if path == "/token" else self.send(path, headers, body)

    def key_file(self) -> dict:
        pem = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": "key-1",
            "private_key": pem,
            "client_email": f"push@{PROJECT}.iam.gserviceaccount.com",
            "token_uri": f"{self.url}/token",
        }

    def exchange(self, body: bytes) -> tuple[int, dict]:
        form = urllib.parse.parse_qs(body.decode())
        if form.get("grant_type") != [push.JWT_BEARER]:
            return 400, {"error": "unsupported_grant_type"}
        header, claims, signature = form["assertion"][0].split(".")
        try:
            self.key.public_key().verify(
                _unb64(signature),
                f"{header}.{claims}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except Exception:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        claims = json.loads(_unb64(claims))
        claims["header"] = json.loads(_unb64(header))
        self.assertions.append(claims)
        token = f"ya29.test-{len(self.assertions)}"
        self.valid_tokens.add(token)
        return 200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def send(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        authorization = headers.get("Authorization", "")
        self.sent.append({"path": path, "authorization": authorization, "json": json.loads(body)})
        if authorization.removeprefix("Bearer ") not in self.valid_tokens:
            return 401, error(401, "UNAUTHENTICATED", "")
        if path != f"/v1/projects/{PROJECT}/messages:send":
            return 404, error(404, "NOT_FOUND", "", "Requested entity was not found.")
        if self.replies:
            return self.replies.pop(0)
        return 200, {"name": f"projects/{PROJECT}/messages/0:{len(self.sent)}%31bd1c96"}


def error(status: int, google_status: str, fcm_code: str, message: str = "") -> dict:
    """An FCM v1 error body."""
    details = [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                "errorCode": fcm_code}] if fcm_code else []  # fmt: skip
    return {"error": {"code": status, "message": message or google_status,
                      "status": google_status, "details": details}}  # fmt: skip


@pytest.fixture
def fcm(settings, tmp_path):
    fake = FakeFcm()
    credentials = tmp_path / "service-account.json"
    credentials.write_text(json.dumps(fake.key_file()))
    settings.TAWASUL_FCM_CREDENTIALS = str(credentials)
    settings.TAWASUL_FCM_PROJECT_ID = ""
    settings.TAWASUL_FCM_API_URL = fake.url
    push.ACCESS_TOKENS.drop(push.service_account())
    yield fake
    push.ACCESS_TOKENS.drop(push.service_account())
    fake.close()


class App:
    """One installed Baladiyati app calling the real mobile-app API."""

    def __init__(self) -> None:
        self.client = Client()
        response = self.client.post(
            "/api/app/installations",
            {"platform": "android", "app_version": "3.2.0", "language": "ar"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        self.token = response.json()["token"]

    def call(self, method: str, path: str, body=None, *, token: str | None = None):
        headers = {"Authorization": f"Bearer {token or self.token}"}
        kwargs = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(f"/api/app{path}", headers=headers, **kwargs)

    def register_push(self, token: str = DEVICE):
        return self.call("put", "/push-token", {"token": token})

    def submit(self) -> Case:
        response = self.call("post", "/cases", {
            "kind": "complaint", "entity": "muscat", "language": "ar",
            "description": "تسرب مياه في الشارع منذ يومين — water leak",
            "full_name": "زينب اللواتية",
            "phone": "+968 9123 4567", "email": "zainab@example.om", "preferred_channel": "app",
        })  # fmt: skip
        assert response.status_code == 201, response.content
        return Case.objects.get(reference=response.json()["reference"])


@pytest.fixture
def app(directory):
    return App()


def reply(case: Case, body: str = "تم إصلاح التسرب، شكرًا لصبركم.") -> OutboxMessage:
    case_add_note(case=case, actor=None, body=body, visibility=NoteVisibility.RESIDENT)
    return OutboxMessage.objects.filter(case=case).order_by("-id").first()


def test_the_app_resident_gets_the_reply_as_an_arabic_push(app, fcm):
    assert app.register_push().status_code == 204
    case = app.submit()
    [ack] = outbox_deliver_due()  # "we received your request", on the app
    assert ack.channel == "app" and ack.status == OutboxStatus.SENT

    message = reply(case)
    [sent] = outbox_deliver_due()
    assert sent.pk == message.pk and sent.status == OutboxStatus.SENT
    request = fcm.sent[-1]
    assert request["path"] == f"/v1/projects/{PROJECT}/messages:send"
    assert request["authorization"] == "Bearer ya29.test-1"
    assert request["json"] == {
        "message": {
            "token": DEVICE,
            "notification": {
                "title": f"[{case.reference}] {case.subject}",
                "body": "تم إصلاح التسرب، شكرًا لصبركم.",
            },
            "data": {"outbox_id": str(message.pk), "language": "ar", "reference": case.reference},
        }
    }
    assert sent.provider_message_id == f"projects/{PROJECT}/messages/0:2%31bd1c96"
    ack_push = fcm.sent[0]["json"]["message"]
    assert case.reference in ack_push["notification"]["body"]
    assert "رقم" in ack_push["notification"]["body"], "the acknowledgement in Arabic"

    # One access token for both pushes, from a JWT signed with the service account's key.
    [claims] = fcm.assertions
    assert claims["iss"] == f"push@{PROJECT}.iam.gserviceaccount.com"
    assert claims["aud"] == f"{fcm.url}/token"
    assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["header"] == {"alg": "RS256", "typ": "JWT", "kid": "key-1"}


def test_a_long_reply_is_shortened_on_the_lock_screen_only(app, fcm):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    long_text = "نص طويل " * 100
    message = reply(case, long_text)
    outbox_deliver_due()
    body = fcm.sent[-1]["json"]["message"]["notification"]["body"]
    assert len(body) == push.BODY_MAX and body.endswith("…")
    message.refresh_from_db()
    assert message.body == long_text.strip(), "the whole reply stays readable in the app"


def test_a_message_without_subject_gets_a_title_in_the_residents_language(app, fcm):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    account = PushDevice.objects.get().installation.account_id
    for language, key in (("ar", "ar-1"), ("en", "en-1")):
        outbox_enqueue(
            channel="app", to_address=account, body="نص", language=language, case=case,
            idempotency_key=key,
        )  # fmt: skip
    outbox_enqueue(channel="app", to_address=account, body="تنبيه عام", language="ar")
    outbox_deliver_due()
    titles = [r["json"]["message"]["notification"]["title"] for r in fcm.sent[-3:]]
    assert titles == [
        f"رد على طلبكم {case.reference}",
        f"Reply on your request {case.reference}",
        "رسالة من مركز الاتصال",
    ]
    assert "reference" not in fcm.sent[-1]["json"]["message"]["data"]


def test_an_unregistered_token_is_forgotten_and_the_reply_falls_back_to_email(
    transactional_db, app, fcm, mailsink
):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    case.resident.fallback_channels = ["email"]
    case.resident.save()

    gone = error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")
    fcm.replies.append((404, gone))
    message = reply(case)
    [tried] = outbox_deliver_due()
    assert tried.channel == "email" and tried.status == OutboxStatus.PENDING
    assert tried.to_address == "zainab@example.om"
    assert "UNREGISTERED" in tried.history[0]["detail"]
    assert not PushDevice.objects.exists(), "a dead token is not pushed to again"

    [sent] = outbox_deliver_due()
    assert sent.pk == message.pk and sent.status == OutboxStatus.SENT
    caught = MailSinkMessage.objects.get()
    assert caught.recipients == ["zainab@example.om"]
    assert "تم إصلاح التسرب" in caught.body

    # The next reply goes to e-mail at once: no device, so FCM is not even called.
    pushes = len(fcm.sent)
    reply(case, "رد ثان")
    [next_one] = outbox_deliver_due()
    assert next_one.channel == "email"
    assert next_one.history[0]["detail"] == "no device registered for push notifications"
    assert len(fcm.sent) == pushes


def test_a_permanent_refusal_keeps_the_device_and_ends_as_a_dead_letter_without_fallback(app, fcm):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    fcm.replies.append((400, error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "bad payload")))
    reply(case)
    [failed] = outbox_deliver_due()
    assert failed.status == OutboxStatus.FAILED, "no fallback channel left: a dead letter"
    assert "400 INVALID_ARGUMENT: bad payload" in failed.last_error
    assert PushDevice.objects.get().token == DEVICE, "a bad message says nothing of the token"


def test_a_wrong_project_is_our_mistake_and_forgets_no_device(app, fcm, settings):
    settings.TAWASUL_FCM_PROJECT_ID = "someone-elses-project"
    app.register_push()
    app.submit()
    [failed] = outbox_deliver_due()
    assert failed.status == OutboxStatus.FAILED and "404 NOT_FOUND" in failed.last_error
    assert fcm.sent[-1]["path"] == "/v1/projects/someone-elses-project/messages:send"
    assert PushDevice.objects.get().token == DEVICE, "the resident's device is still there"


@pytest.mark.parametrize(
    "answer",
    [
        (503, error(503, "UNAVAILABLE", "UNAVAILABLE")),
        (429, error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")),
        (500, error(500, "INTERNAL", "INTERNAL")),
    ],
    ids=["unavailable", "quota", "internal"],
)
def test_a_busy_push_service_is_retried_with_backoff(app, fcm, answer):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    fcm.replies.append(answer)
    message = reply(case)
    [tried] = outbox_deliver_due()
    assert tried.status == OutboxStatus.PENDING and tried.channel == "app"
    assert tried.attempts == 1 and str(answer[0]) in tried.last_error
    assert outbox_deliver_due() == [], "not before its backoff"
    [sent] = outbox_deliver_due(now=tried.next_attempt_at)
    assert sent.pk == message.pk and sent.status == OutboxStatus.SENT
    assert [r["json"]["message"]["token"] for r in fcm.sent[-2:]] == [DEVICE, DEVICE]


def test_an_expired_access_token_is_renewed(app, fcm):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    fcm.valid_tokens.clear()  # Google revoked or expired it early
    reply(case)
    [tried] = outbox_deliver_due()
    assert tried.status == OutboxStatus.PENDING and "401 UNAUTHENTICATED" in tried.last_error
    [sent] = outbox_deliver_due(now=tried.next_attempt_at)
    assert sent.status == OutboxStatus.SENT
    assert len(fcm.assertions) == 2 and fcm.sent[-1]["authorization"] == "Bearer ya29.test-2"


def test_a_refused_service_account_key_is_retried_not_lost(app, fcm, settings, tmp_path):
    wrong = fcm.key_file()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong["private_key"] = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(wrong))
    settings.TAWASUL_FCM_CREDENTIALS = str(path)
    app.register_push()
    app.submit()
    [tried] = outbox_deliver_due()
    assert tried.status == OutboxStatus.PENDING and tried.channel == "app"
    assert "Invalid JWT Signature" in tried.last_error
    assert fcm.sent == [], "nothing sent without an access token"

    settings.TAWASUL_FCM_CREDENTIALS = str(tmp_path / "missing.json")
    [tried] = outbox_deliver_due(now=tried.next_attempt_at)
    assert tried.status == OutboxStatus.PENDING and "missing.json" in tried.last_error

    settings.TAWASUL_FCM_CREDENTIALS = str(tmp_path / "service-account.json")  # fixed
    [sent] = outbox_deliver_due(now=tried.next_attempt_at)
    assert sent.pk == tried.pk and sent.status == OutboxStatus.SENT and len(fcm.sent) == 1


def test_without_push_configured_the_app_reads_replies_from_its_case_api(app, settings):
    settings.TAWASUL_FCM_CREDENTIALS = ""
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    message = reply(case)
    [sent] = outbox_deliver_due()
    assert sent.pk == message.pk and sent.provider_message_id == f"app-inbox:{message.pk}"


def test_a_revoked_installation_gets_no_push(app, fcm):
    app.register_push()
    case = app.submit()
    outbox_deliver_due()
    device = PushDevice.objects.get()
    device.installation.revoked = True
    device.installation.save()
    pushes = len(fcm.sent)
    reply(case)
    [failed] = outbox_deliver_due()
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error == "no device registered for push notifications"
    assert len(fcm.sent) == pushes


# --- the device-token endpoint -----------------------------------------------------------


def test_register_replace_move_and_unregister_a_device_token(app):
    assert app.register_push().status_code == 204
    assert app.register_push().status_code == 204, "registering again is harmless"
    assert PushDevice.objects.get().token == DEVICE

    assert app.register_push(DEVICE + "new").status_code == 204, "FCM rotated the token"
    assert list(PushDevice.objects.values_list("token", flat=True)) == [DEVICE + "new"]

    reinstalled = App()  # the same phone, the app installed again
    assert reinstalled.register_push(DEVICE + "new").status_code == 204
    first, second = AppInstallation.objects.order_by("id")
    assert PushDevice.objects.get().installation == second, "pushes reach the new install only"
    assert not PushDevice.objects.filter(installation=first).exists()

    assert reinstalled.call("delete", "/push-token").status_code == 204
    assert not PushDevice.objects.exists()
    assert reinstalled.call("delete", "/push-token").status_code == 204, "idempotent"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"token": ""},
        {"token": "short"},
        {"token": "رمز-الجهاز-" * 5},
        {"token": DEVICE[:40] + " " + DEVICE[40:]},
        {"token": DEVICE + "\x00"},
        {"token": "A" * 1025},
        {"token": 12345678901234567890123},
        {"token": [DEVICE]},
        {"token": DEVICE, "platform": "android"},
    ],
    ids=[
        "missing",
        "empty",
        "short",
        "arabic",
        "space",
        "nul",
        "too-long",
        "number",
        "list",
        "unknown-field",
    ],
)
def test_a_bad_device_token_is_refused_naming_the_field(app, body):
    response = app.call("put", "/push-token", body)
    assert 400 <= response.status_code < 500, response.content
    errors = field_errors(response)
    assert ("platform" if "platform" in body else "token") in errors, errors
    assert not PushDevice.objects.exists()


def test_a_body_that_is_not_json_is_refused(app):
    response = app.call("put", "/push-token", "token=abc")
    assert 400 <= response.status_code < 500
    assert not PushDevice.objects.exists()


@pytest.mark.parametrize("token", [None, "twapp_not-a-real-token", "staff-token"])
def test_only_a_signed_in_app_may_register_a_token(directory, token):
    client = Client()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.put(
        "/api/app/push-token", json.dumps({"token": DEVICE}), content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 401
    assert client.delete("/api/app/push-token", headers=headers).status_code == 401
    assert not PushDevice.objects.exists()
