"""Desk services: what they write, the events they publish (and to whom), their query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tawasul.cases.choices import CaseStatus
from tawasul.core.realtime import group_entity, group_supervisors, group_user
from tawasul.desk import selectors, services
from tawasul.desk.models import AgentState, AgentStateChange, ContactOffer
from tawasul.errors import Conflict, DomainError, Forbidden
from tawasul.interactions.models import Interaction, Outcome

pytestmark = pytest.mark.django_db


def test_agent_state_change_is_recorded_and_published_to_the_agent_and_supervisors(
    people, listen, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    agent = people["agent"]
    mine, others, bosses = (
        listen(group_user(agent.pk)),
        listen(group_user(people["agent2"].pk)),
        listen(group_supervisors()),
    )
    services.agent_set_state(agent=agent, state="available")
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(8):
        state = services.agent_set_state(agent=agent, state="on_break", reason="lunch")
    assert (state.state, state.reason) == ("on_break", "lunch")
    history = list(AgentStateChange.objects.filter(agent=agent).order_by("started_at", "id"))
    assert [h.state for h in history] == ["available", "on_break"]
    assert history[0].ended_at == history[1].started_at and history[1].ended_at is None
    for listener in (mine, bosses):
        [(event, payload)] = listener.events()
        assert event == "agent.state"
        assert payload["state"] == "on_break" and payload["username"] == "agent.fatima"
    assert others.events() == []


def test_state_rules(people):
    agent = people["agent"]
    with pytest.raises(DomainError) as error:
        services.agent_set_state(agent=agent, state="on_break")
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        services.agent_set_state(agent=agent, state="on_contact")
    assert error.value.field == "state"
    with pytest.raises(Forbidden):
        services.agent_set_state(agent=agent, state="available", actor=people["agent2"])
    with pytest.raises(DomainError) as error:
        services.agent_set_state(agent=people["phcc_staff"], state="available")
    assert error.value.field == "agent"
    # The same state twice is one history row, not two.
    services.agent_set_state(agent=agent, state="available")
    services.agent_set_state(agent=agent, state="available")
    assert AgentStateChange.objects.filter(agent=agent).count() == 1


def test_a_supervisor_forces_a_state_and_it_is_marked_forced(people):
    agent = people["agent"]
    services.agent_set_state(agent=agent, state="available")
    services.agent_set_state(agent=agent, state="logged_out", actor=people["supervisor"])
    last = AgentStateChange.objects.filter(agent=agent).first()
    assert last.state == "logged_out" and last.forced and last.changed_by == people["supervisor"]


def test_a_contact_from_offer_to_wrap_up(
    people, directory, listen, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    agent = people["agent"]
    services.agent_set_state(agent=agent, state="available")
    screen, bosses = listen(group_user(agent.pk)), listen(group_supervisors())
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.contact_offer_inbound(
            agent=agent, channel="call", phone="+974 5512 3456", hotline="107", ivr=["1", "3"]
        )
    [(event, payload)] = screen.events()
    assert event == "contact.offered"
    assert payload["interaction_id"] == str(offer.interaction_id) and payload["hotline"] == "107"
    assert bosses.events()[0][0] == "contact.offered"
    assert offer.path == {"channel": "call", "hotline": "107", "ivr": ["1", "3"], "queue": ""}
    assert offer.interaction.resident.contacts.get().value == "+97455123456"

    with pytest.raises(Conflict):  # one contact at a time
        services.contact_offer(agent=agent, interaction=offer.interaction)

    # 9 of the desk's own (lock offer, save offer and interaction, state and its history) plus
    # the insights roll-up that listens to Interaction saves.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(14):
        services.contact_accept(offer=offer, agent=agent)
    assert [e for e, _ in screen.events()] == ["agent.state", "contact.accepted"]
    interaction = Interaction.objects.get(pk=offer.interaction_id)
    assert interaction.answered_at is not None and interaction.agent == agent
    assert AgentState.objects.get(agent=agent).state == "on_contact"
    with pytest.raises(Conflict):  # the agent cannot walk away from a live contact
        services.agent_set_state(agent=agent, state="available")

    services.contact_end(offer=offer, agent=agent)
    assert AgentState.objects.get(agent=agent).state == "wrap_up"
    assert selectors.offer_current(agent).pk == offer.pk, "wrap-up still shows the contact"
    services.wrapup_end(agent=agent)
    interaction.refresh_from_db()
    assert interaction.ended_at and interaction.wrapup_ended_at >= interaction.ended_at
    assert AgentState.objects.get(agent=agent).state == "available"
    assert selectors.offer_current(agent) is None
    states = list(
        AgentStateChange.objects.filter(agent=agent)
        .order_by("started_at", "id")
        .values_list("state", flat=True)
    )
    assert states == ["available", "on_contact", "wrap_up", "available"]


def test_offers_only_to_an_available_agent(people, directory):
    agent = people["agent"]
    with pytest.raises(Conflict) as error:
        services.contact_offer_inbound(agent=agent, channel="call", phone="+97455123456")
    assert error.value.field == "agent"
    services.agent_set_state(agent=agent, state="available")
    with pytest.raises(DomainError) as error:
        services.contact_offer_inbound(agent=agent, channel="call", phone="12")
    assert error.value.field == "phone"
    with pytest.raises(DomainError) as error:
        services.contact_offer_inbound(
            agent=agent, channel="call", phone="+97455123456", hotline="999"
        )
    assert error.value.field == "hotline"


def test_declined_contact_keeps_waiting_and_another_agent_may_take_it(people, directory):
    agent, other = people["agent"], people["agent2"]
    services.agent_set_state(agent=agent, state="available")
    services.agent_set_state(agent=other, state="available")
    offer = services.contact_offer_inbound(agent=agent, channel="call", phone="+97455123456")
    services.contact_decline(offer=offer, agent=agent)
    assert selectors.queue_stats().waiting == 1
    with pytest.raises(DomainError):  # not offered to agent2
        services.contact_accept(offer=offer, agent=other)
    second = services.contact_offer(agent=other, interaction=offer.interaction)
    services.contact_accept(offer=second, agent=other)
    assert selectors.queue_stats().waiting == 0


def test_opening_a_case_from_the_contact_routes_it_and_tells_the_entity(
    people, directory, listen, django_capture_on_commit_callbacks
):
    agent = people["agent"]
    services.agent_set_state(agent=agent, state="available")
    offer = services.contact_offer_inbound(
        agent=agent, channel="call", phone="+97455123456", hotline="107", language="ar"
    )
    services.contact_accept(offer=offer, agent=agent)
    phcc, moci = (
        listen(group_entity(directory["phcc"].pk)),
        listen(group_entity(directory["moci"].pk)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.contact_open_case(
            offer=offer,
            agent=agent,
            kind="complaint",
            entity=directory["phcc"],
            department=directory["appointments"],
            subject="موعد",
            description="تأجيل الموعد",
        )
    assert case.status == CaseStatus.ASSIGNED and case.department == directory["appointments"]
    assert case.reference.startswith("107-") and case.language == "ar"
    assert list(case.interactions.all()) == [offer.interaction]
    assert case.resident_id == offer.interaction.resident_id
    assert Interaction.objects.get(pk=offer.interaction_id).outcome == Outcome.CASE_OPENED
    [(event, payload)] = phcc.events()
    assert event == "case.opened" and payload["reference"] == case.reference
    assert moci.events() == []


def test_resolve_on_first_contact_needs_a_summary(people, directory):
    agent = people["agent"]
    services.agent_set_state(agent=agent, state="available")
    offer = services.contact_offer_inbound(agent=agent, channel="call", phone="+97455123456")
    with pytest.raises(Conflict):  # not answered yet
        services.contact_resolve(offer=offer, agent=agent, summary="done")
    services.contact_accept(offer=offer, agent=agent)
    with pytest.raises(DomainError) as error:
        services.contact_resolve(offer=offer, agent=agent, summary="  ")
    assert error.value.field == "summary"
    interaction = services.contact_resolve(offer=offer, agent=agent, summary="Gave the hours")
    assert interaction.outcome == Outcome.RESOLVED_FIRST_CONTACT


def test_desk_case_actions_publish_to_the_entity_and_check_the_assignee(
    people, directory, maryam_case, listen, django_capture_on_commit_callbacks
):
    staff = people["phcc_staff"]
    phcc = listen(group_entity(directory["phcc"].pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.desk_case_transition(case=maryam_case, actor=staff, action="start")
    assert phcc.events()[0] == (
        "case.changed",
        {
            "reference": maryam_case.reference,
            "status": "in_progress",
            "entity_id": directory["phcc"].pk,
            "department_id": directory["appointments"].pk,
        },
    )
    with pytest.raises(DomainError) as error:
        services.desk_case_assign(case=maryam_case, actor=staff, assignee=people["outsider"])
    assert error.value.field == "assignee"
    with pytest.raises(DomainError):
        services.desk_case_assign(case=maryam_case, actor=staff, assignee=people["planner"])
    case = services.desk_case_assign(
        case=maryam_case, actor=staff, assignee=people["phcc_colleague"]
    )
    assert case.assignee == people["phcc_colleague"]
    with pytest.raises(Forbidden):
        services.desk_case_transition(case=maryam_case, actor=people["planner"], action="start")


def test_service_level_counts_abandoned_contacts_against_it(db, directory):
    now = timezone.now()

    def contact(wait: int | None, *, abandoned: bool = False) -> None:
        offered = now - timedelta(minutes=5)
        answered = offered + timedelta(seconds=wait) if wait is not None and not abandoned else None
        Interaction.objects.create(
            channel="call",
            offered_at=offered,
            answered_at=answered,
            ended_at=offered + timedelta(seconds=120) if (answered or abandoned) else None,
            outcome=Outcome.ABANDONED
            if abandoned
            else (Outcome.RESOLVED_FIRST_CONTACT if answered else Outcome.PENDING),
        )

    contact(5)
    contact(20)
    contact(45)
    contact(60, abandoned=True)
    contact(None)  # still waiting: not counted yet
    stats = selectors.queue_stats(now=now)
    assert (stats.answered_in_threshold, stats.offered_today) == (2, 4)
    assert stats.service_level == 0.5 and stats.abandoned_today == 1
    assert stats.waiting == 1 and stats.longest_wait_seconds >= 300


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أريد حجز مَوعِد في المركز الصحي", "phcc-appointment"),
        ("اريد حجز موعد", "phcc-appointment"),
        ("I need to book an appointment", "phcc-appointment"),
        ("شكوى على محل: المستهلك لم يحصل على الفاتورة", "moci-consumer-complaint"),
        ("There is road damage near my house", "muscat-road-damage"),
    ],
)
def test_suggest_service_folds_arabic_and_english(directory, text, expected):
    suggestions = selectors.suggest_service(text, "ar")
    assert suggestions and suggestions[0].service.code == expected


def test_suggest_service_with_nothing_to_go_on(directory):
    assert selectors.suggest_service("", "ar") == []
    assert selectors.suggest_service("xyz qqq", "en") == []


def test_contact_offer_stores_the_language_and_path(people, directory):
    agent = people["agent"]
    services.agent_set_state(agent=agent, state="available")
    interaction = Interaction.objects.create(
        channel="sms", offered_at=timezone.now(), hotline=directory["h109"], language="en"
    )
    offer = services.contact_offer(agent=agent, interaction=interaction, path={"ivr": ["2"]})
    assert offer.language == "en"
    assert offer.path == {"channel": "sms", "hotline": "109", "ivr": ["2"], "queue": ""}
    assert ContactOffer.objects.get().status == "ringing"
    with pytest.raises(DomainError) as error:
        services.contact_path(interaction=interaction, path={"ivr": "1,2"})
    assert error.value.field == "path.ivr"
