from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from tawasul.accounts.models import AuditAction
from tawasul.accounts.services import audit_record
from tawasul.api.schemas import MAX_PAGE, MAX_PAGE_SIZE
from tawasul.errors import DomainError


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    """One page and the total count; every paginated list of the API goes through here.

    The filter schemas (``schemas.Paging``) already hold ``page`` and ``page_size`` to their
    bounds (a 422 naming the field); the same bounds are checked again here so a caller that
    builds the numbers itself still gets a 400 naming the field, never a database overflow.
    A page past the end is an empty page, not an error.
    """
    if not 1 <= page <= MAX_PAGE:
        raise DomainError(f"must be between 1 and {MAX_PAGE}", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    count = queryset.count()
    start = (page - 1) * page_size
    results = list(queryset[start : start + page_size]) if start < count else []
    return {"count": count, "page": page, "page_size": page_size, "results": results}


def audit_resident_filter(request: HttpRequest, resident_id: int, *, purpose: str) -> None:
    """One audit entry for a list filtered to one resident: the list is that resident's
    history, read whether or not it turns out empty."""
    audit_record(
        actor=request.user,
        action=AuditAction.SEARCH,
        object_type="resident",
        object_id=resident_id,
        resident_id=resident_id,
        fields=["resident_id"],
        purpose=purpose,
        request=request,
    )
