"""Who may do what: the one authorization policy of Tawasul.

Every surface asks this module — desk and knowledge pages, the outbox and mailbox pages, the
staff API, the channels, and :mod:`tawasul.cases.services` (the only writer of a case) — so a
person gets the same answer whichever door they use. :mod:`tawasul.accounts.access` is the
query side of the same policy: it narrows querysets to what a person may see; this module says
whether a person may take an action, on one entity's object or at all.

Two tables hold the policy:

* ``GRANTS``: action → role → scope (``ALL`` entities, or ``OWN_ENTITY``). A role missing
  from an action's row may not take it, on any object.
* ``ROUTES``: every URL name and API operation → the action it needs (or ``PUBLIC`` /
  ``RESIDENT`` / ``SIGN_IN``). Views and handlers name the same action when they call
  :func:`require` (or the page decorator of :mod:`tawasul.accounts.pages`);
  ``tests/test_policy_matrix.py`` walks every route and checks every role against this table,
  so a route added without an entry, or a view that answers differently, fails the suite.

The second factor is part of the policy: a password-only session is no staff session
(:mod:`tawasul.accounts.mfa`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from tawasul.accounts.models import Role, User
from tawasul.errors import DomainError, Forbidden


class Action(StrEnum):
    HANDLE_CONTACTS = "handle_contacts"  # agent desktop: state, offers, contact panel
    OFFER_CONTACTS = "offer_contacts"  # ring an agent's desk with a contact (systems, IVR)
    CASE_READ = "case_read"
    CASE_CREATE = "case_create"
    CASE_WORK = "case_work"  # route, assign, transition, reply, note, attach, follow up
    CASE_ASSIGNEE = "case_assignee"  # may be given a case
    SUPERVISE = "supervise"  # supervisor board, force agent states, reassign, escalate now
    RESIDENT_READ = "resident_read"
    RESIDENT_SEARCH = "resident_search"  # look residents up by name or contact
    RESIDENT_WRITE = "resident_write"  # find-or-create, correct, merge
    INTERACTION_READ = "interaction_read"
    INTERACTION_WRITE = "interaction_write"
    DIRECTORY_READ = "directory_read"
    DIRECTORY_ADMIN = "directory_admin"  # the Django admin: entities, users, hotlines…
    STAFF_HOME = "staff_home"  # the insights index and KPI definitions: every member of staff
    WALLBOARD_READ = "wallboard_read"
    AGGREGATES_READ = "aggregates_read"  # reports and bulletins
    OUTBOX_MANAGE = "outbox_manage"  # dead letters and their retry
    MAILBOX_READ = "mailbox_read"  # the demo mail sink
    KNOWLEDGE_READ = "knowledge_read"
    KNOWLEDGE_EDIT = "knowledge_edit"


class Scope(StrEnum):
    ALL = "all"  # every entity the center serves
    OWN_ENTITY = "own_entity"  # only the person's entity (and departments, when limited)


ALL, OWN = Scope.ALL, Scope.OWN_ENTITY
A, S, Q, P, B, D = (
    Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.PLANNER, Role.BACKOFFICE, Role.ADMIN,
)  # fmt: skip

# The quality analyst reads cases and residents (to score contacts) but changes nothing; the
# planner sees aggregates only; back-office staff act within their entity.
GRANTS: dict[Action, dict[str, Scope]] = {
    Action.HANDLE_CONTACTS: {A: ALL, S: ALL, D: ALL},
    Action.OFFER_CONTACTS: {A: ALL, S: ALL, D: ALL},
    Action.CASE_READ: {A: ALL, S: ALL, Q: ALL, D: ALL, B: OWN},
    Action.CASE_CREATE: {A: ALL, S: ALL, D: ALL, B: OWN},
    Action.CASE_WORK: {A: ALL, S: ALL, D: ALL, B: OWN},
    Action.CASE_ASSIGNEE: {A: ALL, S: ALL, D: ALL, B: OWN},
    Action.SUPERVISE: {S: ALL, D: ALL},
    Action.RESIDENT_READ: {A: ALL, S: ALL, Q: ALL, D: ALL, B: OWN},
    Action.RESIDENT_SEARCH: {A: ALL, S: ALL, Q: ALL, D: ALL},
    Action.RESIDENT_WRITE: {A: ALL, S: ALL, D: ALL},
    Action.INTERACTION_READ: {A: ALL, S: ALL, Q: ALL, D: ALL, B: OWN},
    Action.INTERACTION_WRITE: {A: ALL, S: ALL, D: ALL},
    Action.DIRECTORY_READ: {A: ALL, S: ALL, Q: ALL, P: ALL, D: ALL, B: ALL},
    Action.DIRECTORY_ADMIN: {D: ALL},
    Action.STAFF_HOME: {A: ALL, S: ALL, Q: ALL, P: ALL, D: ALL, B: ALL},
    Action.WALLBOARD_READ: {A: ALL, S: ALL, Q: ALL, P: ALL, D: ALL},
    Action.AGGREGATES_READ: {S: ALL, Q: ALL, P: ALL, D: ALL, B: OWN},
    Action.OUTBOX_MANAGE: {S: ALL, D: ALL},
    Action.MAILBOX_READ: {A: ALL, S: ALL, Q: ALL, D: ALL},
    Action.KNOWLEDGE_READ: {A: ALL, S: ALL, Q: ALL, D: ALL, B: OWN},
    Action.KNOWLEDGE_EDIT: {S: ALL, Q: ALL, D: ALL, B: OWN},
}


def scope_of(user: User | None, action: Action) -> Scope | None:
    """The scope in which ``user`` may take ``action``; None: not at all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Scope.ALL
    scope = GRANTS[action].get(user.role)
    if scope is Scope.OWN_ENTITY and not user.entity_id:
        return None
    return scope


