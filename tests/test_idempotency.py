"""`Idempotency-Key`: a retried create never makes a second case, even when concurrent."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tawasul.cases.models import Case
from tests.support import Api, case_payload, field_errors


@pytest.mark.django_db
def test_retry_with_the_same_key_returns_the_first_response(api_as):
    agent = api_as("agent")
    first = agent.post("/cases", case_payload(), headers={"Idempotency-Key": "call-42"})
    retry = agent.post("/cases", case_payload(), headers={"Idempotency-Key": "call-42"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_body_is_refused(api_as):
    agent = api_as("agent")
    agent.post("/cases", case_payload(), headers={"Idempotency-Key": "k1"})
    other = agent.post(
        "/cases", case_payload(subject="موضوع آخر"), headers={"Idempotency-Key": "k1"}
    )
    assert other.status_code == 409
    assert field_errors(other) == {
        "Idempotency-Key": "this key was already used with a different request"
    }
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_caller(api_as):
    api_as("agent").post("/cases", case_payload(), headers={"Idempotency-Key": "shared"})
    api_as("agent2").post("/cases", case_payload(), headers={"Idempotency-Key": "shared"})
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_without_a_key_each_request_creates(api_as):
    agent = api_as("agent")
    agent.post("/cases", case_payload())
    agent.post("/cases", case_payload())
    assert Case.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "bad\x01key"])
def test_malformed_keys_are_named(api_as, key):
    response = api_as("agent").post("/cases", case_payload(), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert "Idempotency-Key" in field_errors(response)
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_create_does_not_burn_the_key(api_as):
    agent = api_as("agent")
    bad = agent.post("/cases", case_payload(entity="nowhere"), headers={"Idempotency-Key": "k"})
    assert bad.status_code == 400
    good = agent.post("/cases", case_payload(), headers={"Idempotency-Key": "k"})
    assert good.status_code == 201


def test_concurrent_requests_with_one_key_create_one_case(transactional_db, people):
    clients = [Api(people["agent"]) for _ in range(8)]
    barrier = threading.Barrier(len(clients))

    def send(client: Api):
        try:
            barrier.wait(timeout=10)
            response = client.post("/cases", case_payload(), headers={"Idempotency-Key": "storm-1"})
            return response.status_code, response.json().get("reference")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        results = list(pool.map(send, clients))
    assert {status for status, _ in results} == {201}
    assert len({reference for _, reference in results}) == 1
    assert Case.objects.count() == 1


def test_concurrent_creates_get_distinct_references(transactional_db, people):
    clients = [Api(people["agent"]) for _ in range(6)]

    def send(client: Api):
        try:
            return [client.post("/cases", case_payload()).json()["reference"] for _ in range(5)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        references = [ref for batch in pool.map(send, clients) for ref in batch]
    assert len(references) == len(set(references)) == 30
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, 31))
