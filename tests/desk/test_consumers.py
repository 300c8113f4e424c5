"""The desk WebSocket through the real ASGI stack (origin check, session, auth) on the in-memory
and the Redis channel layers: who may connect, and who receives which event."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from tawasul.core.realtime import group_entity, group_supervisors, group_user
from tests.desk.conftest import IN_MEMORY, verified_client

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

LAYERS = {
    "memory": IN_MEMORY,
    # A prefix of its own so parallel runs on this Redis never see each other's messages.
    "redis": {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"], "prefix": f"test-{uuid.uuid4().hex}"},
        }
    },
}


@pytest.fixture(params=list(LAYERS))
def channel_layer(request, settings):
    settings.CHANNEL_LAYERS = LAYERS[request.param]
    return get_channel_layer()


def _cookie(client) -> list[tuple[bytes, bytes]]:
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [
        (b"origin", b"http://testserver"),
        (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={session}".encode()),
    ]


async def _connect(headers) -> tuple[WebsocketCommunicator, bool, int | None]:
    from tawasul.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
    connected, code = await communicator.connect(timeout=5)
    if connected:
        hello = await communicator.receive_json_from(timeout=5)
        assert hello["event"] == "hello"
    return communicator, connected, code


async def _desk(user) -> WebsocketCommunicator:
    client = await sync_to_async(verified_client)(user)
    communicator, connected, _code = await _connect(_cookie(client))
    assert connected
    return communicator


async def test_anonymous_and_password_only_sessions_are_refused(channel_layer, people):
    _c, connected, code = await _connect([(b"origin", b"http://testserver")])
    assert not connected and code == 4401

    from django.test import Client

    def password_only():
        client = Client()
        client.force_login(people["agent"])
        return client

    client = await sync_to_async(password_only)()
    _c, connected, code = await _connect(_cookie(client))
    assert not connected and code == 4401


async def test_a_foreign_origin_is_refused(channel_layer, people):
    client = await sync_to_async(verified_client)(people["agent"])
    headers = [(b"origin", b"http://evil.example"), _cookie(client)[1]]
    _c, connected, _code = await _connect(headers)
    assert not connected


async def test_each_user_receives_only_their_groups(channel_layer, people, directory):
    agent = await _desk(people["agent"])
    phcc = await _desk(people["phcc_staff"])
    outsider = await _desk(people["outsider"])
    boss = await _desk(people["supervisor"])

    async def send(group: str, event: str, payload: dict) -> None:
        await channel_layer.group_send(
            group, {"type": "tawasul.event", "event": event, "payload": payload}
        )

    await send(group_user(people["agent"].pk), "contact.offered", {"offer_id": 1})
    await send(group_user(people["agent2"].pk), "contact.offered", {"offer_id": 2})
    await send(group_entity(directory["phcc"].pk), "case.changed", {"reference": "107-2026-000001"})
    await send(group_supervisors(), "agent.state", {"username": "agent.fatima"})

    assert await agent.receive_json_from(timeout=5) == {
        "event": "contact.offered",
        "payload": {"offer_id": 1},
    }
    assert (await phcc.receive_json_from(timeout=5))["payload"]["reference"] == "107-2026-000001"
    assert (await boss.receive_json_from(timeout=5))["event"] == "agent.state"
    for communicator in (agent, phcc, outsider, boss):
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()


async def test_department_limited_staff_get_only_their_departments_cases(
    channel_layer, people, directory
):
    def limit():
        people["phcc_colleague"].departments.set([directory["patient_relations"]])

    await sync_to_async(limit)()
    colleague = await _desk(people["phcc_colleague"])
    for department in (directory["appointments"], directory["patient_relations"]):
        await channel_layer.group_send(
            group_entity(directory["phcc"].pk),
            {
                "type": "tawasul.event",
                "event": "case.changed",
                "payload": {"reference": department.code, "department_id": department.pk},
            },
        )
    message = await colleague.receive_json_from(timeout=5)
    assert message["payload"]["reference"] == "patient-relations"
    assert await colleague.receive_nothing(timeout=0.3)
    await colleague.disconnect()


async def test_a_service_event_reaches_the_agents_socket(channel_layer, people, directory):
    """The whole path: a service publishes after commit, the consumer forwards it."""
    from tawasul.desk import services

    desk = await _desk(people["agent"])

    def offer():
        services.agent_set_state(agent=people["agent"], state="available")
        return services.contact_offer_inbound(
            agent=people["agent"], channel="call", phone="+97455123456", hotline="107"
        )

    made = await sync_to_async(offer)()
    first = await desk.receive_json_from(timeout=5)
    second = await desk.receive_json_from(timeout=5)
    assert first["event"] == "agent.state" and first["payload"]["state"] == "available"
    assert second["event"] == "contact.offered"
    assert second["payload"]["interaction_id"] == str(made.interaction_id)
    await desk.disconnect()