def may(user: User | None, action: Action, *, entity_id: int | None = None) -> bool:
    """May ``user`` take ``action`` at all (``entity_id`` None) or on one entity's object?"""
    scope = scope_of(user, action)
    if scope is None:
        return False
    return scope is Scope.ALL or entity_id is None or entity_id == user.entity_id


def require(user: User | None, action: Action, *, entity_id: int | None = None) -> None:
    if not may(user, action, entity_id=entity_id):
        raise Forbidden(_REFUSALS.get(action, "your role may not do this"))


def covers_case(user: User, case) -> bool:
    """Is ``case`` inside ``user``'s case scope (entity and, when limited, departments)?"""
    scope = scope_of(user, Action.CASE_READ)
    if scope is None:
        return False
    if scope is Scope.ALL:
        return True
    if case.entity_id != user.entity_id:
        return False
    department_ids = set(user.departments.values_list("id", flat=True))
    return not department_ids or case.department_id in department_ids


def require_case_work(actor: User | None, case) -> None:
    """The actor may change this case. ``None`` is the system (escalation, channels)."""
    if actor is None:
        return
    if not may(actor, Action.CASE_WORK, entity_id=case.entity_id) or not covers_case(actor, case):
        raise Forbidden(_REFUSALS[Action.CASE_WORK])


def require_assignee(assignee: User, case) -> None:
    """The case may be given to ``assignee``: an active person whose role works cases and
    whose scope covers the case's entity (never a planner, a quality analyst, or another
    entity's back office)."""
    if not assignee.is_active or not may(assignee, Action.CASE_ASSIGNEE):
        raise DomainError(_("this person may not work on cases"), field="assignee")
    if not may(assignee, Action.CASE_ASSIGNEE, entity_id=case.entity_id) or not covers_case(
        assignee, case
    ):
        raise DomainError(_("this person may not work on this case"), field="assignee")


_REFUSALS = {
    Action.CASE_WORK: "your role cannot change cases",
    Action.CASE_CREATE: "your role cannot open cases",
    Action.SUPERVISE: "supervisors and administrators only",
    Action.OUTBOX_MANAGE: "only supervisors and administrators may retry messages",
    Action.RESIDENT_WRITE: "your role cannot change residents",
    Action.INTERACTION_WRITE: "your role cannot record contacts",
    Action.OFFER_CONTACTS: "only the center's staff and systems offer contacts",
}


# --- routes -------------------------------------------------------------------------------


class Gate(StrEnum):
    PUBLIC = "public"  # anyone (health check, language switch)
    SIGN_IN = "sign_in"  # the sign-in steps themselves
    RESIDENT = "resident"  # the portal and the app API: the resident's own proof decides
    STAFF = "staff"  # a verified (second-factor) staff session or a staff token, and the action


@dataclass(frozen=True)
class Rule:
    gate: Gate
    action: Action | None = None
    # The id in the path names an object that belongs to one person (the agent's own offer),
    # not to an entity.
    own_only: bool = False


