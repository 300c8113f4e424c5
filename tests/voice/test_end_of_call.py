"""The gateway's end of a call never undoes what the agent logged on the desk during it.

The agent logs the outcome (resolved, case opened) while the call is up or as the caller hangs
up; the gateway's call thread then writes the call's own fields (end, hold time, IVR path).
The worst moment for the desk's write is just after the gateway last read the row: these tests
put it exactly there (on the database connection), then run the gateway's real end-of-call
path — ``desk_adapter.end`` and the IVR's ``_finish`` — with the objects it held all call.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection

from tawasul.errors import DomainError
from tawasul.interactions.models import Interaction, Outcome

PATH = ["welcome", "language:ar", "main:0", "queue:general", "agent:fatima"]


def _connected_call(people, line):
    """A caller on hotline 109 answered by Fatima's phone, as the gateway records it."""
    from tawasul.desk.services import agent_set_state
    from tawasul.voice import desk_adapter, services

    fatima = people["agent"]
    services.voice_endpoint_set(user=fatima, sip_username="fatima", password="phone-secret")
    agent_set_state(agent=fatima, state="available")
    call = services.call_offered(
        hotline=line, call_id="race-1", caller="sip:+97455123456@sim", caller_verified=True
    )
    services.call_progress(interaction=call, ivr_path=PATH[:-1], language="ar", queue="109:g")
    _endpoint, offer = desk_adapter.offer(agent_id=fatima.pk, interaction=call, language="ar")
    desk_adapter.accept(offer=offer)
    return call, offer


@contextmanager
def _desk_writes_after_the_gateway_reads(write):
    """Run ``write`` once, right after the first query that reads the Interaction row
    itself (not a join through it) has answered."""
    done = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if (
            not done
            and sql.lstrip().startswith("SELECT")
            and 'FROM "interactions_interaction"' in sql
        ):
            done.append(True)
            write()
        return result

    with connection.execute_wrapper(wrapper):
        yield done


def _gateway_ends_the_call(line, call, offer):
    from tawasul.voice import desk_adapter
    from tawasul.voice.gateway import CallSession
    from tawasul.voice.ivr import Ctx, _finish

    desk_adapter.end(offer=offer)  # the caller hung up: the desk's contact ends
    leg = CallSession(None, "w1", call.external_id, {})  # the caller's leg, already gone
    leg.gone = True
    ctx = Ctx(
        gateway=None, call=leg, hotline=line, flow={}, interaction=call,
        languages=["ar", "en"], language="ar", path=list(PATH), queued=True, answered=True,
    )  # fmt: skip
    _finish(ctx)


@pytest.mark.parametrize("on_hold", [False, True], ids=["connected", "on-hold"])
def test_the_resolution_logged_on_the_desk_survives_the_end_of_the_call(
    transactional_db, people, line, on_hold
):
    from tawasul.desk.services import contact_hold, contact_resolve

    call, offer = _connected_call(people, line)
    if on_hold:
        contact_hold(offer=offer, agent=people["agent"])  # the call ends while on hold

    def resolve():
        contact_resolve(offer=offer, agent=people["agent"], summary="Renewal date given")

    with _desk_writes_after_the_gateway_reads(resolve) as done:
        _gateway_ends_the_call(line, call, offer)
    assert done, "the gateway never read the interaction"
    row = Interaction.objects.get(pk=call.pk)
    assert row.outcome == Outcome.RESOLVED_FIRST_CONTACT
    assert row.subject == "Renewal date given"
    # The gateway's own fields are all there too.
    assert row.ivr_path == PATH and row.queue == "109:g" and row.language == "ar"
    assert row.agent == people["agent"] and row.answered_at <= row.ended_at
    assert row.hold_seconds is not None if on_hold else row.hold_seconds in (None, 0)


def test_a_case_opened_as_the_caller_hangs_up_stays_linked_and_counted(
    transactional_db, people, line, directory
):
    from tawasul.desk.services import contact_open_case

    call, offer = _connected_call(people, line)
    opened = []

    def open_case():
        opened.append(
            contact_open_case(
                offer=offer,
                agent=people["agent"],
                kind="complaint",
                entity=directory["phcc"],
                subject="Appointment cancelled twice",
                description="Caller asks for a new date.",
            )
        )

    with _desk_writes_after_the_gateway_reads(open_case):
        _gateway_ends_the_call(line, call, offer)
    row = Interaction.objects.get(pk=call.pk)
    assert row.outcome == Outcome.CASE_OPENED
    assert list(row.cases.all()) == opened
    assert row.ivr_path == PATH and row.ended_at is not None


def test_the_gateway_still_sets_the_outcome_of_calls_nobody_answered(db, line):
    from tawasul.voice import services

    gave_up = services.call_offered(
        hotline=line, call_id="race-2", caller="sip:+97455000001@x", caller_verified=True
    )
    services.call_finished(interaction=gave_up, outcome=Outcome.ABANDONED)
    gave_up.refresh_from_db()
    assert gave_up.outcome == Outcome.ABANDONED and gave_up.ended_at is not None
    # Finished twice (a repeated hang-up): the first end and outcome stay.
    first_end = gave_up.ended_at
    services.call_finished(interaction=gave_up, outcome=Outcome.INFORMATION_GIVEN)
    gave_up.refresh_from_db()
    assert gave_up.outcome == Outcome.ABANDONED and gave_up.ended_at == first_end


def test_an_end_before_the_call_began_is_refused(db, line):
    from datetime import timedelta

    from tawasul.voice import services

    call = services.call_offered(
        hotline=line, call_id="race-3", caller="sip:+97455000002@x", caller_verified=True
    )
    with pytest.raises(DomainError) as refused:
        services.call_finished(interaction=call, ended_at=call.offered_at - timedelta(seconds=5))
    assert refused.value.field == "ended_at"
    call.refresh_from_db()
    assert call.ended_at is None and call.outcome == Outcome.PENDING


def test_the_ended_call_counts_in_the_roll_ups_with_the_agents_outcome(
    transactional_db, people, line
):
    from tawasul.desk.services import contact_resolve
    from tawasul.insights.models import InteractionContribution

    call, offer = _connected_call(people, line)
    contact_resolve(offer=offer, agent=people["agent"], summary="Clinic hours given")
    _gateway_ends_the_call(line, call, offer)  # with the objects it read before the outcome
    counted = InteractionContribution.objects.get(interaction_id=call.pk)
    assert (counted.offered, counted.answered, counted.abandoned) == (1, 1, 0)
    assert counted.agent_id == people["agent"].pk
