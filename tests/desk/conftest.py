"""Desk fixtures: verified (second-factor) staff sessions, a PHCC case for Maryam, a clean
in-memory channel layer, and a helper that collects the real-time events a group receives."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from tests.support import verified_client

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def desk_as(people):
    cache: dict = {}

    def make(name: str | None) -> Client:
        if name is None:
            return Client()
        if name not in cache:
            cache[name] = verified_client(people[name])
        return cache[name]

    return make


@pytest.fixture
def layer(settings):
    """A fresh in-memory channel layer for this test."""
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = IN_MEMORY
    return get_channel_layer()


class Listener:
    """Joins groups on the channel layer and returns what arrived."""

    def __init__(self, layer, *groups: str) -> None:
        self.layer = layer
        self.channel = async_to_sync(layer.new_channel)()
        for group in groups:
            async_to_sync(layer.group_add)(group, self.channel)

    def events(self) -> list[tuple[str, dict]]:
        async def drain():
            got = []
            while True:
                try:
                    message = await asyncio.wait_for(self.layer.receive(self.channel), 0.05)
                except TimeoutError:
                    return got
                got.append((message["event"], message["payload"]))

        return async_to_sync(drain)()


@pytest.fixture
def listen(layer):
    return lambda *groups: Listener(layer, *groups)


@pytest.fixture
def maryam_case(directory, people):
    """A PHCC complaint for Maryam, routed to Appointments (the outsider must see none of it)."""
    from tawasul.cases.services import case_create
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    resident, _ = resident_find_or_create(
        contacts=normalize_contacts(phone="+97455123456", email="maryam@example.qa"),
        full_name="مريم الكواري",
        preferred_channel="sms",
    )
    return case_create(
        actor=people["agent"],
        kind="complaint",
        entity=directory["phcc"],
        department=directory["appointments"],
        subject="تأخر موعد المراجعة",
        description="تم تأجيل موعدي ثلاث مرات",
        resident=resident,
        hotline=directory["h107"],
    )
