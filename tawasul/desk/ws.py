"""WebSocket routes of the desk app (mounted by tawasul/asgi.py)."""

from django.urls import path

from tawasul.desk.consumers import DeskConsumer

websocket_urlpatterns = [path("ws/desk/", DeskConsumer.as_asgi())]
