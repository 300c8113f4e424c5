"""Writes of the knowledge base: every change appends a version and keeps the index in step.

``article_save`` appends a version (and publishes it when asked); ``article_publish`` makes a
version the text agents read and search; restoring an old version appends a copy of it, so the
history only ever grows.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from tawasul.accounts.models import User
from tawasul.directory.models import Entity, Language, Service
from tawasul.errors import DomainError, Forbidden
from tawasul.knowledge import index, search
from tawasul.knowledge.choices import ArticleKind, ArticleStatus
from tawasul.knowledge.models import Article, ArticleVersion
from tawasul.knowledge.selectors import can_edit_articles

TITLE_MAX = 200
BODY_MAX = 50_000


def _label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else "system"


def _check_editor(actor: User | None, entity: Entity) -> None:
    # actor None is the system (demo seed, imports).
    if actor is not None and not can_edit_articles(actor, entity):
        raise Forbidden("you may not edit this entity's articles")


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("must not be empty", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"must be at most {TITLE_MAX} characters", field="title")
    if not body:
        raise DomainError("must not be empty", field="body")
    if len(body) > BODY_MAX:
        raise DomainError(f"must be at most {BODY_MAX} characters", field="body")
    for field, value in (("title", title), ("body", body)):
        # NUL cannot be stored by PostgreSQL; other C0 controls are never legitimate text.
        if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            raise DomainError("must not contain control characters", field=field)
    return title, body.replace("\r\n", "\n")


def _append_version(
    article: Article, *, title: str, body: str, actor: User | None, change_note: str
) -> ArticleVersion:
    last = article.versions.select_for_update().order_by("-number").first()
    return ArticleVersion.objects.create(
        article=article,
        number=(last.number + 1) if last else 1,
        title=title,
        body=body,
        author=actor,
        author_label=_label(actor),
        change_note=(change_note or "").strip()[:300],
    )


@transaction.atomic
def article_save(
    *,
    actor: User | None,
    article: Article | None = None,
    kind: str,
    entity: Entity,
    service: Service | None = None,
    language: Language,
    title: str,
    body: str,
    review_due: date | None = None,
    owner: User | None = None,
    change_note: str = "",
    publish: bool = False,
    slug: str | None = None,
) -> Article:
    """Create or edit an article; a new version is appended whenever the text changes.

    Without ``publish`` a published article keeps showing its published text until someone
    publishes the new version, so agents never read half-finished edits.
    """
    if kind not in ArticleKind.values:
        raise DomainError(f"unknown kind: {kind}", field="kind")
    if service is not None and service.entity_id != entity.pk:
        raise DomainError("the service belongs to another entity", field="service")
    title, body = _clean_text(title, body)
    _check_editor(actor, entity)
    if article is not None:
        _check_editor(actor, article.entity)
    created = article is None
    if created:
        article = Article(title=title, body=body, status=ArticleStatus.DRAFT, slug=slug or None)
    article.kind = kind
    article.entity = entity
    article.service = service
    article.language = language
    article.review_due = review_due
    article.owner = owner if owner is not None else (article.owner or actor)
    if article.status != ArticleStatus.PUBLISHED:
        # Unpublished articles show their latest text in the editors' lists.
        article.title, article.body = title, body
    article.save()

    latest = None if created else article.versions.order_by("-number").first()
    if latest is None or (latest.title, latest.body) != (title, body):
        latest = _append_version(
            article, title=title, body=body, actor=actor, change_note=change_note
        )
    if publish:
        return article_publish(actor=actor, article=article, number=latest.number)
    if article.status == ArticleStatus.PUBLISHED:
        # Metadata (entity, language…) may have changed; the published text has not.
        _reindex(article)
    return article


def _reindex(article: Article) -> None:
    published = article.status == ArticleStatus.PUBLISHED
    article.search_title = search.index_text(article.title) if published else ""
    article.search_text = search.index_text(article.body) if published else ""
    Article.objects.filter(pk=article.pk).update(
        search_title=article.search_title, search_text=article.search_text
    )
    index.index_article(article, published=published)


@transaction.atomic
def article_publish(*, actor: User | None, article: Article, number: int | None = None) -> Article:
    """Make version ``number`` (default: the latest) the text agents read and search."""
    _check_editor(actor, article.entity)
    versions = article.versions.order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise DomainError("no such version", field="number")
    article.title, article.body = version.title, version.body
    article.status = ArticleStatus.PUBLISHED
    article.published_version = version.number
    article.published_at = timezone.now()
    article.save()
    _reindex(article)
    return article


@transaction.atomic
def article_archive(*, actor: User | None, article: Article) -> Article:
    """Withdraw an article from the desk and from search; its history stays."""
    _check_editor(actor, article.entity)
    article.status = ArticleStatus.ARCHIVED
    article.save(update_fields=["status", "updated_at"])
    _reindex(article)
    return article


@transaction.atomic
def article_version_restore(
    *, actor: User | None, article: Article, number: int, change_note: str = ""
) -> Article:
    """Append a copy of version ``number`` as the newest version.

    A published article publishes the restored text at once (restoring is how editors undo a
    bad edit that is live); a draft stays a draft.
    """
    _check_editor(actor, article.entity)
    old = article.versions.filter(number=number).first()
    if old is None:
        raise DomainError("no such version", field="number")
    note = change_note.strip() or f"Restored version {number}"
    version = _append_version(
        article, title=old.title, body=old.body, actor=actor, change_note=note
    )
    if article.status == ArticleStatus.PUBLISHED:
        return article_publish(actor=actor, article=article, number=version.number)
    article.title, article.body = old.title, old.body
    article.save(update_fields=["title", "body", "updated_at"])
    return article
