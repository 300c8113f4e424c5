"""The knowledge panel fragment the agent desktop embeds beside the current contact."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(people) -> Client:
    return verified_client(people["agent"])


def ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="kb-result" data-article-id="(\d+)"', html)]


def test_panel_is_a_fragment_of_the_contacts_entity(agent_client, articles):
    response = agent_client.get("/knowledge/panel/", {"entity": "phcc", "q": "الاستماره"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section class="kb-panel"')
    assert ids(html) == [articles["form"].pk]  # not Commerce's article with the same word
    assert 'data-count="1"' in html and "<details open>" in html


def test_panel_without_query_lists_the_service_first_and_the_language_first(agent_client, articles):
    html = agent_client.get(
        "/knowledge/panel/", {"entity": "phcc", "service": "phcc-appointment", "lang": "en"}
    ).content.decode()
    found = ids(html)
    assert found[0] == articles["form"].pk  # the contact's service
    assert found[1] == articles["english"].pk  # then the contact's language
    assert articles["draft"].pk not in found and articles["consumer"].pk not in found


def test_panel_refines_itself_with_htmx(agent_client, articles):
    html = agent_client.get("/knowledge/panel/", {"entity": "phcc"}).content.decode()
    assert 'hx-get="/knowledge/panel/"' in html and 'hx-target="this"' in html
    assert '<input type="hidden" name="entity" value="phcc">' in html


def test_panel_bad_input_names_the_parameter(agent_client, articles):
    huge = agent_client.get("/knowledge/panel/", {"entity": "phcc", "q": "x" * 501})
    assert huge.status_code == 400 and 'data-field="q"' in huge.content.decode()
    unknown = agent_client.get("/knowledge/panel/", {"entity": "atlantis"})
    assert unknown.status_code == 400 and 'data-field="entity"' in unknown.content.decode()
    lang = agent_client.get("/knowledge/panel/", {"entity": "phcc", "lang": "xx"})
    assert lang.status_code == 400 and 'data-field="lang"' in lang.content.decode()


def test_panel_is_scoped_for_back_office_and_closed_to_others(people, articles):
    outsider = verified_client(people["outsider"])
    html = outsider.get("/knowledge/panel/", {"entity": "phcc", "q": "الاستمارة"}).content
    assert ids(html.decode()) == []
    planner = verified_client(people["planner"])
    assert planner.get("/knowledge/panel/", {"entity": "phcc"}).status_code == 403
    assert Client().get("/knowledge/panel/").status_code == 302


def test_panel_in_arabic(agent_client, articles):
    html = agent_client.get(
        "/knowledge/panel/", {"entity": "phcc", "q": "مستشفيات"}, HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert "قاعدة المعرفة" in html and ids(html) == [articles["hospital"].pk]
    assert 'lang="ar" dir="rtl"' in html
