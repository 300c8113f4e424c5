"""Every error on a portal form is tied to its field and listed in a summary (issue #12)."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import complaint_form

pytestmark = pytest.mark.django_db


def _element_ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_each_described_by_names_an_element_that_exists(submit):
    data = complaint_form(kind="", entity="", description="", phone="", email="")
    response = submit(data, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    html = response.content.decode()
    ids = _element_ids(html)
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    wanted = {"id_kind_error", "id_entity_error", "id_description_error"}
    assert wanted <= {name for value in described for name in value.split()}
    missing = [name for value in described for name in value.split() if ids.count(name) != 1]
    assert missing == []
    summary = re.search(r'<div[^>]*id="error-summary".*?</div>', html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links[:3] == ["id_kind_0", "id_entity", "id_description"]
    assert all(ids.count(target) == 1 for target in links)


def test_no_summary_on_a_fresh_form(client, directory):
    assert 'id="error-summary"' not in client.get("/portal/new/").content.decode()
