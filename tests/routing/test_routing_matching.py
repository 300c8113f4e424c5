"""Who gets which contact: skills, levels, longest idle, priority, place in line."""

from tawasul.routing import (
    AgentLoggedIn,
    AgentReady,
    AgentSkillsChanged,
    AgentState,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    ContactReprioritized,
    ContactStatus,
    Offer,
    Queue,
    Queued,
    RoutingEngine,
)

AR_PHCC = {"lang:ar": 1, "entity:phcc": 1}


def engine(*queues: Queue) -> RoutingEngine:
    return RoutingEngine(queues or [Queue("q")], retain_finished=True)


def offers(decisions: list) -> list[tuple]:
    return [(d.contact_id, d.agent_id) for d in decisions if isinstance(d, Offer)]


def test_contact_goes_to_agent_with_every_required_skill_at_level() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "en_only", {"lang:en": 5, "entity:phcc": 5}))
    e.handle(AgentLoggedIn(1, "ar_low", {"lang:ar": 1, "entity:phcc": 1}))
    e.handle(AgentLoggedIn(2, "ar_high", {"lang:ar": 4, "entity:phcc": 3}))
    out = e.handle(ContactArrived(10, "c1", "q", {"lang:ar": 3, "entity:phcc": 2}))
    assert offers(out) == [("c1", "ar_high")]
    assert e.agent("ar_high").state is AgentState.RESERVED
    assert e.agent("ar_high").contact_id == "c1"
    assert e.contact("c1").status is ContactStatus.OFFERED


def test_no_skilled_agent_means_the_contact_waits() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {"lang:en": 5}))
    out = e.handle(ContactArrived(1, "c1", "q", {"lang:ar": 1}))
    assert out == [Queued("c1", "q", 1, out[0].expected_wait)]
    assert e.agent("a").state is AgentState.AVAILABLE
    assert e.position("c1") == 1


def test_queue_requirements_are_merged_with_the_contacts() -> None:
    e = engine(Queue("phcc", requirements={"entity:phcc": 1}))
    e.handle(AgentLoggedIn(0, "moph", {"lang:ar": 1, "entity:moph": 1}))
    assert offers(e.handle(ContactArrived(1, "c1", "phcc", {"lang:ar": 1}))) == []
    out = e.handle(AgentLoggedIn(2, "phcc", {"lang:ar": 1, "entity:phcc": 1}))
    assert offers(out) == [("c1", "phcc")]


def test_longest_idle_skilled_agent_first() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", AR_PHCC))
    e.handle(AgentLoggedIn(5, "b", AR_PHCC))
    e.handle(AgentLoggedIn(7, "c", AR_PHCC))
    assert offers(e.handle(ContactArrived(10, "c1", "q", AR_PHCC))) == [("c1", "a")]
    assert offers(e.handle(ContactArrived(11, "c2", "q", AR_PHCC))) == [("c2", "b")]
    # "a" finishes and becomes available at 20: "c" (idle since 7) is now the longest idle.
    e.handle(ContactAnswered(12, "c1"))
    e.handle(ContactEnded(20, "c1"))
    assert e.agent("a").idle_since == 20
    assert offers(e.handle(ContactArrived(21, "c3", "q", AR_PHCC))) == [("c3", "c")]
    assert offers(e.handle(ContactArrived(22, "c4", "q", AR_PHCC))) == [("c4", "a")]


def test_longest_idle_among_agents_of_different_skill_sets() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "generalist", {"lang:ar": 1, "lang:en": 1, "entity:phcc": 1}))
    e.handle(AgentLoggedIn(1, "specialist", AR_PHCC))
    assert offers(e.handle(ContactArrived(5, "c1", "q", AR_PHCC))) == [("c1", "generalist")]


def test_freed_agent_takes_highest_priority_then_longest_waiting() -> None:
    e = engine(Queue("q"), Queue("emergency", priority=10))
    e.handle(ContactArrived(0, "old", "q", AR_PHCC))
    e.handle(ContactArrived(1, "older_prio", "q", AR_PHCC, priority=1))
    e.handle(ContactArrived(2, "new", "q", AR_PHCC))
    e.handle(ContactArrived(3, "hotline", "emergency", AR_PHCC))
    order = []
    for i, _ in enumerate(range(4)):
        out = e.handle(AgentLoggedIn(10 + i, f"a{i}", AR_PHCC))
        order += [cid for cid, _ in offers(out)]
    assert order == ["hotline", "older_prio", "old", "new"]


