"""HTTP edges of the channels: Kannel callbacks, webhooks, the mailbox and the outbox pages.

Thin on purpose: each view checks the caller, hands the request to a service and maps the
outcome to a status. Bad input is a 4xx naming the field; our own trouble (the database is
away) is a 503 so Kannel and the networks deliver again later.
"""

from __future__ import annotations

import hmac
import logging
import urllib.parse

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tawasul.accounts.models import AuditAction
from tawasul.accounts.pages import staff_page
from tawasul.accounts.policy import Action
from tawasul.accounts.services import audit_record, audit_record_many
from tawasul.core.net import client_ip
from tawasul.errors import DomainError, Forbidden
from tawasul.interactions.models import Channel
from tawasul.omnichannel import kannel, selectors, webhooks
from tawasul.omnichannel.inbound import NotConfigured, sms_receive
from tawasul.omnichannel.models import OutboxMessage, OutboxStatus
from tawasul.omnichannel.services import ReportRefused, outbox_report, outbox_retry

logger = logging.getLogger(__name__)


def _error(exc: DomainError) -> JsonResponse:
    errors = getattr(exc, "errors", None) or [
        {"field": exc.field, "message": exc.message, "code": exc.code}
    ]
    return JsonResponse({"detail": errors}, status=exc.status)


def _unavailable(what: str) -> JsonResponse:
    logger.exception("%s: temporary failure; the sender will retry", what)
    return JsonResponse(
        {"detail": [{"field": None, "message": "temporarily unavailable", "code": "retry"}]},
        status=503,
    )


def _secret_ok(request: HttpRequest) -> bool:
    given = request.GET.get("secret", "")
    return bool(given) and hmac.compare_digest(given.encode(), kannel.callback_secret().encode())


def _mo_text(request: HttpRequest) -> str:
    """The MO text; UCS-2 bytes (coding=2, when Kannel could not recode) are decoded here."""
    if request.GET.get("coding") != "2":
        return request.GET.get("text", "")
    raw = urllib.parse.parse_qs(request.META.get("QUERY_STRING", ""), encoding="latin-1")
    data = (raw.get("text") or [""])[0].encode("latin-1")
    return data.decode("utf-16-be", errors="replace")


