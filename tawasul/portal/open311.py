"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) as plain Django views.

Every endpoint answers in ``.json`` or ``.xml`` with the spec's element names, and errors in
the spec's shape: ``[{"code": 400, "description": "…"}]`` or
``<errors><error><code>400</code><description>…</description></error></errors>``.
Service request ids are case references; requests are created as municipal reports through
the same service as the portal, so they get a reference, an SLA and an acknowledgement.
The keyless request list shows only reports of services flagged public, coarsened and
scrubbed by :mod:`tawasul.portal.publication` (docs/open311.md, "Search").
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from tawasul.cases.choices import OPEN_STATUSES, CaseKind, CaseStatus, NoteVisibility
from tawasul.cases.models import Case, CaseNote
from tawasul.directory.models import Service
from tawasul.errors import DomainError
from tawasul.portal import conf, publication, services
from tawasul.portal.choices import Source
from tawasul.portal.models import ServiceAttribute, Submission
from tawasul.portal.views import client_ip

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000
# When this endpoint set last changed shape (the spec's "changeset"), not when data changed.
CHANGESET = datetime(2026, 1, 1, tzinfo=UTC)
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
_CLOSED = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering --------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if value is None:
        return
    if isinstance(value, bool):
        child.text = "true" if value else "false"
    elif isinstance(value, list):
        # A list inside an object (formats, values) repeats its singular element.
        singular = {"formats": "format", "values": "value", "attributes": "attribute",
                    "endpoints": "endpoint"}.get(name, "item")  # fmt: skip
        for item in value:
            if isinstance(item, dict):
                _xml_object(child, singular, item)
            else:
                _xml_value(child, singular, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_value(child, key, item)
    else:
        child.text = str(value)


def _xml_object(parent: ET.Element, name: str, data: dict) -> None:
    element = ET.SubElement(parent, name)
    for key, value in data.items():
        _xml_value(element, key, value)


def _render(fmt: str, root: str, item: str | None, data, status: int = 200) -> HttpResponse:
    """``data`` is a list (rendered as ``<root><item>…</item></root>``) or a dict (``<root>…``)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(data, ensure_ascii=False, default=str),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    element = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_object(element, item or "item", entry)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _render(fmt, "errors", "error", [{"code": status, "description": description}], status)


def _spec_errors(view):
    """Turn Open311Error and DomainError into the spec's error body in the asked format."""

    def wrapped(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)
        except DomainError as exc:
            where = f"{exc.field}: " if exc.field else ""
            return _error(fmt, exc.status, f"{where}{exc.message}")

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _language() -> str:
    return (get_language() or "en")[:2]


# --- discovery and services -------------------------------------------------------------------


@require_GET
@_spec_errors
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("portal:open311-root"))
    changed = CHANGESET
    data = {
        "changeset": _when(changed),
        "contact": "Tawasul contact center",
        "key_service": "Ask the contact center's administrators for an Open311 API key.",
        "endpoints": [
            {
                "specification": SPEC,
                "url": base.rstrip("/"),
                "changeset": _when(changed),
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return _render(fmt, "discovery", None, data)


def _open311_services():
    return Service.objects.filter(active=True, entity__active=True).select_related("entity")


@require_GET
@_spec_errors
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    language = _language()
    with_questions = set(
        ServiceAttribute.objects.filter(service__active=True).values_list("service_id", flat=True)
    )
    data = [
        {
            "service_code": s.code,
            "service_name": s.name_in(language),
            "description": (s.description_ar if language == "ar" else s.description_en) or "",
            "metadata": s.pk in with_questions,
            "type": "realtime",
            "keywords": s.entity.code,
            "group": s.entity.name_in(language),
        }
        for s in _open311_services().order_by("entity__code", "code")
    ]
    return _render(fmt, "services", "service", data)


def _service(code: str) -> Service:
    service = _open311_services().filter(code=code).first()
    if service is None:
        raise Open311Error(404, f"service_code {code} not found")
    return service


@require_GET
@_spec_errors
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    service = _service(code)
    language = _language()
    attributes = []
    for question in ServiceAttribute.objects.filter(service=service):
        name_key = "name_ar" if language == "ar" else "name_en"
        attributes.append(
            {
                "variable": question.variable,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.datatype_description or None,
                "order": question.order,
                "description": question.description_in(language),
                "values": [
                    {
                        "key": v.get("key"),
                        "name": v.get(name_key) or v.get("name_en") or v.get("key"),
                    }
                    for v in question.values
                ],
            }
        )
    return _render(
        fmt, "service_definition", None, {"service_code": service.code, "attributes": attributes}
    )


# --- service requests -------------------------------------------------------------------------


def _request_out(case: Case, submission: Submission | None) -> dict:
    """One request as the public sees it: the listing is keyless, so nothing here may say who
    reported it or where they live (see :mod:`tawasul.portal.publication`)."""
    service = case.service
    texts = service.open311_publish_text
    resident = case.resident
    names = [resident.full_name] if resident else []
    values = [c.value for c in resident.contacts.all()] if resident else []
    # Only what was written to the resident: internal notes and the staff's resolution reason
    # are the department's working text, never published.
    told = [n for n in case.notes.all() if n.visibility == NoteVisibility.RESIDENT]
    notes = publication.scrub(told[-1].body, names=names, values=values) if told else ""
    description = publication.scrub(case.description, names=names, values=values)
    grid = conf.open311_coordinate_grid()
    return {
        "service_request_id": case.reference,
        "status": "closed" if case.status in _CLOSED else "open",
        "status_notes": (notes or None) if texts else None,
        "service_name": service.name_in(_language()),
        "service_code": service.code,
        "description": (description or None) if texts else None,
        "agency_responsible": case.entity.name_in(_language()),
        "service_notice": None,
        "requested_datetime": _when(case.created_at),
        "updated_datetime": _when(case.updated_at),
        "expected_datetime": _when(case.resolution_due),
        "address": publication.coarse_address(case.address, names=names, values=values),
        "address_id": None,
        "zipcode": None,
        "lat": publication.coarse_coordinate(case.latitude, grid=grid),
        "long": publication.coarse_coordinate(case.longitude, grid=grid),
        "media_url": ((submission.media_url or None) if submission else None) if texts else None,
    }


def _public_requests():
    # Open311 search is public and keyless: only reports (issues in public space) of services
    # an administrator marked public are listed; health and personal services never are.
    resident_notes = CaseNote.objects.filter(visibility=NoteVisibility.RESIDENT)
    return (
        Case.objects.filter(
            kind=CaseKind.REPORT, service__isnull=False, service__open311_public=True
        )
        .select_related("service", "entity", "submission", "resident")
        .prefetch_related("resident__contacts", Prefetch("notes", queryset=resident_notes))
    )


def _submission(case: Case) -> Submission | None:
    try:
        return case.submission
    except Submission.DoesNotExist:
        return None


def _date_param(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    parsed = services.parse_w3c_datetime(raw)
    if parsed is None:
        raise Open311Error(400, f"{name} is not a w3c datetime, e.g. 2026-03-01T00:00:00Z")
    return parsed


def _search(request: HttpRequest) -> list[dict]:
    cases = _public_requests()
    ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")]
    ids = [i for i in ids if i]
    if ids:
        # The spec: service_request_id overrides every other argument.
        if len(ids) > 100:
            raise Open311Error(400, "service_request_id: at most 100 ids at once")
        found = cases.filter(reference__in=ids)
        return [_request_out(c, _submission(c)) for c in found.order_by("-created_at")]
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(service__code__in=codes)
    statuses = {s.strip().lower() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    if statuses == {"open"}:
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        cases = cases.filter(status__in=_CLOSED)
    start, end = _date_param(request, "start_date"), _date_param(request, "end_date")
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date")
    if start and end and end - start > MAX_RANGE:
        raise Open311Error(400, "the date range is longer than 90 days")
    # Without both ends, the spec's default window: the 90 days up to end_date (or now).
    if start is None:
        start = (end or timezone.now()) - MAX_RANGE
    if end is None:
        end = min(start + MAX_RANGE, timezone.now()) if start else timezone.now()
    cases = cases.filter(created_at__gte=start, created_at__lte=end)
    return [_request_out(c, _submission(c)) for c in cases.order_by("-created_at")[:MAX_RESULTS]]


def _attributes(request: HttpRequest) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for key in request.POST:
        match = _ATTRIBUTE.match(key)
        if match:
            raw.setdefault(match.group(1), []).extend(request.POST.getlist(key))
    return raw


def _coordinate(request: HttpRequest, name: str) -> Decimal | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Open311Error(400, f"{name} is not a number") from None
    if not value.is_finite():
        raise Open311Error(400, f"{name} is not a number")
    return value.quantize(Decimal("0.000001"))


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    post = request.POST
    client = services.open311_client_for(post.get("api_key", "").strip())
    if client is None:
        raise Open311Error(403, "api_key is missing or invalid")
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    service = _service(code)
    latitude, longitude = _coordinate(request, "lat"), _coordinate(request, "long")
    address = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if (latitude is None) != (longitude is None):
        raise Open311Error(400, "give both lat and long")
    if latitude is None and not address and not address_id:
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    if address_id and not address:
        address = f"address_id: {address_id}"
    attributes = services.attributes_clean(service=service, raw=_attributes(request))
    name = " ".join(p for p in (post.get("first_name", ""), post.get("last_name", "")) if p.strip())
    media = request.FILES.get("media")
    data = services.SubmissionInput(
        kind=CaseKind.REPORT,
        entity=service.entity,
        service=service,
        description=post.get("description", "").strip() or service.name_in(_language()),
        phone=post.get("phone", "").strip(),
        email=post.get("email", "").strip(),
        full_name=name.strip(),
        language=_language(),
        latitude=latitude,
        longitude=longitude,
        address=address[:300],
        attributes=attributes,
        uploads=[media] if media else [],
        media_url=post.get("media_url", "").strip(),
        device_id=post.get("device_id", "").strip(),
        account_id=post.get("account_id", "").strip(),
    )
    if data.media_url and not re.match(r"^https?://", data.media_url):
        raise Open311Error(400, "media_url must be an http or https URL")
    services.rate_limit_hit(scope="open311_ip", key=client_ip(request))
    case, _new = services.portal_submit(
        data=data, source=Source.OPEN311, ip=client_ip(request), client=client,
        require_contact=False,
    )  # fmt: skip
    # GeoReport v2 answers a POST with service_request_id when the request exists, or with a
    # token to trade for it later when it is deferred, never both. Tawasul creates the case in
    # this request, so the answer is always the id.
    out = [
        {
            "service_request_id": case.reference,
            "service_notice": None,
            "account_id": data.account_id or None,
        }
    ]
    return _render(fmt, "service_requests", "request", out)


@csrf_exempt  # Open311 clients post forms from other systems; the api_key authenticates them.
@require_http_methods(["GET", "POST"])
@_spec_errors
def requests_view(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _render(fmt, "service_requests", "request", _search(request))


@require_GET
@_spec_errors
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    case = _public_requests().filter(reference=request_id.strip().upper()).first()
    if case is None:
        raise Open311Error(404, f"service_request_id {request_id} not found")
    return _render(fmt, "service_requests", "request", [_request_out(case, _submission(case))])


@require_GET
@_spec_errors
def token_detail(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    """The spec's look-up of a deferred request by its token. Tawasul never defers (a POST
    answers with the ``service_request_id`` at once) and so never hands out a token: every
    token is unknown here, and the look-up cannot be used to probe for requests."""
    raise Open311Error(404, f"token {token} not found")


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        f"Open311 GeoReport v2: see {reverse('portal:open311-discovery', kwargs={'fmt': 'json'})}",
        content_type="text/plain; charset=utf-8",
    )
