"""App push: the app's device tokens, and replies sent through Firebase Cloud Messaging.

Wire format: FCM HTTP v1, ``POST {TAWASUL_FCM_API_URL}/v1/projects/{project}/messages:send``
with ``{"message": {"token", "notification": {"title", "body"}, "data": {…}}}`` and an OAuth
2.0 bearer token. The token comes from Google's service-account flow: a JWT signed (RS256)
with the key in ``TAWASUL_FCM_CREDENTIALS`` is exchanged at the key file's ``token_uri``;
it is cached until shortly before it expires.

Outcomes map onto the outbox rules (:mod:`delivery`): FCM ``UNREGISTERED`` (404) or
``SENDER_ID_MISMATCH`` (403) means the token is dead — the device is forgotten and the
message falls back to the resident's next channel; other 4xx are permanent too; 401 (our
access token) drops the cached token and is retried, like 429 and 5xx.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.db import transaction

from tawasul.omnichannel import conf
from tawasul.omnichannel.delivery import HTTP_TIMEOUT, PermanentFailure, TemporaryFailure
from tawasul.omnichannel.models import OutboxMessage, PushDevice
from tawasul.portal.models import AppInstallation
from tawasul.residents import texts

logger = logging.getLogger(__name__)

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEAD_TOKEN_CODES = frozenset({"UNREGISTERED", "SENDER_ID_MISMATCH"})
# What a lock screen shows; the whole reply is in the app.
TITLE_MAX, BODY_MAX = 100, 240


# --- device tokens ------------------------------------------------------------------------


def push_device_register(*, installation: AppInstallation, token: str) -> PushDevice:
    """Register (or replace) the push token of this installation.

    A token already held by another installation moves here: the same phone reinstalled the
    app, and pushes for the old installation's account must not reach it any more.
    """
    with transaction.atomic():
        PushDevice.objects.filter(token=token).exclude(installation=installation).delete()
        device, _created = PushDevice.objects.update_or_create(
            installation=installation, defaults={"token": token}
        )
    logger.info("push: token registered for installation %s", installation.pk)
    return device


def push_device_unregister(*, installation: AppInstallation) -> bool:
    """The app turned notifications off (or signs out); replies fall back to other channels."""
    deleted, _rows = PushDevice.objects.filter(installation=installation).delete()
    return bool(deleted)


def push_device_for(account_id: str) -> PushDevice | None:
    return (
        PushDevice.objects.filter(installation__account_id=account_id, installation__revoked=False)
        .select_related("installation")
        .first()
    )


# --- Google OAuth 2.0 (service account) ---------------------------------------------------


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    private_key: str
    key_id: str
    token_uri: str
    project_id: str


def configured() -> bool:
    return bool(conf.get("TAWASUL_FCM_CREDENTIALS"))


def service_account() -> ServiceAccount:
    path = Path(conf.get("TAWASUL_FCM_CREDENTIALS"))
    try:
        return _read_key_file(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # Our configuration, not the resident's address: worth retrying once it is fixed.
        raise TemporaryFailure(f"push credentials {path} unusable: {exc!r}") from None


@lru_cache(maxsize=4)
def _read_key_file(path: str, _mtime_ns: int) -> ServiceAccount:
    data = json.loads(Path(path).read_text())
    return ServiceAccount(
        client_email=data["client_email"],
        private_key=data["private_key"],
        key_id=data.get("private_key_id", ""),
        token_uri=data["token_uri"],
        project_id=data.get("project_id", ""),
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt_assertion(account: ServiceAccount, *, now: float) -> str:
    """The signed JWT Google exchanges for an access token (RFC 7523)."""
    header = {"alg": "RS256", "typ": "JWT", **({"kid": account.key_id} if account.key_id else {})}
    claims = {
        "iss": account.client_email,
        "scope": FCM_SCOPE,
        "aud": account.token_uri,
        "iat": int(now),
        "exp": int(now) + 3600,
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    key = serialization.load_pem_private_key(account.private_key.encode(), password=None)
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


class _AccessTokens:
    """One access token per service account, shared by the worker's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    def get(self, account: ServiceAccount) -> str:
        key = (account.client_email, account.token_uri)
        with self._lock:
            token, expires = self._tokens.get(key, ("", 0.0))
            if token and time.monotonic() < expires:
                return token
            token, lifetime = _fetch_access_token(account)
            # Renewed a minute early so a token never expires between here and FCM.
            self._tokens[key] = (token, time.monotonic() + max(lifetime - 60, 0))
            return token

    def drop(self, account: ServiceAccount) -> None:
        with self._lock:
            self._tokens.pop((account.client_email, account.token_uri), None)


