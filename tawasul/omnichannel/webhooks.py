"""Social and messaging webhooks: signatures, replay windows and the payload shapes.

WhatsApp Business Cloud API: Meta signs the raw body with the app secret
(``X-Hub-Signature-256: sha256=<hex>``) and retries undelivered webhooks, so each message id
is stored once. The generic webhook (other networks, bridges) uses the same HMAC scheme
with a per-network secret and a documented JSON body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tawasul.api.schemas import Input, text
from tawasul.errors import DomainError, Forbidden, NotFound
from tawasul.omnichannel import conf
from tawasul.omnichannel.inbound import Received, social_receive
from tawasul.omnichannel.models import OutboxMessage
from tawasul.omnichannel.services import ReportRefused, outbox_report

logger = logging.getLogger(__name__)

FUTURE_SKEW = timedelta(minutes=5)


class Unauthorized(DomainError):
    status = 401

    def __init__(self, message: str) -> None:
        super().__init__(message, field="X-Hub-Signature-256", code="unauthorized")


def signature_check(*, secret: str, body: bytes, header: str, header_name: str) -> None:
    """401 without a signature, 403 with a wrong one (compared in constant time)."""
    if not header:
        raise Unauthorized(f"the {header_name} header is missing")
    algorithm, _sep, digest = header.partition("=")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if algorithm.lower() != "sha256" or not hmac.compare_digest(digest.lower(), expected):
        raise Forbidden(f"the {header_name} signature does not match the body")


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def in_window(sent_at: datetime, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    window = timedelta(seconds=float(conf.get("TAWASUL_WEBHOOK_REPLAY_WINDOW")))
    return now - window <= sent_at <= now + FUTURE_SKEW


def errors_from(exc: ValidationError, prefix: str = "") -> list[dict]:
    return [
        {
            # No location: the body as a whole (not JSON, not an object).
            "field": prefix + (".".join(str(p) for p in error["loc"]) or "body"),
            "message": error["msg"],
            "code": "invalid",
        }
        for error in exc.errors()
    ]


class PayloadError(DomainError):
    """A body that does not have the documented shape; carries every field error."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors[0]["message"], field=errors[0]["field"])
        self.errors = errors


@dataclass
class WebhookOutcome:
    received: list[Received] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    statuses: int = 0

    def as_json(self) -> dict:
        return {
            "stored": sum(1 for r in self.received if not r.duplicate),
            "duplicates": sum(1 for r in self.received if r.duplicate),
            "references": [r.reference for r in self.received],
            "rejected": self.rejected,
            "statuses": self.statuses,
        }


# --- WhatsApp Business Cloud API ----------------------------------------------------------


class _Meta(BaseModel):
    # Meta adds fields over time; unknown ones are ignored, the ones we use are checked.
    model_config = ConfigDict(extra="ignore")


class WaText(_Meta):
    body: str = Field(max_length=4096)


class WaMedia(_Meta):
    caption: str = ""


# Fields that are stored (ids, the sender, names) refuse control characters: a NUL cannot be
# stored in PostgreSQL, and the 503 it caused made Meta redeliver the batch for ever. (Named
# here: inside WaMessage, ``text`` is the message's text field.)
WaId = text(200, min_length=1)
WaPhone = text(32, min_length=4)
WaName = text(200)
WaWord = text(40)


class WaMessage(_Meta):
    id: WaId
    from_: WaPhone = Field(alias="from")
    timestamp: int
    type: str
    text: WaText | None = None
    image: WaMedia | None = None
    document: WaMedia | None = None


class WaProfile(_Meta):
    name: WaName = ""


class WaContact(_Meta):
    wa_id: WaPhone
    profile: WaProfile = WaProfile()


class WaError(_Meta):
    code: int = 0
    title: str = ""


class WaStatus(_Meta):
    id: WaId
    status: WaWord
    errors: list[WaError] = []


class WaValue(_Meta):
    messaging_product: str = "whatsapp"
    contacts: list[WaContact] = []
    messages: list[WaMessage] = []
    statuses: list[WaStatus] = []


class WaChange(_Meta):
    field: str
    value: WaValue


class WaEntry(_Meta):
    id: str
    changes: list[WaChange]


class WaPayload(_Meta):
    object: str
    entry: list[WaEntry]


def whatsapp_verify(*, mode: str, token: str, challenge: str) -> str:
    """The subscription handshake: echo the challenge when the verify token matches."""
    expected = conf.get("TAWASUL_WHATSAPP_VERIFY_TOKEN")
    if mode != "subscribe":
        raise DomainError("hub.mode must be subscribe", field="hub.mode")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Forbidden("hub.verify_token does not match")
    if not challenge:
        raise DomainError("hub.challenge is missing", field="hub.challenge")
    return challenge