@csrf_exempt
@require_http_methods(["GET"])
def sms_mo(request: HttpRequest) -> HttpResponse:
    """Kannel's sms-service get-url: one MO message."""
    if not _secret_ok(request):
        logger.warning("sms mo: refused, wrong secret from %s", client_ip(request))
        return _error(Forbidden("wrong secret"))
    try:
        sms_receive(
            sender=request.GET.get("from", ""),
            receiver=request.GET.get("to", ""),
            text=_mo_text(request),
            message_id=request.GET.get("id", ""),
        )
    except DomainError as exc:
        logger.warning("sms mo: refused %s: %s", request.GET.get("id", ""), exc.message)
        return _error(exc)
    except (DatabaseError, NotConfigured):
        return _unavailable("sms mo")
    # An empty body: Kannel sends no reply SMS; the acknowledgement goes through the outbox.
    return HttpResponse("", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET"])
def sms_dlr(request: HttpRequest) -> HttpResponse:
    """Kannel's delivery report for one outbox message (the dlr-url of its send).

    Signed, not secret: ``sig`` is the HMAC that ``kannel.sendsms_params`` put in the URL for
    this message, its address and its DLR mask. A report that does not match, or that would
    not move the message on (a replay, a failure after delivery), is refused with 403 and
    changes nothing.
    """
    numbers = {}
    for name in ("outbox", "mask", "status"):
        try:
            numbers[name] = int(request.GET.get(name, ""))
        except ValueError:
            return _error(DomainError(f"{name} must be a number", field=name))
    outbox_id, mask, status = numbers["outbox"], numbers["mask"], numbers["status"]
    message = OutboxMessage.objects.filter(pk=outbox_id).first()
    signed = message is not None and kannel.dlr_signature_ok(
        outbox_id=outbox_id, to=message.to_address, mask=mask, signature=request.GET.get("sig", "")
    )
    if not signed or message.channel != "sms":
        # Unknown id, forged, or signed for a leg the message has left (its fallback channel
        # or address): the same answer, so the endpoint tells nobody which ids exist.
        logger.warning("sms dlr for outbox %s refused: signature", outbox_id)
        return _error(
            ReportRefused(
                "the delivery report is not signed for this message and address",
                field="sig",
                code="bad_signature",
            )
        )
    if status not in kannel.DLR_OUTCOMES or not status & mask:
        return _error(
            DomainError(f"DLR type {status} was not asked for (mask {mask})", field="status")
        )
    operator_id = request.GET.get("fid", "")
    try:
        outbox_report(
            message=message,
            delivered=status == kannel.DLR_DELIVERED,
            detail=f"DLR {status}",
            provider_id=operator_id,
        )
    except ReportRefused as exc:
        logger.warning("sms dlr %s for outbox %s refused: %s", status, outbox_id, exc.message)
        return _error(exc)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    try:
        if request.method == "GET":
            challenge = webhooks.whatsapp_verify(
                mode=request.GET.get("hub.mode", ""),
                token=request.GET.get("hub.verify_token", ""),
                challenge=request.GET.get("hub.challenge", ""),
            )
            return HttpResponse(challenge, content_type="text/plain")
        outcome = webhooks.whatsapp_receive(
            body=request.body, signature=request.headers.get("X-Hub-Signature-256", "")
        )
    except DomainError as exc:
        logger.warning("whatsapp webhook: refused (%s): %s", exc.status, exc.message)
        return _error(exc)
    except (DatabaseError, NotConfigured):
        return _unavailable("whatsapp webhook")
    return JsonResponse(outcome.as_json())


@csrf_exempt
@require_POST
def generic_webhook(request: HttpRequest, network: str) -> HttpResponse:
    try:
        outcome = webhooks.generic_receive(
            network=network,
            body=request.body,
            signature=request.headers.get("X-Tawasul-Signature", ""),
        )
    except DomainError as exc:
        logger.warning("%s webhook: refused (%s): %s", network, exc.status, exc.message)
        return _error(exc)
    except (DatabaseError, NotConfigured):
        return _unavailable(f"{network} webhook")
    return JsonResponse(outcome.as_json(), status=200 if not outcome.rejected else 422)


# --- staff pages --------------------------------------------------------------------------


@staff_page(Action.MAILBOX_READ)
def mailbox(request: HttpRequest) -> HttpResponse:
    """The demo mail sink: every e-mail Tawasul sent, as the residents would see it."""
    try:
        caught = selectors.mailbox_list(user=request.user, q=request.GET.get("q", ""))
    except Forbidden:
        raise PermissionDenied from None
    page = Paginator(caught, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="mailbox",
        object_id="list",
        fields=["recipients", "subject", "body"],
        request=request,
    )
    return render(
        request, "omnichannel/mailbox.html", {"page": page, "q": request.GET.get("q", "")}
    )


@staff_page(Action.OUTBOX_MANAGE)
def outbox(request: HttpRequest) -> HttpResponse:
    """Outbox and dead letters (supervisors and administrators), with Retry."""
    status = request.GET.get("status", OutboxStatus.FAILED)
    channel = request.GET.get("channel", "")
    if status not in OutboxStatus.values and status != "":
        status = OutboxStatus.FAILED
    try:
        found = selectors.outbox_search(
            user=request.user, status=status, channel=channel, q=request.GET.get("q", "")
        )
    except Forbidden:
        raise PermissionDenied from None
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    residents = {m.resident_id for m in page.object_list if m.resident_id}
    audit_record_many(
        actor=request.user,
        action=AuditAction.READ,
        object_type="outbox",
        resident_ids=sorted(residents),
        fields=["to_address", "body"],
        request=request,
    )
    return render(
        request,
        "omnichannel/outbox.html",
        {
            "page": page,
            "status": status,
            "channel": channel,
            "q": request.GET.get("q", ""),
            "statuses": OutboxStatus.choices,
            "channels": [(c, label) for c, label in Channel.choices if c in
                         ("email", "sms", "social", "app")] + [("phone", _("Call-back"))],
            "retryable": (OutboxStatus.FAILED, OutboxStatus.CANCELLED),
        },
    )  # fmt: skip


@require_POST
@staff_page(Action.OUTBOX_MANAGE)
def outbox_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        outbox_retry(message=message, actor=request.user)
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Message %(id)s will be sent again.") % {"id": pk})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/channels/outbox/") else "omnichannel:outbox")
