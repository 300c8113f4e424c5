"""The desk's WebSocket: one connection per open desk page, pushing events as they happen.

``connect()`` refuses anonymous users and sessions that did not pass the second factor, then
joins only the groups the user may see: their own user group (agents: screen pops and state),
their entity's group (back office: case changes), the supervisors' group (supervisors and
administrators: every agent, queue and case event). Events carry references and states, never
personal data; the page fetches what it shows over HTTP, through the access scope and the audit.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from tawasul.accounts.mfa import is_verified_session
from tawasul.accounts.models import Role, User
from tawasul.accounts.policy import Action, Scope, may, scope_of
from tawasul.core.realtime import group_entity, group_supervisors, group_user

# Close codes in the application range (4000–4999) so the page knows not to retry.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def groups_for(user: User) -> list[str]:
    """The real-time groups this user may receive (the one place that decides)."""
    groups = [group_user(user.pk)]
    if may(user, Action.SUPERVISE):
        groups.append(group_supervisors())
    elif scope_of(user, Action.CASE_READ) is Scope.OWN_ENTITY:
        groups.append(group_entity(user.entity_id))
    return groups


@database_sync_to_async
def _verified_user(scope) -> tuple[User | None, list[int]]:
    user = scope.get("user")
    if not is_verified_session(user, scope.get("session")):
        return None, []
    user = User.objects.get(pk=user.pk)  # a plain instance, not the lazy scope object
    return user, list(user.departments.values_list("id", flat=True))


class DeskConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user, departments = await _verified_user(self.scope)
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.departments = set(departments)
        self.groups_joined = groups_for(user)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"event": "hello", "payload": {"groups": len(self.groups_joined)}})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The page only listens; everything it does goes through HTTP and the services.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"event": "pong", "payload": {}})

    async def tawasul_event(self, message: dict) -> None:
        payload = message.get("payload") or {}
        # Back-office staff limited to some departments see only those departments' cases.
        if (
            self.departments
            and self.user.role == Role.BACKOFFICE
            and payload.get("department_id") not in self.departments
            and "reference" in payload
        ):
            return
        await self.send_json({"event": message.get("event"), "payload": payload})