def staff(action: Action, *, own_only: bool = False) -> Rule:
    return Rule(Gate.STAFF, action, own_only)


PUBLIC = Rule(Gate.PUBLIC)
SIGN_IN = Rule(Gate.SIGN_IN)
RESIDENT = Rule(Gate.RESIDENT)
H = Action.HANDLE_CONTACTS

# Every HTML route by URL name. The Django admin is one row: all of its pages need
# DIRECTORY_ADMIN (django-otp's admin site also requires the second factor).
PAGES: dict[str, Rule] = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "set_language": PUBLIC,
    "admin:*": staff(Action.DIRECTORY_ADMIN),
    "admin:login": SIGN_IN,
    "admin:logout": SIGN_IN,
    "desk:login": SIGN_IN,
    "desk:verify": SIGN_IN,
    "desk:enrol": SIGN_IN,
    "desk:logout": SIGN_IN,
    # the desk's home: the agent desktop, or the case queue for the back office and QA
    "desk:agent": staff(Action.CASE_READ),
    "desk:state": staff(H),
    "desk:contact": staff(H),
    "desk:accept": staff(H, own_only=True),
    "desk:decline": staff(H, own_only=True),
    "desk:end": staff(H, own_only=True),
    "desk:hold": staff(H, own_only=True),
    "desk:resume": staff(H, own_only=True),
    "desk:resolve": staff(H, own_only=True),
    "desk:open_case": staff(H, own_only=True),
    "desk:wrapup_end": staff(H),
    "desk:suggest": staff(H),
    "desk:resident_search": staff(H),  # the agent desktop's look-up
    "desk:resident": staff(Action.RESIDENT_READ),
    "desk:queue": staff(Action.CASE_READ),
    "desk:case": staff(Action.CASE_READ),
    "desk:case_action": staff(Action.CASE_WORK),
    "desk:supervisor": staff(Action.SUPERVISE),
    "desk:supervisor_live": staff(Action.SUPERVISE),
    "desk:force_state": staff(Action.SUPERVISE),
    "desk:reassign": staff(Action.SUPERVISE),
    "knowledge:list": staff(Action.KNOWLEDGE_READ),
    "knowledge:panel": staff(Action.KNOWLEDGE_READ),
    "knowledge:article": staff(Action.KNOWLEDGE_READ),
    "knowledge:new": staff(Action.KNOWLEDGE_EDIT),
    "knowledge:edit": staff(Action.KNOWLEDGE_EDIT),
    "knowledge:publish": staff(Action.KNOWLEDGE_EDIT),
    "knowledge:archive": staff(Action.KNOWLEDGE_EDIT),
    "knowledge:diff": staff(Action.KNOWLEDGE_EDIT),
    "knowledge:restore": staff(Action.KNOWLEDGE_EDIT),
    # provider callbacks: authenticated by their shared secret or signature, not by a person
    "omnichannel:sms-mo": PUBLIC,
    "omnichannel:sms-dlr": PUBLIC,
    "omnichannel:whatsapp-webhook": PUBLIC,
    "omnichannel:webhook": PUBLIC,
    "omnichannel:mailbox": staff(Action.MAILBOX_READ),
    "omnichannel:outbox": staff(Action.OUTBOX_MANAGE),
    "omnichannel:outbox-retry": staff(Action.OUTBOX_MANAGE),
    "insights:index": staff(Action.STAFF_HOME),
    "insights:definitions": staff(Action.STAFF_HOME),
    "insights:wallboard": staff(Action.WALLBOARD_READ),
    "insights:reports": staff(Action.AGGREGATES_READ),
    "insights:bulletins": staff(Action.AGGREGATES_READ),
    "insights:bulletin_download": staff(Action.AGGREGATES_READ),
    "portal:home": RESIDENT,
    "portal:submit": RESIDENT,
    "portal:fields": RESIDENT,
    "portal:submitted": RESIDENT,
    "portal:track": RESIDENT,
    "portal:verify": RESIDENT,
    "portal:case": RESIDENT,
    "portal:reply": RESIDENT,
    "portal:rate": RESIDENT,
    "portal:open311-root": RESIDENT,
    "portal:open311-discovery": RESIDENT,
    "portal:open311-services": RESIDENT,
    "portal:open311-service": RESIDENT,
    "portal:open311-requests": RESIDENT,
    "portal:open311-request": RESIDENT,
    "portal:open311-token": RESIDENT,
    # the API's own pages: the schema and the interactive docs describe, they do not act
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
}

