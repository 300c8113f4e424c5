"""The authorization matrix: every route × every role × own/foreign object, against the policy.

Cells are generated, not listed: Django's URL resolver gives every HTML route (the desk,
knowledge, channels, insights, portal and every page of the admin), ninja's OpenAPI document
gives every API operation (staff API and app API). The expected outcome of each cell comes
from :mod:`tawasul.accounts.policy` (``PAGES`` / ``API`` for the route's action, ``GRANTS``
for the role and its scope); a route missing from those tables fails here. "Own/foreign":
a route that takes an id is asked with a PHCC and a MoCI object (own and foreign for the PHCC
back office, the other way round for the MoCI one), and the desk's contact routes with the
agent's own ringing contact and a colleague's. Each request runs
inside a savepoint that is rolled back, so a cell never changes what the next one sees.

Outcomes: ``login`` (302 to a sign-in page, or 401), ``deny`` (403, or 404 so an id in
another entity does not leak), ``allow`` (anything else below 500; a 400 for the empty or
made-up input each cell sends means the policy let the request reach its validation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import policy
from tawasul.accounts.models import ApiToken, User
from tawasul.api.api import api
from tawasul.cases.services import case_add_attachment, case_create, case_follow_up_schedule
from tawasul.desk.models import ContactOffer
from tawasul.interactions.services import interaction_record
from tawasul.knowledge.services import article_save
from tawasul.omnichannel.models import OutboxMessage
from tawasul.residents.services import normalize_contacts, resident_find_or_create
from tests.support import verified_client

pytestmark = pytest.mark.django_db

# The role columns: the fixtures' people, plus an anonymous visitor and a password-only
# session (the administrator's password without the second factor: the strongest account).
STAFF_ROLES = {
    "agent": "agent",
    "supervisor": "supervisor",
    "quality analyst": "qa",
    "planner": "planner",
    "back office (own entity)": "phcc_staff",
    "back office (other entity)": "outsider",
    "admin": "admin",
}
ANONYMOUS, PASSWORD_ONLY = "anonymous", "password only"
ROLES = [*STAFF_ROLES, ANONYMOUS, PASSWORD_ONLY]

# Path parameters that name an object of one entity: tried with a PHCC ("own" for the PHCC
# back office) and a MoCI object ("foreign" to it). Others name no entity's object.
SCOPED = {
    "reference", "resident_id", "interaction_id", "article_id", "follow_up_id", "attachment_id"
}  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class World:
    people: dict
    objects: dict  # "phcc"/"moci" -> {param: value}; entity ids in "entity_id"
    offers: dict  # "agent"/"agent2" -> the id of the contact ringing on their desk
    ids: dict  # body field -> a real object's id
    unscoped: dict  # param -> value
    clients: dict  # role -> Client for pages
    api_headers: dict  # role -> headers for the API (bearer token, or none)
    api_clients: dict


@pytest.fixture
def world(directory, people, settings) -> World:
    settings.ALLOWED_HOSTS = ["*"]
    objects = {}
    for code, phone in (("phcc", "+97455000001"), ("moci", "+97455000002")):
        entity = directory[code]
        resident, _ = resident_find_or_create(
            contacts=normalize_contacts(phone=phone), full_name=f"resident {code}"
        )
        interaction, _ = interaction_record(channel="phone", resident=resident, entity=entity)
        case = case_create(
            actor=people["agent"],
            kind="complaint",
            entity=entity,
            subject=f"{code} case",
            description="for the policy matrix",
            resident=resident,
            interaction=interaction,
        )
        follow_up = case_follow_up_schedule(
            case=case, actor=people["agent"], due_at=timezone.now() + timedelta(days=2), note="x"
        )
        attachment = case_add_attachment(
            case=case, actor=people["agent"], upload=SimpleUploadedFile(f"{code}.png", PNG)
        )
        article = article_save(
            actor=people["admin"],
            kind="procedure",
            entity=entity,
            language=directory["h107"].languages.get(code="ar"),
            title=f"{code} procedure",
            body="the steps",
            publish=True,
        )
        objects[code] = {
            "entity_id": entity.pk,
            "reference": case.reference,
            "resident_id": resident.pk,
            "interaction_id": str(interaction.pk),
            "follow_up_id": follow_up.pk,
            "attachment_id": attachment.pk,
            "article_id": article.pk,
        }
    # A contact ringing on the agent's desk, and one on a colleague's (foreign to everyone else).
    offers = {}
    for name in ("agent", "agent2"):
        ringing, _ = interaction_record(channel="phone", entity=directory["phcc"])
        offers[name] = ContactOffer.objects.create(
            agent=people[name], interaction=ringing, offered_at=timezone.now(), path={}
        ).pk
    outbox = OutboxMessage.objects.create(
        channel="sms", to_address="+97455000001", body="x", status="failed"
    )
    unscoped = {
        "agent_id": people["agent2"].pk,
        "pk": outbox.pk,
        "number": 1,
        "network": "facebook",
        "code": "phcc",
        "fmt": "json",
        "request_id": "0",
        "token": "0",
        "object_id": "0",
        "id": "0",
        "url": "nothing-here/",
        "content_type_id": 1,
    }
    clients = {role: verified_client(people[name]) for role, name in STAFF_ROLES.items()}
    clients[ANONYMOUS] = Client()
    password_only = Client()
    password_only.force_login(people["admin"])
    clients[PASSWORD_ONLY] = password_only
    api_headers = {}
    for role, name in STAFF_ROLES.items():
        _token, raw = ApiToken.issue(user=people[name], name="matrix")
        api_headers[role] = {"Authorization": f"Bearer {raw}"}
    api_headers[ANONYMOUS] = {}
    api_headers[PASSWORD_ONLY] = {}  # the session cookie alone
    api_clients = {role: Client() for role in ROLES}
    api_clients[PASSWORD_ONLY] = password_only
    ids = {"source_id": objects["phcc"]["resident_id"]}
    return World(people, objects, offers, ids, unscoped, clients, api_headers, api_clients)


def _user_of(world: World, role: str) -> User | None:
    name = STAFF_ROLES.get(role)
    return world.people[name] if name else None


def expected(rule: policy.Rule, user: User | None, role: str, entity_id: int | None, *,
             api_surface: bool, owner: User | None = None) -> str:  # fmt: skip
    if rule.gate in (policy.Gate.PUBLIC, policy.Gate.SIGN_IN):
        return "allow"
    if rule.gate is policy.Gate.RESIDENT:
        # The portal's pages are open (the resident's proof is checked inside); the app API
        # takes an app installation's token and no staff credential.
        return "login" if api_surface else "allow"
    if role in (ANONYMOUS, PASSWORD_ONLY):
        return "login"
    if not policy.may(user, rule.action, entity_id=entity_id):
        return "deny"
    if rule.own_only and user != owner:  # another person's object (their contact)
        return "deny"
    return "allow"


def outcome(response, *, login_prefix: str = "/desk/login/") -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 401 or (
        status == 302 and response["Location"].split("?")[0].startswith(login_prefix)
    ):
        return "login"
    if status in (403, 404):
        return "deny"
    return "allow"


def _rolled_back(client: Client, send):
    """Send inside a savepoint rolled back afterwards; the client's cookies are restored
    too (signing out replaces the session cookie)."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    sid = transaction.savepoint()
    try:
        return send()
    finally:
        transaction.savepoint_rollback(sid)
        client.cookies = cookies


