"""The Arabic-aware normaliser and light stemmer (pure Python, no database)."""

from __future__ import annotations

import pytest

from tawasul.knowledge.search import index_text, normalize, query_terms, score, stem, terms


@pytest.mark.parametrize(("raw", "folded"), [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمنة", "امنه"), ("ٱلله", "الله"),
    ("مؤسسة", "موسسه"), ("رئيس", "رييس"), ("مستشفى", "مستشفي"),
    ("مدرسة", "مدرسه"), ("کتاب", "كتاب"), ("فارسی", "فارسي"),
])  # fmt: skip
def test_each_letter_folding_rule(raw, folded):
    assert normalize(raw) == folded


def test_standalone_hamza_is_kept_so_water_does_not_become_what():
    assert normalize("ماء") == "ماء"
    assert normalize("ماء") != normalize("ما")


def test_diacritics_superscript_alef_and_tatweel_are_stripped():
    assert normalize("الصِّحَّةُ") == normalize("الصحة") == "الصحه"
    assert normalize("هٰذا") == "هذا"
    assert normalize("مـــركـز") == "مركز"
    assert normalize("كِتَابًا") == "كتابا"


def test_digits_of_every_script_become_ascii():
    assert normalize("١٦٠٠٠") == "16000"  # Arabic-Indic
    assert normalize("۱۲۳") == "123"  # Persian
    assert normalize("१०७") == "107"  # Devanagari
    assert normalize("رقم ١٠٩") == "رقم 109"


def test_latin_is_lowercased_and_nfkc_applied():
    assert normalize("Health CARD") == "health card"
    assert normalize("ＱＡＴＡＲ") == "qatar"  # full-width
    assert normalize("ﻻ") == "لا"  # lam-alef ligature


def test_rtl_marks_zero_width_and_emoji_are_not_part_of_words():
    assert normalize("\u200fالبطاقة\u200e الصحية\u200b") == "البطاقه الصحيه"
    assert normalize("\u202bموعد\u202c 😀🙏 today!") == "موعد today"
    assert normalize("\ufeffقطر") == "قطر"


def test_mixed_scripts_keep_indic_vowel_signs_inside_words():
    # "الخط" keeps its article: without it only two letters would remain.
    assert terms("Hotline 16000 الخط الساخن हॉटलाइन ഹോട്ട്‌ലൈൻ") == [
        "hotline", "16000", "الخط", "ساخن", "हॉटलाइन", "ഹോട്ട്ലൈൻ",
    ]  # fmt: skip


@pytest.mark.parametrize(("word", "expected"), [
    ("الاستمارة", "استمار"), ("استمارة", "استمار"), ("الاستماره", "استمار"),
    ("المستشفى", "مستشف"), ("مستشفيات", "مستشف"), ("للمستشفيات", "مستشف"),
    ("والخدمات", "خدم"), ("بالخدمة", "خدم"), ("كالبطاقة", "بطاق"), ("فالبطاقات", "بطاق"),
    ("الموظفون", "موظف"), ("موظفين", "موظف"), ("تجديدها", "تجديد"),
    ("وزارة", "زار"), ("الوزارة", "زار"),
])  # fmt: skip
def test_light_stemming_meets_the_forms_people_type(word, expected):
    assert stem(normalize(word)) == expected


def test_stemming_guards_keep_three_letter_stems():
    assert stem("صحه") == "صحه"  # not "صح"
    assert stem("عمان") == "عمان"  # the country, not "عم"
    assert stem("وطن") == "وطن"  # short words keep a leading waw
    assert stem("ال") == "ال"
    assert stem("bus") == "bus" and stem("hospitals") == "hospital" and stem("class") == "class"


def test_stop_words_are_dropped_from_terms():
    assert terms("كيف أجدد البطاقة في المركز") == ["كيف", "اجدد", "بطاق", "مركز"]
    assert terms("the card of the resident") == ["card", "resident"]
    assert query_terms("بطاقة البطاقة بطاقات") == ["بطاق"]


def test_empty_and_huge_input():
    assert normalize("") == "" and terms("") == [] and index_text("   \n") == ""
    assert terms("؟!،…") == []
    huge = "البطاقة الصحية " * 20_000
    assert terms(huge)[:2] == ["بطاق", "صحي"] and len(terms(huge)) == 40_000


def test_score_puts_a_title_match_above_body_mentions():
    query = query_terms("البطاقة")
    in_title = score(query, title=index_text("تجديد البطاقة"), body=index_text("نص"))
    in_body = score(query, title=index_text("نص"), body=index_text("البطاقة " * 50))
    assert in_title > in_body > 0
    assert score(query, title="", body=index_text("موعد")) == 0
