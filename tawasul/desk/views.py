"""HTML views of the staff desk. Thin: parse the form, call a service or selector, render.

Errors a service raises for the user's input (``DomainError``) are shown on the page that was
submitted, with the field named and a 4xx status (htmx is configured to swap those in).
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import services as account_services
from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, covers_case, may
from tawasul.cases.choices import NoteVisibility
from tawasul.cases.selectors import case_get, case_is_breached
from tawasul.core.net import client_ip
from tawasul.desk import conf, selectors, services
from tawasul.desk.auth import desk_view, home_action, is_verified
from tawasul.desk.choices import AgentStatus, BreakReason, OfferStatus
from tawasul.desk.forms import (
    CaseForm,
    CodeForm,
    LoginForm,
    QueueFilterForm,
    ResolveForm,
    StateForm,
)
from tawasul.directory import selectors as directory_selectors
from tawasul.directory.models import Department, Entity, Service
from tawasul.errors import DomainError, NotFound

PENDING = "desk_pending"
ENROLMENT = "desk_enrolment"  # session: the administrator's enrolment link this browser opened
DEVICE_NAME = "desk"


def _error_text(exc: DomainError) -> str:
    return f"{exc.field}: {exc.message}" if exc.field else exc.message


def _home_for(user: User) -> str:
    home = home_action(user)
    if home is Action.HANDLE_CONTACTS:
        return reverse("desk:agent")
    if home is Action.CASE_READ:
        return reverse("desk:queue")
    if may(user, Action.WORKFORCE_PLAN):  # the planner: aggregates only, no desk
        return reverse("workforce:home")
    return reverse("home")


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


# --- sign-in ------------------------------------------------------------------------------


def _backoff_response(request: HttpRequest, template: str, context: dict, until) -> HttpResponse:
    """The answer while tries are backed off: when to try again, as a wait and a clock time."""
    seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
    context["error"] = _(
        "Too many failed sign-in attempts. Try again in %(seconds)s seconds (at %(time)s)."
    ) % {"seconds": seconds, "time": formats.time_format(timezone.localtime(until), "H:i:s")}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: username and password. The session is not signed in yet."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if is_verified(request):
        return redirect(next_url or _home_for(request.user))
    form = LoginForm(request.POST or None)
    context = {"form": form, "next": next_url or ""}
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        ip = client_ip(request)
        until = account_services.login_attempt_claim(username=username, ip_address=ip)
        if until is not None:
            return _backoff_response(request, "desk/login.html", context, until)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        account_services.login_attempt_record(
            username=username, ip_address=ip, succeeded=user is not None
        )
        if user is None:
            context["error"] = _("Wrong username or password.")
            return render(request, "desk/login.html", context, status=400)
        request.session.cycle_key()
        request.session[PENDING] = {"user": user.pk, "at": time.time(), "next": next_url or ""}
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("desk:verify")
        return redirect("desk:enrol")
    return render(request, "desk/login.html", context, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > conf.pending_login_seconds():
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _finish_login(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    next_url = request.session.pop(PENDING, {}).get("next") or ""
    request.session.pop(ENROLMENT, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect(_safe_next(request, next_url) or _home_for(user))


def _check_code(request: HttpRequest, user: User, device: TOTPDevice, template: str, context: dict):
    """Verify the submitted code; a response on failure, None on success."""
    form = context["form"]
    if not form.is_valid():
        return render(request, template, context, status=400)
    ip = client_ip(request)
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        # django-otp's own throttle (doubling delay after each wrong code) is still running.
        context["error"] = _("Too many wrong codes in a row. Wait a few seconds and try again.")
        return render(request, template, context, status=429)
    until = account_services.login_attempt_claim(
        username=user.get_username(), ip_address=ip, stage=account_services.CODE
    )
    if until is not None:
        return _backoff_response(request, template, context, until)
    right = device.verify_token(form.cleaned_data["code"].strip())
    account_services.login_attempt_record(
        username=user.get_username(), ip_address=ip, succeeded=right, stage=account_services.CODE
    )
    if not right:
        context["error"] = _("That code is not right. Check the time on your phone and try again.")
        return render(request, template, context, status=400)
    return None


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """Step two for enrolled staff: the 6-digit code from their authenticator."""
    user = _pending_user(request)
    if user is None:
        return redirect("desk:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return redirect("desk:enrol")
    form = CodeForm(request.POST or None)
    context = {"form": form, "username": user.get_username()}
    if request.method == "POST":
        refused = _check_code(request, user, device, "desk/verify.html", context)
        if refused is not None:
            return refused
        return _finish_login(request, user, device)
    return render(request, "desk/verify.html", context)


@require_GET
def enrol_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """An administrator's enrolment link: remember it in this browser, then sign in."""
    invite = account_services.enrolment_find(raw=token)
    if invite is None:
        return render(request, "desk/enrol_needed.html", {"link_refused": True}, status=410)
    request.session[ENROLMENT] = invite.pk
    messages.info(
        request, _("Sign in with your username and password to set up your authenticator app.")
    )
    return redirect("desk:login")


