"""Overflow, queue limits, call-backs, business hours, and the read-only queries."""

import datetime as dt
import zoneinfo

import pytest

from tawasul.routing import (
    ALWAYS_OPEN,
    AgentLoggedIn,
    BusinessCalendar,
    CallbackAccepted,
    CallbackDeclined,
    CallbackOffered,
    Closed,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactStatus,
    Offer,
    OfferNotAnswered,
    OpenPool,
    Overflowed,
    Queue,
    Queued,
    Rejected,
    Relax,
    RoutingEngine,
    Tick,
    WeeklyCalendar,
)

UR_PHCC = {"lang:ur": 1, "entity:phcc": 1}


def offers(decisions: list) -> list[tuple]:
    return [(d.contact_id, d.agent_id) for d in decisions if isinstance(d, Offer)]


def overflow_engine() -> RoutingEngine:
    q = Queue("phcc", overflow=(Relax(60, keep=("lang:",)), OpenPool(120, pool="surge")))
    return RoutingEngine([q], retain_finished=True)


def test_relax_after_wait_offers_to_language_only_agent() -> None:
    e = overflow_engine()
    e.handle(AgentLoggedIn(0, "ur_moph", {"lang:ur": 1, "entity:moph": 1}))
    e.handle(ContactArrived(10, "c1", "phcc", UR_PHCC))
    assert e.next_deadline() == 70
    assert e.handle(Tick(69.9)) == []
    out = e.handle(Tick(70))
    assert out == [
        Overflowed("c1", "phcc", 0, Relax(60, keep=("lang:",))),
        Offer("c1", "ur_moph", "phcc"),
    ]
    assert e.contact("c1").overflow_step == 1


def test_relaxed_contact_waits_for_any_agent_with_the_language() -> None:
    e = overflow_engine()
    e.handle(ContactArrived(0, "c1", "phcc", UR_PHCC))
    e.handle(Tick(60))
    assert e.contact("c1").eligible == ({"lang:ur": 1},)
    assert offers(e.handle(AgentLoggedIn(61, "a", {"lang:ur": 1}))) == [("c1", "a")]


def test_surge_pool_opens_later_and_keeps_language() -> None:
    e = RoutingEngine([Queue("phcc", overflow=(OpenPool(120, pool="surge"),))])
    e.handle(AgentLoggedIn(0, "surge_ar", {"lang:ar": 1, "pool:surge": 1}))
    e.handle(AgentLoggedIn(0, "ur_moph", {"lang:ur": 1, "entity:moph": 1}))
    e.handle(ContactArrived(0, "c1", "phcc", UR_PHCC))
    out = e.handle(Tick(120))
    assert out == [Overflowed("c1", "phcc", 0, OpenPool(120, pool="surge"))]
    assert e.contact("c1").eligible == (UR_PHCC, {"lang:ur": 1, "pool:surge": 1})
    out = e.handle(AgentLoggedIn(121, "surge_ur", {"lang:ur": 1, "pool:surge": 1}))
    assert offers(out) == [("c1", "surge_ur")]


def test_surge_pool_serves_contact_its_skills_would_not() -> None:
    q = Queue("phcc", overflow=(OpenPool(30, pool="surge", keep=()),))
    e = RoutingEngine([q], retain_finished=True)
    e.handle(AgentLoggedIn(0, "surge", {"pool:surge": 1}))
    e.handle(ContactArrived(0, "c1", "phcc", UR_PHCC))
    assert e.contact("c1").status is ContactStatus.WAITING
    out = e.handle(Tick(30))
    assert offers(out) == [("c1", "surge")]
    # The pool is an extra alternative: a normal skilled agent would still do.
    e.handle(ContactArrived(31, "c2", "phcc", UR_PHCC))
    e.handle(Tick(61))
    assert e.contact("c2").eligible == (UR_PHCC, {"pool:surge": 1})


def test_longest_idle_across_alternatives_of_an_overflowed_contact() -> None:
    q = Queue("phcc", overflow=(OpenPool(20, pool="surge", keep=()),))
    e = RoutingEngine([q], retain_finished=True)
    e.handle(AgentLoggedIn(0, "surge", {"pool:surge": 1}))
    e.handle(AgentLoggedIn(5, "skilled", UR_PHCC))
    # A call-back request restored with its place from 30 s ago: the pool is already open to it.
    out = e.handle(ContactArrived(10, "c1", "phcc", UR_PHCC, since=-20, callback=True))
    assert offers(out) == [("c1", "surge")]
    assert isinstance(out[0], Overflowed)


def test_overflow_steps_due_while_ringing_apply_when_contact_returns() -> None:
    e = overflow_engine()
    e.handle(AgentLoggedIn(0, "a", {"lang:ur": 1, "entity:phcc": 1}))
    e.handle(ContactArrived(0, "c1", "phcc", UR_PHCC))
    out = e.handle(OfferNotAnswered(65, "c1"))
    assert any(isinstance(d, Overflowed) for d in out)
    assert e.contact("c1").overflow_step == 1


