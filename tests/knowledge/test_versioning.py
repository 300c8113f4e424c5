"""Every edit is a version; publishing chooses the text agents read; restoring appends."""

from __future__ import annotations

import pytest

from tawasul.errors import DomainError, Forbidden
from tawasul.knowledge.selectors import article_search, version_diff
from tawasul.knowledge.services import article_publish, article_save, article_version_restore

pytestmark = pytest.mark.django_db


def edit(article, actor, **changes):
    fields = dict(
        kind=article.kind, entity=article.entity, service=article.service,
        language=article.language, title=article.title, body=article.body,
    )  # fmt: skip
    fields.update(changes)
    return article_save(actor=actor, article=article, **fields)


def test_each_edit_creates_a_version_with_author_and_note(articles, people):
    article = articles["hospital"]
    supervisor = people["supervisor"]
    edit(article, supervisor, body="نص مراجع.", change_note="تحديث أرقام الطوارئ")
    versions = list(article.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].author == supervisor and versions[1].author_label == "supervisor.omar"
    assert versions[1].change_note == "تحديث أرقام الطوارئ"
    assert versions[0].body.startswith("في الحالات الطارئة")
    # Saving the same text again adds nothing.
    edit(article, supervisor, body="نص مراجع.")
    assert article.versions.count() == 2


def test_published_text_stays_until_the_new_version_is_published(articles, people):
    article = articles["hospital"]
    edit(article, people["supervisor"], title="متى أذهب إلى المستشفى؟", body="نسخة جديدة.")
    article.refresh_from_db()
    assert article.title == "متى أراجع المستشفى؟" and article.published_version == 1
    article_publish(actor=people["supervisor"], article=article)
    article.refresh_from_db()
    assert article.title == "متى أذهب إلى المستشفى؟" and article.published_version == 2
    assert [a.pk for a in article_search(query="نسخة")] == [article.pk]


def test_restore_appends_a_copy_and_republishes_a_published_article(articles, people):
    article = articles["hospital"]
    edit(article, people["supervisor"], body="خطأ منشور.", publish=True)
    article = article_version_restore(actor=people["supervisor"], article=article, number=1)
    article.refresh_from_db()
    numbers = list(article.versions.order_by("number").values_list("number", "change_note"))
    assert numbers == [(1, ""), (2, ""), (3, "Restored version 1")]
    assert article.published_version == 3 and article.body.startswith("في الحالات الطارئة")
    assert article_search(query="خطأ") == []
    with pytest.raises(DomainError) as error:
        article_version_restore(actor=people["supervisor"], article=article, number=99)
    assert error.value.field == "number"


def test_diff_between_versions(articles, people):
    article = articles["english"]
    edit(article, people["supervisor"], body="Most health centres open from 7 am to 11 pm.\nNew.")
    old, new = article.versions.order_by("number")
    diff = version_diff(old=old, new=new)
    assert ("delete", article.body) in [(line.op, line.text) for line in diff["body"]]
    assert ("insert", "New.") in [(line.op, line.text) for line in diff["body"]]
    assert all(line.op == "equal" for line in diff["title"])


def test_only_editors_of_the_entity_may_write(articles, people):
    article = articles["hospital"]
    for who in ("agent", "outsider", "planner"):
        with pytest.raises(Forbidden):
            edit(article, people[who], body="محاولة")
    edit(article, people["phcc_staff"], body="تعديل من المؤسسة")
    assert article.versions.count() == 2


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "  "}, "title"), ({"body": ""}, "body"), ({"title": "x" * 201}, "title"),
    ({"body": "a\x00b"}, "body"), ({"kind": "poem"}, "kind"),
])  # fmt: skip
def test_bad_edits_name_the_field(articles, people, changes, field):
    with pytest.raises(DomainError) as error:
        edit(articles["hospital"], people["supervisor"], **changes)
    assert error.value.field == field


def test_a_service_of_another_entity_is_refused(articles, people, directory):
    from tawasul.directory.models import Service

    with pytest.raises(DomainError) as error:
        edit(articles["hospital"], people["supervisor"], service=Service.objects.get(
            code="moci-consumer-complaint"))  # fmt: skip
    assert error.value.field == "service"
