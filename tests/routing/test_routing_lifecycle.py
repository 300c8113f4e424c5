"""Agent and contact life cycle: answer, end, wrap-up, ring-no-answer, abandon, break, logout."""

import pytest

from tawasul.routing import (
    AgentBreak,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentState,
    AgentStateChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    ContactStatus,
    Offer,
    OfferNotAnswered,
    OfferRevoked,
    Queue,
    Queued,
    RoutingEngine,
    RoutingError,
    Tick,
)


def engine(**queue_kw) -> RoutingEngine:
    return RoutingEngine([Queue("q", **queue_kw)], retain_finished=True)


def offers(decisions: list) -> list[tuple]:
    return [(d.contact_id, d.agent_id) for d in decisions if isinstance(d, Offer)]


def test_answer_connects_and_end_with_wrap_up_timer() -> None:
    e = engine(wrap_up=30)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    assert e.handle(ContactAnswered(4, "c1")) == []
    assert e.agent("a").state is AgentState.ON_CONTACT
    assert e.contact("c1").status is ContactStatus.CONNECTED
    out = e.handle(ContactEnded(100, "c1"))
    assert out == [AgentStateChanged("a", AgentState.WRAP_UP)]
    assert e.contact("c1").status is ContactStatus.ENDED
    assert e.next_deadline() == 130
    # A contact arriving during wrap-up waits for the agent.
    e.handle(ContactArrived(110, "c2", "q"))
    out = e.handle(Tick(130))
    assert out == [AgentStateChanged("a", AgentState.AVAILABLE), Offer("c2", "a", "q")]


def test_wrap_up_ends_available_with_idle_since_at_that_time() -> None:
    e = engine(wrap_up=30)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(ContactEnded(10, "c1"))
    e.handle(Tick(40))
    assert e.agent("a").idle_since == 40
    assert e.agent("a").state is AgentState.AVAILABLE
    e.handle(AgentLoggedIn(50, "b", {}))
    # b has been idle since 50, a since 40: a is still the longest idle.
    assert offers(e.handle(ContactArrived(60, "c2", "q"))) == [("c2", "a")]


def test_timers_fire_on_any_later_event_too() -> None:
    e = engine(wrap_up=30)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(ContactEnded(10, "c1"))
    out = e.handle(ContactArrived(100, "c2", "q"))
    assert out == [AgentStateChanged("a", AgentState.AVAILABLE), Offer("c2", "a", "q")]


def test_zero_wrap_up_goes_straight_to_available() -> None:
    e = engine(wrap_up=0)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    out = e.handle(ContactEnded(10, "c1"))
    assert out == [AgentStateChanged("a", AgentState.AVAILABLE)]
    assert e.next_deadline() is None


def test_manual_wrap_up_waits_for_agent_ready() -> None:
    e = engine(wrap_up=None)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(ContactEnded(10, "c1"))
    e.handle(ContactArrived(11, "c2", "q"))
    assert e.handle(Tick(10_000)) == []
    assert e.agent("a").state is AgentState.WRAP_UP
    assert offers(e.handle(AgentReady(10_001, "a"))) == [("c2", "a")]


def test_ring_no_answer_breaks_agent_and_puts_contact_back_at_head() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(10, "first", "q"))  # offered to a
    e.handle(ContactArrived(11, "second", "q"))
    e.handle(ContactArrived(12, "third", "q"))
    out = e.handle(OfferNotAnswered(30, "first"))
    assert out[0] == AgentStateChanged("a", AgentState.BREAK, "no_answer")
    assert out[1] == Queued("first", "q", 1, out[1].expected_wait)
    snap = e.agent("a")
    assert (snap.state, snap.reason) == (AgentState.BREAK, "no_answer")
    assert e.position("first") == 1
    assert e.contact("first").since == 10  # original place kept
    assert offers(e.handle(AgentLoggedIn(31, "b", {}))) == [("first", "b")]


def test_ring_no_answer_reoffers_at_once_if_another_agent_idles() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(AgentLoggedIn(2, "b", {}))
    out = e.handle(OfferNotAnswered(20, "c1"))
    assert offers(out) == [("c1", "b")]


def test_offer_timeout_is_ring_no_answer_decided_by_the_engine() -> None:
    e = engine(offer_timeout=15)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    assert e.next_deadline() == 16
    out = e.handle(Tick(16))
    assert out[0] == OfferRevoked("c1", "a", "no_answer")
    assert out[1] == AgentStateChanged("a", AgentState.BREAK, "no_answer")
    assert e.contact("c1").status is ContactStatus.WAITING


def test_answered_offer_does_not_time_out() -> None:
    e = engine(offer_timeout=15)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(5, "c1"))
    assert e.next_deadline() is None
    assert e.handle(Tick(100)) == []


def test_abandon_while_waiting() -> None:
    e = engine()
    e.handle(ContactArrived(0, "c1", "q"))
    e.handle(ContactArrived(1, "c2", "q"))
    assert e.handle(ContactAbandoned(5, "c1")) == []
    assert e.contact("c1").status is ContactStatus.ABANDONED
    assert e.position("c2") == 1
    assert offers(e.handle(AgentLoggedIn(6, "a", {}))) == [("c2", "a")]


def test_abandon_while_ringing_frees_the_agent_for_the_next_contact() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactArrived(2, "c2", "q"))
    out = e.handle(ContactAbandoned(3, "c1"))
    assert out == [
        OfferRevoked("c1", "a", "abandoned"),
        AgentStateChanged("a", AgentState.AVAILABLE),
        Offer("c2", "a", "q"),
    ]