def test_agent_only_takes_contacts_it_can_serve() -> None:
    e = engine()
    e.handle(ContactArrived(0, "ar", "q", {"lang:ar": 1}))
    e.handle(ContactArrived(1, "en", "q", {"lang:en": 1}))
    assert offers(e.handle(AgentLoggedIn(2, "a", {"lang:en": 1}))) == [("en", "a")]
    assert e.contact("ar").status is ContactStatus.WAITING


def test_escalation_moves_a_contact_ahead() -> None:
    e = engine()
    e.handle(ContactArrived(0, "c1", "q"))
    e.handle(ContactArrived(1, "c2", "q"))
    out = e.handle(ContactReprioritized(2, "c2", 5))
    assert [(d.contact_id, d.position) for d in out] == [("c2", 1)]
    assert e.position("c1") == 2
    assert offers(e.handle(AgentLoggedIn(3, "a", {}))) == [("c2", "a")]


def test_skill_change_takes_effect_at_once_and_keeps_idle_order() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {"lang:en": 1}))
    e.handle(AgentLoggedIn(1, "b", {"lang:ar": 1}))
    e.handle(ContactArrived(2, "c1", "q", {"lang:ur": 1}))
    out = e.handle(AgentSkillsChanged(3, "b", {"lang:ar": 1, "lang:ur": 1}))
    assert offers(out) == [("c1", "b")]
    # "a" learns Arabic: it was idle longer than anyone else who speaks it.
    e.handle(AgentLoggedIn(4, "c", {"lang:ar": 1}))
    e.handle(AgentSkillsChanged(5, "a", {"lang:en": 1, "lang:ar": 1}))
    assert e.agent("a").idle_since == 0
    assert offers(e.handle(ContactArrived(6, "c2", "q", {"lang:ar": 1}))) == [("c2", "a")]
    e.check_invariants()


def test_skill_removed_agent_no_longer_offered() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {"lang:ar": 1, "lang:en": 1}))
    e.handle(AgentSkillsChanged(1, "a", {"lang:en": 1}))
    assert offers(e.handle(ContactArrived(2, "c1", "q", {"lang:ar": 1}))) == []
    e.check_invariants()


def test_ready_agent_after_break_gets_waiting_contact() -> None:
    e = engine()
    e.handle(AgentLoggedIn(0, "a", {}))
    e.handle(ContactArrived(1, "c1", "q"))
    e.handle(ContactAnswered(2, "c1"))
    e.handle(ContactArrived(3, "c2", "q"))
    assert e.contact("c2").status is ContactStatus.WAITING
    e.handle(ContactEnded(4, "c1"))  # wrap_up 0: straight to available, takes c2
    assert e.contact("c2").status is ContactStatus.OFFERED
    assert offers(e.handle(AgentReady(5, "a"))) == []  # already reserved: no-op


def test_a_requirements_mapping_used_again_after_a_change_routes_by_its_new_content() -> None:
    """Callers may pass the same dict again and again (the engine recognises it by identity);
    if they change it in between, what counts is what it says now."""
    e = engine()
    e.handle(AgentLoggedIn(0, "ar", {"lang:ar": 1}))
    e.handle(AgentLoggedIn(0, "en", {"lang:en": 1}))
    wants = {"lang:ar": 1}
    assert offers(e.handle(ContactArrived(1, "c1", "q", wants))) == [("c1", "ar")]
    wants.clear()
    wants["lang:en"] = 1
    assert offers(e.handle(ContactArrived(2, "c2", "q", wants))) == [("c2", "en")]
    e.handle(ContactAnswered(3, "c1"))
    e.handle(ContactEnded(4, "c1"))
    assert offers(e.handle(ContactArrived(5, "c3", "q", {"lang:ar": 1}))) == [("c3", "ar")]
    e.check_invariants()
