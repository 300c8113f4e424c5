"""The full-text index of published articles, on PostgreSQL and on SQLite.

Both databases index the same thing: the normalised, stemmed terms that
:mod:`tawasul.knowledge.search` makes of the published title and body.

* PostgreSQL: a ``tsvector`` column (title weight A, body weight B, the ``simple``
  configuration, so PostgreSQL adds no stemming of its own on top of ours) with a GIN index;
  queries use ``SearchQuery``/``SearchRank`` from ``django.contrib.postgres.search`` directly,
  which needs no ``django.contrib.postgres`` in ``INSTALLED_APPS``.
* SQLite: an FTS5 table ``knowledge_article_fts(title, body)`` keyed by the article id, with
  the ``ascii`` tokenizer: our terms are already split by spaces and every non-ASCII character
  stays inside its term. Ranked with ``bm25`` weighting the title 3:1.

The database finds candidates (any query term) and pre-ranks them; the final order comes from
:func:`tawasul.knowledge.search.score`, which is the same Python on both databases, so results
and ranking agree whichever database runs the center.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import RawSQL

from tawasul.knowledge.models import Article

FTS_TABLE = "knowledge_article_fts"
# Enough candidates that filtering and the Python re-rank see every plausible match.
CANDIDATES = 200


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def index_article(article: Article, *, published: bool) -> None:
    """Store (or, for an article that is not published, remove) the article's index entry."""
    if _is_postgres():
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector(Value(article.search_title), weight="A", config="simple")
            + SearchVector(Value(article.search_text), weight="B", config="simple")
            if published
            else None
        )
        Article.objects.filter(pk=article.pk).update(search_vector=vector)
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article.pk])
            if published:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                    [article.pk, article.search_title, article.search_text],
                )


def match(queryset: QuerySet[Article], terms: list[str]) -> QuerySet[Article]:
    """Articles matching any term, annotated with the database's ``db_rank``, best first."""
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # Terms hold only letters, marks and digits, so they cannot form tsquery operators.
        query = SearchQuery(" | ".join(terms), search_type="raw", config="simple")
        return (
            queryset.filter(search_vector=query)
            .annotate(db_rank=SearchRank(F("search_vector"), query))
            .order_by("-db_rank", "id")[:CANDIDATES]
        )
    expression = " OR ".join(f'"{term}"' for term in terms)
    table = Article._meta.db_table
    return (
        queryset.filter(
            id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
        )
        .annotate(
            db_rank=RawSQL(
                f"(SELECT -bm25({FTS_TABLE}, 3.0, 1.0) FROM {FTS_TABLE}"
                f" WHERE {FTS_TABLE} MATCH %s AND rowid = {table}.id)",
                [expression],
            )
        )
        .order_by("-db_rank", "id")[:CANDIDATES]
    )