# Every API operation by "METHOD /api/path" as in the OpenAPI document.
CR, CW = staff(Action.CASE_READ), staff(Action.CASE_WORK)
API: dict[str, Rule] = {
    "GET /api/directory/languages": staff(Action.DIRECTORY_READ),
    "GET /api/directory/entities": staff(Action.DIRECTORY_READ),
    "GET /api/directory/entities/{code}": staff(Action.DIRECTORY_READ),
    "GET /api/directory/services": staff(Action.DIRECTORY_READ),
    "GET /api/directory/hotlines": staff(Action.DIRECTORY_READ),
    "POST /api/residents": staff(Action.RESIDENT_WRITE),
    "GET /api/residents": staff(Action.RESIDENT_SEARCH),
    "GET /api/residents/{resident_id}": staff(Action.RESIDENT_READ),
    "PATCH /api/residents/{resident_id}": staff(Action.RESIDENT_WRITE),
    "POST /api/residents/{resident_id}/merge": staff(Action.RESIDENT_WRITE),
    "POST /api/interactions": staff(Action.INTERACTION_WRITE),
    "GET /api/interactions": staff(Action.INTERACTION_READ),
    "GET /api/interactions/{interaction_id}": staff(Action.INTERACTION_READ),
    "PATCH /api/interactions/{interaction_id}": staff(Action.INTERACTION_WRITE),
    "POST /api/cases/escalations": staff(Action.SUPERVISE),
    "POST /api/cases": staff(Action.CASE_CREATE),
    "GET /api/cases": CR,
    "GET /api/cases/{reference}": CR,
    "POST /api/cases/{reference}/transitions": CW,
    "POST /api/cases/{reference}/assignee": CW,
    "GET /api/cases/{reference}/notes": CR,
    "POST /api/cases/{reference}/notes": CW,
    "GET /api/cases/{reference}/attachments": CR,
    "POST /api/cases/{reference}/attachments": CW,
    "GET /api/cases/{reference}/history": CR,
    "GET /api/cases/{reference}/resident": staff(Action.RESIDENT_READ),
    "GET /api/cases/{reference}/follow-ups": CR,
    "POST /api/cases/{reference}/follow-ups": CW,
    "POST /api/cases/{reference}/follow-ups/{follow_up_id}/done": CW,
    "POST /api/desk/offers": staff(Action.OFFER_CONTACTS),
    "GET /api/knowledge/articles": staff(Action.KNOWLEDGE_READ),
    "GET /api/knowledge/articles/{article_id}": staff(Action.KNOWLEDGE_READ),
    # the mobile app: an app installation's token, never a staff credential
    "POST /api/app/installations": PUBLIC,  # how an app gets its token
    "GET /api/app/entities": RESIDENT,
    "GET /api/app/services": RESIDENT,
    "POST /api/app/cases": RESIDENT,
    "POST /api/app/cases/{reference}/attachments": RESIDENT,
    "POST /api/app/tracking/code": RESIDENT,
    "POST /api/app/tracking/verify": RESIDENT,
    "GET /api/app/cases/{reference}": RESIDENT,
    "GET /api/app/cases/{reference}/messages": RESIDENT,
    "POST /api/app/cases/{reference}/replies": RESIDENT,
    "POST /api/app/cases/{reference}/rating": RESIDENT,
    "PUT /api/app/push-token": RESIDENT,
    "DELETE /api/app/push-token": RESIDENT,
}


def page_rule(view_name: str) -> Rule | None:
    """The rule of one URL name (``namespace:name``); None: the route is not in the policy."""
    if view_name in PAGES:
        return PAGES[view_name]
    return PAGES["admin:*"] if view_name.startswith("admin:") else None


TABLE_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.PLANNER, Role.BACKOFFICE,
               Role.ADMIN)  # fmt: skip


def grants_table() -> str:
    """``GRANTS`` as the Markdown table of docs/policy.md (a test keeps the two equal)."""
    words = {Scope.ALL: "all", Scope.OWN_ENTITY: "own entity", None: "—"}
    lines = [
        "| action | " + " | ".join(role.value for role in TABLE_ROLES) + " |",
        "| --- |" + " --- |" * len(TABLE_ROLES),
    ]
    for action, grants in GRANTS.items():
        cells = [words[grants.get(role)] for role in TABLE_ROLES]
        lines.append(f"| `{action.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
