"""The front door, the 404 page and the shared layout read wholly in Arabic (issue #12)."""

from __future__ import annotations

import pytest

from tests.visible_text import latin_words

pytestmark = pytest.mark.django_db

ARABIC = {"HTTP_ACCEPT_LANGUAGE": "ar"}


def test_the_helper_sees_english_text_and_attributes_but_not_declared_english():
    html = (
        '<p>مرحبا Skip</p><nav aria-label="Main"></nav><input type="hidden" value="x">'
        '<button lang="en">English <b>Too</b></button><script>var a;</script><br><i>ok</i>'
    )
    assert latin_words(html) == ["Skip", "Main", "ok"]


def test_the_home_page_in_arabic_has_no_english(client):
    response = client.get("/", **ARABIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "انتقل إلى المحتوى" in html  # the skip link
    assert latin_words(html) == []


def test_the_404_page_in_arabic_has_no_english(client):
    response = client.get("/no-such-page/", **ARABIC)
    assert response.status_code == 404
    html = response.content.decode()
    assert "الصفحة غير موجودة" in html
    assert latin_words(html) == []
