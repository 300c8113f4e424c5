"""Errors a service raises for a caller's mistake; the API renders them as 4xx naming the field."""

from __future__ import annotations


class DomainError(Exception):
    """The request cannot be carried out as asked (400 unless a subclass says otherwise)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "not found", *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="not_found")


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str, *, field: str | None = None, code: str = "conflict") -> None:
        super().__init__(message, field=field, code=code)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "not allowed") -> None:
        super().__init__(message, code="forbidden")