def test_max_queue_size_rejects_with_callback_offer_but_not_callbacks() -> None:
    e = RoutingEngine([Queue("q", max_size=2)], retain_finished=True)
    e.handle(ContactArrived(0, "c1", "q"))
    e.handle(ContactArrived(1, "c2", "q"))
    out = e.handle(ContactArrived(2, "c3", "q"))
    assert out == [Rejected("c3", "q", "queue_full", callback_offered=True)]
    assert e.contact("c3").status is ContactStatus.REJECTED
    # The caller accepted the call-back: it comes back as a call-back request, never rejected.
    out = e.handle(ContactArrived(3, "c3", "q", callback=True))
    assert isinstance(out[0], Queued)
    # A caller on hold who accepts a call-back frees a line.
    e.handle(CallbackAccepted(4, "c1"))
    assert isinstance(e.handle(ContactArrived(5, "c4", "q"))[0], Queued)
    assert e.queue_stats("q")[0].rejected == 1


def test_max_wait_offers_callback_once_and_acceptance_keeps_place() -> None:
    e = RoutingEngine([Queue("q", max_wait=120)], retain_finished=True)
    e.handle(ContactArrived(0, "c1", "q"))
    e.handle(ContactArrived(10, "c2", "q"))
    assert e.next_deadline() == 120
    assert e.handle(Tick(120)) == [CallbackOffered("c1", "q")]
    out = e.handle(CallbackAccepted(125, "c1"))
    assert [(d.contact_id, d.position) for d in out] == [("c1", 1)]
    snap = e.contact("c1")
    assert (snap.callback, snap.since, snap.status) == (True, 0, ContactStatus.WAITING)
    e.handle(CallbackDeclined(131, "c2"))  # c2 is offered at 130 and declines: no second offer
    assert e.handle(Tick(10_000)) == []
    assert offers(e.handle(AgentLoggedIn(10_001, "a", {}))) == [("c1", "a")]
    stats = e.queue_stats("q")[0]
    assert (stats.callbacks_offered, stats.callbacks_accepted) == (2, 1)


def test_callback_request_restored_with_its_original_place() -> None:
    e = RoutingEngine([Queue("q")], retain_finished=True)
    e.handle(ContactArrived(100, "live", "q"))
    e.handle(ContactArrived(200, "cb", "q", since=50, callback=True))
    assert e.position("cb") == 1


def test_closed_queue_answers_closed_with_callback_offer() -> None:
    class Never:
        def is_open(self, t: float) -> bool:
            return False

    assert isinstance(Never(), BusinessCalendar)
    e = RoutingEngine([Queue("q", calendar=Never())], retain_finished=True)
    e.handle(AgentLoggedIn(0, "a", {}))
    assert e.handle(ContactArrived(1, "c1", "q")) == [Closed("c1", "q", callback_offered=True)]
    assert e.contact("c1").status is ContactStatus.REJECTED
    assert e.queue_stats("q")[0].closed == 1
    # A call-back request is accepted even when closed; it waits for the agents.
    assert offers(e.handle(ContactArrived(2, "c2", "q", callback=True))) == [("c2", "a")]


OMAN = dict(utc_offset_hours=4)
SUN_THU = {d: [("07:30", "21:30")] for d in (6, 0, 1, 2, 3)}


def unix(y: int, mo: int, d: int, h: int, mi: int, offset_h: float = 4) -> float:
    tz = dt.timezone(dt.timedelta(hours=offset_h))
    return dt.datetime(y, mo, d, h, mi, tzinfo=tz).timestamp()


def test_weekly_calendar_hours_holidays_and_special_days() -> None:
    cal = WeeklyCalendar(
        SUN_THU,
        holidays=[dt.date(2024, 11, 18)],  # a Monday
        holiday_hours=[("09:30", "16:30")],
        special={dt.date(2024, 11, 19): [("10:00", "14:00")]},
        **OMAN,
    )
    assert cal.is_open(unix(2024, 11, 17, 7, 30))  # Sunday opening
    assert not cal.is_open(unix(2024, 11, 17, 7, 29))
    assert not cal.is_open(unix(2024, 11, 17, 21, 30))  # end is exclusive
    assert not cal.is_open(unix(2024, 11, 15, 12, 0))  # Friday
    assert not cal.is_open(unix(2024, 11, 18, 8, 0))  # holiday, before 09:30
    assert cal.is_open(unix(2024, 11, 18, 16, 0))
    assert not cal.is_open(unix(2024, 11, 19, 9, 0))  # special day
    assert cal.is_open(unix(2024, 11, 19, 13, 59))
    assert cal.hours_on(dt.date(2024, 11, 18)) == ((9.5 * 3600, 16.5 * 3600),)


