"""The live simulator's written contacts through their real entry points: an SMS through
Kannel (fakesmsc → bearerbox → smsbox → Tawasul's MO URL), the portal's web form and the
mobile-app API over HTTP on the real web server; then a simulated agent answers each on the
desk. And the fallback: entry points that do not answer are said once, never crash the run."""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime

import pytest

from tawasul.interactions.models import Interaction
from tawasul.sim import sip
from tawasul.sim.live import LIVE_PREFIX, LiveSimulator
from tawasul.sim.traffic import Arrival, HandleTime, TrafficModel

pytestmark = [pytest.mark.timeout(180)]


def _arrival(channel: str, entity: str, hotline: str, language: str = "ar") -> Arrival:
    return Arrival(0.0, entity, language, channel, 0.0, math.inf, False, math.inf, hotline)


def _run_until(sim: LiveSimulator, done, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sim.step()
        if done():
            return
        time.sleep(0.25)
    rows = list(Interaction.objects.values_list("channel", "external_id", "answered_at"))
    raise AssertionError(f"timed out waiting for {what}: {sim.stats} {rows}")


def test_sms_web_and_app_contacts_come_in_through_the_channels(
    transactional_db, directory, people, web, kannel
):
    from tawasul.desk.models import ContactOffer

    short = {ch: HandleTime(8.0, 0.0) for ch in ("sms", "web", "app")}
    sim = LiveSimulator(
        per_minute=0,
        seed=11,
        max_agents=2,
        web_url=web,
        kannel=True,
        model=TrafficModel.center_109(handle_times=short),
        handle_speedup=4.0,
        wrap_seconds=1.0,
    )
    sim.start()
    sim.send_contact(_arrival("sms", "phcc", "107"))
    sim.send_contact(_arrival("web", "moci", "109", language="en"))
    sim.send_contact(_arrival("app", "phcc", "107"))
    assert sim.stats["via_channel"] == 3, sim.stats
    _run_until(
        sim,
        lambda: not sim.awaiting and not sim.contacts,
        timeout=90,
        what="the three contacts to be stored and answered",
    )
    assert sim.stats["errors"] == sim.stats["lost"] == 0, sim.stats
    rows = {i.channel: i for i in Interaction.objects.filter(channel__in=["sms", "web", "app"])}
    assert set(rows) == {"sms", "web", "app"}
    assert rows["web"].external_id.startswith("web:")
    assert rows["app"].external_id.startswith("app:")
    assert rows["sms"].address.startswith("+97455")  # Kannel's own message id, our number
    agents = {people["agent"], people["agent2"]}
    for row in rows.values():
        assert not row.external_id.startswith(LIVE_PREFIX)  # not the services path
        assert row.agent in agents and row.answered_at and row.ended_at, row.channel
        assert ContactOffer.objects.filter(interaction=row, status="ended").exists()
        # Each channel opened its own case for the resident, as it does for real residents.
        assert row.cases.exists(), row.channel


def test_entry_points_that_do_not_answer_fall_back_once(people, caplog):
    nobody = sip.free_udp_port()  # nothing listens here (UDP for SIP, TCP for SMTP)
    sim = LiveSimulator(
        per_minute=0,
        seed=2,
        clock=lambda: datetime(2026, 3, 8, 9, 0, tzinfo=UTC),
        sleep=lambda s: None,
        gateway=("127.0.0.1", nobody),
        smtp=("127.0.0.1", nobody),
    )
    with caplog.at_level(logging.INFO, logger="tawasul.sim.live"):
        sim.start()
        for _ in range(3):
            sim.send_contact(_arrival("call", "moci", "109", language="en"))
            sim.send_contact(_arrival("email", "moci", "109"))
    assert sim.stats["errors"] == 0 and sim.voice is None
    stored = Interaction.objects.filter(external_id__startswith=LIVE_PREFIX)
    assert stored.filter(channel="call").count() == 3
    assert stored.filter(channel="email").count() == 3
    said = [r.getMessage() for r in caplog.records if "is not reachable" in r.getMessage()]
    assert len(said) == 2, said  # once for the gateway, once for SMTP
    assert any("voice gateway" in line for line in said)


def test_an_entry_point_that_stops_mid_run_falls_back_and_says_so_once(
    transactional_db, people, smtp_listener, caplog
):
    sim = LiveSimulator(per_minute=0, seed=7, max_agents=2, smtp=("127.0.0.1", smtp_listener.port))
    with caplog.at_level(logging.INFO, logger="tawasul.sim.live"):
        sim.start()
        sim.send_contact(_arrival("email", "moci", "109", language="en"))
        _run_until(sim, lambda: not sim.awaiting, timeout=30, what="the e-mail to be stored")
        smtp_listener.stop()  # the listener goes away in the middle of the run
        for _ in range(3):
            sim.send_contact(_arrival("email", "moci", "109"))
            sim.step()
    assert sim.stats["errors"] == sim.stats["lost"] == 0, sim.stats
    assert sim.stats["via_channel"] == 1 and not sim.awaiting
    mails = Interaction.objects.filter(channel="email")
    assert mails.filter(external_id__startswith="<simlive.").count() == 1  # through SMTP
    # Every e-mail after the stop, the first one that found it down included, was still
    # recorded (through the services) and waits for the simulated agents.
    fallback = mails.filter(external_id__startswith=LIVE_PREFIX)
    assert fallback.count() == 3
    assert {str(pk) for pk in fallback.values_list("pk", flat=True)} <= set(sim.contacts)
    said = [r.getMessage() for r in caplog.records if "is not reachable" in r.getMessage()]
    assert len(said) == 1, said
    assert "SMTP listener" in said[0] and "e-mails go through the services" in said[0]


@pytest.mark.parametrize(
    ("option", "value"),
    [("--sip", "5070"), ("--sip", "127.0.0.1:port"), ("--smtp", "127.0.0.1:70000")],
)
def test_a_bad_entry_point_address_is_refused_naming_the_option(db, option, value):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=option):
        call_command("simulate", "--live", option, value, "--steps", "0")
