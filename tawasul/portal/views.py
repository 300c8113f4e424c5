"""The resident portal's pages: thin views over :mod:`tawasul.portal.services`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.cases.models import Case
from tawasul.core import net
from tawasul.directory.models import Entity, Service
from tawasul.errors import DomainError
from tawasul.portal import conf, services
from tawasul.portal.choices import Source
from tawasul.portal.forms import CodeForm, RatingForm, ReplyForm, SubmitForm, TrackForm
from tawasul.portal.selectors import public_case, service_questions

_TRACKED = "portal_tracked"  # session: reference → ISO time the access ends
_SUBMITTED = "portal_submitted"  # session: references this browser submitted
_PENDING = "portal_pending_reference"  # session: reference a code was asked for


def client_ip(request: HttpRequest) -> str:
    # The per-IP limits need a key the client cannot choose: X-Forwarded-For counts only from a
    # trusted proxy (tawasul.core.net).
    return net.client_ip(request) or "unknown"


def _language() -> str:
    return (get_language() or "ar")[:2]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _selection(data) -> tuple[Entity | None, Service | None]:
    entity = Entity.objects.filter(code=data.get("entity") or "", active=True).first()
    service = None
    if entity is not None:
        service = Service.objects.filter(
            code=data.get("service") or "", entity=entity, active=True
        ).first()
    return entity, service


def _fields_context(data, form: SubmitForm) -> dict:
    entity, service = _selection(data)
    q = (data.get("q") or "").strip()[:100]
    entities = services.active_entities(q)
    if entity is not None and entity not in entities:
        entities.insert(0, entity)
    return {
        "form": form,
        "entities": entities,
        "entity": entity,
        "services_list": services.active_services(entity),
        "service": service,
        "q": q,
        "language": _language(),
        "max_files": conf.attachments_per_submission(),
    }


@require_GET
def submit_fields(request: HttpRequest) -> HttpResponse:
    """The entity, service and service-question fields, re-rendered as the resident chooses
    (htmx); the same markup the full form page includes."""
    _entity, service = _selection(request.GET)
    form = SubmitForm(questions=service_questions(service), initial=request.GET.dict())
    return render(request, "portal/_fields.html", _fields_context(request.GET, form))


def _apply_error(form: SubmitForm, exc: DomainError) -> None:
    field = exc.field or ""
    if field.startswith("attribute[") and field.endswith("]"):
        field = "attr_" + field[len("attribute[") : -1]
    form.add_error(field if field in form.fields else None, exc.message)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    _entity, service = _selection(data)
    questions = service_questions(service)
    if request.method == "GET" or "refresh" in request.POST:
        # "refresh" is the no-JavaScript way to filter entities and load a service's questions.
        initial = {"language": _language(), **data.dict()}
        initial.pop("csrfmiddlewaretoken", None)
        form = SubmitForm(questions=questions, initial=initial)
        return render(request, "portal/submit.html", _fields_context(data, form))

    form = SubmitForm(request.POST, request.FILES, questions=questions)
    status = 400
    if request.POST.get("website"):
        form.add_error(None, _("Your request could not be accepted. Please try again."))
    elif form.is_valid():
        cd = form.cleaned_data
        submission = services.SubmissionInput(
            kind=cd["kind"],
            entity=cd["entity"],
            service=cd["service"],
            description=cd["description"],
            phone=cd["phone"],
            email=cd["email"],
            full_name=cd["full_name"],
            preferred_channel=cd["preferred_channel"],
            language=cd["language"],
            latitude=cd["latitude"],
            longitude=cd["longitude"],
            address=cd["address"],
            uploads=cd["attachments"],
            submission_id=cd["submission_id"],
        )
        try:
            submission.attributes = services.attributes_clean(
                service=cd["service"], raw=form.attribute_answers()
            )
            case, _new = services.portal_submit(
                data=submission, source=Source.WEB, ip=client_ip(request)
            )
        except services.RateLimited as exc:
            _apply_error(form, exc)
            status = 429
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            submitted = request.session.get(_SUBMITTED, [])[-9:]
            request.session[_SUBMITTED] = [*submitted, case.reference]
            return redirect("portal:submitted", reference=case.reference)
    return render(request, "portal/submit.html", _fields_context(request.POST, form), status=status)


@require_GET
def submitted(request: HttpRequest, reference: str) -> HttpResponse:
    # Only the browser that submitted sees this page; anyone else goes through a code.
    if reference not in request.session.get(_SUBMITTED, []):
        return redirect("portal:track")
    case = Case.objects.select_related("resident").get(reference=reference)
    return render(
        request,
        "portal/submitted.html",
        {"case": case, "acknowledged": case.outbox.exists()},
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None, initial={"reference": request.GET.get("reference")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.otp_request(
                    reference=form.cleaned_data["reference"],
                    channel=form.cleaned_data["channel"],
                    ip=client_ip(request),
                )
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                request.session[_PENDING] = form.cleaned_data["reference"].strip().upper()
                request.session["portal_pending_channel"] = form.cleaned_data["channel"]
                return redirect("portal:verify")
    return render(request, "portal/track.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(_PENDING)
    if not reference:
        return redirect("portal:track")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = services.otp_verify(
                    reference=reference, code=form.cleaned_data["code"], ip=client_ip(request)
                )
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                tracked = _tracked(request)
                until = timezone.now() + timedelta(minutes=conf.tracking_minutes())
                tracked[case.reference] = until.isoformat()
                request.session[_TRACKED] = tracked
                request.session.pop(_PENDING, None)
                # A new session key once access is granted: a fixed session id is not reused.
                request.session.cycle_key()
                return redirect("portal:case", reference=case.reference)
    return render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "reference": reference,
            "channel": request.session.get("portal_pending_channel", "sms"),
        },
        status=status,
    )


def _tracked(request: HttpRequest) -> dict[str, str]:
    now = timezone.now()
    return {
        ref: until
        for ref, until in request.session.get(_TRACKED, {}).items()
        if datetime.fromisoformat(until) > now
    }


def _tracked_case(request: HttpRequest, reference: str) -> Case | None:
    if reference not in _tracked(request):
        return None
    return services.case_by_reference(reference)


def _case_page(request, case: Case, *, reply_form=None, rating_form=None, status=200):
    return render(
        request,
        "portal/case.html",
        {
            "case": public_case(case, language=_language()),
            "reply_form": reply_form or ReplyForm(),
            "rating_form": rating_form or RatingForm(),
        },
        status=status,
    )


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _tracked_case(request, reference)
    if case is None:
        return redirect(reverse("portal:track") + f"?reference={reference}")
    return _case_page(request, case)


@require_POST
def case_reply(request: HttpRequest, reference: str) -> HttpResponse:
    case = _tracked_case(request, reference)
    if case is None:
        return redirect(reverse("portal:track") + f"?reference={reference}")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.resident_reply(case=case, body=form.cleaned_data["body"], source=Source.WEB)
        except DomainError as exc:
            form.add_error("body", exc.message)
        else:
            return redirect("portal:case", reference=case.reference)
    return _case_page(request, case, reply_form=form, status=400)


@require_POST
def case_rate(request: HttpRequest, reference: str) -> HttpResponse:
    case = _tracked_case(request, reference)
    if case is None:
        return redirect(reverse("portal:track") + f"?reference={reference}")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rating_submit(
                case=case,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                source=Source.WEB,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("portal:case", reference=case.reference)
    return _case_page(request, case, rating_form=form, status=400)