def test_break_and_ready() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(AgentBreak(10, "a", "prayer"))
    snap = e.agent("a")
    assert (snap.state, snap.reason, snap.since) == (AgentState.BREAK, "prayer", 10)
    e.handle(ContactArrived(11, "c1", "q"))
    assert offers(e.handle(AgentReady(20, "a"))) == [("c1", "a")]


def test_break_requested_during_a_contact_applies_after_wrap_up() -> None:
    e = engine(wrap_up=10)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(AgentBreak(3, "a", "lunch"))
    assert e.agent("a").state is AgentState.ON_CONTACT
    assert e.agent("a").pending is AgentState.BREAK
    e.handle(ContactArrived(4, "c2", "q"))
    e.handle(ContactEnded(50, "c1"))
    out = e.handle(Tick(60))
    assert out == [AgentStateChanged("a", AgentState.BREAK, "lunch")]
    assert e.contact("c2").status is ContactStatus.WAITING


def test_logout_during_contact_is_deferred_and_ready_cancels_it() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(AgentLoggedOut(3, "a"))
    assert e.agent("a").pending is AgentState.LOGGED_OUT
    out = e.handle(ContactEnded(4, "c1"))
    assert out == [AgentStateChanged("a", AgentState.LOGGED_OUT)]
    e.handle(AgentLoggedIn(5, "a", {}))
    e.handle(ContactArrived(6, "c2", "q"))
    e.handle(ContactAnswered(7, "c2"))
    e.handle(AgentLoggedOut(8, "a"))
    e.handle(AgentReady(9, "a"))  # changed its mind
    out = e.handle(ContactEnded(10, "c2"))
    assert out == [AgentStateChanged("a", AgentState.AVAILABLE)]


def test_logout_or_break_while_ringing_withdraws_the_offer() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(AgentLoggedIn(1, "b", {}))
    e.handle(ContactArrived(2, "c1", "q"))  # to a
    out = e.handle(AgentLoggedOut(3, "a"))
    assert out == [OfferRevoked("c1", "a", "agent_logged_out"), Offer("c1", "b", "q")]
    assert e.agent("a").state is AgentState.LOGGED_OUT
    out = e.handle(AgentBreak(4, "b", "meeting"))
    assert out[0] == OfferRevoked("c1", "b", "agent_break")
    assert e.position("c1") == 1


def test_invalid_events_raise_and_change_nothing() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    with pytest.raises(RoutingError, match="unknown queue"):
        e.handle(ContactArrived(1, "c1", "nope"))
    with pytest.raises(RoutingError, match="unknown contact"):
        e.handle(ContactAnswered(1, "ghost"))
    with pytest.raises(RoutingError, match="already logged in"):
        e.handle(AgentLoggedIn(1, "a", {}))
    with pytest.raises(RoutingError, match="unknown agent"):
        e.handle(AgentBreak(1, "zz"))
    e.handle(ContactArrived(2, "c1", "q"))
    with pytest.raises(RoutingError, match="already offered"):
        e.handle(ContactArrived(3, "c1", "q"))
    with pytest.raises(RoutingError, match="expected connected"):
        e.handle(ContactEnded(3, "c1"))
    with pytest.raises(RoutingError, match="not a routing event"):
        e.handle(Queued("c1", "q", 1, 0.0))  # type: ignore[arg-type]
    e.check_invariants()
    assert e.contact("c1").status is ContactStatus.OFFERED


def test_error_carries_decisions_of_timers_that_fired_before_it() -> None:
    e = engine(wrap_up=5)
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(ContactEnded(3, "c1"))
    with pytest.raises(RoutingError) as info:
        e.handle(ContactAnswered(100, "ghost"))
    assert info.value.decisions == [AgentStateChanged("a", AgentState.AVAILABLE)]


def test_time_never_goes_backwards() -> None:
    e = engine()
    e.handle(AgentLoggedIn(100, "a", {}))
    e.handle(AgentBreak(50, "a"))  # late event: treated as happening at 100
    assert e.agent("a").since == 100
    assert e.now == 100


def test_auto_answer_agent_is_connected_with_the_offer() -> None:
    e = engine(wrap_up=0, offer_timeout=10)
    e.handle(AgentLoggedIn(0, "auto", {}, auto_answer=True))
    assert e.handle(ContactArrived(1, "c1", "q")) == [Offer("c1", "auto", "q")]
    assert e.agent("auto").state is AgentState.ON_CONTACT
    assert e.contact("c1").status is ContactStatus.CONNECTED
    # No ring timer runs, and the contact is not waiting for an answer any more.
    assert e.handle(Tick(30)) == []
    with pytest.raises(RoutingError, match="expected offered"):
        e.handle(ContactAnswered(31, "c1"))
    stats = e.queue_stats("q")[0]
    assert (stats.offered, stats.answered, stats.ringing, stats.connected) == (1, 1, 0, 1)
    assert e.handle(ContactEnded(60, "c1")) == [AgentStateChanged("auto", AgentState.AVAILABLE)]
    e.check_invariants()


def test_auto_answer_is_per_login_and_takes_a_waiting_contact_at_once() -> None:
    e = engine(wrap_up=0)
    e.handle(ContactArrived(0, "c1", "q"))
    assert e.handle(AgentLoggedIn(5, "a", {}, auto_answer=True)) == [Offer("c1", "a", "q")]
    assert e.contact("c1").status is ContactStatus.CONNECTED
    e.handle(ContactEnded(10, "c1"))
    e.handle(AgentLoggedOut(11, "a"))
    e.handle(AgentLoggedIn(12, "a", {}))  # logged in again without it: offers ring
    e.handle(ContactArrived(13, "c2", "q"))
    assert e.contact("c2").status is ContactStatus.OFFERED
    assert e.agent("a").state is AgentState.RESERVED
    e.check_invariants()
