"""WebSocket routes of the insights app (mounted by tawasul/asgi.py)."""

websocket_urlpatterns: list = []