ACCESS_TOKENS = _AccessTokens()


def _fetch_access_token(account: ServiceAccount) -> tuple[str, float]:
    try:
        response = httpx.post(
            account.token_uri,
            data={"grant_type": JWT_BEARER, "assertion": jwt_assertion(account, now=time.time())},
            timeout=HTTP_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise TemporaryFailure(f"OAuth token endpoint unreachable: {exc}") from None
    if response.status_code != 200:
        # A refused key is our configuration; the resident's channel is fine.
        raise TemporaryFailure(
            f"OAuth token endpoint answered {response.status_code}: {response.text[:300]}"
        )
    try:
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise TemporaryFailure("OAuth token endpoint answered without an access_token") from None


# --- FCM HTTP v1 --------------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fcm_message(message: OutboxMessage, *, token: str) -> dict:
    """The request body for one outbox message, in the resident's language."""
    # The app lays the title out itself (no isolates).
    if message.subject:
        title = message.subject
    elif message.case_id:
        title, _lang = texts.written(
            "push.case_title",
            message.language,
            isolates=False,
            reference=message.case.reference,
        )
    else:
        title, _lang = texts.written("push.title", message.language, isolates=False)
    data = {"outbox_id": str(message.pk), "language": message.language or "ar"}
    if message.case_id:
        data["reference"] = message.case.reference
    return {
        "message": {
            "token": token,
            "notification": {
                "title": _shorten(title, TITLE_MAX),
                "body": _shorten(message.body, BODY_MAX),
            },
            "data": data,  # FCM requires every data value to be a string
        }
    }


def _fcm_error(response: httpx.Response) -> tuple[str, str]:
    """(FCM errorCode or Google status, message) of an error answer."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return "", response.text[:300]
    details = error.get("details") if isinstance(error.get("details"), list) else []
    code = next((d["errorCode"] for d in details if isinstance(d, dict) and "errorCode" in d), "")
    return code or str(error.get("status", "")), str(error.get("message", ""))[:300]


def push_send(message: OutboxMessage) -> str:
    """Push one outbox message to the app of its ``to_address`` (an app account id)."""
    device = push_device_for(message.to_address)
    if device is None:
        raise PermanentFailure("no device registered for push notifications")
    account = service_account()
    project = conf.get("TAWASUL_FCM_PROJECT_ID") or account.project_id
    if not project:
        raise TemporaryFailure("set TAWASUL_FCM_PROJECT_ID (the key file has no project_id)")
    url = f"{conf.get('TAWASUL_FCM_API_URL').rstrip('/')}/v1/projects/{project}/messages:send"
    body = json.dumps(fcm_message(message, token=device.token), ensure_ascii=False).encode()
    try:
        response = httpx.post(
            url,
            content=body,
            headers={
                "Authorization": f"Bearer {ACCESS_TOKENS.get(account)}",
                "Content-Type": "application/json; charset=utf-8",
            },
            timeout=HTTP_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise TemporaryFailure(f"FCM unreachable: {exc}") from None
    if response.status_code == 200:
        try:
            return str(response.json()["name"])[:255]
        except (ValueError, KeyError, TypeError):
            return f"fcm:{message.pk}"
    code, detail = _fcm_error(response)
    what = f"FCM answered {response.status_code} {code}: {detail}".strip()
    # Only FCM's own verdict on the token deletes it: a bare 404 (a wrong project or URL)
    # is our configuration, and must not wipe every resident's device.
    if code in DEAD_TOKEN_CODES:
        device.delete()
        logger.warning("push: token of installation %s is dead (%s)", device.installation_id, code)
        raise PermanentFailure(what)
    if response.status_code == 401:
        ACCESS_TOKENS.drop(account)  # expired or revoked early: fetch a new one next time
        raise TemporaryFailure(what)
    if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
        raise PermanentFailure(what)
    raise TemporaryFailure(what)
