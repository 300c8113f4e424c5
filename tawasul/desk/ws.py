"""WebSocket routes of the desk app (mounted by tawasul/asgi.py)."""

websocket_urlpatterns: list = []