# --- pages --------------------------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            # An unnamed route (the admin's old-style redirects) is named by its path.
            name = f"{namespace}:{entry.name or prefix + str(entry.pattern)}".strip(":")
            yield name, prefix + str(entry.pattern), entry


def _params(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def _choice(route: str, param: str) -> str | None:
    """A value for a regex group that lists its alternatives (the admin's app labels)."""
    found = re.search(rf"\(\?P<{param}>([\w|]+)\)", route)
    return found.group(1).split("|")[0] if found and "|" in found.group(1) else None


def _fill(route: str, kwargs: dict) -> str:
    """The URL of an unnamed route (it cannot be reversed)."""
    for param, value in kwargs.items():
        route = re.sub(rf"<(\w+:)?{param}>|\(\?P<{param}>[^)]*\)", str(value), route)
    return "/" + route.replace("^", "").replace("$", "")


def page_cells():
    """(view name, route, parameter names) of every HTML route; the API's operations are
    walked from the OpenAPI document instead."""
    cells = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/") and name not in ("api:openapi-json", "api:openapi-view"):
            continue
        cells.append((name, route, pattern))
    return cells


def test_every_page_answers_as_the_policy_says(world):
    mismatches, missing, size = [], [], 0
    for name, route, pattern in page_cells():
        rule = policy.page_rule(name)
        if rule is None:
            missing.append(name)
            continue
        params = _params(pattern)
        scoped = [p for p in params if p in SCOPED]
        owners = ["phcc", "moci"] if scoped else [None]
        if "offer_id" in params:
            owners = ["agent", "agent2"]
        for owner in owners:
            kwargs = {}
            for param in params:
                if param == "offer_id":
                    kwargs[param] = world.offers[owner]
                elif param == "pk" and route.startswith("admin/otp_totp/"):
                    # django-otp's admin answers 500 for a device that does not exist.
                    kwargs[param] = TOTPDevice.objects.filter(user=world.people["admin"])[0].pk
                elif owner in world.objects and param in world.objects[owner]:
                    kwargs[param] = world.objects[owner][param]
                else:
                    kwargs[param] = _choice(route, param) or world.unscoped[param]
            url = reverse(name, kwargs=kwargs) if pattern.name else _fill(route, kwargs)
            entity_id = world.objects[owner]["entity_id"] if owner in world.objects else None
            person = world.people[owner] if owner in world.offers else None
            admin = name.startswith("admin:") and rule.gate is policy.Gate.STAFF
            first = None  # the anonymous visitor's outcome, for routes open to everyone
            for role in [ANONYMOUS, PASSWORD_ONLY, *STAFF_ROLES]:
                client = world.clients[role]
                response = _rolled_back(client, lambda c=client, u=url: c.get(u))
                if response.status_code == 405:
                    response = _rolled_back(client, lambda c=client, u=url: c.post(u, {}))
                size += 1
                got = outcome(response, login_prefix="/admin/login/" if admin else "/desk/login/")
                first = first or got
                if rule.gate is policy.Gate.STAFF:
                    want = expected(
                        rule, _user_of(world, role), role, entity_id, api_surface=False,
                        owner=person,
                    )  # fmt: skip
                else:
                    # Open routes (sign-in, portal, provider callbacks): a staff credential
                    # neither opens nor closes them, so every role gets the visitor's answer.
                    want = first if not first.startswith("error") else "allow"
                if admin:
                    # The admin sends anyone it refuses to its own sign-in; what an admitted
                    # administrator may then do per model is Django's model permissions.
                    want = "login" if want in ("login", "deny") else "in"
                    got = (
                        "login"
                        if got == "login"
                        else ("in" if got == "allow" or got == "deny" else got)
                    )
                if got != want:
                    mismatches.append(
                        f"{url} as {role}: {got} ({response.status_code}), policy: {want}"
                    )
    print(f"page matrix: {size} cells")  # noqa: T201 (the size is reported with -s)
    assert not missing, f"routes without a policy entry: {missing}"
    assert not mismatches, "\n".join(mismatches)


# --- API ----------------------------------------------------------------------------------


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in spec:
        spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[1]]
    return spec


