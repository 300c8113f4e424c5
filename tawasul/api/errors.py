"""One error shape for the whole API: ``{"detail": [{"field", "message", "code"}]}``."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tawasul.accounts.access import AccessDenied
from tawasul.api.schemas import ErrorOut
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


_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_DESCRIPTIONS = {
    400: "A value is refused; `field` names it",
    401: "No valid token or verified staff session",
    403: "Your role may not do this",
    404: "No such object, or not one you may see",
    409: "Conflicts with the object's current state (e.g. a stale `version`)",
    413: "The request body is too large",
    422: "The request does not match the schema; `field` names the value",
}


def _error_codes(method: str, operation: dict) -> list[int]:
    """The 4xx answers the API's one error path can give for this operation."""
    secured = bool(operation.get("security"))
    params = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = {400} if (secured or params or has_body) else set()
    if secured:
        codes |= {401, 403, 404}
    if any(p.get("in") == "path" for p in params):
        codes.add(404)
    if method != "get":
        codes.add(409)
    if has_body:
        codes.add(413)
    if params or has_body:
        codes.add(422)
    return sorted(codes)


def document_errors(schema: dict) -> dict:
    """Declare every operation's error answers (all ``ErrorOut``) in the OpenAPI document.

    They come from the handlers installed below, not from the operations themselves, so
    django-ninja cannot see them; without this, clients (and schemathesis) would be told that
    a 404 or 422 is not a possible answer.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    definition = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(definition.pop("$defs", {}))
    components["ErrorOut"] = definition
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code in _error_codes(method, operation):
                responses.setdefault(
                    code,
                    {
                        "description": _DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
    return schema


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
