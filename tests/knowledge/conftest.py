"""Knowledge-base fixtures: a handful of published PHCC and Commerce articles and a draft."""

from __future__ import annotations

import pytest


@pytest.fixture
def languages(directory):
    from tawasul.directory.models import Language

    Language.objects.create(
        code="ur", name_en="Urdu", name_ar="الأردية", native_name="اردو", rtl=True
    )
    return {language.code: language for language in Language.objects.all()}


@pytest.fixture
def articles(directory, people, languages):
    """PHCC: a health-card procedure (form = استمارة), a hospital FAQ, an English FAQ, an
    Urdu FAQ and a draft; Commerce: a consumer-rights article."""
    from tawasul.directory.models import Service
    from tawasul.knowledge.services import article_save

    ar, en, ur = languages["ar"], languages["en"], languages["ur"]
    phcc, moci = directory["phcc"], directory["moci"]
    booking = Service.objects.get(code="phcc-appointment")

    def save(**kwargs):
        kwargs.setdefault("actor", None)
        kwargs.setdefault("publish", True)
        return article_save(**kwargs)

    return {
        "form": save(
            kind="procedure", entity=phcc, service=booking, language=ar,
            title="حجز موعد في المركز الصحي",
            body="املأ استمارة الحجز وأرفق صورة البطاقة الصحية. الرسوم ١٠٠ ريال.",
        ),
        "hospital": save(
            kind="faq", entity=phcc, language=ar,
            title="متى أراجع المستشفى؟",
            body="في الحالات الطارئة توجّه إلى أقرب طوارئ أو اتصل بالإسعاف.",
        ),
        "english": save(
            kind="faq", entity=phcc, language=en,
            title="Opening hours of health centres",
            body="Most health centres open from 7 am to 11 pm. Some hospitals work 24 hours.",
        ),
        "urdu": save(
            kind="faq", entity=phcc, language=ur,
            title="ہیلتھ کارڈ کی تجدید",
            body="ہیلتھ کارڈ کی تجدید نرعاکم ایپ سے کریں۔",
        ),
        "draft": save(
            kind="faq", entity=phcc, language=ar, publish=False,
            title="مسودة عن الاستمارة السرية",
            body="نص لم ينشر بعد عن الاستمارة.",
        ),
        "consumer": save(
            kind="awareness", entity=moci, language=ar,
            title="حقوق المستهلك والفاتورة",
            body="من حقك الحصول على فاتورة. قدّم الشكوى مع صورة الاستمارة والفاتورة.",
        ),
    }  # fmt: skip
