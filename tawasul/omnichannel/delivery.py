"""Channel adapters for the outbox: each turns one OutboxMessage into a provider call.

An adapter's ``send(message) -> provider message id`` raises :class:`PermanentFailure` when
retrying cannot help (a refused address, a 4xx from the provider) and anything else for a
temporary failure (network down, provider 5xx); the outbox service decides what happens next.
Adapters stay thin: no database writes except the phone call-back task and forgetting a
push token the push service says is dead.
"""

from __future__ import annotations

import json
import logging
import smtplib
from typing import Protocol

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from tawasul.interactions.models import Channel, Direction, Interaction
from tawasul.omnichannel import conf, kannel, mail
from tawasul.omnichannel.models import CallbackTask, OutboxMessage, OutboxStatus

HTTP_TIMEOUT = 15.0
# httpx logs every request URL at INFO, and Kannel's sendsms URL carries its password.
logging.getLogger("httpx").setLevel(logging.WARNING)


class PermanentFailure(Exception):
    """Retrying the same message on the same channel cannot succeed."""


class TemporaryFailure(Exception):
    """Worth trying again later."""


class Adapter(Protocol):
    def send(self, message: OutboxMessage) -> str: ...


def _http_outcome(response: httpx.Response, what: str) -> None:
    if response.status_code < 300:
        return
    detail = f"{what} answered {response.status_code}: {response.text[:300]}"
    if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
        raise PermanentFailure(detail)
    raise TemporaryFailure(detail)


# --- e-mail -------------------------------------------------------------------------------


def email_thread(message: OutboxMessage) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for a message on a case: the resident's last e-mail, and
    the thread so far, so mail clients keep the conversation together."""
    if message.case_id is None:
        return "", []
    inbound = list(
        Interaction.objects.filter(
            cases=message.case_id, channel=Channel.EMAIL, direction=Direction.INBOUND
        )
        .exclude(external_id="")
        .order_by("offered_at")
        .values_list("external_id", flat=True)
    )
    sent = list(
        OutboxMessage.objects.filter(
            case_id=message.case_id,
            channel="email",
            status__in=[OutboxStatus.SENT, OutboxStatus.DELIVERED],
            provider_message_id__startswith="<",
        )
        .exclude(pk=message.pk)
        .order_by("sent_at")
        .values_list("provider_message_id", flat=True)
    )
    in_reply_to = inbound[-1] if inbound else (sent[-1] if sent else "")
    references = list(dict.fromkeys([*inbound, *sent]))[-10:]
    return in_reply_to, references


class EmailAdapter:
    """Django's SMTP backend (EMAIL_HOST/EMAIL_PORT); headers make replies thread."""

    def send(self, message: OutboxMessage) -> str:
        reply_base = conf.get("TAWASUL_REPLY_ADDRESS")
        domain = reply_base.partition("@")[2] or "tawasul.example"
        message_id = mail.outbound_message_id(
            message.pk, f"{message.created_at:%Y%m%d%H%M%S}", domain
        )
        in_reply_to, references = email_thread(message)
        headers = {"Message-ID": message_id}
        if in_reply_to:
            headers["In-Reply-To"] = in_reply_to
        if references:
            headers["References"] = " ".join(references)
        headers.update(message.headers or {})
        reply_to = (
            mail.reply_to_address(reply_base, message.case.reference)
            if message.case_id
            else reply_base
        )
        email = EmailMessage(
            subject=message.subject or "Tawasul",
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            reply_to=[reply_to],
            headers=headers,
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc.recipients}") from None
            raise TemporaryFailure(f"recipient deferred: {exc.recipients}") from None
        except smtplib.SMTPResponseException as exc:
            detail = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if exc.smtp_code >= 500:
                raise PermanentFailure(detail) from None
            raise TemporaryFailure(detail) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"SMTP server unreachable: {exc}") from None
        return message_id


# --- SMS through Kannel -------------------------------------------------------------------


