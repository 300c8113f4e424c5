"""Reads of the knowledge base, always through the reader's scope.

Center staff (agents, supervisors, quality analysts, administrators) read every entity's
articles; back-office staff only their entity's; planners none. Editing is for the center's
knowledge team (supervisors, quality analysts, administrators) on any entity, and for an
entity's back office on its own articles, because the entity owns its procedures.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import QuerySet

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, Scope, may, scope_of
from tawasul.directory.models import Entity, Language, Service
from tawasul.errors import DomainError, NotFound
from tawasul.knowledge import index, search
from tawasul.knowledge.choices import ArticleKind, ArticleStatus
from tawasul.knowledge.models import Article, ArticleVersion

MAX_LIMIT = 50


def can_read_articles(user: User) -> bool:
    return may(user, Action.KNOWLEDGE_READ)


def can_edit_articles(user: User, entity: Entity | None = None) -> bool:
    """May the user edit articles (of ``entity``, when given)?"""
    return may(user, Action.KNOWLEDGE_EDIT, entity_id=entity.pk if entity is not None else None)


def article_scope(user: User | None, articles: QuerySet[Article]) -> QuerySet[Article]:
    """``articles`` narrowed to what ``user`` may read (``None``: the system, everything)."""
    if user is None:
        return articles
    scope = scope_of(user, Action.KNOWLEDGE_READ)
    if scope is Scope.ALL:
        return articles
    if scope is Scope.OWN_ENTITY:
        return articles.filter(entity_id=user.entity_id)
    return articles.none()


def article_get(*, user: User | None, article_id: int, published_only: bool = False) -> Article:
    """The article if the user may read it; otherwise 404, whether or not it exists."""
    articles = article_scope(user, Article.objects.all()).select_related(
        "entity", "service", "language", "owner"
    )
    if published_only or (user is not None and not can_edit_articles(user)):
        articles = articles.filter(status=ArticleStatus.PUBLISHED)
    article = articles.filter(pk=article_id).first()
    if article is None:
        raise NotFound("no such article", field="id")
    return article


def article_versions(*, article: Article) -> list[ArticleVersion]:
    return list(article.versions.order_by("-number"))


def article_latest_version(*, article: Article) -> ArticleVersion | None:
    return article.versions.order_by("-number").first()


def _entity(value: Entity | str | None) -> Entity | None:
    if value is None or isinstance(value, Entity):
        return value
    found = Entity.objects.filter(code=value.strip()).first() if value.strip() else None
    if value.strip() and found is None:
        raise DomainError(f"unknown entity: {value}", field="entity")
    return found


def _service(value: Service | str | None) -> Service | None:
    if value is None or isinstance(value, Service):
        return value
    found = Service.objects.filter(code=value.strip()).first() if value.strip() else None
    if value.strip() and found is None:
        raise DomainError(f"unknown service: {value}", field="service")
    return found


def _language(value: Language | str | None) -> Language | None:
    if value is None or isinstance(value, Language):
        return value
    found = Language.objects.filter(code=value.strip().lower()).first() if value.strip() else None
    if value.strip() and found is None:
        raise DomainError(f"unknown language: {value}", field="language")
    return found


def _kinds(kinds: list[str] | None) -> list[str] | None:
    if not kinds:
        return None
    unknown = [kind for kind in kinds if kind not in ArticleKind.values]
    if unknown:
        raise DomainError(f"unknown kind: {unknown[0]}", field="kind")
    return list(kinds)


def article_search(
    *,
    query: str,
    user: User | None = None,
    entity: Entity | str | None = None,
    service: Service | str | None = None,
    language: Language | str | None = None,
    kinds: list[str] | None = None,
    limit: int = 10,
    prefer_service: Service | str | None = None,
    prefer_language: Language | str | None = None,
) -> list[Article]:
    """Published articles matching ``query`` (any of its terms), best first.

    ``entity``, ``service``, ``language`` and ``kinds`` filter; ``prefer_service`` and
    ``prefer_language`` only move matching articles up (the desk panel shows the contact's
    service and language first but still offers the rest). Each result carries ``score``.
    An empty query lists the filtered articles (procedures first). Unknown codes and overlong
    queries are the caller's mistake: ``DomainError`` naming ``entity``/``service``/
    ``language``/``kind``/``q``.
    """
    query = query or ""
    if len(query) > search.MAX_QUERY_LENGTH:
        raise DomainError(f"must be at most {search.MAX_QUERY_LENGTH} characters", field="q")
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    entity, service, language = _entity(entity), _service(service), _language(language)
    prefer_service = _service(prefer_service)
    prefer_language = _language(prefer_language)
    kinds = _kinds(kinds)

    articles = article_scope(user, Article.objects.filter(status=ArticleStatus.PUBLISHED))
    if entity is not None:
        articles = articles.filter(entity=entity)
    if service is not None:
        articles = articles.filter(service=service)
    if language is not None:
        articles = articles.filter(language=language)
    if kinds:
        articles = articles.filter(kind__in=kinds)
    articles = articles.select_related("entity", "service", "language")

    terms = search.query_terms(query)

    def boost(article: Article) -> float:
        bonus = 0.0
        if prefer_service is not None and article.service_id == prefer_service.pk:
            bonus += 2.0
        if prefer_language is not None and article.language_id == prefer_language.pk:
            bonus += 1.0
        return bonus

    kind_order = {kind: n for n, kind in enumerate(ArticleKind.values)}
    if not terms:
        found = list(articles.order_by("title", "id")[: index.CANDIDATES])
        for article in found:
            article.score = 0.0
        found.sort(key=lambda a: (-boost(a), kind_order.get(a.kind, 9), a.title, a.id))
        return found[:limit]

    ranked = []
    for article in index.match(articles, terms):
        relevance = search.score(terms, title=article.search_title, body=article.search_text)
        if relevance <= 0:
            continue  # a candidate the database matched on a fragment, not on one of our terms
        article.score = relevance
        ranked.append(article)
    ranked.sort(key=lambda a: (-(a.score + boost(a)), -float(a.db_rank or 0), a.id))
    return ranked[:limit]


def article_list(
    *,
    user: User,
    entity: Entity | str | None = None,
    service: Service | str | None = None,
    language: Language | str | None = None,
    kinds: list[str] | None = None,
    status: str | None = None,
) -> QuerySet[Article]:
    """The articles page without a query: editors also see drafts and archived articles."""
    articles = article_scope(user, Article.objects.all()).select_related(
        "entity", "service", "language"
    )
    if not can_edit_articles(user) or not status:
        status = ArticleStatus.PUBLISHED
    if status not in ArticleStatus.values:
        raise DomainError(f"unknown status: {status}", field="status")
    articles = articles.filter(status=status)
    entity, service, language = _entity(entity), _service(service), _language(language)
    if entity is not None:
        articles = articles.filter(entity=entity)
    if service is not None:
        articles = articles.filter(service=service)
    if language is not None:
        articles = articles.filter(language=language)
    if _kinds(kinds):
        articles = articles.filter(kind__in=kinds)
    return articles.order_by("entity__code", "title", "id")


@dataclass(frozen=True)
class DiffLine:
    op: str  # "equal", "insert", "delete"
    text: str


def version_diff(*, old: ArticleVersion, new: ArticleVersion) -> dict[str, list[DiffLine]]:
    """Line diff of title and body between two versions (old → new)."""

    def lines(a: str, b: str) -> list[DiffLine]:
        out = []
        for line in difflib.ndiff(a.splitlines(), b.splitlines()):
            tag, text = line[:2], line[2:]
            if tag == "? ":
                continue  # ndiff's intraline hints
            out.append(DiffLine({"+ ": "insert", "- ": "delete"}.get(tag, "equal"), text))
        return out

    return {"title": lines(old.title, new.title), "body": lines(old.body, new.body)}
