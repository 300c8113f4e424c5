"""The full-text index: a GIN index on PostgreSQL, an FTS5 table on SQLite.

Each half runs only on its own database, so one migration history serves both.
"""

from django.db import migrations

FTS = "knowledge_article_fts"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS kb_article_search_gin "
            "ON knowledge_article USING GIN (search_vector)"
        )
    elif vendor == "sqlite":
        # The terms are already normalised and split by spaces (tawasul.knowledge.search);
        # the ascii tokenizer keeps every non-ASCII character inside its term.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title, body, tokenize='ascii')"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_article_search_gin")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