class SmsAdapter:
    """Kannel's HTTP sendsms; UCS-2 for Arabic, concatenated parts, delivery reports."""

    def send(self, message: OutboxMessage) -> str:
        try:
            response = httpx.get(
                kannel.sendsms_url(),
                params=kannel.sendsms_params(
                    to=message.to_address, text=message.body, outbox_id=message.pk
                ),
                timeout=HTTP_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"Kannel unreachable: {exc}") from None
        _http_outcome(response, "Kannel")
        # Kannel gives no id at submission; the operator's id arrives with the DLR.
        return f"kannel:{message.pk}"


# --- social and messaging -----------------------------------------------------------------


def split_handle(address: str) -> tuple[str, str]:
    network, sep, user_id = address.partition(":")
    if not sep or not user_id:
        raise PermanentFailure(f"not a social address (network:id): {address!r}")
    return network.lower(), user_id


class SocialAdapter:
    """WhatsApp Business Cloud API, or a network's Graph-Send-API-shaped URL."""

    def send(self, message: OutboxMessage) -> str:
        network, user_id = split_handle(message.to_address)
        if network == "whatsapp":
            url = (
                f"{conf.get('TAWASUL_WHATSAPP_API_URL').rstrip('/')}/"
                f"{conf.get('TAWASUL_WHATSAPP_PHONE_NUMBER_ID')}/messages"
            )
            payload = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": user_id,
                "type": "text",
                "text": {"preview_url": False, "body": message.body[:4096]},
            }
            token = conf.get("TAWASUL_WHATSAPP_TOKEN")
        else:
            url = conf.get("TAWASUL_SOCIAL_SEND_URLS").get(network)
            if not url:
                raise PermanentFailure(f"no send URL configured for {network}")
            payload = {
                "recipient": {"id": user_id},
                "messaging_type": "RESPONSE",
                "message": {"text": message.body[:2000]},
            }
            token = ""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = httpx.post(
                url,
                content=json.dumps(payload, ensure_ascii=False).encode(),
                headers={**headers, "Content-Type": "application/json"},
                timeout=HTTP_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"{network} unreachable: {exc}") from None
        _http_outcome(response, network)
        try:
            body = response.json()
        except ValueError:
            body = {}
        ids = [m.get("id", "") for m in body.get("messages", []) if isinstance(m, dict)]
        return (ids[0] if ids else body.get("message_id", "")) or f"{network}:{message.pk}"


# --- app and phone ------------------------------------------------------------------------


class AppAdapter:
    """A push notification through FCM (:mod:`push`) when push is configured; without it the
    app only reads replies from its case API."""

    def send(self, message: OutboxMessage) -> str:
        from tawasul.omnichannel import push  # push imports this module's failures

        if not push.configured():
            return f"app-inbox:{message.pk}"
        return push.push_send(message)


class PhoneAdapter:
    """A reply by phone is a call-back task for an agent (the voice room will dial it)."""

    def send(self, message: OutboxMessage) -> str:
        task, _created = CallbackTask.objects.get_or_create(
            outbox=message,
            defaults={
                "phone": message.to_address,
                "case_id": message.case_id,
                "resident_id": message.resident_id,
                "script": message.body,
            },
        )
        return f"callback:{task.pk}@{timezone.now():%Y%m%d%H%M%S}"


ADAPTERS: dict[str, Adapter] = {
    "email": EmailAdapter(),
    "sms": SmsAdapter(),
    "social": SocialAdapter(),
    "app": AppAdapter(),
    "phone": PhoneAdapter(),
}


def register_adapter(channel: str, adapter: Adapter) -> None:
    """Let another room deliver a channel (e.g. push notifications for the app)."""
    ADAPTERS[channel] = adapter


class _Unknown:
    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: OutboxMessage) -> str:
        raise PermanentFailure(f"no adapter for channel {self.channel!r}")


def adapter_for(channel: str) -> Adapter:
    return ADAPTERS.get(channel) or _Unknown(channel)
