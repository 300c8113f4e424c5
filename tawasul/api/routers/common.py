from __future__ import annotations

from django.db.models import QuerySet

from tawasul.errors import DomainError

MAX_PAGE_SIZE = 200


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> dict:
    """One page and the total count; bad page numbers are the caller's error, not a 500."""
    if page < 1:
        raise DomainError("must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(f"must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    start = (page - 1) * page_size
    return {
        "count": queryset.count(),
        "page": page,
        "page_size": page_size,
        "results": list(queryset[start : start + page_size]),
    }