def example(schema: dict, spec: dict):
    """A small value that passes the schema's validation (required fields only)."""
    spec = _resolve(schema, spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in spec:
            options = [o for o in spec[key] if _resolve(schema, o).get("type") != "null"]
            return example(schema, options[0])
    if "enum" in spec:
        return spec["enum"][0]
    if "const" in spec:
        return spec["const"]
    kind = spec.get("type")
    if kind == "object" or "properties" in spec:
        props = spec.get("properties", {})
        return {k: example(schema, props[k]) for k in spec.get("required", []) if k in props}
    if kind == "array":
        return [example(schema, spec["items"]) for _ in range(spec.get("minItems", 0))]
    if kind == "integer":
        return max(1, spec.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    fmt = spec.get("format")
    if fmt == "date-time":
        return (timezone.now() + timedelta(days=3)).isoformat()
    if fmt == "date":
        return (timezone.now() + timedelta(days=3)).date().isoformat()
    if fmt == "uuid":
        return "00000000-0000-0000-0000-000000000000"
    if fmt == "email":
        return "someone@example.org"
    return "x" * max(1, spec.get("minLength", 1))


def api_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield schema, method.upper(), path, operation


def test_every_api_operation_answers_as_the_policy_says(world):
    mismatches, missing, size = [], [], 0
    for schema, method, path, operation in api_operations():
        key = f"{method} {path}"
        rule = policy.API.get(key)
        if rule is None:
            missing.append(key)
            continue
        params = re.findall(r"{(\w+)}", path)
        scoped = [p for p in params if p in SCOPED]
        owners = ["phcc", "moci"] if scoped else [None]
        content = operation.get("requestBody", {}).get("content", {})
        for owner in owners:
            url = path
            for param in params:
                source = world.objects[owner] if owner and param in SCOPED else world.unscoped
                url = url.replace("{" + param + "}", str(source[param]))
            entity_id = world.objects[owner]["entity_id"] if owner else None
            for role in ROLES:
                client, headers = world.api_clients[role], world.api_headers[role]
                kwargs: dict = {"headers": headers}
                if "application/json" in content:
                    body = example(schema, content["application/json"]["schema"])
                    # An id in the body names a real object (ids differ between databases).
                    body.update({k: world.ids[k] for k in body if k in world.ids})
                    kwargs.update(data=body, content_type="application/json")
                elif "multipart/form-data" in content:
                    kwargs["data"] = {"file": SimpleUploadedFile("a.png", PNG, "image/png")}
                send = getattr(client, method.lower())
                response = _rolled_back(client, lambda s=send, u=url, k=kwargs: s(u, **k))
                size += 1
                got = outcome(response)
                want = expected(rule, _user_of(world, role), role, entity_id, api_surface=True)
                if got != want:
                    mismatches.append(
                        f"{method} {url} as {role}: {got} ({response.status_code}"
                        f" {response.content[:120]!r}), policy: {want}"
                    )
    print(f"API matrix: {size} cells")  # noqa: T201
    assert not missing, f"API operations without a policy entry: {missing}"
    assert not mismatches, "\n".join(mismatches)


def test_the_policy_names_no_route_that_does_not_exist():
    """A stale entry would hide that a route lost its protection by being renamed."""
    names = {name for name, _route, _pattern in page_cells()}
    assert set(policy.PAGES) - {"admin:*"} <= names
    operations = {f"{m} {p}" for _s, m, p, _o in api_operations()}
    assert set(policy.API) == operations


def test_the_documented_table_is_the_policy():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "policy.md").read_text()
    assert policy.grants_table() in doc, "regenerate docs/policy.md from policy.grants_table()"
