"""One error shape for the whole API: ``{"detail": [{"field", "message", "code"}]}``."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tawasul.accounts.access import AccessDenied
from tawasul.errors import DomainError

logger = logging.getLogger("tawasul.api")

# The first element of a pydantic location names where the value came from, the second
# (for bodies) the parameter; neither is a field the client wrote.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _field_name(loc: list | tuple, param_names: set[str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in param_names:
        parts = parts[1:]
    return ".".join(parts) or "body"


def error_body(field: str | None, message: str, code: str) -> dict:
    return {"detail": [{"field": field, "message": message, "code": code}]}


def install(api: NinjaAPI) -> None:
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        params = {"payload", "filters", "data", "body"}
        detail = [
            {
                "field": _field_name(error.get("loc", ()), params),
                "message": error.get("msg", "invalid value"),
                "code": error.get("type", "invalid"),
            }
            for error in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request, error_body(exc.field, exc.message, exc.code), status=exc.status
        )

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, error_body(None, "not found", "not_found"), status=404)

    def auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request,
            error_body("Authorization", "sign in or send a valid API token", "unauthenticated"),
            status=401,
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(
            request, error_body(None, str(exc), "http_error"), status=exc.status_code
        )

    def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, error_body("body", "the request body is too large", "too_large"), status=413
        )

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return api.create_response(
            request,
            error_body(None, "internal error; it has been logged", "server_error"),
            status=500,
        )

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AccessDenied, not_found)
    api.add_exception_handler(AuthenticationError, auth_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(Exception, unexpected)