def _wa_text(message: WaMessage) -> str:
    if message.type == "text" and message.text is not None:
        return message.text.body
    media = message.image or message.document
    caption = media.caption if media else ""
    return f"[{message.type}] {caption}".strip()


def _from_unix(seconds: int) -> datetime | None:
    """A Unix time as UTC; ``None`` for one no calendar holds (year 10000, or before year 1),
    which is outside any replay window anyway."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def whatsapp_receive(*, body: bytes, signature: str) -> WebhookOutcome:
    secret = conf.get("TAWASUL_WHATSAPP_APP_SECRET")
    if not secret:
        raise NotFound("the WhatsApp webhook is not configured")
    signature_check(secret=secret, body=body, header=signature, header_name="X-Hub-Signature-256")
    try:
        payload = WaPayload.model_validate_json(body)
    except ValidationError as exc:
        raise PayloadError(errors_from(exc)) from None
    if payload.object != "whatsapp_business_account":
        raise DomainError("object must be whatsapp_business_account", field="object")
    outcome = WebhookOutcome()
    for entry in payload.entry:
        for change in entry.changes:
            if change.field != "messages":
                continue
            names = {c.wa_id: c.profile.name for c in change.value.contacts}
            for message in change.value.messages:
                sent_at = _from_unix(message.timestamp)
                if sent_at is None or not in_window(sent_at):
                    logger.warning(
                        "whatsapp %s: refused, timestamp %s outside the replay window",
                        message.id,
                        message.timestamp,
                    )
                    outcome.rejected.append(
                        {"id": message.id, "reason": "timestamp outside the replay window"}
                    )
                    continue
                outcome.received.append(
                    social_receive(
                        network="whatsapp",
                        message_id=message.id,
                        user_id=message.from_,
                        name=names.get(message.from_, ""),
                        phone="+" + message.from_.lstrip("+"),
                        text=_wa_text(message),
                        sent_at=sent_at,
                    )
                )
            for status in change.value.statuses:
                outcome.statuses += _provider_status(status.id, status.status, status.errors)
    return outcome


def _provider_status(provider_id: str, status: str, errors: list[WaError]) -> int:
    message = OutboxMessage.objects.filter(
        channel="social", provider_message_id=provider_id
    ).first()
    if message is None:
        logger.info("social status %s for unknown message %s", status, provider_id)
        return 0
    try:
        if status in ("delivered", "read"):
            outbox_report(message=message, delivered=True, detail=status)
        elif status == "failed":
            detail = "; ".join(f"{e.code} {e.title}" for e in errors) or "failed"
            outbox_report(message=message, delivered=False, detail=detail)
    except ReportRefused as exc:
        # "read" after "delivered", or a status Meta sends again: signed by Meta, so no
        # forgery; nothing changes, and the network is not asked to send it again.
        logger.info("social status %s for %s: %s", status, provider_id, exc.message)
    return 1


# --- generic JSON webhook -----------------------------------------------------------------


class GenericSender(Input):
    id: text(200, min_length=1)
    name: text(200) = ""
    phone: text(32) = ""


class GenericMessage(Input):
    """``POST /channels/webhook/<network>``, signed with ``X-Tawasul-Signature``."""

    id: text(200, min_length=1)
    timestamp: datetime
    sender: GenericSender
    text: text(4000, min_length=1)


def generic_receive(*, network: str, body: bytes, signature: str) -> WebhookOutcome:
    secret = conf.get("TAWASUL_WEBHOOK_SECRETS").get(network.lower())
    if not secret:
        raise NotFound(f"no webhook for network {network!r}")
    signature_check(secret=secret, body=body, header=signature, header_name="X-Tawasul-Signature")
    try:
        message = GenericMessage.model_validate_json(body)
    except ValidationError as exc:
        raise PayloadError(errors_from(exc)) from None
    sent_at = message.timestamp
    if sent_at.tzinfo is None:
        raise DomainError("timestamp needs a time zone (ISO 8601 with offset)", field="timestamp")
    outcome = WebhookOutcome()
    if not in_window(sent_at):
        logger.warning("%s %s: refused, timestamp outside the replay window", network, message.id)
        outcome.rejected.append({"id": message.id, "reason": "timestamp outside the replay window"})
        return outcome
    outcome.received.append(
        social_receive(
            network=network.lower(),
            message_id=message.id,
            user_id=message.sender.id,
            name=message.sender.name,
            phone=message.sender.phone,
            text=message.text,
            sent_at=sent_at,
        )
    )
    return outcome
