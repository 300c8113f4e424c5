"""WebSocket routes of the insights app (mounted by tawasul/asgi.py)."""

from django.urls import path

from tawasul.insights.consumers import WallboardConsumer

websocket_urlpatterns = [path("ws/wallboard/", WallboardConsumer.as_asgi())]
