"""The wallboard's WebSocket: snapshots pushed to the wallboard group, plus a periodic refresh.

``connect()`` refuses anonymous users and sessions without the second factor (4401) and people
who may not see the wallboard (4403: back-office staff, see ``access.py``), so the page knows
not to retry. The screen only listens.
"""

from __future__ import annotations

import asyncio
import contextlib

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tawasul.accounts.mfa import is_verified_session
from tawasul.accounts.models import User
from tawasul.core.realtime import group_wallboard
from tawasul.insights import conf
from tawasul.insights.access import can_view_wallboard
from tawasul.insights.wallboard import EVENT, wallboard_snapshot

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


@database_sync_to_async
def _viewer(scope) -> tuple[User | None, bool]:
    user = scope.get("user")
    if not is_verified_session(user, scope.get("session")):
        return None, False
    user = User.objects.get(pk=user.pk)
    return user, can_view_wallboard(user)


@database_sync_to_async
def _snapshot() -> dict:
    return wallboard_snapshot()


class WallboardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user, allowed = await _viewer(self.scope)
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.joined = True
        await self.channel_layer.group_add(group_wallboard(), self.channel_name)
        await self.accept()
        await self.send_json({"event": EVENT, "payload": await _snapshot()})
        self.refresher = asyncio.ensure_future(self._refresh())

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(conf.wallboard_refresh_seconds())
            await self.send_json({"event": EVENT, "payload": await _snapshot()})

    async def disconnect(self, code: int) -> None:
        refresher = getattr(self, "refresher", None)
        if refresher is not None:
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(group_wallboard(), self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong", "payload": {}})

    async def tawasul_event(self, message: dict) -> None:
        await self.send_json({"event": message.get("event"), "payload": message.get("payload")})
