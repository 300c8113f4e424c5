"""The planning home: who may see it, what it shows, CSV export, bad input, Arabic/RTL."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tawasul.workforce.erlang import erlang_a

DAY = date(2026, 3, 16)  # a Monday


def verified_client(user):
    """A test client signed in as ``user`` with a confirmed second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def write_history(days: int, *, per_day: int = 2, queue: str = "PHCC") -> None:
    """``per_day`` calls at 10:00 local on each of the ``days`` days before DAY, 200 s each."""
    from tawasul.interactions.models import Interaction, Outcome

    tz = ZoneInfo(settings.TIME_ZONE)
    rows = []
    for n in range(1, days + 1):
        at = datetime.combine(DAY - timedelta(days=n), time(10, 5), tz)
        for k in range(per_day):
            offered = at + timedelta(minutes=k)
            rows.append(
                Interaction(
                    channel="call",
                    queue=queue,
                    offered_at=offered,
                    answered_at=offered + timedelta(seconds=10),
                    ended_at=offered + timedelta(seconds=200),
                    outcome=Outcome.RESOLVED_FIRST_CONTACT,
                )
            )
    Interaction.objects.bulk_create(rows)


@pytest.fixture
def clients(people):
    return {name: verified_client(people[name]) for name in ("planner", "supervisor", "admin")}


def test_only_verified_planners_supervisors_admins(people, client):
    assert client.get("/workforce/").status_code == 302
    assert client.get("/workforce/")["Location"].startswith("/desk/login/")
    client.force_login(people["planner"])  # password only, no second factor
    assert client.get("/workforce/").status_code == 302
    assert client.get("/workforce/export.csv").status_code == 302
    for who in ("agent", "phcc_staff", "outsider"):
        response = verified_client(people[who]).get("/workforce/")
        assert response.status_code == 403, who
        assert verified_client(people[who]).get("/workforce/export.csv").status_code == 403
    for who in ("planner", "supervisor", "admin"):
        assert verified_client(people[who]).get("/workforce/").status_code == 200, who


def test_planner_lands_on_the_planning_home(people):
    planner = verified_client(people["planner"])
    assert planner.get("/desk/login/")["Location"] == "/workforce/"
    # The desk itself is for case work: the one policy refuses the planner there.
    assert planner.get("/desk/").status_code == 403


def test_plan_and_csv_from_history(clients):
    write_history(28)
    page = clients["planner"].get("/workforce/", {"day": DAY.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "call:PHCC" in html and "weekday and interval profile with trend" in html
    export = clients["supervisor"].get("/workforce/export.csv", {"day": DAY.isoformat()})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == 48
    at_ten = rows[20]
    assert at_ten["interval"] == "10:00" and at_ten["forecast"] == "2.00"
    assert at_ten["method"] == "profile" and at_ten["aht"] == "190"
    assert {r["forecast"] for i, r in enumerate(rows) if i != 20} == {"0.00"}
    # 2 calls of 190 s in 30 min = 0.211 Erlangs: one agent answers 1 - 0.211 x
    # exp(-0.789 x 20/190) = 80.6 % within 20 s; with 30 % shrinkage 2 are scheduled.
    assert (at_ten["agents_erlang_c"], at_ten["scheduled"]) == ("1", "2")
    # The service level column is Erlang A's with the default patience (no abandonments in
    # this history): 120 s.
    expected = erlang_a(calls=2, period=1800, aht=190, agents=1, patience=120, threshold=20)
    assert at_ten["service_level_erlang_a"] == f"{expected.service_level:.4f}" == "0.8295"
    assert at_ten["agents_erlang_a"] == "1"


def test_short_history_is_flagged(clients):
    write_history(3)
    html = clients["planner"].get("/workforce/", {"day": DAY.isoformat()}).content.decode()
    assert "Too little history for the seasonal model" in html
    assert "mean of each interval" in html


def test_bad_input_is_a_400_naming_the_field(clients):
    response = clients["planner"].get("/workforce/", {"day": "16/03/2026"})
    assert response.status_code == 400 and "day:" in response.content.decode()
    assert clients["planner"].get("/workforce/export.csv", {"day": "x"}).status_code == 400
    write_history(14)
    response = clients["planner"].get("/workforce/", {"day": DAY.isoformat(), "queue": "x:y"})
    assert response.status_code == 400 and "queue:" in response.content.decode()


def test_arabic_and_rtl(clients):
    write_history(3)
    clients["planner"].cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = clients["planner"].get("/workforce/", {"day": DAY.isoformat()}).content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "تخطيط القوى العاملة" in html and "متوسط كل فترة" in html
    assert "Workforce planning" not in html


def test_overrides_are_versioned_and_replace_the_forecast(clients, people):
    from tawasul.workforce.models import ForecastOverride

    write_history(28)
    url = f"/workforce/override?day={DAY.isoformat()}"
    form = {"queue": "call:PHCC", "interval": "20", "contacts": "50", "reason": "campaign"}
    response = clients["planner"].post(url, form)
    assert response.status_code == 302
    assert response["Location"] == f"/workforce/?day={DAY.isoformat()}&queue=call%3APHCC"
    clients["supervisor"].post(url, {**form, "contacts": "40", "reason": "smaller campaign"})
    versions = list(ForecastOverride.objects.order_by("version").values_list(
        "version", "contacts", "created_by__username"))  # fmt: skip
    assert versions == [(1, 50.0, people["planner"].username),
                        (2, 40.0, people["supervisor"].username)]  # fmt: skip
    export = clients["planner"].get("/workforce/export.csv", {"day": DAY.isoformat()})
    at_ten = list(csv.DictReader(io.StringIO(export.content.decode())))[20]
    assert (at_ten["forecast"], at_ten["override_version"]) == ("40.00", "2")
    assert int(at_ten["agents_erlang_c"]) > 1
    page = clients["planner"].get("/workforce/", {"day": DAY.isoformat()}).content.decode()
    assert "smaller campaign" in page
    # Bad input: a 400 naming the field, nothing written.
    for bad, field in (
        ({"interval": "48"}, "interval"),
        ({"interval": "x"}, "interval"),
        ({"contacts": "-1"}, "contacts"),
        ({"contacts": "nan"}, "contacts"),
        ({"reason": "  "}, "reason"),
        ({"queue": ""}, "queue"),
    ):
        response = clients["planner"].post(url, {**form, **bad})
        assert response.status_code == 400, bad
        assert response.content.decode().startswith(f"{field}:"), bad
    assert ForecastOverride.objects.count() == 2
    # Nobody else may write one.
    agent = verified_client(people["agent"])
    assert agent.post(url, form).status_code == 403
    assert ForecastOverride.objects.count() == 2


def test_csv_does_not_carry_formulas(clients):
    write_history(3, queue='=HYPERLINK("http://evil")')
    export = clients["planner"].get("/workforce/export.csv", {"day": DAY.isoformat()})
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {r["queue"] for r in rows} == {'\'=HYPERLINK("http://evil")'}