def test_weekly_calendar_epoch_and_zoneinfo() -> None:
    start = unix(2024, 11, 17, 0, 0, offset_h=3)  # simulation t=0 = Sunday 00:00 in Doha
    fixed = WeeklyCalendar({6: [("08:00", "24:00")]}, utc_offset_hours=3, epoch=start)
    tz = WeeklyCalendar({6: [("08:00", "24:00")]}, tz=zoneinfo.ZoneInfo("Asia/Qatar"), epoch=start)
    for t in (0, 8 * 3600 - 1, 8 * 3600, 86399, 86400):
        assert fixed.is_open(t) == tz.is_open(t) == (8 * 3600 <= t < 86400)
    assert ALWAYS_OPEN.is_open(123.0)


def test_calendar_rejects_bad_hours() -> None:
    with pytest.raises(ValueError, match="crosses midnight"):
        WeeklyCalendar({0: [("22:00", "02:00")]})
    with pytest.raises(ValueError, match="bad time"):
        WeeklyCalendar({0: [("8h", "17:00")]})
    with pytest.raises(ValueError, match="weekday"):
        WeeklyCalendar({7: [("08:00", "17:00")]})


def test_queue_config_validation() -> None:
    with pytest.raises(ValueError, match="sorted"):
        Queue("q", overflow=(OpenPool(60), Relax(30)))


def test_queue_stats_snapshot() -> None:
    e = RoutingEngine([Queue("q"), Queue("other")], retain_finished=True)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(10, "c1", "q"))
    e.handle(ContactAnswered(12, "c1"))
    e.handle(ContactArrived(20, "c2", "q"))
    e.handle(ContactArrived(30, "c3", "q"))
    e.handle(ContactArrived(40, "c4", "q"))
    e.handle(ContactAbandoned(45, "c4"))
    e.handle(CallbackAccepted(50, "c3"))
    e.handle(Tick(80))
    q, other = e.queue_stats()
    assert (q.queue, q.waiting, q.callbacks_waiting, q.longest_wait) == ("q", 2, 1, 60)
    assert (q.connected, q.arrived, q.offered, q.answered, q.abandoned) == (1, 4, 1, 1, 1)
    assert other.waiting == other.arrived == 0 and other.longest_wait == 0


def test_agent_snapshot_time_in_state_and_position_and_counts() -> None:
    e = RoutingEngine([Queue("q", aht=100)], retain_finished=True)
    e.handle(AgentLoggedIn(0, "a", {"lang:ar": 2}))
    e.handle(ContactArrived(10, "c1", "q"))
    e.handle(ContactAnswered(15, "c1"))
    out = e.handle(ContactArrived(16, "c2", "q"))
    assert out == [Queued("c2", "q", 1, 100.0)]  # position 1 x 100 s AHT / 1 agent
    out = e.handle(ContactArrived(17, "c3", "q"))
    assert out == [Queued("c3", "q", 2, 200.0)]
    e.handle(Tick(75))
    snap = e.agent("a")
    assert (snap.state, snap.since, snap.time_in_state, snap.contact_id) == (
        "on_contact",
        15,
        60,
        "c1",
    )
    assert snap.skills == {"lang:ar": 2}
    assert [a.agent_id for a in e.agents()] == ["a"]
    assert (e.position("c1"), e.position("c2"), e.position("c3"), e.position("x")) == (
        None,
        1,
        2,
        None,
    )
    assert [c.contact_id for c in e.contacts(ContactStatus.WAITING)] == ["c2", "c3"]
    counts = e.counts()
    assert (counts[ContactStatus.CONNECTED], counts[ContactStatus.WAITING]) == (1, 2)
    assert sum(counts.values()) == 3


def test_finished_contacts_are_forgotten_by_default_but_counted() -> None:
    e = RoutingEngine([Queue("q")])
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAbandoned(2, "c1"))
    assert e.contact("c1") is None
    assert e.counts()[ContactStatus.ABANDONED] == 1
    e.handle(ContactArrived(3, "c1", "q"))  # the id may be reused
    assert e.contact("c1").status is ContactStatus.OFFERED


def test_reconfigured_overflow_applies_to_contacts_already_in_line() -> None:
    e = RoutingEngine([Queue("phcc")], retain_finished=True)
    e.handle(AgentLoggedIn(0, "ur", {"lang:ur": 1}))
    e.handle(ContactArrived(0, "c1", "phcc", UR_PHCC))
    e.handle(Tick(100))
    out = e.configure_queue(Queue("phcc", overflow=(Relax(60, keep=("lang:",)),)))
    assert offers(out) == [("c1", "ur")]  # the step is already due: applied at once
    e.check_invariants()
