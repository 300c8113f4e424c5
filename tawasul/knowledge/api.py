"""REST endpoints of the knowledge app (mounted at /api/knowledge/ by tawasul/api/api.py).

Center staff read every entity's published articles; back-office staff only their entity's
(another entity's article is a 404, so ids do not leak); other roles are refused.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from tawasul.api import schemas
from tawasul.errors import Forbidden
from tawasul.knowledge import search, selectors
from tawasul.knowledge.choices import ArticleKind
from tawasul.knowledge.models import Article

router = Router(tags=["knowledge"])


class ArticleFilters(schemas.Input):
    q: schemas.text(search.MAX_QUERY_LENGTH) = ""
    entity: schemas.text(40) | None = None
    service: schemas.text(60) | None = None
    language: schemas.text(8) | None = None
    kind: list[ArticleKind] | None = None
    limit: int = Field(10, ge=1, le=selectors.MAX_LIMIT)


class ArticleSummaryOut(Schema):
    id: int
    kind: str
    entity: str
    service: str | None
    language: str
    title: str
    score: float | None = None


class ArticleOut(ArticleSummaryOut):
    body: str
    status: str
    version: int | None
    published_at: datetime | None
    review_due: date | None
    updated_at: datetime


class ArticleListOut(Schema):
    count: int
    results: list[ArticleSummaryOut]


def _summary(article: Article) -> dict:
    return {
        "id": article.pk,
        "kind": article.kind,
        "entity": article.entity.code,
        "service": article.service.code if article.service_id else None,
        "language": article.language_id,
        "title": article.title,
        "score": getattr(article, "score", None),
    }


def _require_reader(request: HttpRequest) -> None:
    if not selectors.can_read_articles(request.user):
        raise Forbidden("your role has no access to the knowledge base")


@router.get("/articles", response=ArticleListOut, summary="Search published articles")
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """Published articles matching `q` (Arabic-aware: spelling variants, diacritics and
    common prefixes/suffixes do not matter), best first; without `q`, the filtered list."""
    _require_reader(request)
    found = selectors.article_search(
        user=request.user,
        query=filters.q,
        entity=filters.entity,
        service=filters.service,
        language=filters.language,
        kinds=[str(kind) for kind in filters.kind] if filters.kind else None,
        limit=filters.limit,
    )
    return {"count": len(found), "results": [_summary(article) for article in found]}


@router.get("/articles/{article_id}", response=ArticleOut, summary="One published article")
def get_article(request: HttpRequest, article_id: int):
    _require_reader(request)
    article = selectors.article_get(user=request.user, article_id=article_id, published_only=True)
    return {
        **_summary(article),
        "body": article.body,
        "status": article.status,
        "version": article.published_version,
        "published_at": article.published_at,
        "review_due": article.review_due,
        "updated_at": article.updated_at,
    }
