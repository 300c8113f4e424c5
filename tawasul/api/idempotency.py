"""``Idempotency-Key`` support for create endpoints.

The key row is inserted with the response at the end of the transaction that creates the
object. A concurrent request with the same key waits on the unique index (PostgreSQL) or on
the write lock (SQLite) until the first commits, fails its insert, rolls back what it did,
and replays the stored response: the same key never creates twice. A retry after the first
committed replays without creating. A key reused with a different body is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from tawasul.api.models import IdempotencyKey
from tawasul.errors import Conflict, DomainError

HEADER = "Idempotency-Key"


def _fingerprint(payload: object) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def run_idempotent(
    request: HttpRequest,
    *,
    endpoint: str,
    payload: object,
    create: Callable[[], tuple[int, dict]],
) -> tuple[int, dict]:
    """Run ``create`` once per (user, key); return its status and JSON body every time."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise DomainError("must be 1–255 printable characters", field=HEADER)
    fingerprint = _fingerprint(payload)
    # Unordered [:1], not .first(): ordering costs more to compile than the query takes to run.
    stored = next(iter(IdempotencyKey.objects.filter(user=request.user, key=key)[:1]), None)
    if stored is not None:
        return _replay(stored, endpoint=endpoint, fingerprint=fingerprint)
    try:
        with transaction.atomic():
            status, body = create()
            # Written last, with the response, in the creating transaction: a concurrent
            # duplicate blocks on (PostgreSQL) or queues behind (SQLite) this insert, then
            # fails it and rolls its own work back before replaying what was stored here.
            IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                endpoint=endpoint,
                request_hash=fingerprint,
                status_code=status,
                response=body,
            )
            return status, body
    except IntegrityError:
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
    return _replay(stored, endpoint=endpoint, fingerprint=fingerprint)


def _replay(stored: IdempotencyKey, *, endpoint: str, fingerprint: str) -> tuple[int, dict]:
    if stored.endpoint != endpoint or stored.request_hash != fingerprint:
        raise Conflict(
            "this key was already used with a different request", field=HEADER, code="key_reused"
        )
    return stored.status_code, stored.response
