"""Reads of the voice gateway: flows, case status by DTMF, procedures, hours, call-backs due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tawasul.cases.models import Case
from tawasul.directory.models import Holiday, Hotline, Service
from tawasul.directory.selectors import calendar_hours
from tawasul.residents import texts
from tawasul.residents.models import Resident
from tawasul.voice.models import CallbackRequest, CallbackStatus, IvrFlow, RecordedPrompt


def hotline_flow(*, number: str) -> tuple[Hotline, IvrFlow] | None:
    """The active hotline with this number and its newest active flow, or None."""
    hotline = Hotline.objects.filter(number=number, active=True).first()
    if hotline is None:
        return None
    flow = hotline.ivr_flows.filter(active=True).order_by("-version").first()
    return (hotline, flow) if flow else None


# The center's own languages keep keys 1 and 2 on every hotline; the others follow by code.
PRIMARY_LANGUAGES = ("ar", "en")


def hotline_languages(*, hotline: Hotline) -> list[str]:
    """The hotline's languages in the order of the language menu (key 1, 2, …)."""
    codes = sorted(
        hotline.languages.values_list("code", flat=True),
        key=lambda code: (
            PRIMARY_LANGUAGES.index(code) if code in PRIMARY_LANGUAGES else len(PRIMARY_LANGUAGES),
            code,
        ),
    )
    return codes or list(PRIMARY_LANGUAGES)


def hotline_is_open(*, hotline: Hotline, now: datetime) -> bool:
    return calendar_hours(hotline.calendar_id).is_open(now)


def hotline_holiday_today(*, hotline: Hotline, now: datetime) -> bool:
    """Whether today (in the calendar's time zone) is one of the calendar's holidays."""
    if hotline.calendar_id is None:
        return False
    local = now.astimezone(calendar_hours(hotline.calendar_id).tz)
    return Holiday.objects.filter(calendar_id=hotline.calendar_id, date=local.date()).exists()


def reference_from_digits(digits: str) -> str | None:
    """``1111 2026 000042`` typed on a phone pad → ``1111-2026-000042``: the last ten digits are
    the year and the sequence, the rest is the hotline prefix."""
    if not digits.isdigit() or len(digits) < 11:
        return None
    return f"{digits[:-10]}-{digits[-10:-6]}-{digits[-6:]}"


def case_status_by_digits(
    *, digits: str, language: str, fallbacks: list[str] | tuple[str, ...] = ()
) -> tuple[str, str] | None:
    """(reference, status label in the caller's language) of the case keyed in, or None.

    The label is the resident's wording (``tawasul.residents.texts``, every hotline
    language), not the staff label of the gettext catalogues.

    The status is all the IVR says: no personal data is read back, so anyone who knows the
    reference may hear it (as on the portal's public tracker).
    """
    reference = reference_from_digits(digits)
    if reference is None:
        return None
    case = Case.objects.filter(reference=reference).only("reference", "status").first()
    if case is None:
        return None
    return case.reference, texts.status_label(case.status, language, fallbacks=fallbacks)


def procedure_text(*, service_code: str, language: str) -> tuple[str, str] | None:
    """(text, the language it is written in) of the service's procedure: the published
    knowledge-base article in the caller's language when there is one (``tawasul/knowledge``),
    else the service's own procedure text (Arabic for Arabic callers, else English), read by
    that language's voice rather than the caller's."""
    service = Service.objects.filter(code=service_code, active=True).first()
    if service is None:
        return None
    try:
        from tawasul.knowledge.models import Article

        article = (
            Article.objects.filter(
                service=service, language_id=language, status="published", kind="procedure"
            )
            .order_by("-updated_at")
            .first()
        )
    except Exception:
        article = None
    if article is not None:
        return f"{article.title}. {article.body}", language
    order = ("ar", "en") if language == "ar" else ("en", "ar")
    texts_by_language = {"ar": service.procedure_ar, "en": service.procedure_en}
    for code in order:
        if texts_by_language[code]:
            return texts_by_language[code], code
    return None


def recorded_prompt(*, hotline: Hotline, node: str, language: str) -> str | None:
    """Path of an uploaded recording that replaces this node's synthesized prompt."""
    row = RecordedPrompt.objects.filter(hotline=hotline, node=node, language=language).first()
    return row.audio.path if row and row.audio else None


def flows_for_export(*, numbers: list[str] | None = None) -> list[dict[str, Any]]:
    qs = (
        IvrFlow.objects.filter(active=True)
        .select_related("hotline")
        .order_by("hotline__number", "-version")
    )
    if numbers:
        qs = qs.filter(hotline__number__in=numbers)
    seen: set[int] = set()
    docs = []
    for flow in qs:
        if flow.hotline_id in seen:
            continue
        seen.add(flow.hotline_id)
        docs.append(
            {"hotline": flow.hotline.number, "version": flow.version, "flow": flow.definition}
        )
    return docs


def callbacks_due(*, now: datetime, exclude: set[int] | frozenset[int] = frozenset()) -> list:
    """Pending call-backs that may go into their line now: a queue to wait in, the retry
    delay over, and their hotline open (an after-hours request waits for the opening hour).
    Oldest place in line first."""
    rows = (
        CallbackRequest.objects.filter(status=CallbackStatus.PENDING)
        .exclude(queue="")
        .exclude(pk__in=exclude)
        .exclude(next_attempt_at__gt=now)
        .select_related("hotline")
        .order_by("line_since", "pk")[:200]
    )
    return [row for row in rows if hotline_is_open(hotline=row.hotline, now=now)]


def queue_node(*, hotline: Hotline, queue: str) -> dict[str, Any] | None:
    """The queue node of the hotline's active flow that defines line ``<number>:<queue>``."""
    found = hotline_flow(number=hotline.number)
    if found is None:
        return None
    for node in found[1].definition["nodes"].values():
        if node.get("type") == "queue" and f"{hotline.number}:{node['queue']}" == queue:
            return node
    return None


def first_queue(*, hotline: Hotline, definition: dict[str, Any]) -> str:
    """The line after-hours call-backs wait in: the flow's first queue node."""
    for node in definition["nodes"].values():
        if node.get("type") == "queue":
            return f"{hotline.number}:{node['queue']}"
    return ""


# The IVR path step that says why an answered call has no recording.
NOT_RECORDED_NO_CONSENT = "not-recorded:no-consent"


def recording_consented(*, resident_id: int | None) -> bool:
    """Whether a call with this resident may be recorded: not when they withdrew consent
    (``Resident.consent_recording``, set through the residents API). A caller nobody knows yet
    heard the recording notice in the welcome prompt, as the model's default says."""
    if resident_id is None:
        return True
    consented = (
        Resident.objects.filter(pk=resident_id).values_list("consent_recording", flat=True).first()
    )
    return consented is not False
