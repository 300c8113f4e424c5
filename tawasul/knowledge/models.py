"""Service procedures, FAQs and awareness articles with Arabic-aware search.

An article's text lives in its versions: every save appends an :class:`ArticleVersion`, and
publishing copies one version's title and body onto the article, which is what agents read and
what search indexes. Drafts of a published article therefore never leak to the desk.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.knowledge.choices import ArticleKind, ArticleStatus


class PortableSearchVectorField(SearchVectorField):
    """A ``tsvector`` on PostgreSQL, an unused text column elsewhere.

    One migration serves both databases; on SQLite the FTS5 table does the indexing instead
    (see the migration and :mod:`tawasul.knowledge.index`).
    """

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class Article(models.Model):
    """One knowledge-base article for an entity (and optionally one of its services)."""

    kind = models.CharField(_("kind"), max_length=12, choices=ArticleKind.choices)
    entity = models.ForeignKey(
        "directory.Entity",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("entity"),
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("service"),
    )
    language = models.ForeignKey(
        "directory.Language",
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("language"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    review_due = models.DateField(_("review due"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
        verbose_name=_("owner"),
    )
    slug = models.SlugField(
        _("key"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stable key for imported content (demo seed, integrations)."),
    )
    published_version = models.PositiveIntegerField(_("published version"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Normalised, stemmed terms (see tawasul.knowledge.search) of the published text.
    search_title = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = PortableSearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["entity__code", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "entity", "language"], name="kb_article_scope"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rtl(self) -> bool:
        return self.language.rtl


class ArticleVersion(models.Model):
    """One saved text of an article; versions are never edited, restoring appends a new one."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_label = models.CharField(_("author"), max_length=150, blank=True)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"
