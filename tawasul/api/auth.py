"""API authentication: bearer tokens for systems, the Django session (with CSRF) for staff."""

from __future__ import annotations

import time

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from tawasul.accounts.mfa import is_verified
from tawasul.accounts.models import ApiToken, User

# Systems send the same token thousands of times a minute; a verified token is trusted for a
# few seconds per process. Revoking or deactivating clears this process's cache at once and
# reaches the other processes within TOKEN_CACHE_SECONDS.
TOKEN_CACHE_SECONDS = 10
_verified: dict[str, tuple[float, ApiToken]] = {}


def _forget_tokens(**_kwargs) -> None:
    _verified.clear()


post_save.connect(_forget_tokens, sender=ApiToken, dispatch_uid="api-token-saved")
post_delete.connect(_forget_tokens, sender=ApiToken, dispatch_uid="api-token-deleted")
post_save.connect(_forget_tokens, sender=User, dispatch_uid="api-token-user-saved")


def _token_row(digest: str) -> ApiToken | None:
    now = time.monotonic()
    hit = _verified.get(digest)
    if hit is not None and now - hit[0] < TOKEN_CACHE_SECONDS:
        return hit[1]
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest, revoked=False, user__is_active=True)
        .first()
    )
    if row is None:
        _verified.pop(digest, None)
        return None
    _verified[digest] = (now, row)
    return row


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > 200:
            return None
        row = _token_row(ApiToken.hash(token))
        if row is None:
            return None
        now = timezone.now()
        # Touching last_used on every request would make each API call a write.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        request.user = row.user
        return row.user


class StaffSession(SessionAuth):
    """A desk session, second factor included: a password-only session is not enough."""

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user if is_verified(request) else None


API_AUTH = [BearerToken(), StaffSession()]
