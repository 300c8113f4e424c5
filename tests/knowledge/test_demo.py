"""Demo content: idempotent, in the right languages."""

from __future__ import annotations

import pytest

from tawasul.knowledge.demo import seed_demo
from tawasul.knowledge.models import Article, ArticleVersion
from tawasul.knowledge.selectors import article_search

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_searchable(directory, languages):
    from tawasul.directory.models import Service

    Service.objects.filter(code="phcc-appointment").update(
        procedure_ar="1. الاتصال على 107\n2. تأكيد الموعد برسالة نصية",
        procedure_en="1. Call 107\n2. Confirm by SMS",
        documents_ar="البطاقة الصحية",
        documents_en="Health card",
    )
    first = seed_demo()
    counts = Article.objects.count(), ArticleVersion.objects.count()
    assert seed_demo().endswith("(0 new)") and first != seed_demo()
    assert (Article.objects.count(), ArticleVersion.objects.count()) == counts
    procedure = article_search(query="تأكيد الموعد", service="phcc-appointment")[0]
    assert procedure.language_id == "ar" and "البطاقة الصحية" in procedure.body
    english = Article.objects.get(slug="procedure-phcc-appointment-en")
    assert "Fee: none" in english.body and english.status == "published"
    assert Article.objects.filter(slug="health-card-renewal-faq-ur", language="ur").exists()
