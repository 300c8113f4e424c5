"""Schemathesis over the whole OpenAPI document: the staff API and the mobile-app API.

Every operation of ``/api/openapi.json`` is called in-process through Django's WSGI handler
(the same middleware and error handlers as production) with cases generated from the
document itself: valid ones (positive), invalid ones (negative), and, for operations on one
object, valid ones aimed at a real case, resident, interaction or follow-up made here. Each
answer must not be a server error, must carry a status code the document declares for the
operation, and must match the declared schema of that status.

The budget is bounded per operation (``EXAMPLES``), and generation is derandomized so a run
is repeatable; raise ``TAWASUL_SCHEMATHESIS_EXAMPLES`` to search harder locally.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import case_payload

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("TAWASUL_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
APP_PREFIX = "/api/app/"


@dataclass
class Run:
    """What one run did: reported in the test's output and asserted on."""

    operations: set[str] = field(default_factory=set)
    examples: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def summary(self, name: str) -> str:
        statuses = dict(sorted(self.statuses.items()))
        return (
            f"schemathesis {name}: {len(self.operations)} operations, {self.examples} examples, "
            f"{len(self.failures)} failures; answers by status: {statuses}"
        )


class TestWSGIHandler(WSGIHandler):
    """Django's WSGI handler, keeping the database connection open after each request.

    Django closes the connection when a response ends; in a test that connection holds the
    test's transaction. Django's own test client unhooks the same two handlers for the same
    reason; middleware, CSRF checks and error handling are untouched.
    """

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture
def wsgi_app() -> WSGIHandler:
    return TestWSGIHandler()


def _load(app: object, *, app_api: bool):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    if app_api:
        return schema.include(path_regex=f"^{APP_PREFIX}")
    return schema.exclude(path_regex=f"^{APP_PREFIX}")


def _record(run: Run, label: str, mode: str, case, exc: BaseException, seen: set) -> None:
    items = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
    for item in items:
        message = getattr(item, "message", None) or repr(item)
        title = getattr(item, "title", type(item).__name__)
        key = (label, title, message[:200])
        if key in seen:
            continue
        seen.add(key)
        sent = {"path": case.path_parameters, "query": case.query, "body": case.body}
        run.failures.append(f"{label} [{mode}] {title}: {message[:800]}\n  sent: {sent!r:.400}")


def _run_plan(run: Run, operation, strategy, headers: dict, label: str) -> None:
    seen: set = set()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case) -> None:
        run.examples += 1
        try:
            response = case.call(headers=headers)
            run.statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:
            # Collected, not raised: one run reports every failing operation at once.
            _record(run, operation.label, label, case, exc, seen)

    call()


def _fuzz(schema, *, headers: dict, known: dict[str, object], extra_headers=None) -> Run:
    """Every operation of ``schema``: positive and negative cases, plus positive cases on
    the real objects in ``known`` (path parameter name → value) where the path names one."""
    run = Run()
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations.add(operation.label)
        names = {p.name for p in operation.path_parameters}
        aimed = {name: known[name] for name in names if name in known}
        plans = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if aimed and len(aimed) == len(names):
            plans.append((GenerationMode.POSITIVE, aimed))
        for mode, path_parameters in plans:
            call_headers = dict(headers)
            if path_parameters and extra_headers:
                call_headers.update(extra_headers)
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
            label = f"{mode.value}{' on real objects' if path_parameters else ''}"

            _run_plan(run, operation, strategy, call_headers, label)
    return run


def _report(run: Run, name: str) -> None:
    report = run.summary(name)
    print(report)  # noqa: T201 - the numbers the closing note quotes (pytest -s shows them)
    assert not run.failures, report + "\n\n" + "\n\n".join(run.failures)


def test_staff_api_conforms_to_its_schema(api_as, wsgi_app):
    """The staff API as a center supervisor with a bearer token."""
    supervisor = api_as("supervisor")
    created = supervisor.post("/cases", case_payload())
    assert created.status_code == 201, created.content
    case = created.json()
    follow_up = supervisor.post(
        f"/cases/{case['reference']}/follow-ups",
        {"due_at": "2030-01-01T09:00:00+03:00", "note": "اتصل بالمراجع"},
    )
    assert follow_up.status_code == 201, follow_up.content
    interaction = supervisor.post("/interactions", {"channel": "call", "hotline": "107"})
    assert interaction.status_code == 201, interaction.content
    known = {
        "reference": case["reference"],
        "resident_id": case["resident_id"],
        "follow_up_id": follow_up.json()["id"],
        "interaction_id": interaction.json()["id"],
        "code": "phcc",
    }

    run = _fuzz(_load(wsgi_app, app_api=False), headers=supervisor.headers, known=known)

    assert len(run.operations) >= 30
    _report(run, "staff API")


def test_app_api_conforms_to_its_schema(directory, wsgi_app):
    """The mobile-app API as an installed app with its own token and a tracked case."""
    client = Client()
    registered = client.post(
        "/api/app/installations",
        json.dumps({"platform": "android", "app_version": "3.2.0"}),
        content_type="application/json",
    )
    assert registered.status_code == 201, registered.content
    headers = {"Authorization": f"Bearer {registered.json()['token']}"}
    submitted = client.post(
        "/api/app/cases",
        json.dumps(
            {"kind": "complaint", "entity": "phcc", "description": "تأخر", "phone": "+97455123456"}
        ),
        content_type="application/json",
        headers=headers,
    )
    assert submitted.status_code == 201, submitted.content
    tracked = submitted.json()

    run = _fuzz(
        _load(wsgi_app, app_api=True),
        headers=headers,
        known={"reference": tracked["reference"]},
        extra_headers={"X-Tracking-Token": tracked["tracking_token"]},
    )

    assert len(run.operations) >= 12
    _report(run, "app API")
