"""The site slice: contacts keep the site where their agent sat when answering; reports,
filters and the center bulletin slice by it; sites are edited in the admin."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tawasul.accounts.models import Site
from tawasul.insights import reports, services
from tawasul.insights.selectors import ContactFilters, contact_totals
from tawasul.interactions.services import interaction_record, interaction_update_timings
from tests.insights.conftest import make_contact, verified_client

pytestmark = pytest.mark.django_db
BASE = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
MARCH = "?start=2026-03-01&end=2026-03-31"


@pytest.fixture
def sites(people):
    office = Site.objects.create(code="doha-1", name_en="Doha site 1", name_ar="موقع الدوحة 1")
    home = Site.objects.create(
        code="home", name_en="From home", name_ar="من المنزل", is_remote=True
    )
    people["agent"].site = office
    people["agent"].save()
    people["agent2"].site = home
    people["agent2"].save()
    return {"office": office, "home": home}


@pytest.fixture
def traffic(directory, people, sites):
    """Two contacts answered at the office, one from home, one abandoned (no site)."""
    for i, agent in enumerate(["agent", "agent", "agent2"]):
        make_contact(offered_at=BASE + timedelta(minutes=i), wait=5 + i, outcome="resolved",
                     talk=100, entity=directory["phcc"], hotline=directory["h107"],
                     agent=people[agent], language="ar")  # fmt: skip
    make_contact(offered_at=BASE, wait=40, outcome="abandoned", entity=directory["phcc"],
                 hotline=directory["h107"], language="ar")  # fmt: skip


def test_the_site_is_copied_when_answered_and_kept_when_the_agent_moves(people, sites):
    agent = people["agent"]
    contact, _ = interaction_record(channel="call", offered_at=BASE)
    assert contact.site is None
    contact.agent = agent
    interaction_update_timings(interaction=contact, answered_at=BASE + timedelta(seconds=9))
    contact.refresh_from_db()
    assert contact.site == sites["office"]
    agent.site = sites["home"]  # the agent works from home from now on
    agent.save()
    interaction_update_timings(
        interaction=contact, ended_at=BASE + timedelta(minutes=3), outcome="resolved"
    )
    contact.refresh_from_db()
    assert contact.site == sites["office"]
    by_site = contact_totals(start=date(2026, 3, 10), end=date(2026, 3, 11), by=("site",))
    assert {key: t.answered for key, t in by_site.items()} == {(sites["office"].pk,): 1}


def test_unanswered_contacts_and_agents_without_a_site_have_none(people, sites):
    abandoned = make_contact(offered_at=BASE, wait=30, outcome="abandoned", agent=people["agent"])
    assert abandoned.site is None
    people["agent2"].site = None
    people["agent2"].save()
    answered = make_contact(offered_at=BASE, wait=3, outcome="resolved", agent=people["agent2"])
    assert answered.site is None


def test_site_slice_and_filter_of_the_roll_ups(traffic, sites):
    march = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}
    by_site = contact_totals(**march, by=("site",))
    assert by_site[(sites["office"].pk,)].answered == 2
    assert by_site[(sites["home"].pk,)].answered == 1
    assert by_site[(None,)].abandoned == 1
    home_only = contact_totals(**march, filters=ContactFilters(site=sites["home"].pk))
    assert home_only[()].answered == 1 and home_only[()].offered == 1
    # The 15-minute rows (agent slice) agree with the daily rows.
    quarters = contact_totals(**march, by=("site",), granularity="15min")
    assert sum(t.answered for (_p, s), t in quarters.items() if s == sites["office"].pk) == 2


def test_supervisor_reports_by_site_in_english_and_arabic(staff_client, traffic):
    client = staff_client("supervisor")
    csv = client.get(f"/insights/reports/{MARCH}&by=site&format=csv").content.decode("utf-8-sig")
    rows = {line.split(",")[0]: line.split(",")[2] for line in csv.splitlines() if "," in line}
    assert rows["Doha site 1"] == "2" and rows["From home"] == "1"
    page = client.get(f"/insights/reports/{MARCH}&by=site", HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200
    text = page.content.decode()
    assert "موقع الدوحة 1" in text and "من المنزل" in text
    assert 'name="site"' in text  # the filter is offered to the center's staff
    filtered = client.get(f"/insights/reports/{MARCH}&site=home&format=csv")
    assert filtered.status_code == 200
    lines = filtered.content.decode("utf-8-sig").splitlines()
    assert lines[-1].split(",")[:2] == ["1", "1"]  # offered, answered from home only


@pytest.mark.parametrize(("who", "query", "field"), [
    ("supervisor", "&site=nowhere", "site"),
    ("supervisor", "&site=موقع", "site"),  # not a site code (Arabic letters)
    ("supervisor", "&site=" + "x" * 41, "site"),
    ("phcc_staff", "&site=home", "site"),  # staff figures are the center's business
    ("phcc_staff", "&by=site", "by"),
])  # fmt: skip
def test_bad_or_forbidden_site_filters_get_400_naming_the_field(
    staff_client, traffic, who, query, field
):
    response = staff_client(who).get(f"/insights/reports/{MARCH}{query}")
    assert response.status_code == 400
    assert f'data-field="{field}"'.encode() in response.content


def test_back_office_is_not_offered_the_site_filter(staff_client, traffic):
    page = staff_client("phcc_staff").get(f"/insights/reports/{MARCH}").content.decode()
    assert 'name="site"' not in page


def test_center_bulletin_has_the_site_table_and_an_entity_bulletin_has_not(
    traffic, sites, directory
):
    march = {"start": date(2026, 3, 1), "end": date(2026, 4, 1)}
    center = reports.bulletin_build(**march, language="en")
    table = center.table("by_site")
    assert [row[0] for row in table.rows] == ["Doha site 1", "From home"]
    assert [row[1].value for row in table.rows] == [2, 1]
    assert table.total[1].value == 3
    arabic = reports.bulletin_build(**march, language="ar")
    assert [row[0] for row in arabic.table("by_site").rows] == ["موقع الدوحة 1", "من المنزل"]
    assert arabic.table("by_site").title == "الاتصالات المجاب عليها حسب الموقع"
    entity = reports.bulletin_build(**march, language="en", entity=directory["phcc"])
    assert "by_site" not in [t.key for t in entity.tables]


def test_rebuild_keeps_the_site_slice(traffic, sites):
    before = contact_totals(start=date(2026, 3, 1), end=date(2026, 4, 1), by=("site",))
    services.rollups_rebuild()
    after = contact_totals(start=date(2026, 3, 1), end=date(2026, 4, 1), by=("site",))
    assert before == after


def test_the_admin_edits_sites_and_the_site_of_staff(people, sites):
    admin = verified_client(people["admin"])
    added = admin.post("/admin/accounts/site/add/", {
        "code": "muscat-home", "name_en": "Muscat — from home", "name_ar": "مسقط — من المنزل",
        "names": "{}", "is_remote": "on", "active": "on",
    })  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:2000]
    assert Site.objects.get(code="muscat-home").is_remote
    duplicate = admin.post("/admin/accounts/site/add/", {
        "code": "muscat-home", "name_en": "again", "name_ar": "مرة أخرى", "names": "{}",
    })  # fmt: skip
    assert duplicate.status_code == 200 and Site.objects.filter(code="muscat-home").count() == 1
    page = admin.get(f"/admin/accounts/user/{people['agent'].pk}/change/").content.decode()
    assert 'name="site"' in page


def test_demo_staff_answer_from_the_demo_sites(db):
    from tawasul.accounts.models import Role, User
    from tawasul.core import seed

    seed.seed_directory()
    seed.seed_staff()
    agents = User.objects.filter(role=Role.AGENT)
    assert agents.exists() and not agents.filter(site__isnull=True).exists()
    assert set(seed.DEMO_AGENT_SITES) == set(agents.values_list("username", flat=True))
    assert Site.objects.filter(code__startswith="109-site-").count() == 6
    assert Site.objects.get(code="muscat-home").is_remote
    assert Site.objects.get(code="muscat-home").staff.exists()
