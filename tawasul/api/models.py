"""Stored responses of create requests, keyed by the caller's ``Idempotency-Key``."""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """The first response to a (caller, key) pair, replayed for every retry of that pair.

    The row is inserted in the same transaction as the object it created, so a retry either
    sees both or neither; the unique constraint makes a concurrent duplicate wait and then fail
    over to replaying the stored response.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"