@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: register an authenticator app by QR code (or typed key), then verify.

    Only through an administrator's enrolment link: a password alone must not be enough to
    attach a new second factor to an account that has none yet."""
    user = _pending_user(request)
    if user is None:
        return redirect("desk:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("desk:verify")
    invite = account_services.enrolment_open(invite_id=request.session.get(ENROLMENT), user=user)
    if invite is None:
        return render(request, "desk/enrol_needed.html", {"link_refused": False}, status=403)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    uri = device.config_url
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    form = CodeForm(request.POST or None)
    context = {
        "form": form,
        "username": user.get_username(),
        "uri": uri,
        "secret": secret,
        "qr": segno.make(uri, error="m").svg_inline(scale=5, dark="#1b2330", light="#ffffff"),
    }
    if request.method == "POST":
        refused = _check_code(request, user, device, "desk/enrol.html", context)
        if refused is not None:
            return refused
        try:
            account_services.enrolment_complete(
                invite_id=invite.pk, user=user, device=device, request=request
            )
        except DomainError:
            # The link was used up (or expired) while this page was open.
            return render(request, "desk/enrol_needed.html", {"link_refused": True}, status=410)
        return _finish_login(request, user, device)
    return render(request, "desk/enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and is_verified(request) and user.role in services.AGENT_ROLES:
        # On a contact the state stays until the contact ends or a supervisor acts.
        with contextlib.suppress(DomainError):
            services.agent_set_state(agent=user, state=AgentStatus.LOGGED_OUT)
    logout(request)
    return redirect("desk:login")


# --- agent desktop ------------------------------------------------------------------------


@desk_view(Action.CASE_READ)
def index(request: HttpRequest) -> HttpResponse:
    if home_action(request.user) is Action.HANDLE_CONTACTS:
        return agent_desktop(request)
    return redirect("desk:queue")


def _state_context(request: HttpRequest) -> dict:
    return {
        "agent_state": selectors.agent_state_get(request.user),
        "states": AgentStatus,
        "break_reasons": BreakReason.choices,
    }


def agent_desktop(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/agent.html", {**_state_context(request), "nav": "agent"})


@require_http_methods(["GET", "POST"])
@desk_view(Action.HANDLE_CONTACTS)
def state_change(request: HttpRequest) -> HttpResponse:
    """GET: the state bar; POST: change state (one click) and return the new bar."""
    if request.method == "GET":
        return render(request, "desk/_state.html", _state_context(request))
    form = StateForm(request.POST)
    context = _state_context(request)
    status = 200
    if not form.is_valid():
        context["error"], status = _("Choose a state."), 400
    else:
        try:
            services.agent_set_state(
                agent=request.user,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"],
            )
            context = _state_context(request)
        except DomainError as exc:
            context["error"], status = _error_text(exc), exc.status
    response = render(request, "desk/_state.html", context, status=status)
    response["HX-Trigger"] = "desk-contact"
    return response


def _classification(
    *, entity: Entity | None = None, service: Service | None = None, department=None
):
    entities = list(Entity.objects.filter(active=True).order_by("name_en"))
    services_ = list(
        Service.objects.filter(active=True)
        .select_related("entity")
        .order_by("entity__name_en", "name_en")
    )
    departments = list(
        Department.objects.filter(active=True)
        .select_related("entity")
        .order_by("entity__name_en", "name_en")
    )
    return {
        "entities": entities,
        "services": services_,
        "departments": departments,
        "chosen_entity": entity.code if entity else "",
        "chosen_service": service.code if service else "",
        "chosen_department": department.code if department else "",
    }


def _panel_context(request: HttpRequest, **extra) -> dict:
    offer = selectors.offer_current(request.user)
    context: dict = {"offer": offer, "statuses": OfferStatus, **extra}
    state = selectors.agent_state_get(request.user)
    context["agent_state"] = state
    if offer is not None:
        interaction = offer.interaction
        if interaction.resident_id:
            context["r360"] = selectors.resident_360(
                user=request.user, resident_id=interaction.resident_id, request=request
            )
        if state.state == AgentStatus.WRAP_UP:
            context["wrapup_deadline"] = state.since + timedelta(seconds=conf.wrapup_seconds())
        # Shown from the database, not from the request that opened them: a live event may
        # re-render the panel at any moment and the agent must still see the case.
        context["linked_cases"] = list(
            interaction.cases.select_related("department").order_by("created_at")
        )
        entity = interaction.entity
        context.setdefault("case_form", CaseForm(initial={"subject": interaction.subject}))
        context.update({k: v for k, v in _classification(entity=entity).items() if k not in extra})
        context["kb_entity"] = entity.code if entity else ""
        context["on_hold"] = interaction.holds.filter(ended_at__isnull=True).exists()
        context["kb_q"] = interaction.subject
        if offer.language:
            context["offer_language"] = directory_selectors.language_name(
                offer.language, get_language() or "en"
            )
    return context


@require_GET
@desk_view(Action.HANDLE_CONTACTS)
def contact_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/_contact.html", _panel_context(request))


def _offer_action(request: HttpRequest, offer_id: int, action) -> HttpResponse:
    try:
        offer = selectors.offer_get(agent=request.user, offer_id=offer_id)
        action(offer=offer, agent=request.user)
    except DomainError as exc:
        return render(
            request,
            "desk/_contact.html",
            _panel_context(request, error=_error_text(exc)),
            status=exc.status,
        )
    response = render(request, "desk/_contact.html", _panel_context(request))
    response["HX-Trigger"] = "desk-state"
    return response


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, services.contact_accept)


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, services.contact_decline)


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_end(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, services.contact_end)


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_hold(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, services.contact_hold)


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_resume(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _offer_action(request, offer_id, lambda **kw: services.contact_hold(hold=False, **kw))


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def wrapup_end(request: HttpRequest) -> HttpResponse:
    status = 200
    extra = {}
    try:
        services.wrapup_end(agent=request.user)
    except DomainError as exc:
        extra["error"], status = _error_text(exc), exc.status
    response = render(
        request, "desk/_contact.html", _panel_context(request, **extra), status=status
    )
    response["HX-Trigger"] = "desk-state"
    return response


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_resolve(request: HttpRequest, offer_id: int) -> HttpResponse:
    form = ResolveForm(request.POST)
    try:
        offer = selectors.offer_get(agent=request.user, offer_id=offer_id)
        if not form.is_valid():
            raise DomainError(_("say how it was resolved"), field="summary")
        services.contact_resolve(
            offer=offer, agent=request.user, summary=form.cleaned_data["summary"]
        )
    except DomainError as exc:
        context = _panel_context(request, error=_error_text(exc))
        return render(request, "desk/_contact.html", context, status=exc.status)
    context = _panel_context(request, notice=_("Logged as resolved on first contact."))
    return render(request, "desk/_contact.html", context)


def _lookup(model, field: str, code: str, **filters):
    if not code:
        return None
    obj = model.objects.filter(code=code, **filters).first()
    if obj is None:
        raise DomainError(f"unknown {field}: {code}", field=field)
    return obj


@require_POST
@desk_view(Action.HANDLE_CONTACTS)
def contact_case(request: HttpRequest, offer_id: int) -> HttpResponse:
    form = CaseForm(request.POST)
    try:
        offer = selectors.offer_get(agent=request.user, offer_id=offer_id)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise DomainError(str(errors[0]), field=field)
        data = form.cleaned_data
        entity = _lookup(Entity, "entity", data["entity"], active=True)
        if entity is None:
            raise DomainError("choose the entity", field="entity")
        case = services.contact_open_case(
            offer=offer,
            agent=request.user,
            kind=data["kind"],
            entity=entity,
            service=_lookup(Service, "service", data["service"]),
            department=_lookup(Department, "department", data["department"], entity=entity),
            priority=data["priority"] or "normal",
            subject=data["subject"],
            description=data["description"],
        )
    except DomainError as exc:
        context = _panel_context(request, error=_error_text(exc), case_form=form)
        return render(request, "desk/_contact.html", context, status=exc.status)
    context = _panel_context(request)
    del case  # shown through the contact's linked cases
    return render(request, "desk/_contact.html", context)


@require_GET
@desk_view(Action.HANDLE_CONTACTS)
def suggest(request: HttpRequest) -> HttpResponse:
    """The case classification block, with the services suggested by the description
    pre-selected (or the one the agent picked from the suggestions)."""
    text = request.GET.get("description", "")[:5000]
    suggestions = selectors.suggest_service(text, request.LANGUAGE_CODE)
    picked = request.GET.get("pick")
    chosen = next((s.service for s in suggestions if s.service.code == picked), None)
    if chosen is None and picked:
        chosen = (
            Service.objects.filter(code=picked, active=True)
            .select_related("entity", "department")
            .first()
        )
    if chosen is None and suggestions:
        chosen = suggestions[0].service
    context = _classification(
        entity=chosen.entity if chosen else None,
        service=chosen,
        department=chosen.department if chosen else None,
    )
    context.update({"suggestions": suggestions, "description": text})
    return render(request, "desk/_classification.html", context)


@require_GET
@desk_view(Action.HANDLE_CONTACTS)
def resident_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    try:
        results = selectors.resident_lookup(user=request.user, q=q, request=request)
    except DomainError as exc:
        return render(
            request, "desk/_search.html", {"error": _error_text(exc), "q": q}, status=exc.status
        )
    return render(request, "desk/_search.html", {"results": results, "q": q, "searched": True})


@require_GET
@desk_view(Action.RESIDENT_READ)
def resident_page(request: HttpRequest, resident_id: int) -> HttpResponse:
    try:
        r360 = selectors.resident_360(user=request.user, resident_id=resident_id, request=request)
    except NotFound:
        raise Http404("no such resident") from None
    return render(request, "desk/resident.html", {"r360": r360, "nav": "agent"})


# --- back office --------------------------------------------------------------------------


@require_GET
@desk_view(Action.CASE_READ)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.work_queue(
        user=request.user,
        status=[filters["status"]] if filters.get("status") else None,
        kind=filters.get("kind"),
        priority=filters.get("priority"),
        department=filters.get("department"),
        overdue=True if filters.get("overdue") else None,
        mine=bool(filters.get("mine")),
        q=filters.get("q"),
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    for case in page:
        case.breached = case_is_breached(case, now)
    departments = (
        Department.objects.filter(entity_id=request.user.entity_id, active=True).order_by("name_en")
        if request.user.entity_id
        else Department.objects.none()
    )
    context = {"form": form, "page": page, "nav": "cases", "departments": departments}
    return render(request, "desk/queue.html", context, status=200 if not form.errors else 400)


def _case_context(request: HttpRequest, case) -> dict:
    r360 = None
    if case.resident_id:
        try:
            r360 = selectors.resident_360(
                user=request.user, resident_id=case.resident_id, request=request
            )
        except NotFound:
            r360 = None
    return {
        "case": case,
        "breached": case_is_breached(case),
        "timeline": selectors.case_timeline(case),
        "follow_ups": list(case.follow_ups.all()),
        "attachments": list(case.attachments.all()),
        "departments": selectors.case_departments(case),
        "r360": r360,
        "nav": "cases",
        "can_work": may(request.user, Action.CASE_WORK) and covers_case(request.user, case),
    }


def _get_case(request: HttpRequest, reference: str):
    try:
        return case_get(user=request.user, reference=reference)
    except NotFound:
        raise Http404("no such case") from None


@require_GET
@desk_view(Action.CASE_READ)
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = _get_case(request, reference)
    return render(request, "desk/case.html", _case_context(request, case))


CASE_OPS = {
    "start", "request_info", "resume", "resolve", "return_to_center", "route", "close", "reopen",
    "reply", "note", "assign_me", "unassign",
}  # fmt: skip


@require_POST
@desk_view(Action.CASE_WORK)
def case_action(request: HttpRequest, reference: str) -> HttpResponse:
    """Every button and form of the case page posts here with ``op``."""
    case = _get_case(request, reference)
    op = request.POST.get("op", "")
    text = request.POST.get("text", "").strip()[:10000]
    try:
        if op not in CASE_OPS:
            raise DomainError(f"unknown action: {op}", field="op")
        version = request.POST.get("version")
        expected = int(version) if version and version.isdigit() else None
        if op in ("reply", "note"):
            visibility = NoteVisibility.RESIDENT if op == "reply" else NoteVisibility.INTERNAL
            services.desk_case_note(case=case, actor=request.user, body=text, visibility=visibility)
            done = _("Reply queued for the resident.") if op == "reply" else _("Note added.")
        elif op == "assign_me":
            services.desk_case_assign(case=case, actor=request.user, assignee=request.user)
            done = _("The case is assigned to you.")
        elif op == "unassign":
            services.desk_case_assign(case=case, actor=request.user, assignee=None)
            done = _("The case is back in the pool.")
        else:
            department = None
            if op == "route":
                department = _lookup(
                    Department, "department", request.POST.get("department", ""), entity=case.entity
                )
            services.desk_case_transition(
                case=case,
                actor=request.user,
                action=op,
                reason=text,
                department=department,
                expected_version=expected,
            )
            done = _("Done.")
    except DomainError as exc:
        case = case_get(user=request.user, reference=reference)
        context = _case_context(request, case)
        context.update({"error": _error_text(exc), "failed_op": op, "text": text})
        return render(request, "desk/case.html", context, status=exc.status)
    messages.success(request, done)
    if request.POST.get("next") == "queue":
        return redirect("desk:queue")
    # The case may have left this user's scope (returned to the center, routed elsewhere).
    try:
        case_get(user=request.user, reference=reference)
    except NotFound:
        return redirect("desk:queue")
    return redirect("desk:case", reference=case.reference)


# --- supervisor ---------------------------------------------------------------------------


def _supervisor_context(request: HttpRequest, **extra) -> dict:
    now = timezone.now()
    return {
        "stats": selectors.queue_stats(now=now),
        "agents": selectors.agents_board(now=now),
        "near": [
            (case, case_is_breached(case, now), selectors.case_assignable(case))
            for case in selectors.cases_near_sla(user=request.user, now=now)
        ],
        "states": AgentStatus,
        "break_reasons": BreakReason.choices,
        "now": now,
        "nav": "supervisor",
        **extra,
    }


@require_GET
@desk_view(Action.SUPERVISE)
def supervisor(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/supervisor.html", _supervisor_context(request))


@require_GET
@desk_view(Action.SUPERVISE)
def supervisor_live(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/_supervisor_live.html", _supervisor_context(request))


@require_POST
@desk_view(Action.SUPERVISE)
def supervisor_force_state(request: HttpRequest, agent_id: int) -> HttpResponse:
    form = StateForm(request.POST)
    extra, status = {}, 200
    agent = User.objects.filter(pk=agent_id, is_active=True).first()
    try:
        if agent is None:
            raise DomainError("no such agent", field="agent")
        if not form.is_valid():
            raise DomainError("choose a state", field="state")
        services.agent_set_state(
            agent=agent,
            state=form.cleaned_data["state"],
            reason=form.cleaned_data["reason"]
            or ("supervisor" if form.cleaned_data["state"] == AgentStatus.ON_BREAK else ""),
            actor=request.user,
        )
    except DomainError as exc:
        extra["error"], status = _error_text(exc), exc.status
    return render(
        request, "desk/_supervisor_live.html", _supervisor_context(request, **extra), status=status
    )


@require_POST
@desk_view(Action.SUPERVISE)
def supervisor_reassign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _get_case(request, reference)
    extra, status = {}, 200
    username = request.POST.get("assignee", "").strip()
    try:
        assignee = None
        if username:
            assignee = User.objects.filter(username=username, is_active=True).first()
            if assignee is None:
                raise DomainError(f"unknown person: {username}", field="assignee")
        with transaction.atomic():
            services.desk_case_assign(case=case, actor=request.user, assignee=assignee)
    except DomainError as exc:
        extra["error"], status = _error_text(exc), exc.status
    return render(
        request, "desk/_supervisor_live.html", _supervisor_context(request, **extra), status=status
    )
