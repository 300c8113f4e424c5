"""Who may read which article, through the API and the pages, with named people.

PHCC articles: the agent (center staff) reads them all; PHCC back office reads its own; the
Commerce back office (outsider) must not learn they exist; the planner has no knowledge base.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.support import field_errors, verified_client

pytestmark = pytest.mark.django_db


def test_agent_searches_every_entity(api_as, articles):
    body = api_as("agent").get("/knowledge/articles?q=الاستماره").json()
    assert {item["entity"] for item in body["results"]} == {"phcc", "moci"}
    first = body["results"][0]
    assert set(first) == {"id", "kind", "entity", "service", "language", "title", "score"}


def test_filters_through_the_api(api_as, articles):
    api = api_as("agent")
    body = api.get("/knowledge/articles?q=الاستمارة&entity=phcc&service=phcc-appointment").json()
    assert [item["title"] for item in body["results"]] == ["حجز موعد في المركز الصحي"]
    english = api.get("/knowledge/articles?q=hospitals&language=en").json()
    assert [item["id"] for item in english["results"]] == [articles["english"].pk]


def test_one_article(api_as, articles):
    article = articles["form"]
    body = api_as("agent").get(f"/knowledge/articles/{article.pk}").json()
    assert body["title"] == article.title and body["version"] == 1
    assert body["service"] == "phcc-appointment" and body["status"] == "published"


def test_back_office_sees_only_its_entitys_articles(api_as, articles):
    staff, outsider = api_as("phcc_staff"), api_as("outsider")
    mine = staff.get("/knowledge/articles?q=الاستمارة").json()["results"]
    assert {item["entity"] for item in mine} == {"phcc"}
    theirs = outsider.get("/knowledge/articles?q=الاستمارة").json()["results"]
    assert [item["entity"] for item in theirs] == ["moci"]
    assert outsider.get(f"/knowledge/articles/{articles['form'].pk}").status_code == 404
    assert staff.get(f"/knowledge/articles/{articles['consumer'].pk}").status_code == 404
    assert staff.get(f"/knowledge/articles/{articles['form'].pk}").status_code == 200


def test_drafts_are_not_served_by_the_api(api_as, articles):
    assert api_as("agent").get(f"/knowledge/articles/{articles['draft'].pk}").status_code == 404


def test_planner_and_anonymous_are_refused(api_as, articles):
    assert api_as("planner").get("/knowledge/articles?q=x").status_code == 403
    assert api_as(None).get("/knowledge/articles?q=x").status_code == 401
    assert api_as(None).get(f"/knowledge/articles/{articles['form'].pk}").status_code == 401


@pytest.mark.parametrize(("query", "field"), [
    ("q=" + "ب" * 501, "q"),
    ("q=x&entity=atlantis", "entity"),
    ("q=x&service=nope", "service"),
    ("q=x&language=xx", "language"),
    ("q=x&kind=poem", "kind"),
    ("q=x&limit=0", "limit"),
    ("q=a%00b", "q"),
])  # fmt: skip
def test_bad_input_is_a_4xx_naming_the_field(api_as, articles, query, field):
    response = api_as("agent").get(f"/knowledge/articles?{query}")
    assert 400 <= response.status_code < 500, response.content
    # A list parameter is named with its index ("kind.0").
    assert field in {name.split(".")[0] for name in field_errors(response)}


def page_client(user) -> Client:
    return verified_client(user)


def test_pages_need_a_signed_in_user(articles):
    response = Client().get("/knowledge/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_pages_refuse_a_password_only_session(people, articles):
    password_only = Client()
    password_only.force_login(people["admin"])
    for url in ("/knowledge/", "/knowledge/panel/", "/knowledge/new/"):
        response = password_only.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (
            302,
            "/desk/login/",
        ), url


def test_article_page_scoped_like_the_api(people, articles):
    url = f"/knowledge/{articles['form'].pk}/"
    assert page_client(people["agent"]).get(url).status_code == 200
    assert page_client(people["phcc_colleague"]).get(url).status_code == 200
    assert page_client(people["outsider"]).get(url).status_code == 404
    assert page_client(people["planner"]).get(url).status_code == 403
    # The draft is for editors only.
    draft = f"/knowledge/{articles['draft'].pk}/"
    assert page_client(people["agent"]).get(draft).status_code == 404
    assert page_client(people["phcc_staff"]).get(draft).status_code == 200


def test_list_page_searches_with_filters_in_both_languages(people, articles):
    client = page_client(people["agent"])
    page = client.get("/knowledge/", {"q": "الاستماره", "entity": "phcc"}).content.decode()
    assert "حجز موعد في المركز الصحي" in page and "حقوق المستهلك" not in page
    arabic = client.get("/knowledge/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic and "قاعدة المعرفة" in arabic
    bad = client.get("/knowledge/", {"q": "x", "entity": "atlantis"})
    assert bad.status_code == 400 and "entity" in bad.content.decode()


def test_outsider_cannot_edit_or_restore_another_entitys_article(people, articles):
    client = page_client(people["outsider"])
    pk = articles["form"].pk
    assert client.get(f"/knowledge/{pk}/edit/").status_code == 404
    assert client.post(f"/knowledge/{pk}/versions/1/restore/").status_code == 404
    assert client.post(f"/knowledge/{pk}/publish/").status_code == 404
    assert page_client(people["agent"]).get(f"/knowledge/{pk}/edit/").status_code == 403


def test_edit_form_creates_a_version_and_shows_history_and_diff(people, articles):
    client = page_client(people["phcc_staff"])
    article = articles["english"]
    response = client.post(f"/knowledge/{article.pk}/edit/", {
        "kind": "faq", "entity": "phcc", "service": "", "language": "en",
        "title": article.title, "body": "Health centres open from 7 am to 11 pm.",
        "change_note": "Hours checked", "publish": "1",
    })  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_version == 2 and article.body.startswith("Health centres open")
    history = client.get(f"/knowledge/{article.pk}/edit/").content.decode()
    assert "Hours checked" in history and 'data-version="2"' in history
    diff = client.get(f"/knowledge/{article.pk}/diff/", {"a": 1, "b": 2}).content.decode()
    assert '<del class="kb-del">Most health centres' in diff
    assert '<ins class="kb-ins">Health centres open' in diff
    assert client.get(f"/knowledge/{article.pk}/diff/", {"a": 1, "b": 9}).status_code == 400
    restored = client.post(f"/knowledge/{article.pk}/versions/1/restore/")
    assert restored.status_code == 302
    article.refresh_from_db()
    assert article.published_version == 3 and article.body.startswith("Most health centres")


def test_edit_form_errors_name_the_field(people, articles):
    client = page_client(people["supervisor"])
    response = client.post("/knowledge/new/", {
        "kind": "faq", "entity": "phcc", "service": "moci-consumer-complaint",
        "language": "ar", "title": "عنوان", "body": "نص",
    })  # fmt: skip
    assert response.status_code == 400
    assert 'data-field="service"' in response.content.decode()
