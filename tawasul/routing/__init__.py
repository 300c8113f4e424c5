"""Contact routing (ACD) for Tawasul: pure Python, no Django, no I/O, no clock, deterministic.

The same engine serves the live voice gateway, digital contacts offered on the web desk and the
traffic simulator, so what the simulator measures is what production does.

Model
-----
- **Skills** are ``name -> level`` (``"lang:ar"``, ``"entity:phcc"``, ``"service:visa"``,
  ``"pool:surge"``). A contact carries **requirements** (``skill -> minimum level``), merged from
  its queue and the gateway's own (language chosen in the IVR, …). An agent *matches* when it has
  every required skill at at least that level.
- **Queues** (``Queue``) hold configuration: base requirements, priority, overflow steps, maximum
  size, maximum wait, business-hours calendar, wrap-up time, offer timeout.
- **Agents** move through ``AgentState``: logged_out → available → reserved (ringing) →
  on_contact → wrap_up → available, or break (with a reason) at any time. The engine moves agents
  to reserved when it offers them a contact (straight to on_contact for an agent logged in with
  ``auto_answer``: no ``ContactAnswered`` is expected then).
- **Order of service**: among the waiting contacts an agent can serve, highest priority first,
  then longest waiting (the enqueue time ``since``; a call-back or a contact whose offer was not
  answered keeps its original place). Among the available agents that can serve a contact, the
  one idle the longest goes first.
- **Overflow** (``Relax``, ``OpenPool``): after W seconds of waiting a contact's requirements are
  widened (e.g. language only) or a surge pool is opened to it.
- **Time**: every event carries ``t`` (float seconds). Timers are kept inside the engine; the
  caller asks ``next_deadline()`` and sends ``Tick(t)`` then (any later event also fires them).

Usage
-----
>>> from tawasul.routing import RoutingEngine, Queue, AgentLoggedIn, ContactArrived
>>> engine = RoutingEngine([Queue("phcc", requirements={"entity:phcc": 1})])
>>> engine.handle(AgentLoggedIn(0.0, "a1", {"entity:phcc": 1, "lang:ar": 1}))
[]
>>> engine.handle(ContactArrived(5.0, "c1", "phcc", {"lang:ar": 1}))
[Offer(contact_id='c1', agent_id='a1', queue='phcc')]

``handle`` returns decisions (``Offer``, ``Queued``, ``Rejected``, ``Closed``,
``CallbackOffered``, ``Overflowed``, ``OfferRevoked``, ``AgentStateChanged``); the caller carries
them out and reports what happened as further events. Invalid events raise ``RoutingError``.
``handle_into(event, out)`` does the same, appending to a list the caller reuses.

Speed: the engine, its vocabulary (``model``) and the fast simulator may be compiled with mypyc
(``scripts/build_native.py``, run by ``make``); the source stays plain typed Python and runs the
same interpreted (``make pure``).
"""

from tawasul.routing.calendar import ALWAYS_OPEN, AlwaysOpen, BusinessCalendar, WeeklyCalendar
from tawasul.routing.engine import RoutingEngine, RoutingError
from tawasul.routing.model import (
    AgentBreak,
    AgentId,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentSkillsChanged,
    AgentSnapshot,
    AgentState,
    AgentStateChanged,
    CallbackAccepted,
    CallbackDeclined,
    CallbackOffered,
    Closed,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    ContactId,
    ContactReprioritized,
    ContactSnapshot,
    ContactStatus,
    Decision,
    Event,
    Offer,
    OfferNotAnswered,
    OfferRevoked,
    OpenPool,
    Overflowed,
    OverflowStep,
    Queue,
    Queued,
    QueueStats,
    Rejected,
    Relax,
    Skills,
    Tick,
)

__all__ = [
    "ALWAYS_OPEN",
    "AgentBreak",
    "AgentId",
    "AgentLoggedIn",
    "AgentLoggedOut",
    "AgentReady",
    "AgentSkillsChanged",
    "AgentSnapshot",
    "AgentState",
    "AgentStateChanged",
    "AlwaysOpen",
    "BusinessCalendar",
    "CallbackAccepted",
    "CallbackDeclined",
    "CallbackOffered",
    "Closed",
    "ContactAbandoned",
    "ContactAnswered",
    "ContactArrived",
    "ContactEnded",
    "ContactId",
    "ContactReprioritized",
    "ContactSnapshot",
    "ContactStatus",
    "Decision",
    "Event",
    "Offer",
    "OfferNotAnswered",
    "OfferRevoked",
    "OpenPool",
    "OverflowStep",
    "Overflowed",
    "Queue",
    "QueueStats",
    "Queued",
    "Rejected",
    "Relax",
    "RoutingEngine",
    "RoutingError",
    "Skills",
    "Tick",
    "WeeklyCalendar",
]
